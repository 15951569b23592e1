package persist

import (
	"time"

	"gyre/internal/task"
)

// UpsertTaskPool inserts or replaces a task instance's row in the task pool
// (table task_pool): what a restart rebuilds the pool from.
type UpsertTaskPool struct {
	Cycle    string
	Name     string
	FlowNums []int
	Status   task.Status
	IsHeld   bool
}

// DeleteTaskPool removes a task instance from the pool. Its prerequisites
// and its timeout timer go with it: Cylc keeps those only for tasks in the
// pool. Its state, outputs and jobs stay, as history.
type DeleteTaskPool struct {
	Cycle    string
	Name     string
	FlowNums []int
}

// InsertTaskState records a new task instance (table task_states), or
// replaces the record of the same instance. Time is both its creation and
// its last-update time. Cylc keeps one row per instance and flow set, for the
// latest submit only.
type InsertTaskState struct {
	Cycle          string
	Name           string
	FlowNums       []int
	Time           time.Time
	SubmitNum      int
	Status         task.Status
	FlowWait       bool
	IsManualSubmit bool
}

// UpdateTaskState updates an instance's existing task_states row; Time is
// its update time. Like Cylc, an update that matches no row changes nothing.
type UpdateTaskState struct {
	Cycle          string
	Name           string
	FlowNums       []int
	Time           time.Time
	SubmitNum      int
	Status         task.Status
	FlowWait       bool
	IsManualSubmit bool
}

// Output is one completed output: its trigger name ("succeeded", "x") and
// its message ("succeeded", "the quick brown fox", or "forced").
type Output struct {
	Trigger string
	Message string
}

// SetTaskOutputs replaces the completed outputs of a task instance (table
// task_outputs), in completion order. An empty list records an instance
// with no outputs yet, as Cylc does when a task is spawned.
type SetTaskOutputs struct {
	Cycle    string
	Name     string
	FlowNums []int
	Outputs  []Output
}

// Prereq is one prerequisite of a task: the output of another task instance
// it waits for. Satisfied is empty while unsatisfied, otherwise how it was
// satisfied, in Cylc's words: "satisfied naturally", "satisfied from
// database", "satisfied by skip mode", "force satisfied". A satisfied
// xtrigger is recorded with Cycle "xtrigger", Name its label and Output
// "succeeded".
type Prereq struct {
	Cycle     string
	Name      string
	Output    string
	Satisfied string
}

// SetPrerequisites replaces the prerequisites of a task instance in the pool
// (table task_prerequisites).
type SetPrerequisites struct {
	Cycle    string
	Name     string
	FlowNums []int
	Prereqs  []Prereq
}

// InsertTaskEvent appends to the task event log (table task_events): events
// such as "submitted", "started", "succeeded", "failed", "retrying",
// "message normal", with their message.
type InsertTaskEvent struct {
	Cycle     string
	Name      string
	Time      time.Time
	SubmitNum int
	Event     string
	Message   string
}

// PutLateFlag marks a task instance as late (table task_late_flags).
type PutLateFlag struct {
	Cycle string
	Name  string
}

// PutTaskTimeout records when a task's current submission or execution
// times out (table task_timeout_timers).
type PutTaskTimeout struct {
	Cycle   string
	Name    string
	Timeout time.Time
}

// DeleteTaskTimeout clears a task's timeout.
type DeleteTaskTimeout struct {
	Cycle string
	Name  string
}

// PutAbsOutput records the completion of an output that absolute triggers
// (foo[^]) depend on (table absolute_outputs).
type PutAbsOutput struct {
	Cycle  string
	Name   string
	Output string
}

// SatisfyPrereq marks one prerequisite of a task instance satisfied (or,
// with Satisfied empty, unsatisfied) without rewriting the others: a wide
// fan-in is satisfied one atom at a time.
type SatisfyPrereq struct {
	Cycle    string
	Name     string
	FlowNums []int
	Prereq   Prereq
}
