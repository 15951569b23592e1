package persist

import "time"

// InsertTaskJob records a job as it is prepared for submission (table
// task_jobs). It must be committed before the job is handed to its runner,
// so that a restart knows to look for it.
type InsertTaskJob struct {
	Cycle          string
	Name           string
	SubmitNum      int
	FlowNums       []int
	IsManualSubmit bool
	TryNum         int
	TimeSubmit     time.Time
	Platform       string
	JobRunner      string
	// JobID is set only when the job is recorded after the fact, e.g. a
	// submit failure.
	JobID string
}

// JobFields selects the columns an UpdateTaskJob writes.
type JobFields uint16

// The task_jobs columns UpdateTaskJob can set.
const (
	JobTimeSubmit JobFields = 1 << iota
	JobTimeSubmitExit
	JobSubmitStatus
	JobTimeRun
	JobTimeRunExit
	JobRunSignal
	JobRunStatus
	JobPlatform
	JobRunner
	JobID
	JobFlowNums
)

// UpdateTaskJob changes some columns of a job's row: those selected by Set,
// from the fields of the same name. Cylc's updates are, for example:
// submitted (JobSubmitStatus|JobTimeSubmitExit|JobID|JobPlatform), started
// (JobTimeRun), succeeded (JobRunStatus|JobTimeRunExit, RunStatus 0),
// failed (JobRunStatus|JobTimeRunExit|JobRunSignal, RunStatus 1).
type UpdateTaskJob struct {
	Cycle     string
	Name      string
	SubmitNum int
	Set       JobFields

	TimeSubmit     time.Time
	TimeSubmitExit time.Time
	SubmitStatus   int
	TimeRun        time.Time
	TimeRunExit    time.Time
	RunSignal      string
	RunStatus      int
	Platform       string
	JobRunner      string
	JobID          string
	FlowNums       []int
}
