package store

import (
	"database/sql"
	"fmt"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// stmtID names a statement the writer prepares once and reuses.
type stmtID int

const (
	sPutParam stmtID = iota
	sDeleteParam
	sPutTemplateVar
	sAddFlow
	sPutInheritance
	sUpsertPool
	sDeletePool
	sDeletePrereqs
	sDeleteTimeout
	sInsertState
	sUpdateState
	sSetOutputs
	sInsertPrereq
	sInsertJob
	sUpdateJob
	sInsertEvent
	sPutLateFlag
	sPutTimeout
	sPutTimer
	sDeleteTimer
	sPutHold
	sDeleteHold
	sPutBroadcast
	sDeleteBroadcast
	sBroadcastEvent
	sPutXtrigger
	sDeleteXtrigger
	sPutAbsOutput
	sSatisfyPrereq
	numStmts
)

// stmtSQL follows Cylc's writes (workflow_db_mgr.py): INSERT OR REPLACE
// keyed on each table's primary key, UPDATE and DELETE by that key. The
// two tables without a key are given "insert if absent" semantics.
var stmtSQL = [numStmts]string{
	sPutParam:       `INSERT OR REPLACE INTO workflow_params(key, value) VALUES(?, ?)`,
	sDeleteParam:    `DELETE FROM workflow_params WHERE key = ?`,
	sPutTemplateVar: `INSERT OR REPLACE INTO workflow_template_vars(key, value) VALUES(?, ?)`,
	sAddFlow:        `INSERT OR REPLACE INTO workflow_flows(flow_num, start_time, description) VALUES(?, ?, ?)`,
	sPutInheritance: `INSERT OR REPLACE INTO inheritance(namespace, inheritance) VALUES(?, ?)`,
	sUpsertPool:     `INSERT OR REPLACE INTO task_pool(cycle, name, flow_nums, status, is_held) VALUES(?, ?, ?, ?, ?)`,
	sDeletePool:     `DELETE FROM task_pool WHERE cycle = ? AND name = ? AND flow_nums = ?`,
	sDeletePrereqs:  `DELETE FROM task_prerequisites WHERE cycle = ? AND name = ? AND flow_nums = ?`,
	sDeleteTimeout:  `DELETE FROM task_timeout_timers WHERE cycle = ? AND name = ?`,
	sInsertState: `INSERT OR REPLACE INTO task_states(name, cycle, flow_nums, time_created, time_updated,
		submit_num, status, flow_wait, is_manual_submit) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	sUpdateState: `UPDATE task_states SET time_updated = ?, submit_num = ?, status = ?, flow_wait = ?,
		is_manual_submit = ? WHERE name = ? AND cycle = ? AND flow_nums = ?`,
	sSetOutputs:    `INSERT OR REPLACE INTO task_outputs(cycle, name, flow_nums, outputs) VALUES(?, ?, ?, ?)`,
	sSatisfyPrereq: `UPDATE task_prerequisites SET satisfied = ? WHERE cycle = ? AND name = ? AND flow_nums = ? AND prereq_name = ? AND prereq_cycle = ? AND prereq_output = ?`,
	sInsertPrereq:  `INSERT OR REPLACE INTO task_prerequisites(cycle, name, flow_nums, prereq_name, prereq_cycle, prereq_output, satisfied) VALUES(?, ?, ?, ?, ?, ?, ?)`,
	sInsertJob: `INSERT OR REPLACE INTO task_jobs(cycle, name, submit_num, flow_nums, is_manual_submit, try_num,
		time_submit, platform_name, job_runner_name, job_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	// One statement for every combination of columns: ?1 is the
	// persist.JobFields mask, and a column keeps its value unless its bit
	// is set.
	sUpdateJob: `UPDATE task_jobs SET
		time_submit      = iif(?1 & 1,    ?2,  time_submit),
		time_submit_exit = iif(?1 & 2,    ?3,  time_submit_exit),
		submit_status    = iif(?1 & 4,    ?4,  submit_status),
		time_run         = iif(?1 & 8,    ?5,  time_run),
		time_run_exit    = iif(?1 & 16,   ?6,  time_run_exit),
		run_signal       = iif(?1 & 32,   ?7,  run_signal),
		run_status       = iif(?1 & 64,   ?8,  run_status),
		platform_name    = iif(?1 & 128,  ?9,  platform_name),
		job_runner_name  = iif(?1 & 256,  ?10, job_runner_name),
		job_id           = iif(?1 & 512,  ?11, job_id),
		flow_nums        = iif(?1 & 1024, ?12, flow_nums)
		WHERE cycle = ?13 AND name = ?14 AND submit_num = ?15`,
	sInsertEvent:     `INSERT INTO task_events(name, cycle, time, submit_num, event, message) VALUES(?, ?, ?, ?, ?, ?)`,
	sPutLateFlag:     `INSERT OR REPLACE INTO task_late_flags(cycle, name, value) VALUES(?, ?, 1)`,
	sPutTimeout:      `INSERT OR REPLACE INTO task_timeout_timers(cycle, name, timeout) VALUES(?, ?, ?)`,
	sPutTimer:        `INSERT OR REPLACE INTO task_action_timers(cycle, name, ctx_key, ctx, delays, num, delay, timeout) VALUES(?, ?, ?, ?, ?, ?, ?, ?)`,
	sDeleteTimer:     `DELETE FROM task_action_timers WHERE cycle = ? AND name = ? AND ctx_key = ?`,
	sPutHold:         `INSERT INTO tasks_to_hold(name, cycle) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM tasks_to_hold WHERE name = ?1 AND cycle = ?2)`,
	sDeleteHold:      `DELETE FROM tasks_to_hold WHERE name = ? AND cycle = ?`,
	sPutBroadcast:    `INSERT OR REPLACE INTO broadcast_states(point, namespace, key, value) VALUES(?, ?, ?, ?)`,
	sDeleteBroadcast: `DELETE FROM broadcast_states WHERE point = ? AND namespace = ? AND key = ?`,
	sBroadcastEvent:  `INSERT INTO broadcast_events(time, change, point, namespace, key, value) VALUES(?, ?, ?, ?, ?, ?)`,
	sPutXtrigger:     `INSERT OR REPLACE INTO xtriggers(signature, results) VALUES(?, ?)`,
	sDeleteXtrigger:  `DELETE FROM xtriggers WHERE signature = ?`,
	sPutAbsOutput: `INSERT INTO absolute_outputs(cycle, name, output) SELECT ?1, ?2, ?3
		WHERE NOT EXISTS (SELECT 1 FROM absolute_outputs WHERE cycle = ?1 AND name = ?2 AND output = ?3)`,
}

// allJobFields has every defined persist.JobFields bit.
const allJobFields = persist.JobFlowNums<<1 - 1

// txn is one group commit's transaction, with the writer's prepared
// statements bound to it as they are first used.
type txn struct {
	tx       *sql.Tx
	prepared *[numStmts]*sql.Stmt
	bound    [numStmts]*sql.Stmt
}

func (t *txn) exec(id stmtID, args ...any) error {
	st := t.bound[id]
	if st == nil {
		st = t.tx.Stmt(t.prepared[id])
		t.bound[id] = st
	}
	_, err := st.Exec(args...)
	return err
}

// apply writes one op. Ops arrive by value, as the pool emits them.
func (t *txn) apply(op persist.Op) error {
	switch o := op.(type) {
	case persist.PutWorkflowParam:
		return t.exec(sPutParam, o.Key, o.Value)
	case persist.DeleteWorkflowParam:
		return t.exec(sDeleteParam, o.Key)
	case persist.PutTemplateVar:
		return t.exec(sPutTemplateVar, o.Key, o.Value)
	case persist.AddFlow:
		return t.exec(sAddFlow, o.Num, dbTime(o.StartTime, layoutIsoTime), o.Description)
	case persist.PutInheritance:
		return t.exec(sPutInheritance, o.Namespace, encodeStrings(o.Ancestors))

	case persist.UpsertTaskPool:
		st, err := statusText(o.Status)
		if err != nil {
			return err
		}
		return t.exec(sUpsertPool, o.Cycle, o.Name, encodeFlowNums(o.FlowNums), st, dbBool(o.IsHeld))
	case persist.DeleteTaskPool:
		flows := encodeFlowNums(o.FlowNums)
		if err := t.exec(sDeletePool, o.Cycle, o.Name, flows); err != nil {
			return err
		}
		if err := t.exec(sDeletePrereqs, o.Cycle, o.Name, flows); err != nil {
			return err
		}
		return t.exec(sDeleteTimeout, o.Cycle, o.Name)
	case persist.InsertTaskState:
		st, err := statusText(o.Status)
		if err != nil {
			return err
		}
		now := dbTime(o.Time, layoutTime)
		return t.exec(sInsertState, o.Name, o.Cycle, encodeFlowNums(o.FlowNums), now, now,
			o.SubmitNum, st, dbBool(o.FlowWait), dbBool(o.IsManualSubmit))
	case persist.UpdateTaskState:
		st, err := statusText(o.Status)
		if err != nil {
			return err
		}
		return t.exec(sUpdateState, dbTime(o.Time, layoutTime), o.SubmitNum, st,
			dbBool(o.FlowWait), dbBool(o.IsManualSubmit), o.Name, o.Cycle, encodeFlowNums(o.FlowNums))
	case persist.SetTaskOutputs:
		return t.exec(sSetOutputs, o.Cycle, o.Name, encodeFlowNums(o.FlowNums), encodeOutputs(o.Outputs))
	case persist.SetPrerequisites:
		flows := encodeFlowNums(o.FlowNums)
		if err := t.exec(sDeletePrereqs, o.Cycle, o.Name, flows); err != nil {
			return err
		}
		for _, p := range o.Prereqs {
			// Cylc stores an unsatisfied prerequisite as False, which the
			// TEXT column turns into '0'.
			sat := p.Satisfied
			if sat == "" {
				sat = "0"
			}
			if err := t.exec(sInsertPrereq, o.Cycle, o.Name, flows, p.Name, p.Cycle, p.Output, sat); err != nil {
				return err
			}
		}
		return nil
	case persist.SatisfyPrereq:
		sat := o.Prereq.Satisfied
		if sat == "" {
			sat = "0"
		}
		return t.exec(sSatisfyPrereq, sat, o.Cycle, o.Name, encodeFlowNums(o.FlowNums), o.Prereq.Name, o.Prereq.Cycle, o.Prereq.Output)
	case persist.InsertTaskEvent:
		return t.exec(sInsertEvent, o.Name, o.Cycle, dbTime(o.Time, layoutTime), o.SubmitNum, o.Event, o.Message)
	case persist.PutLateFlag:
		return t.exec(sPutLateFlag, o.Cycle, o.Name)
	case persist.PutTaskTimeout:
		return t.exec(sPutTimeout, o.Cycle, o.Name, dbEpoch(o.Timeout))
	case persist.DeleteTaskTimeout:
		return t.exec(sDeleteTimeout, o.Cycle, o.Name)
	case persist.PutAbsOutput:
		return t.exec(sPutAbsOutput, o.Cycle, o.Name, o.Output)

	case persist.InsertTaskJob:
		return t.exec(sInsertJob, o.Cycle, o.Name, o.SubmitNum, encodeFlowNums(o.FlowNums), dbBool(o.IsManualSubmit),
			o.TryNum, dbTime(o.TimeSubmit, layoutTime), o.Platform, o.JobRunner, nullString(o.JobID))
	case persist.UpdateTaskJob:
		if o.Set&^allJobFields != 0 {
			return fmt.Errorf("unknown JobFields bits %#x", uint16(o.Set))
		}
		return t.exec(sUpdateJob, int(o.Set),
			dbTime(o.TimeSubmit, layoutTime), dbTime(o.TimeSubmitExit, layoutTime), o.SubmitStatus,
			dbTime(o.TimeRun, layoutTime), dbTime(o.TimeRunExit, layoutTime), nullString(o.RunSignal), o.RunStatus,
			o.Platform, o.JobRunner, nullString(o.JobID), encodeFlowNums(o.FlowNums),
			o.Cycle, o.Name, o.SubmitNum)

	case persist.PutTimer:
		tm := o.Timer
		return t.exec(sPutTimer, tm.Cycle, tm.Name, tm.CtxKey, nullString(tm.Ctx), encodeDelays(tm.Delays),
			tm.Num, tm.Delay, dbEpoch(tm.Timeout))
	case persist.DeleteTimer:
		return t.exec(sDeleteTimer, o.Cycle, o.Name, o.CtxKey)
	case persist.PutHold:
		return t.exec(sPutHold, o.Name, o.Cycle)
	case persist.DeleteHold:
		return t.exec(sDeleteHold, o.Name, o.Cycle)
	case persist.PutBroadcast:
		b := o.Broadcast
		if err := t.exec(sPutBroadcast, b.Point, b.Namespace, b.Key, b.Value); err != nil {
			return err
		}
		return t.exec(sBroadcastEvent, dbTime(o.Time, layoutTimeUsec), "+", b.Point, b.Namespace, b.Key, b.Value)
	case persist.DeleteBroadcast:
		b := o.Broadcast
		if err := t.exec(sDeleteBroadcast, b.Point, b.Namespace, b.Key); err != nil {
			return err
		}
		return t.exec(sBroadcastEvent, dbTime(o.Time, layoutTimeUsec), "-", b.Point, b.Namespace, b.Key, b.Value)
	case persist.PutXtrigger:
		return t.exec(sPutXtrigger, o.Signature, o.Results)
	case persist.DeleteXtrigger:
		return t.exec(sDeleteXtrigger, o.Signature)
	}
	return fmt.Errorf("unknown operation type %T (ops are passed by value, e.g. persist.UpsertTaskPool{...})", op)
}

// statusText is a status's name, refusing values that are not a status: a
// restart could not read them back.
func statusText(s task.Status) (string, error) {
	name := s.String()
	if _, ok := task.ParseStatus(name); !ok {
		return "", fmt.Errorf("invalid task status %d", uint8(s))
	}
	return name, nil
}

// nullString stores an unset string as NULL, as Cylc's None.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// label names an op in error messages, with its values: the offending row.
func label(op persist.Op) string {
	s := fmt.Sprintf("%T%+v", op, op)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
