package persist

import (
	"time"

	"gyre/internal/task"
)

// Snapshot is everything a restart needs from the run database to rebuild
// the scheduler: the state as of the last committed write.
type Snapshot struct {
	// Params are the workflow parameters (workflow_params); keys whose
	// value is NULL are left out.
	Params map[string]string
	// TemplateVars are the template variables, as Python reprs.
	TemplateVars map[string]string
	// Flows are the flows started so far, by number.
	Flows []Flow
	// Tasks are the task instances in the pool, ordered by cycle, name
	// and flow numbers as stored (text order).
	Tasks []PoolTask
	// Timers are the task action timers.
	Timers []Timer
	// Holds are the tasks to hold when they spawn.
	Holds []TaskRef
	// Broadcasts are the broadcast settings in force.
	Broadcasts []Broadcast
	// Xtriggers maps satisfied xtrigger signatures to their results JSON.
	Xtriggers map[string]string
	// AbsOutputs are the completed outputs absolute triggers depend on.
	AbsOutputs []AbsOutput
	// History are the task instances that have left the pool, with how
	// they ended: a restart must not spawn a finished task again.
	History []HistTask
}

// HistTask is a task instance no longer in the pool.
type HistTask struct {
	Cycle    string
	Name     string
	FlowNums []int
	Status   task.Status
	Outputs  []Output
	// SubmitNum is its last job's number; FlowWait its flow_wait flag.
	SubmitNum int
	FlowWait  bool
}

// Flow is a row of workflow_flows.
type Flow struct {
	Num         int
	StartTime   time.Time
	Description string
}

// TaskRef names a task instance without its flows.
type TaskRef struct {
	Name  string
	Cycle string
}

// AbsOutput is a completed output of a task instance.
type AbsOutput struct {
	Cycle  string
	Name   string
	Output string
}

// PoolTask is a task instance in the pool with everything recorded about
// it: its pool row, its state row, its outputs and prerequisites, and the
// job of its latest submit.
type PoolTask struct {
	Cycle    string
	Name     string
	FlowNums []int
	Status   task.Status
	IsHeld   bool

	// From task_states (zero if the instance has no state row).
	SubmitNum      int
	FlowWait       bool
	IsManualSubmit bool
	TimeCreated    time.Time
	TimeUpdated    time.Time

	// IsLate is set once the task has been reported late.
	IsLate bool
	// Timeout is when its submission or execution times out, if set.
	Timeout time.Time

	// Outputs are its completed outputs, in completion order.
	Outputs []Output
	// Prereqs are its prerequisites, in the order they were set.
	Prereqs []Prereq
	// Job is the job of submit SubmitNum, or nil if there is none.
	Job *Job
}

// Job is a row of task_jobs. The exit statuses are nil until known.
type Job struct {
	SubmitNum      int
	FlowNums       []int
	IsManualSubmit bool
	TryNum         int
	TimeSubmit     time.Time
	TimeSubmitExit time.Time
	SubmitStatus   *int
	TimeRun        time.Time
	TimeRunExit    time.Time
	RunSignal      string
	RunStatus      *int
	Platform       string
	JobRunner      string
	JobID          string
}
