package pool

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gyre/internal/task"
)

// jobTask finds the task a job event is about, ignoring events from
// superseded jobs (an older submit number) as Cylc does.
func (p *Pool) jobTask(id ID, submitNum int, what string) *Proxy {
	t := p.tasks[id]
	if t == nil {
		p.logf(Debug, "%s for %s ignored: the task is not in the pool", what, id)
		return nil
	}
	if submitNum != t.SubmitNum {
		p.logf(Warning, "[%s] %s from job %02d ignored: the current job is %02d", t.LogID(), what, submitNum, t.SubmitNum)
		return nil
	}
	return t
}

func (p *Pool) jobSubmitted(e JobSubmitted) {
	t := p.jobTask(e.ID, e.SubmitNum, "submission")
	if t == nil {
		return
	}
	if (e.JobID != "" && t.JobID != e.JobID) || (e.Platform != "" && t.Platform != e.Platform) || (e.JobRunner != "" && t.JobRunner != e.JobRunner) {
		t.JobID = cmp.Or(e.JobID, t.JobID)
		t.Platform, t.JobRunner = cmp.Or(e.Platform, t.Platform), cmp.Or(e.JobRunner, t.JobRunner)
		if t.Status != task.Preparing {
			p.changed(t)
		}
	}
	if t.Status == task.Preparing {
		p.setStatus(t, task.Submitted)
		p.taskEvent(t, "submitted", "job submitted")
	}
	p.complete(t, task.OutSubmitted)
}

func (p *Pool) jobSubmitFailed(e JobSubmitFailed) {
	t := p.jobTask(e.ID, e.SubmitNum, "submission failure")
	if t == nil {
		return
	}
	p.logf(Error, "[%s] submission failed: %s", t.LogID(), e.Reason)
	if d, ok := retryDelay(t.Def.SubmitRetryDelays, t.SubmitTries); ok {
		t.SubmitTries++
		p.taskEvent(t, "submission retry", "job submission failed, retrying in "+isoDuration(d))
		p.retry(t, d, "submission")
		return
	}
	p.taskEvent(t, "submission failed", "job submission failed")
	p.setStatus(t, task.SubmitFailed)
	p.complete(t, task.OutSubmitFailed)
}

// jobMessage handles a message from a job: a life-cycle message, a custom
// output's message, or anything else, which is only logged.
func (p *Pool) jobMessage(e JobMessage) {
	t := p.jobTask(e.ID, e.SubmitNum, fmt.Sprintf("message %q", e.Message))
	if t == nil {
		return
	}
	msg := e.Message
	at := ""
	if !e.Time.IsZero() {
		at = " at " + clockString(e.Time)
	}
	if msg == task.OutStarted || msg == task.OutSucceeded || msg == task.OutSubmitted {
		// Logged before the state change it brings, as Cylc does (at
		// DEBUG, since the change is logged too): job scripts and tests
		// wait for these lines.
		p.logf(Debug, "[%s] (received)%s%s", t.LogID(), msg, at)
	}
	switch {
	case msg == task.OutStarted:
		p.started(t)
	case msg == task.OutSucceeded:
		p.finish(t, true, "")
	case msg == task.OutFailed || strings.HasPrefix(msg, "failed/"):
		p.finish(t, false, strings.TrimPrefix(strings.TrimPrefix(msg, "failed"), "/"))
	case msg == task.OutSubmitted:
		if t.Status == task.Preparing {
			p.setStatus(t, task.Submitted)
		}
		p.complete(t, task.OutSubmitted)
	default:
		i, ok := t.Def.outByMsg[msg]
		if ok && !task.IsStandard(t.Def.Outputs[i].Trigger) {
			if t.Status == task.Preparing || t.Status == task.Submitted {
				p.started(t) // a job that reports an output has started
			}
			p.logf(Info, "[%s] (received)%s%s", t.LogID(), msg, at)
			p.severityEvent(t, e.Severity, msg)
			p.complete(t, t.Def.Outputs[i].Trigger)
			return
		}
		level := Info
		switch strings.ToUpper(e.Severity) {
		case "WARNING":
			level = Warning
		case "ERROR":
			level = Error
		case "CRITICAL":
			level = Critical
		case "DEBUG":
			level = Debug
		}
		p.logf(level, "[%s] (received)%s%s", t.LogID(), msg, at)
		p.severityEvent(t, e.Severity, msg)
	}
}

// severityEvent raises the events Cylc ties to a message's severity:
// "warning", "critical", and "custom" for severity CUSTOM.
func (p *Pool) severityEvent(t *Proxy, severity, msg string) {
	switch strings.ToUpper(severity) {
	case "WARNING":
		p.taskEvent(t, "warning", msg)
	case "CRITICAL":
		p.taskEvent(t, "critical", msg)
	case "CUSTOM":
		p.taskEvent(t, "custom", msg)
	}
}

// started moves a submitted job to running; a start report implies the
// submission succeeded even if that message has not arrived.
func (p *Pool) started(t *Proxy) {
	if t.Status.Final() || t.Status == task.Waiting {
		return
	}
	if !t.Done(task.OutSubmitted) {
		p.complete(t, task.OutSubmitted)
	}
	p.setStatus(t, task.Running)
	p.taskEvent(t, "started", "job started")
	p.complete(t, task.OutStarted)
}

// finish ends a job: succeeded, or failed (retrying if delays remain).
func (p *Pool) finish(t *Proxy, ok bool, signal string) {
	if t.Status.Final() || t.Status == task.Waiting {
		return
	}
	if !t.Done(task.OutSubmitted) {
		p.complete(t, task.OutSubmitted)
	}
	if !t.Done(task.OutStarted) {
		p.complete(t, task.OutStarted)
	}
	if ok {
		p.setStatus(t, task.Succeeded)
		p.taskEvent(t, "succeeded", "job succeeded")
		if p.hasStopTask && t.ID == p.stopTask {
			p.logf(Info, "Stop task %s finished", t.ID)
			p.stopping = "AUTOMATIC"
			p.hasStopTask = false
			p.emit(WorkflowParam{Key: "stop_task"})
		}
		p.complete(t, task.OutSucceeded)
		return
	}
	if signal != "" {
		p.logf(Critical, "[%s] failed/%s", t.LogID(), signal)
	}
	if d, ok := retryDelay(t.Def.ExecRetryDelays, t.TryNum); ok {
		p.taskEvent(t, "retry", "job failed, retrying in "+isoDuration(d))
		t.TryNum++
		p.retry(t, d, "execution")
		return
	}
	p.taskEvent(t, "failed", "job failed")
	p.setStatus(t, task.Failed)
	p.complete(t, task.OutFailed)
}

// retryDelay returns the delay before try n+1, if there is one.
func retryDelay(delays []time.Duration, try int) (time.Duration, bool) {
	if try-1 < len(delays) {
		return delays[try-1], true
	}
	return 0, false
}

// retry puts a task back to waiting until its retry delay has passed.
func (p *Pool) retry(t *Proxy, d time.Duration, kind string) {
	t.retryWait = true
	at := p.now.Add(d)
	t.retryAt = at
	t.retryLabel = "_cylc_retry_"
	if kind == "submission" {
		t.retryLabel = "_cylc_submit_retry_"
	}
	p.logf(Info, "[%s] %s failed, retrying in %s (after %s)", t.LogID(), kind, isoDuration(d), at.UTC().Format(time.RFC3339))
	p.setStatus(t, task.Waiting)
	p.emit(ArmTimer{Key: TimerKey{Kind: TimerRetry, ID: t.ID}, At: at})
}

// complete records an output and spawns on it.
func (p *Pool) complete(t *Proxy, trig string) {
	i, ok := t.Def.outByTrig[trig]
	if !ok || t.done[i] {
		return
	}
	t.done[i] = true
	p.emit(OutputCompleted{ID: t.ID, Flows: t.Flows, Trigger: trig, Message: t.Def.Outputs[i].Message})
	p.spawnOnOutput(t, trig)
}

func (p *Pool) timerFired(e TimerFired) {
	switch e.Key.Kind {
	case TimerWorkflow, TimerInactivity:
		name, t := "workflow timeout", p.def.WorkflowTimeout
		if e.Key.Kind == TimerInactivity {
			name, t = "inactivity timeout", p.def.InactivityTimeout
		}
		p.logf(Warning, "%s after %s", name, isoDuration(t.After))
		p.emit(WorkflowEvent{Event: name, Message: fmt.Sprintf("%s after %s", name, isoDuration(t.After))})
		if t.Abort {
			p.abort(name)
		}
		return
	}
	if e.Key.Kind == TimerRestart {
		p.endRestartWait(true)
		return
	}
	if e.Key.Kind == TimerStopClock {
		p.stopClockDue()
		return
	}
	if e.Key.Kind == TimerStall {
		if p.stalled {
			p.logf(Error, "Workflow shutting down - stall timer timed out after %s", isoDuration(p.def.StallTimeout))
			p.emit(WorkflowEvent{Event: "stall timeout", Message: "stall timer timed out after " + isoDuration(p.def.StallTimeout)})
			if p.def.AbortOnStall {
				p.abort("stall timeout")
			}
		}
		return
	}
	t := p.tasks[e.Key.ID]
	if t == nil {
		return
	}
	switch e.Key.Kind {
	case TimerRetry:
		if t.retryWait {
			// Cylc implements retry delays as wall_clock xtriggers, and
			// logs them as such (scripts read this line).
			if t.retryLabel != "" {
				p.logf(Info, "xtrigger succeeded: %s%s_%s = wall_clock(trigger_time=%s)", t.retryLabel, t.ID.Point, t.ID.Name,
					strconv.FormatFloat(float64(t.retryAt.UnixNano())/1e9, 'f', -1, 64))
			}
			t.retryWait, t.retryAt = false, time.Time{}
			p.changed(t)
			p.touch(t)
		}
	case TimerClockTrigger:
		if t.clockWait {
			t.clockWait = false
			p.touch(t)
		}
	case TimerWallClock:
		for label := range t.xtrigs {
			if _, ok := p.def.WallClock[label]; ok {
				delete(t.xtrigs, label)
			}
		}
		p.touch(t)
	case TimerPoll:
		p.pollDue(t)
	case TimerSubmitTimeout, TimerExecTimeout:
		p.timedOut(t, e.Key.Kind)
	case TimerClockExpire:
		if t.Status == task.Waiting && !t.Manual {
			p.toExpire = append(p.toExpire, t)
		}
	}
}

// armExpiry expires a clock-expiring task now if its time has passed, or
// arms a deadline for it.
func (p *Pool) armExpiry(t *Proxy) {
	if p.def.ToWallClock == nil {
		return
	}
	t.expireAt = p.def.wallClock(t.Point, t.Def.ExpireOffset)
	if !p.now.Before(t.expireAt) {
		p.toExpire = append(p.toExpire, t)
		return
	}
	p.emit(ArmTimer{Key: TimerKey{Kind: TimerClockExpire, ID: t.ID}, At: t.expireAt})
}

func (p *Pool) expire(t *Proxy) {
	if !t.inPool || t.Status != task.Waiting || t.Manual {
		return
	}
	if t.Queued {
		p.queueOf(t).remove(t)
		t.Queued = false
	}
	p.logf(Warning, "[%s] (received)expired", t.LogID())
	p.taskEvent(t, "expired", "Task expired (skipping job).")
	p.setStatus(t, task.Expired)
	p.complete(t, task.OutExpired)
	p.removeIfComplete(t, task.OutExpired)
}

func (p *Pool) abort(reason string) {
	if p.finished {
		return
	}
	p.finished = true
	p.emit(Shutdown{Reason: reason, Abort: true})
}

// isoDuration writes d as an ISO 8601 duration, as Cylc logs delays.
func isoDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("PT")
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
		d -= m * time.Minute
	}
	if d > 0 {
		s := d.Seconds()
		if s == float64(int64(s)) {
			fmt.Fprintf(&b, "%dS", int64(s))
		} else {
			fmt.Fprintf(&b, "%gS", s)
		}
	}
	return b.String()
}
