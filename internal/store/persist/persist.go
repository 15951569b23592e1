// Package persist is the vocabulary of Gyre's run database: the write
// operations the scheduler journals ("persist" effects) and the rows a
// restart reads back (Snapshot).
//
// It is plain data with no behaviour, kept apart from package store so that
// the functional core (pool) can build these values without importing
// database/sql: the layering test forbids that for pure packages. Package
// store turns each Op into SQL against Cylc's tables, so every field maps to
// one column of Cylc 8's run database, named as Cylc names it.
//
// Conventions shared by every type here:
//   - Cycle is the cycle point as Cylc writes it (str(point)).
//   - FlowNums is the set of flow numbers, sorted ascending; nil or empty is
//     the "none" flow. It is stored as Cylc's JSON ("[1, 2]").
//   - A zero time.Time is stored as NULL. Times keep the location they carry:
//     pass UTC times in UTC mode, as Cylc writes "Z" times then.
package persist

// Op is one write to the run database. Ops are applied in order, and a batch
// of ops is applied atomically: all of it or none of it. The set of Op types
// is closed; package store applies each of them.
type Op interface{ isOp() }

func (PutWorkflowParam) isOp()    {}
func (DeleteWorkflowParam) isOp() {}
func (PutTemplateVar) isOp()      {}
func (AddFlow) isOp()             {}
func (PutInheritance) isOp()      {}
func (UpsertTaskPool) isOp()      {}
func (DeleteTaskPool) isOp()      {}
func (InsertTaskState) isOp()     {}
func (UpdateTaskState) isOp()     {}
func (SetTaskOutputs) isOp()      {}
func (SetPrerequisites) isOp()    {}
func (SatisfyPrereq) isOp()       {}
func (InsertTaskJob) isOp()       {}
func (UpdateTaskJob) isOp()       {}
func (InsertTaskEvent) isOp()     {}
func (PutLateFlag) isOp()         {}
func (PutTaskTimeout) isOp()      {}
func (DeleteTaskTimeout) isOp()   {}
func (PutTimer) isOp()            {}
func (DeleteTimer) isOp()         {}
func (PutHold) isOp()             {}
func (DeleteHold) isOp()          {}
func (PutBroadcast) isOp()        {}
func (DeleteBroadcast) isOp()     {}
func (PutXtrigger) isOp()         {}
func (DeleteXtrigger) isOp()      {}
func (PutAbsOutput) isOp()        {}
