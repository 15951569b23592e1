package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// LoadSnapshot reads everything a restart needs, as of the last commit, in
// one read transaction (so every table is seen at the same commit). Its
// cost is linear in the size of the pool: one pass over the pool joined to
// its per-task rows by key, and one pass over the prerequisites.
//
// A value that cannot be read (an unknown status, a malformed flow list)
// is an error naming the table, the task and the value: a restart must not
// guess.
func (s *Store) LoadSnapshot(ctx context.Context) (*persist.Snapshot, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError(s.path, "load", err)
	}
	defer tx.Rollback()
	l := loader{ctx: ctx, tx: tx, path: s.path, snap: &persist.Snapshot{}}
	for _, step := range []func() error{
		l.params, l.templateVars, l.flows, l.tasks, l.prereqs,
		l.timers, l.holds, l.broadcasts, l.xtriggers, l.absOutputs, l.history,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return l.snap, nil
}

type loader struct {
	ctx  context.Context
	tx   *sql.Tx
	path string
	snap *persist.Snapshot
	// index finds a pool task by cycle, name and flow text.
	index map[taskKey]int
}

type taskKey struct{ cycle, name, flows string }

// each runs query and calls scan for every row.
func (l *loader) each(table, query string, scan func(*sql.Rows) error) error {
	rows, err := l.tx.QueryContext(l.ctx, query)
	if err != nil {
		return dbError(l.path, "read "+table, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return dbError(l.path, "read "+table, err)
	}
	return nil
}

// bad reports an unreadable value.
func (l *loader) bad(table, row string, err error) error {
	return fmt.Errorf("run database %s: table %s, %s: %w", l.path, table, row, err)
}

func (l *loader) keyValues(table string) (map[string]string, error) {
	m := map[string]string{}
	err := l.each(table, `SELECT key, value FROM `+table, func(r *sql.Rows) error {
		var k string
		var v sql.NullString
		if err := r.Scan(&k, &v); err != nil {
			return dbError(l.path, "read "+table, err)
		}
		if v.Valid {
			m[k] = v.String
		}
		return nil
	})
	return m, err
}

func (l *loader) params() (err error) {
	l.snap.Params, err = l.keyValues("workflow_params")
	return err
}

func (l *loader) templateVars() (err error) {
	l.snap.TemplateVars, err = l.keyValues("workflow_template_vars")
	return err
}

func (l *loader) flows() error {
	return l.each("workflow_flows", `SELECT flow_num, start_time, description FROM workflow_flows ORDER BY flow_num`, func(r *sql.Rows) error {
		var f persist.Flow
		var start, descr sql.NullString
		if err := r.Scan(&f.Num, &start, &descr); err != nil {
			return dbError(l.path, "read workflow_flows", err)
		}
		t, err := parseDBTime(start.String)
		if err != nil {
			return l.bad("workflow_flows", fmt.Sprintf("flow %d, start_time", f.Num), err)
		}
		f.StartTime, f.Description = t, descr.String
		l.snap.Flows = append(l.snap.Flows, f)
		return nil
	})
}

// prereqs attaches the prerequisites to their pool tasks. Rows of tasks
// no longer in the pool are left out, as Cylc only reads those of pool tasks.
func (l *loader) prereqs() error {
	// Table order (rowid) is the order SetPrerequisites wrote them in, and
	// scanning the table is cheaper than walking its primary-key index.
	const q = `SELECT cycle, name, flow_nums, prereq_name, prereq_cycle, prereq_output, satisfied
		FROM task_prerequisites`
	var k taskKey
	return l.each("task_prerequisites", q, func(r *sql.Rows) error {
		var p persist.Prereq
		var sat sql.NullString
		if err := r.Scan(&k.cycle, &k.name, &k.flows, &p.Name, &p.Cycle, &p.Output, &sat); err != nil {
			return dbError(l.path, "read task_prerequisites", err)
		}
		i, ok := l.index[k]
		if !ok {
			return nil
		}
		// Cylc writes False as 0 and True (satisfied xtriggers) as 1.
		switch sat.String {
		case "0", "":
		case "1":
			p.Satisfied = "satisfied naturally"
		default:
			p.Satisfied = sat.String
		}
		l.snap.Tasks[i].Prereqs = append(l.snap.Tasks[i].Prereqs, p)
		return nil
	})
}

func (l *loader) timers() error {
	const q = `SELECT cycle, name, ctx_key, ctx, delays, num, delay, timeout FROM task_action_timers ORDER BY cycle, name, ctx_key`
	return l.each("task_action_timers", q, func(r *sql.Rows) error {
		var t persist.Timer
		var ctxv, delays, delay, timeout sql.NullString
		var num sql.NullInt64
		if err := r.Scan(&t.Cycle, &t.Name, &t.CtxKey, &ctxv, &delays, &num, &delay, &timeout); err != nil {
			return dbError(l.path, "read task_action_timers", err)
		}
		where := fmt.Sprintf("timer %s of %s/%s", t.CtxKey, t.Cycle, t.Name)
		var err error
		if t.Delays, err = decodeDelays(delays.String); err != nil {
			return l.bad("task_action_timers", where, err)
		}
		if delay.Valid && delay.String != "" {
			if t.Delay, err = strconv.ParseFloat(delay.String, 64); err != nil {
				return l.bad("task_action_timers", where, fmt.Errorf("delay %q is not a number", delay.String))
			}
		}
		if t.Timeout, err = parseEpoch(timeout.String); err != nil {
			return l.bad("task_action_timers", where, err)
		}
		t.Ctx = ctxv.String
		if !ctxv.Valid {
			t.Ctx = "null"
		}
		t.Num = int(num.Int64)
		l.snap.Timers = append(l.snap.Timers, t)
		return nil
	})
}

func (l *loader) holds() error {
	return l.each("tasks_to_hold", `SELECT DISTINCT name, cycle FROM tasks_to_hold ORDER BY cycle, name`, func(r *sql.Rows) error {
		var h persist.TaskRef
		if err := r.Scan(&h.Name, &h.Cycle); err != nil {
			return dbError(l.path, "read tasks_to_hold", err)
		}
		l.snap.Holds = append(l.snap.Holds, h)
		return nil
	})
}

func (l *loader) broadcasts() error {
	const q = `SELECT point, namespace, key, value FROM broadcast_states ORDER BY point, namespace, key`
	return l.each("broadcast_states", q, func(r *sql.Rows) error {
		var b persist.Broadcast
		var v sql.NullString
		if err := r.Scan(&b.Point, &b.Namespace, &b.Key, &v); err != nil {
			return dbError(l.path, "read broadcast_states", err)
		}
		b.Value = v.String
		l.snap.Broadcasts = append(l.snap.Broadcasts, b)
		return nil
	})
}

func (l *loader) xtriggers() error {
	l.snap.Xtriggers = map[string]string{}
	return l.each("xtriggers", `SELECT signature, results FROM xtriggers`, func(r *sql.Rows) error {
		var sig string
		var res sql.NullString
		if err := r.Scan(&sig, &res); err != nil {
			return dbError(l.path, "read xtriggers", err)
		}
		l.snap.Xtriggers[sig] = res.String
		return nil
	})
}

func (l *loader) absOutputs() error {
	const q = `SELECT DISTINCT cycle, name, output FROM absolute_outputs ORDER BY cycle, name, output`
	return l.each("absolute_outputs", q, func(r *sql.Rows) error {
		var a persist.AbsOutput
		if err := r.Scan(&a.Cycle, &a.Name, &a.Output); err != nil {
			return dbError(l.path, "read absolute_outputs", err)
		}
		l.snap.AbsOutputs = append(l.snap.AbsOutputs, a)
		return nil
	})
}

// history reads the instances that have left the pool: every task_states
// row without a task_pool row, with its outputs.
func (l *loader) history() error {
	const q = `SELECT s.cycle, s.name, s.flow_nums, s.status, s.submit_num, s.flow_wait, o.outputs
		FROM task_states s
		LEFT JOIN task_outputs o ON o.cycle = s.cycle AND o.name = s.name AND o.flow_nums = s.flow_nums
		WHERE NOT EXISTS (SELECT 1 FROM task_pool p WHERE p.cycle = s.cycle AND p.name = s.name AND p.flow_nums = s.flow_nums)`
	return l.each("task_states", q, func(r *sql.Rows) error {
		var h persist.HistTask
		var flows, status string
		var outs sql.NullString
		var submitNum, flowWait sql.NullInt64
		if err := r.Scan(&h.Cycle, &h.Name, &flows, &status, &submitNum, &flowWait, &outs); err != nil {
			return dbError(l.path, "read task_states", err)
		}
		where := fmt.Sprintf("task %s/%s flows %s", h.Cycle, h.Name, flows)
		var err error
		if h.FlowNums, err = decodeFlowNums(flows); err != nil {
			return l.bad("task_states", where, fmt.Errorf("flow_nums: %w", err))
		}
		st, ok := task.ParseStatus(status)
		if !ok {
			return l.bad("task_states", where, fmt.Errorf("status: unknown task status %q", status))
		}
		h.Status = st
		h.SubmitNum, h.FlowWait = int(submitNum.Int64), flowWait.Int64 != 0
		if h.Outputs, err = decodeOutputs(outs.String); err != nil {
			return l.bad("task_outputs", where, err)
		}
		l.snap.History = append(l.snap.History, h)
		return nil
	})
}
