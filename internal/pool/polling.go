package pool

import (
	"time"

	"gyre/internal/task"
)

// Polling. A job's own messages and, for local jobs, the runner's watch on
// its process report everything as it happens; polls are the backstop for
// what neither can report (a batch system that loses a job, a message
// lost with its host). They follow Cylc's schedule: the submission polling
// intervals while submitted, the execution polling intervals while
// running, and, past an execution time limit, the time-limit intervals.
// The last interval of a list repeats.

// pollState is a task's place in its polling schedule.
type pollState struct {
	n         int       // polls made in the current state
	since     time.Time // when the current state began
	pastLimit int       // polls scheduled past the execution time limit
}

// armPolls starts the polling schedule and the timeout of t's new active
// state (submitted or running); other states cancel them.
func (p *Pool) armPolls(t *Proxy) {
	key := TimerKey{Kind: TimerPoll, ID: t.ID}
	switch t.Status {
	case task.Submitted, task.Running:
		t.polls = pollState{since: p.now}
		if at, ok := p.nextPoll(t); ok {
			p.emit(ArmTimer{Key: key, At: at})
		}
	default:
		p.emit(CancelTimer{Key: key})
	}
	p.armTimeout(t, task.Submitted, TimerSubmitTimeout, t.Def.SubmitTimeout)
	p.armTimeout(t, task.Running, TimerExecTimeout, t.Def.ExecTimeout)
}

func (p *Pool) armTimeout(t *Proxy, status task.Status, kind TimerKind, after time.Duration) {
	if after <= 0 {
		return
	}
	key := TimerKey{Kind: kind, ID: t.ID}
	if t.Status == status {
		p.emit(ArmTimer{Key: key, At: p.now.Add(after)})
	} else {
		p.emit(CancelTimer{Key: key})
	}
}

// nextPoll is when t's job is next polled. Past an execution time limit
// the polls follow the time-limit intervals, the first counted from the
// limit itself.
func (p *Pool) nextPoll(t *Proxy) (time.Time, bool) {
	d := t.Def
	if t.Status == task.Submitted {
		return at(d.SubmitPolls, t.polls.n, p.now), len(d.SubmitPolls) > 0
	}
	if d.TimeLimit <= 0 {
		return at(d.ExecPolls, t.polls.n, p.now), len(d.ExecPolls) > 0
	}
	if t.polls.pastLimit == 0 {
		limitPoll := at(d.TimeLimitPolls, 0, t.polls.since.Add(d.TimeLimit))
		if next := at(d.ExecPolls, t.polls.n, p.now); len(d.ExecPolls) > 0 && next.Before(limitPoll) {
			return next, true
		}
		t.polls.pastLimit = 1
		return limitPoll, true
	}
	next := at(d.TimeLimitPolls, t.polls.pastLimit, p.now)
	t.polls.pastLimit++
	return next, true
}

// at returns base plus the n-th interval (the last one repeating).
func at(intervals []time.Duration, n int, base time.Time) time.Time {
	if len(intervals) == 0 {
		return base
	}
	return base.Add(intervals[min(n, len(intervals)-1)])
}

// pollDue polls t's job if it is still active, and arms the next poll.
func (p *Pool) pollDue(t *Proxy) {
	if t.Status != task.Submitted && t.Status != task.Running {
		return
	}
	t.polls.n++
	next, ok := p.nextPoll(t)
	if ok {
		p.logf(Info, "[%s] poll now, (next in %s (after %s))", t.LogID(), isoDuration(next.Sub(p.now)), next.UTC().Format(time.RFC3339))
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerPoll, ID: t.ID}, At: next})
	}
	p.emit(PollJob{ID: t.ID, SubmitNum: t.SubmitNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Def: t.Def, Sim: p.simOutcome(t)})
}

// timedOut raises a submission or execution timeout event.
func (p *Pool) timedOut(t *Proxy, kind TimerKind) {
	event, status, after := "submission timeout", task.Submitted, t.Def.SubmitTimeout
	if kind == TimerExecTimeout {
		event, status, after = "execution timeout", task.Running, t.Def.ExecTimeout
	}
	if t.Status != status {
		return
	}
	msg := event + " after " + isoDuration(after)
	p.logf(Warning, "[%s] %s", t.LogID(), msg)
	p.taskEvent(t, event, msg)
}
