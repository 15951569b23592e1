package pool

import "time"

// Event is something that happened, for Apply. Events are plain data so
// they can be journalled, replayed and sent between processes.
type Event interface{ isEvent() }

// Started asks the pool to load itself for a cold or warm start: spawn the
// first parentless instance of every task and release what is ready.
type Started struct{}

// JobSubmitted reports that a job was handed to its runner.
type JobSubmitted struct {
	ID        ID
	SubmitNum int
	JobID     string // the runner's job ID
	// Platform and JobRunner name where the job went (Cylc's task_jobs
	// platform_name and job_runner_name); empty means unchanged.
	Platform, JobRunner string
}

// JobSubmitFailed reports that a job could not be submitted.
type JobSubmitFailed struct {
	ID        ID
	SubmitNum int
	Reason    string
}

// JobMessage is a message from a job ("started", "succeeded",
// "failed/ERR", a custom output message, or a plain log message).
type JobMessage struct {
	ID        ID
	SubmitNum int
	Severity  string
	Message   string
	Time      time.Time
}

// TimerFired reports that a deadline the pool armed has passed.
type TimerFired struct {
	Key TimerKey
}

// XtriggerSatisfied reports that an xtrigger call returned true.
type XtriggerSatisfied struct {
	ID    ID
	Label string
}

// Trigger manually triggers task instances, as Cylc 8.7's group trigger
// does: the IDs split into groups of tasks connected by dependencies
// among them; in each group, the tasks that depend on no other member
// (the group's start tasks) run now, their prerequisites satisfied, and
// the others are spawned with only their prerequisites outside the group
// satisfied, so that they run as the group's flow reaches them. Flow is
// the flow they run in: "" for the flows the tasks already have (or
// every active flow for tasks not in the pool), "new" for a new flow
// (described by Meta), "none" for no flow (nothing downstream is
// spawned), or flow numbers ("2", "1,3"). Wait (Cylc's flow-wait) runs
// the tasks but holds back their children until the flow they wait for
// merges with them.
type Trigger struct {
	IDs  []ID
	Flow string
	Wait bool
	Meta string
}

// Hold holds tasks (a command): held waiting tasks do not submit.
type Hold struct{ IDs []ID }

// Release releases held tasks.
type Release struct{ IDs []ID }

// HoldAfter sets the workflow hold point ("cylc hold --after"): every
// task after Point is held, those in the pool now and those spawned
// later.
type HoldAfter struct{ Point string }

// ReleaseHoldPoint releases every held task and removes the hold point
// ("cylc release --all").
type ReleaseHoldPoint struct{}

func (Started) isEvent()           {}
func (JobSubmitted) isEvent()      {}
func (JobSubmitFailed) isEvent()   {}
func (JobMessage) isEvent()        {}
func (TimerFired) isEvent()        {}
func (XtriggerSatisfied) isEvent() {}
func (Hold) isEvent()              {}
func (Trigger) isEvent()           {}
func (Release) isEvent()           {}
func (HoldAfter) isEvent()         {}
func (ReleaseHoldPoint) isEvent()  {}

// TimerKind says what a deadline is for.
type TimerKind uint8

// The kinds of deadline the pool arms.
const (
	TimerRetry TimerKind = iota + 1
	TimerClockTrigger
	TimerClockExpire
	TimerStall
	TimerWallClock
	TimerWorkflow
	TimerInactivity
	TimerRestart
	TimerPoll
	TimerSubmitTimeout
	TimerExecTimeout
	// TimerStopClock is the wall-clock stop time ("cylc stop
	// --wall-clock"); it has no task.
	TimerStopClock
)

// TimerKey names a deadline: one of each kind per task (or per workflow
// for the stall timer), so re-arming replaces.
type TimerKey struct {
	Kind TimerKind
	ID   ID
}
