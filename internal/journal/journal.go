// Package journal turns the pool's state-change effects into database
// operations and hands them to the store's writer. It is the scheduler's
// Journal: a batch is committed in one transaction, and the scheduler
// releases the job submissions that depend on it only from the commit
// callback, so a restart always finds a record of any job that may exist.
package journal

import (
	"time"

	"gyre/internal/pool"
	"gyre/internal/store/persist"
)

// Writer is the part of the store's writer the journal uses.
type Writer interface {
	Submit(batch []persist.Op, done func(error))
}

// Journal keeps, per task instance in the pool, the outputs completed so
// far (the task_outputs row holds them all), and the clock for timestamps.
type Journal struct {
	w       Writer
	now     func() time.Time
	outputs map[pool.ID][]persist.Output
}

// New makes a journal writing through w; now stamps the rows.
func New(w Writer, now func() time.Time) *Journal {
	return &Journal{w: w, now: now, outputs: map[pool.ID][]persist.Output{}}
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
		c, n, fl := e.ID.Point, e.ID.Name, flows(e.Flows)
		if e.Spawned {
			j.outputs[e.ID] = nil
			return append(ops,
				persist.InsertTaskState{Cycle: c, Name: n, FlowNums: fl, Time: now, SubmitNum: e.SubmitNum, Status: e.Status},
				persist.UpsertTaskPool{Cycle: c, Name: n, FlowNums: fl, Status: e.Status, IsHeld: e.Held},
				persist.SetTaskOutputs{Cycle: c, Name: n, FlowNums: fl},
			)
		}
		ops = append(ops, persist.UpdateTaskState{Cycle: c, Name: n, FlowNums: fl, Time: now, SubmitNum: e.SubmitNum, Status: e.Status})
		if e.Removed {
			delete(j.outputs, e.ID)
			return append(ops, persist.DeleteTaskPool{Cycle: c, Name: n, FlowNums: fl})
		}
		return append(ops, persist.UpsertTaskPool{Cycle: c, Name: n, FlowNums: fl, Status: e.Status, IsHeld: e.Held})
	case pool.OutputCompleted:
		outs := append(j.outputs[e.ID], persist.Output{Trigger: e.Trigger, Message: e.Message})
		j.outputs[e.ID] = outs
		return append(ops, persist.SetTaskOutputs{
			Cycle: e.ID.Point, Name: e.ID.Name, FlowNums: flows(e.Flows),
			Outputs: append([]persist.Output(nil), outs...),
		})
	}
	return ops
}
