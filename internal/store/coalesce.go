package store

import "gyre/internal/store/persist"

// Coalescing. A group commits atomically, so nobody ever sees the state
// between two of its ops. An op whose every write a later op of the same
// group overwrites can therefore be skipped without changing what the
// commit leaves behind. In simulation mode a task often passes through
// several states within one group (spawned, preparing, submitted, running,
// succeeded, removed); its pool row, state row and outputs are then written
// once, not five times, which is what lets persistence keep up with the
// scheduler.
//
// The rules are deliberately few and exact (TestCoalescingPreservesResult
// checks them against applying every op):
//   - UpsertTaskPool: overwritten by a later UpsertTaskPool or
//     DeleteTaskPool of the same instance (cycle, name, flows).
//   - InsertTaskState: by a later InsertTaskState (a full replace).
//   - UpdateTaskState: by a later UpdateTaskState or InsertTaskState (both
//     set every column an update sets).
//   - SetTaskOutputs: by a later SetTaskOutputs.
//   - SetPrerequisites: by a later SetPrerequisites or DeleteTaskPool (both
//     delete the instance's prerequisites first).
//   - PutTaskTimeout, DeleteTaskTimeout: by a later PutTaskTimeout,
//     DeleteTaskTimeout, or DeleteTaskPool of the same cycle and name.
//   - InsertTaskJob, UpdateTaskJob: by a later InsertTaskJob of the same
//     job (it replaces the whole row).
//   - UpdateTaskJob followed by another UpdateTaskJob of the same job, with
//     no InsertTaskJob between: the earlier one's columns that the later
//     one does not set are merged into the later one, and the earlier one
//     is skipped. Nothing reads task_jobs between them, so writing the
//     columns at the later position leaves the same row.
//
// Other ops are always applied. A skipped op is not checked either: an
// invalid op that a later one overwrites does not fail the group.

type jobKey struct {
	cycle, name string
	submit      int
}

type jobTarget struct {
	index int // flat index in the group
	op    persist.UpdateTaskJob
}

type instKey struct {
	kind        uint8
	cycle, name string
	flows       string // "" for keys by cycle and name only
}

// What a later op has already written, per key kind.
const (
	wrotePool uint8 = iota
	wroteStateRow
	wroteStateCols
	wroteOutputs
	wrotePrereqs
	wroteTimeout
)

// coalescer remembers, scanning a group backwards, what later ops write.
// It is reused from one group to the next.
type coalescer struct {
	later map[instKey]struct{}
	skip  []bool
	// jobInserted holds the jobs a later InsertTaskJob replaces.
	jobInserted map[jobKey]struct{}
	// jobUpdate is, per job, the latest UpdateTaskJob: the one earlier
	// updates merge into (unless an InsertTaskJob lies between, which makes
	// them moot).
	jobUpdate map[jobKey]jobTarget
	// merged holds the merged UpdateTaskJob to apply in place of the op at
	// a flat index.
	merged map[int]persist.UpdateTaskJob
}

// plan returns which ops of group (flattened in order) to skip, and the
// merged job updates to apply in place of some. Both are reused by the
// next call.
func (c *coalescer) plan(group []pending, nops int) (skip []bool, merged map[int]persist.UpdateTaskJob) {
	if c.later == nil {
		c.later = map[instKey]struct{}{}
		c.jobInserted = map[jobKey]struct{}{}
		c.jobUpdate = map[jobKey]jobTarget{}
		c.merged = map[int]persist.UpdateTaskJob{}
	}
	clear(c.later)
	clear(c.jobInserted)
	clear(c.jobUpdate)
	clear(c.merged)
	c.skip = append(c.skip[:0], make([]bool, nops)...)
	f := nops
	for i := len(group) - 1; i >= 0; i-- {
		ops := group[i].ops
		for j := len(ops) - 1; j >= 0; j-- {
			f--
			c.skip[f] = c.overwritten(ops[j], f)
		}
	}
	return c.skip, c.merged
}

// overwritten reports whether a later op overwrites all op writes, and
// records what op writes for the ops before it.
func (c *coalescer) overwritten(op persist.Op, f int) bool {
	switch o := op.(type) {
	case persist.InsertTaskJob:
		k := jobKey{o.Cycle, o.Name, o.SubmitNum}
		if _, ok := c.jobInserted[k]; ok {
			return true
		}
		c.jobInserted[k] = struct{}{}
		return false
	case persist.UpdateTaskJob:
		k := jobKey{o.Cycle, o.Name, o.SubmitNum}
		if _, ok := c.jobInserted[k]; ok {
			return true
		}
		if o.Set&^allJobFields != 0 {
			return false // invalid: leave it to fail where it stands
		}
		t, ok := c.jobUpdate[k]
		if !ok {
			c.jobUpdate[k] = jobTarget{index: f, op: o}
			return false
		}
		t.op = mergeJobUpdate(t.op, o)
		c.jobUpdate[k] = t
		c.merged[t.index] = t.op
		return true
	case persist.UpsertTaskPool:
		return c.see(instKey{wrotePool, o.Cycle, o.Name, encodeFlowNums(o.FlowNums)})
	case persist.DeleteTaskPool:
		flows := encodeFlowNums(o.FlowNums)
		c.see(instKey{wrotePool, o.Cycle, o.Name, flows})
		c.see(instKey{wrotePrereqs, o.Cycle, o.Name, flows})
		c.see(instKey{wroteTimeout, o.Cycle, o.Name, ""})
		return false // it also deletes what no single later op would
	case persist.InsertTaskState:
		flows := encodeFlowNums(o.FlowNums)
		c.see(instKey{wroteStateCols, o.Cycle, o.Name, flows})
		return c.see(instKey{wroteStateRow, o.Cycle, o.Name, flows})
	case persist.UpdateTaskState:
		return c.see(instKey{wroteStateCols, o.Cycle, o.Name, encodeFlowNums(o.FlowNums)})
	case persist.SetTaskOutputs:
		return c.see(instKey{wroteOutputs, o.Cycle, o.Name, encodeFlowNums(o.FlowNums)})
	case persist.SetPrerequisites:
		return c.see(instKey{wrotePrereqs, o.Cycle, o.Name, encodeFlowNums(o.FlowNums)})
	case persist.PutTaskTimeout:
		return c.see(instKey{wroteTimeout, o.Cycle, o.Name, ""})
	case persist.DeleteTaskTimeout:
		return c.see(instKey{wroteTimeout, o.Cycle, o.Name, ""})
	}
	return false
}

// see records k and reports whether it was already recorded.
func (c *coalescer) see(k instKey) bool {
	if _, ok := c.later[k]; ok {
		return true
	}
	c.later[k] = struct{}{}
	return false
}

// mergeJobUpdate adds to later the columns earlier sets and later does not.
func mergeJobUpdate(later, earlier persist.UpdateTaskJob) persist.UpdateTaskJob {
	add := earlier.Set &^ later.Set
	if add&persist.JobTimeSubmit != 0 {
		later.TimeSubmit = earlier.TimeSubmit
	}
	if add&persist.JobTimeSubmitExit != 0 {
		later.TimeSubmitExit = earlier.TimeSubmitExit
	}
	if add&persist.JobSubmitStatus != 0 {
		later.SubmitStatus = earlier.SubmitStatus
	}
	if add&persist.JobTimeRun != 0 {
		later.TimeRun = earlier.TimeRun
	}
	if add&persist.JobTimeRunExit != 0 {
		later.TimeRunExit = earlier.TimeRunExit
	}
	if add&persist.JobRunSignal != 0 {
		later.RunSignal = earlier.RunSignal
	}
	if add&persist.JobRunStatus != 0 {
		later.RunStatus = earlier.RunStatus
	}
	if add&persist.JobPlatform != 0 {
		later.Platform = earlier.Platform
	}
	if add&persist.JobRunner != 0 {
		later.JobRunner = earlier.JobRunner
	}
	if add&persist.JobID != 0 {
		later.JobID = earlier.JobID
	}
	if add&persist.JobFlowNums != 0 {
		later.FlowNums = earlier.FlowNums
	}
	later.Set |= add
	return later
}
