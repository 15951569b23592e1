// Package journal turns the pool's state-change effects into database
// operations and hands them to the store's writer. It is the scheduler's
// Journal: a batch is committed in one transaction, and the scheduler
// releases the job submissions that depend on it only from the commit
// callback, so a restart always finds a record of any job that may exist.
//
// It also reads the state back (Saved): what the run database says about
// the pool, turned into the pool's restart state.
package journal

import (
	"slices"
	"time"

	"gyre/internal/pool"
	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// Writer is the part of the store's writer the journal uses.
type Writer interface {
	Submit(batch []persist.Op, done func(error))
}

// Journal keeps what it has written about each task instance in the pool
// (the task_outputs row holds all its outputs; a job row is written when a
// submit number first appears), and the clock for timestamps.
type Journal struct {
	w     Writer
	now   func() time.Time
	tasks map[pool.ID]*record
	// Runner and Platform are written into task_jobs when a job is
	// prepared; its submission replaces them with where it went.
	Runner, Platform string
}

// record is what the journal last wrote about an instance.
type record struct {
	flows     []int
	outputs   []persist.Output
	status    task.Status
	submitNum int
	retryAt   time.Time
	jobID     string
	// platform and runner: where the current job went, as recorded.
	platform, runner string
}

// RetryTimerKey is the task_action_timers key of a retry delay, as Cylc's.
const RetryTimerKey = `["try_timers", "execution-retry"]`

// New makes a journal writing through w; now stamps the rows.
func New(w Writer, now func() time.Time) *Journal {
	return &Journal{w: w, now: now, tasks: map[pool.ID]*record{}, Runner: "background", Platform: "localhost"}
}

// Restored tells the journal what the database already holds about the
// pool a restart has loaded, so that it writes changes relative to it.
func (j *Journal) Restored(s *pool.Saved, outputs map[pool.ID][]persist.Output) {
	for _, t := range s.Tasks {
		j.tasks[t.ID] = &record{
			flows: flows(t.Flows), outputs: outputs[t.ID], status: t.Status,
			submitNum: t.SubmitNum, retryAt: t.RetryAt, jobID: t.JobID,
			platform: t.Platform, runner: t.JobRunner,
		}
	}
}

// Write implements scheduler.Journal.
func (j *Journal) Write(batch []pool.Effect, done func(error)) {
	ops := make([]persist.Op, 0, 2*len(batch))
	now := j.now()
	for _, e := range batch {
		ops = j.appendOps(ops, e, now)
	}
	j.w.Submit(ops, done)
}

func flows(f pool.Flows) []int {
	out := make([]int, len(f))
	copy(out, f)
	return out
}

func (j *Journal) appendOps(ops []persist.Op, e pool.Effect, now time.Time) []persist.Op {
	switch e := e.(type) {
	case pool.TaskChanged:
		return j.taskChanged(ops, e, now)
	case pool.OutputCompleted:
		r := j.rec(e.ID)
		r.outputs = append(r.outputs, persist.Output{Trigger: e.Trigger, Message: e.Message})
		ops = append(ops, persist.SetTaskOutputs{
			Cycle: e.ID.Point, Name: e.ID.Name, FlowNums: flows(e.Flows),
			Outputs: slices.Clone(r.outputs),
		})
		return ops
	case pool.PrereqsSet:
		ps := make([]persist.Prereq, len(e.Atoms))
		for i, a := range e.Atoms {
			ps[i] = persist.Prereq{Cycle: a.Point, Name: a.Task, Output: a.Output, Satisfied: a.How}
		}
		return append(ops, persist.SetPrerequisites{Cycle: e.ID.Point, Name: e.ID.Name, FlowNums: flows(e.Flows), Prereqs: ps})
	case pool.FutureHold:
		if e.Held {
			return append(ops, persist.PutHold{Name: e.ID.Name, Cycle: e.ID.Point})
		}
		return append(ops, persist.DeleteHold{Name: e.ID.Name, Cycle: e.ID.Point})
	case pool.BroadcastChanged:
		for _, b := range e.Cancel {
			ops = append(ops, persist.DeleteBroadcast{Time: now, Broadcast: persist.Broadcast(b)})
		}
		for _, b := range e.Put {
			ops = append(ops, persist.PutBroadcast{Time: now, Broadcast: persist.Broadcast(b)})
		}
		return ops
	case pool.PrereqSatisfied:
		return append(ops, persist.SatisfyPrereq{
			Cycle: e.ID.Point, Name: e.ID.Name, FlowNums: flows(e.Flows),
			Prereq: persist.Prereq{Cycle: e.Atom.Point, Name: e.Atom.Task, Output: e.Atom.Output, Satisfied: e.Atom.How},
		})
	case pool.WorkflowParam:
		if e.Value == "" {
			return append(ops, persist.DeleteWorkflowParam{Key: e.Key})
		}
		return append(ops, persist.PutWorkflowParam{Key: e.Key, Value: e.Value})
	case pool.FlowStarted:
		return append(ops, persist.AddFlow{Num: e.Num, StartTime: e.Start, Description: e.Description})
	}
	return ops
}

func (j *Journal) rec(id pool.ID) *record {
	r := j.tasks[id]
	if r == nil {
		r = &record{}
		j.tasks[id] = r
	}
	return r
}

func (j *Journal) taskChanged(ops []persist.Op, e pool.TaskChanged, now time.Time) []persist.Op {
	c, n, fl := e.ID.Point, e.ID.Name, flows(e.Flows)
	r := j.tasks[e.ID]
	if e.Spawned || r == nil {
		r = &record{flows: fl, status: e.Status}
		j.tasks[e.ID] = r
		ops = append(ops,
			persist.InsertTaskState{Cycle: c, Name: n, FlowNums: fl, Time: now, SubmitNum: e.SubmitNum, Status: e.Status, FlowWait: e.FlowWait, IsManualSubmit: e.Manual},
			persist.UpsertTaskPool{Cycle: c, Name: n, FlowNums: fl, Status: e.Status, IsHeld: e.Held},
			persist.SetTaskOutputs{Cycle: c, Name: n, FlowNums: fl},
		)
		if e.Spawned {
			return ops
		}
	}
	if !slices.Equal(r.flows, fl) {
		// Flows merged: the instance's rows are keyed by its flows, so
		// they move to the new key.
		ops = append(ops,
			persist.DeleteTaskPool{Cycle: c, Name: n, FlowNums: r.flows},
			persist.InsertTaskState{Cycle: c, Name: n, FlowNums: fl, Time: now, SubmitNum: e.SubmitNum, Status: e.Status, FlowWait: e.FlowWait, IsManualSubmit: e.Manual},
			persist.SetTaskOutputs{Cycle: c, Name: n, FlowNums: fl, Outputs: slices.Clone(r.outputs)},
		)
		r.flows = fl
	}
	ops = j.jobOps(ops, r, e, now)
	ops = append(ops, persist.UpdateTaskState{Cycle: c, Name: n, FlowNums: fl, Time: now, SubmitNum: e.SubmitNum, Status: e.Status, FlowWait: e.FlowWait, IsManualSubmit: e.Manual})
	if e.Removed {
		delete(j.tasks, e.ID)
		if !r.retryAt.IsZero() {
			ops = append(ops, persist.DeleteTimer{Cycle: c, Name: n, CtxKey: RetryTimerKey})
		}
		return append(ops, persist.DeleteTaskPool{Cycle: c, Name: n, FlowNums: fl})
	}
	if !e.RetryAt.Equal(r.retryAt) {
		if e.RetryAt.IsZero() {
			ops = append(ops, persist.DeleteTimer{Cycle: c, Name: n, CtxKey: RetryTimerKey})
		} else {
			ops = append(ops, persist.PutTimer{Timer: persist.Timer{
				Cycle: c, Name: n, CtxKey: RetryTimerKey, Ctx: "null",
				Delay: e.RetryAt.Sub(now).Seconds(), Num: e.TryNum - 1, Timeout: e.RetryAt,
			}})
		}
		r.retryAt = e.RetryAt
	}
	return append(ops, persist.UpsertTaskPool{Cycle: c, Name: n, FlowNums: fl, Status: e.Status, IsHeld: e.Held})
}

// jobOps keeps task_jobs in step with the task's status: a row when a
// submit number is prepared, then its submission, start and end.
func (j *Journal) jobOps(ops []persist.Op, r *record, e pool.TaskChanged, now time.Time) []persist.Op {
	c, n := e.ID.Point, e.ID.Name
	if e.Status == task.Preparing && e.SubmitNum > r.submitNum {
		r.submitNum, r.jobID = e.SubmitNum, ""
		r.platform, r.runner = j.Platform, j.Runner
		ops = append(ops, persist.InsertTaskJob{
			Cycle: c, Name: n, SubmitNum: e.SubmitNum, FlowNums: flows(e.Flows), IsManualSubmit: e.Manual,
			TryNum: e.TryNum, TimeSubmit: now, Platform: j.Platform, JobRunner: j.Runner,
		})
	}
	upd := persist.UpdateTaskJob{Cycle: c, Name: n, SubmitNum: e.SubmitNum}
	if e.JobID != "" && e.JobID != r.jobID {
		r.jobID = e.JobID
		upd.Set |= persist.JobID
		upd.JobID = e.JobID
	}
	if e.Platform != "" && (e.Platform != r.platform || e.JobRunner != r.runner) {
		r.platform, r.runner = e.Platform, e.JobRunner
		upd.Set |= persist.JobPlatform | persist.JobRunner
		upd.Platform, upd.JobRunner = e.Platform, e.JobRunner
	}
	if e.Status != r.status {
		switch e.Status {
		case task.Submitted:
			upd.Set |= persist.JobSubmitStatus | persist.JobTimeSubmitExit
			upd.TimeSubmitExit = now
		case task.SubmitFailed:
			upd.Set |= persist.JobSubmitStatus | persist.JobTimeSubmitExit
			upd.SubmitStatus, upd.TimeSubmitExit = 1, now
		case task.Running:
			upd.Set |= persist.JobTimeRun
			upd.TimeRun = now
		case task.Succeeded:
			upd.Set |= persist.JobRunStatus | persist.JobTimeRunExit
			upd.TimeRunExit = now
		case task.Failed:
			upd.Set |= persist.JobRunStatus | persist.JobTimeRunExit
			upd.RunStatus, upd.TimeRunExit = 1, now
		case task.Waiting:
			if r.status == task.Running || r.status == task.Submitted {
				// A failed try, to be retried.
				upd.Set |= persist.JobRunStatus | persist.JobTimeRunExit
				upd.RunStatus, upd.TimeRunExit = 1, now
			}
		}
		r.status = e.Status
	}
	if upd.Set != 0 && e.SubmitNum > 0 {
		ops = append(ops, upd)
	}
	return ops
}
