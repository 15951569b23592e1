package pool

import (
	"time"

	"gyre/internal/task"
)

// Effect is something the pool wants done. The scheduler carries effects
// out in order; an effect that must not be seen before the state change it
// follows (a job submission) is released only once the Persist effects
// before it are committed.
type Effect interface{ isEffect() }

// SubmitJob asks for a job to be submitted for a task.
type SubmitJob struct {
	ID        ID
	SubmitNum int
	TryNum    int
	Flows     Flows
	Def       *TaskDef
	// Sim is the simulated outcome in simulation mode.
	Sim SimOutcome
}

// SimOutcome is how a simulated job ends.
type SimOutcome struct {
	RunLength time.Duration
	Fail      bool
}

// CallXtrigger asks for an xtrigger to be evaluated for a task; the
// answer comes back as XtriggerSatisfied.
type CallXtrigger struct {
	ID    ID
	Label string
}

// ArmTimer asks for TimerFired{Key} at At (replacing any earlier one).
type ArmTimer struct {
	Key TimerKey
	At  time.Time
}

// CancelTimer cancels a deadline.
type CancelTimer struct{ Key TimerKey }

// TaskChanged records a task instance's new state: the store journals it
// and subscribers see it. Removed marks the task leaving the pool.
type TaskChanged struct {
	ID        ID
	Status    task.Status
	Flows     Flows
	SubmitNum int
	TryNum    int
	Held      bool
	Queued    bool
	Runahead  bool
	Removed   bool
	// Spawned marks the first record of an instance.
	Spawned bool
	Manual  bool
	JobID   string
	// Platform and JobRunner: where the current job went.
	Platform, JobRunner string
	// RetryAt is when a retry delay ends (zero: none running).
	RetryAt time.Time
	// FlowWait marks an instance that spawns nothing until its flow
	// merges with another (Cylc's flow_wait).
	FlowWait bool
}

// WorkflowParam records a workflow parameter (Cylc's workflow_params
// table: "holdcp", "stopcp", "stop_clock_time"), so that a restart
// carries on with it; an empty Value removes it.
type WorkflowParam struct {
	Key, Value string
}

// FlowStarted records a new flow (Cylc's workflow_flows table).
type FlowStarted struct {
	Num         int
	Description string
	Start       time.Time
}

// PrereqsSet records all the prerequisites of an instance as it enters
// the pool: each atom and whether it is satisfied.
type PrereqsSet struct {
	ID    ID
	Flows Flows
	Atoms []PrereqAtom
}

// PrereqSatisfied records one more satisfied prerequisite atom (or, with
// Point XtriggerPoint, a satisfied xtrigger).
type PrereqSatisfied struct {
	ID    ID
	Flows Flows
	Atom  PrereqAtom
}

// PrereqAtom is a prerequisite: an output of a task instance. How says
// how it was satisfied, in Cylc's words ("satisfied naturally", "force
// satisfied"), or is empty while it is not.
type PrereqAtom struct {
	Point, Task, Output string
	How                 string
}

// OutputCompleted records a completed output.
type OutputCompleted struct {
	ID      ID
	Flows   Flows
	Trigger string
	Message string
}

// Log is a line for the scheduler log, in Cylc's wording.
type Log struct {
	Level Level
	Msg   string
}

// RefLog is a reference-test line ("1/foo -triggered off [...] in flow 1").
type RefLog struct{ Line string }

// Shutdown asks the scheduler to stop: Reason is logged; Abort means the
// run failed (stall with abort, unexpected task failure).
type Shutdown struct {
	Reason string
	Abort  bool
}

// Level is a log severity.
type Level uint8

// Log levels, as Cylc's.
const (
	Debug Level = iota
	Info
	Warning
	Error
	Critical
)

func (l Level) String() string {
	return [...]string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}[l]
}

func (SubmitJob) isEffect()       {}
func (ArmTimer) isEffect()        {}
func (CallXtrigger) isEffect()    {}
func (CancelTimer) isEffect()     {}
func (TaskChanged) isEffect()     {}
func (OutputCompleted) isEffect() {}
func (Log) isEffect()             {}
func (RefLog) isEffect()          {}
func (Shutdown) isEffect()        {}
func (WorkflowParam) isEffect()   {}
func (FlowStarted) isEffect()     {}
func (PrereqsSet) isEffect()      {}
func (PrereqSatisfied) isEffect() {}
