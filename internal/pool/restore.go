package pool

import (
	"time"

	"gyre/internal/task"
)

// Saved is the pool's state as a restart reads it back from the run
// database: the instances in the pool, those that have left it (so that
// nothing finished is spawned again), and the completed outputs absolute
// triggers wait for.
type Saved struct {
	Tasks   []SavedTask
	History []SavedHistory
	AbsDone []SavedOutput
	// Broadcasts are the broadcast settings in force (the pool does not
	// use them: they are for whatever writes the jobs).
	Broadcasts []BroadcastRow
	// StopClock, if not zero, is the wall-clock stop time a stop command
	// set (Cylc's stop_clock_time); one already past is ignored.
	StopClock time.Time
	// ToHold are tasks to hold when they spawn.
	ToHold []ID
	// StopTask, if set, is the task whose success stops the workflow.
	StopTask *ID
}

// SavedTask is a task instance as it was in the pool.
type SavedTask struct {
	ID        ID
	Flows     Flows
	Status    task.Status
	Held      bool
	SubmitNum int
	TryNum    int
	Manual    bool
	JobID     string
	// Platform and JobRunner: where its current job went.
	Platform, JobRunner string
	// Outputs are the trigger names of its completed outputs.
	Outputs []string
	// Satisfied are the prerequisite atoms recorded as satisfied, and its
	// satisfied xtriggers (Point "xtrigger", Task the label).
	Satisfied []SavedOutput
	// RetryAt, if set, is when its retry delay ends.
	RetryAt time.Time
	// FlowWait is set if it runs with flow-wait.
	FlowWait bool
}

// SavedHistory is an instance that has left the pool.
type SavedHistory struct {
	ID      ID
	Flows   Flows
	Status  task.Status
	Outputs []string // trigger names
	// SubmitNum is its last submit number; FlowWait is set if it ran
	// with flow-wait and its flow has not caught up with it yet.
	SubmitNum int
	FlowWait  bool
}

// SavedOutput names an output of a task instance (a prerequisite atom).
type SavedOutput struct {
	Point, Task, Output string
}

// XtriggerPoint is the point under which satisfied xtriggers are recorded
// among a task's prerequisites, as Cylc records them.
const XtriggerPoint = "xtrigger"

// Restarted restarts the pool from saved state instead of a cold start:
// every instance is put back as it was, and each one with a job that may
// exist (preparing, submitted, running) has that job polled (PollJob), so
// the runner can adopt it or report how it ended.
type Restarted struct {
	State *Saved
}

func (Restarted) isEvent() {}

// PollJob asks the runner what became of a task's job. The answer comes
// back as the usual job events (JobSubmitted, JobMessage ...) or, for a
// job that was never handed to its runner, JobNotFound.
type PollJob struct {
	ID        ID
	SubmitNum int
	JobID     string
	// Platform and JobRunner: where the job went, if it was submitted.
	Platform, JobRunner string
	Def                 *TaskDef
	// Restart marks the polls of a restart, for the log.
	Restart bool
	// Sim is the simulated outcome, for simulation mode to run it again.
	Sim SimOutcome
	// Preparing is set when the task was still preparing the job: the
	// job may never have reached its runner.
	Preparing bool
}

func (PollJob) isEffect() {}

// JobNotFound reports that a job the pool was preparing was never
// submitted: the scheduler stopped between recording the submission and
// handing the job over. The pool submits it again with the same number.
type JobNotFound struct {
	ID        ID
	SubmitNum int
}

func (JobNotFound) isEvent() {}

// restore rebuilds the pool from saved state.
func (p *Pool) restore(s *Saved) {
	if t := p.def.WorkflowTimeout; t.Set {
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerWorkflow}, At: p.now.Add(t.After)})
	}
	p.resetInactivity()
	if s.StopTask != nil {
		p.stopTask, p.hasStopTask = *s.StopTask, true
		p.logf(Info, "+ stop task = %s", s.StopTask)
	}
	for _, id := range s.ToHold {
		if p.toHold == nil {
			p.toHold = map[ID]bool{}
		}
		p.toHold[id] = true
	}
	for _, a := range s.AbsDone {
		p.absDone[atomKey{point: a.Point, task: a.Task, output: a.Output}] = true
	}
	for _, h := range s.History {
		td := p.def.Tasks[h.ID.Name]
		if td == nil {
			continue
		}
		done := make([]bool, len(td.Outputs))
		anyOut := false
		for _, o := range h.Outputs {
			if i, ok := td.outByTrig[o]; ok {
				done[i], anyOut = true, true
			}
		}
		for _, o := range h.Outputs {
			// Absolute triggers consult only the outputs they name.
			p.absDone[atomKey{point: h.ID.Point, task: h.ID.Name, output: o}] = true
		}
		probe := &Proxy{Def: td, done: done}
		he := histEntry{
			status: h.Status, complete: h.Status.Final() && probe.Complete(), anyOut: anyOut, flows: h.Flows,
			submitNum: h.SubmitNum, flowWait: h.FlowWait,
		}
		if he.flowWait {
			he.done = done
		}
		if old, ok := p.history[h.ID]; ok {
			// One row per set of flows: keep the latest job number, and
			// the flows it completed in.
			he.submitNum = max(he.submitNum, old.submitNum)
			if old.complete && he.complete {
				he.flows, _ = old.flows.union(he.flows)
			}
		}
		p.history[h.ID] = he
		for _, f := range h.Flows {
			p.maxFlow = max(p.maxFlow, f)
		}
	}
	if len(s.Tasks) > 0 {
		p.logf(Info, "LOADING task proxies")
	}
	for i := range s.Tasks {
		p.restoreTask(&s.Tasks[i])
	}
	p.runaheadDirty = true
	if !s.StopClock.IsZero() {
		if p.now.After(s.StopClock) {
			p.logf(Debug, "- stop clock time = %d (%s) (ignored)", s.StopClock.Unix(), clockString(s.StopClock))
		} else {
			p.logf(Info, "+ stop clock time = %d (%s)", s.StopClock.Unix(), clockString(s.StopClock))
			p.stopClock = s.StopClock
			p.armStopClock()
		}
	}
	if p.nothingLeft() {
		// Shutting down at once would leave no time to trigger anything.
		p.restartWait = true
		p.logf(Warning, "This workflow already ran to completion.\nTo make it continue, trigger new tasks before the restart timeout.")
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerRestart}, At: p.now.Add(p.def.RestartTimeout)})
	}
}

// nothingLeft reports whether a restarted pool has nothing to run: it is
// empty, or everything in it is beyond the stop point.
func (p *Pool) nothingLeft() bool {
	if !p.def.HasStop {
		return len(p.tasks) == 0
	}
	for _, t := range p.tasks {
		if t.Point.Compare(p.def.Stop) <= 0 {
			return false
		}
	}
	return true
}

// endRestartWait ends the restart timeout wait: something was triggered,
// or the timeout passed.
func (p *Pool) endRestartWait(timedOut bool) {
	if !p.restartWait {
		return
	}
	p.restartWait = false
	if timedOut {
		p.logf(Warning, "restart timeout after %s", isoDuration(p.def.RestartTimeout))
		p.emit(WorkflowEvent{Event: "restart timeout", Message: "restart timer timed out after " + isoDuration(p.def.RestartTimeout)})
		return
	}
	p.emit(CancelTimer{Key: TimerKey{Kind: TimerRestart}})
}

func (p *Pool) restoreTask(st *SavedTask) {
	td := p.def.Tasks[st.ID.Name]
	if td == nil {
		p.logf(Warning, "ignoring task %s from the run database (its task definition has probably been deleted)", st.ID)
		return
	}
	pt, ok := p.pointFor(st.ID)
	if !ok || !td.IsOn(pt) {
		p.logf(Warning, "ignoring task %s from the run database: %s is not a point of its recurrences", st.ID, st.ID.Point)
		return
	}
	for _, f := range st.Flows {
		p.maxFlow = max(p.maxFlow, f)
	}
	t := &Proxy{
		ID: st.ID, Point: pt, Def: td, Status: st.Status, Flows: st.Flows, Held: st.Held,
		SubmitNum: st.SubmitNum, TryNum: max(st.TryNum, 1), SubmitTries: 1, Manual: st.Manual,
		JobID: st.JobID, Platform: st.Platform, JobRunner: st.JobRunner, done: make([]bool, len(td.Outputs)), flowWait: st.FlowWait,
		// Waiting tasks come back held by the runahead limit until it is
		// computed; the others had been released already.
		Runahead: st.Status == task.Waiting && !st.Manual,
	}
	p.buildPrereqs(t)
	sat := map[atomKey]bool{}
	for _, a := range st.Satisfied {
		if a.Point == XtriggerPoint {
			delete(t.xtrigs, a.Task)
			continue
		}
		sat[atomKey{point: a.Point, task: a.Task, output: a.Output}] = true
	}
	t.satisfyAtoms(sat)
	if st.Manual {
		p.forceSatisfy(t)
	}
	for _, o := range st.Outputs {
		if i, ok := td.outByTrig[o]; ok {
			t.done[i] = true
		}
		p.absDone[atomKey{point: st.ID.Point, task: st.ID.Name, output: o}] = true
	}
	if !st.RetryAt.IsZero() && st.Status == task.Waiting {
		t.retryWait = true
		t.retryAt = st.RetryAt
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerRetry, ID: t.ID}, At: st.RetryAt})
	}
	held := ""
	if t.Held {
		held = " (held)"
	}
	p.logf(Info, "+ %s %s%s", t.ID, t.Status, held)

	t.inPool = true
	p.tasks[t.ID] = t
	p.points.add(t)
	if t.Status.Active() {
		p.queueOf(t).active++
		p.emit(PollJob{ID: t.ID, SubmitNum: t.SubmitNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Def: td, Restart: true, Sim: p.simOutcome(t), Preparing: t.Status == task.Preparing})
		p.armPolls(t)
	}
	if t.Def.ClockExpire && t.Status == task.Waiting {
		p.armExpiry(t)
	}
	p.armWallClock(t)
	p.touch(t)
	if t.Status.Final() {
		// It finished incomplete (or was caught finishing): it stays, as
		// it would have, until something completes it or it is removed.
		p.removeIfComplete(t, "")
	}
}

// jobNotFound resubmits a job that never reached its runner.
func (p *Pool) jobNotFound(e JobNotFound) {
	t := p.jobTask(e.ID, e.SubmitNum, "job not found")
	if t == nil {
		return
	}
	if t.Status != task.Preparing {
		if t.Status == task.Submitted {
			p.jobSubmitFailed(JobSubmitFailed{ID: t.ID, SubmitNum: t.SubmitNum, Reason: "the job cannot be found"})
		}
		return
	}
	p.logf(Info, "[%s] job %02d was never submitted: submitting it now", t.LogID(), t.SubmitNum)
	p.emit(SubmitJob{ID: t.ID, SubmitNum: t.SubmitNum, TryNum: t.TryNum, Flows: t.Flows, Def: t.Def, Sim: p.simOutcome(t)})
}
