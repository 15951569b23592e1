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

// Trigger manually triggers task instances (spawning them if need be):
// their prerequisites are taken as satisfied and they run in the given
// flow: "" for the flows the task already has (or all active flows for a
// task not in the pool), "new" for a new flow, "none" for no flow (nothing
// downstream is spawned), or a flow number.
type Trigger struct {
	IDs  []ID
	Flow string
}

// Hold holds tasks (a command): held waiting tasks do not submit.
type Hold struct{ IDs []ID }

// Release releases held tasks.
type Release struct{ IDs []ID }

func (Started) isEvent()           {}
func (JobSubmitted) isEvent()      {}
func (JobSubmitFailed) isEvent()   {}
func (JobMessage) isEvent()        {}
func (TimerFired) isEvent()        {}
func (XtriggerSatisfied) isEvent() {}
func (Hold) isEvent()              {}
func (Trigger) isEvent()           {}
func (Release) isEvent()           {}

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
)

// TimerKey names a deadline: one of each kind per task (or per workflow
// for the stall timer), so re-arming replaces.
type TimerKey struct {
	Kind TimerKind
	ID   ID
}
