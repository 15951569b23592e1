package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// poolQuery joins each pool row to the rows Cylc's restart reads with it
// (select_task_pool_for_restart): its state, late flag, timeout, outputs,
// and the job of its current submit number. Every join is on a primary key
// (an index), so the pass is linear in the pool's size.
const poolQuery = `SELECT
	p.cycle, p.name, p.flow_nums, p.status, p.is_held,
	s.submit_num, s.flow_wait, s.is_manual_submit, s.time_created, s.time_updated,
	l.value, t.timeout, o.outputs,
	j.submit_num, j.flow_nums, j.is_manual_submit, j.try_num, j.time_submit, j.time_submit_exit,
	j.submit_status, j.time_run, j.time_run_exit, j.run_signal, j.run_status,
	j.platform_name, j.job_runner_name, j.job_id
FROM task_pool p
LEFT JOIN task_states s ON s.name = p.name AND s.cycle = p.cycle AND s.flow_nums = p.flow_nums
LEFT JOIN task_late_flags l ON l.cycle = p.cycle AND l.name = p.name
LEFT JOIN task_timeout_timers t ON t.cycle = p.cycle AND t.name = p.name
LEFT JOIN task_outputs o ON o.cycle = p.cycle AND o.name = p.name AND o.flow_nums = p.flow_nums
LEFT JOIN task_jobs j ON j.cycle = p.cycle AND j.name = p.name AND j.submit_num = s.submit_num
ORDER BY p.cycle, p.name, p.flow_nums`

// Columns of poolQuery.
const (
	cCycle = iota
	cName
	cFlows
	cStatus
	cHeld
	cSubmitNum
	cFlowWait
	cManual
	cCreated
	cUpdated
	cLate
	cTimeout
	cOutputs
	cJSubmitNum
	cJFlows
	cJManual
	cJTry
	cJSubmit
	cJSubmitExit
	cJSubmitStatus
	cJRun
	cJRunExit
	cJSignal
	cJRunStatus
	cJPlatform
	cJRunner
	cJID
	numPoolCols
)

// poolRow holds one row of poolQuery as the driver returns it. Scanning
// into plain values and converting here, rather than through sql.Null*
// types, halves the cost of a restart's biggest query.
type poolRow [numPoolCols]any

func (l *loader) tasks() error {
	l.index = map[taskKey]int{}
	var r poolRow
	ptrs := make([]any, numPoolCols)
	for i := range r {
		ptrs[i] = &r[i]
	}
	return l.each("task_pool", poolQuery, func(rows *sql.Rows) error {
		if err := rows.Scan(ptrs...); err != nil {
			return dbError(l.path, "read task_pool", err)
		}
		pt, err := r.decode()
		if err != nil {
			return l.bad("task_pool", fmt.Sprintf("task %s/%s flows %s", text(r[cCycle]), text(r[cName]), text(r[cFlows])), err)
		}
		l.index[taskKey{pt.Cycle, pt.Name, text(r[cFlows])}] = len(l.snap.Tasks)
		l.snap.Tasks = append(l.snap.Tasks, pt)
		return nil
	})
}

// decode turns a pool row into a PoolTask, naming the column of the first
// value it cannot read.
func (r *poolRow) decode() (pt persist.PoolTask, err error) {
	d := rowDecoder{row: r[:]}
	pt.Cycle, pt.Name = text(r[cCycle]), text(r[cName])
	if pt.FlowNums, err = decodeFlowNums(text(r[cFlows])); err != nil {
		return pt, fmt.Errorf("flow_nums: %w", err)
	}
	status := text(r[cStatus])
	st, ok := task.ParseStatus(status)
	if !ok {
		return pt, fmt.Errorf("status: unknown task status %q (want one of waiting, expired, preparing, submit-failed, submitted, running, failed, succeeded)", status)
	}
	pt.Status = st
	pt.IsHeld = d.flag(cHeld, "is_held")
	pt.SubmitNum = d.int(cSubmitNum, "task_states.submit_num")
	pt.FlowWait = d.flag(cFlowWait, "task_states.flow_wait")
	pt.IsManualSubmit = d.flag(cManual, "task_states.is_manual_submit")
	pt.TimeCreated = d.time(cCreated, "task_states.time_created")
	pt.TimeUpdated = d.time(cUpdated, "task_states.time_updated")
	pt.IsLate = d.flag(cLate, "task_late_flags.value")
	if r[cTimeout] != nil {
		pt.Timeout = d.epoch(cTimeout, "task_timeout_timers.timeout")
	}
	if d.err != nil {
		return pt, d.err
	}
	if pt.Outputs, err = decodeOutputs(text(r[cOutputs])); err != nil {
		return pt, fmt.Errorf("task_outputs.%w", err)
	}
	if r[cJSubmitNum] != nil {
		if pt.Job, err = r.decodeJob(); err != nil {
			return pt, fmt.Errorf("task_jobs submit %v: %w", r[cJSubmitNum], err)
		}
	}
	return pt, nil
}

func (r *poolRow) decodeJob() (*persist.Job, error) {
	d := rowDecoder{row: r[:]}
	j := &persist.Job{
		SubmitNum:      d.int(cJSubmitNum, "submit_num"),
		IsManualSubmit: d.flag(cJManual, "is_manual_submit"),
		TryNum:         d.int(cJTry, "try_num"),
		TimeSubmit:     d.time(cJSubmit, "time_submit"),
		TimeSubmitExit: d.time(cJSubmitExit, "time_submit_exit"),
		SubmitStatus:   d.optInt(cJSubmitStatus, "submit_status"),
		TimeRun:        d.time(cJRun, "time_run"),
		TimeRunExit:    d.time(cJRunExit, "time_run_exit"),
		RunSignal:      text(r[cJSignal]),
		RunStatus:      d.optInt(cJRunStatus, "run_status"),
		Platform:       text(r[cJPlatform]),
		JobRunner:      text(r[cJRunner]),
		JobID:          text(r[cJID]),
	}
	if d.err != nil {
		return nil, d.err
	}
	if r[cJFlows] != nil {
		var err error
		if j.FlowNums, err = decodeFlowNums(text(r[cJFlows])); err != nil {
			return nil, fmt.Errorf("flow_nums: %w", err)
		}
	}
	return j, nil
}

// rowDecoder converts driver values, keeping the first error with the
// name of its column.
type rowDecoder struct {
	row []any
	err error
}

func (d *rowDecoder) fail(col string, err error) {
	if d.err == nil {
		d.err = fmt.Errorf("%s: %w", col, err)
	}
}

func (d *rowDecoder) int(i int, col string) int {
	n, _, err := integer(d.row[i])
	if err != nil {
		d.fail(col, err)
	}
	return n
}

func (d *rowDecoder) optInt(i int, col string) *int {
	n, ok, err := integer(d.row[i])
	if err != nil {
		d.fail(col, err)
	}
	if !ok {
		return nil
	}
	return &n
}

func (d *rowDecoder) flag(i int, col string) bool { return d.int(i, col) != 0 }

func (d *rowDecoder) time(i int, col string) time.Time {
	t, err := parseDBTime(text(d.row[i]))
	if err != nil {
		d.fail(col, err)
	}
	return t
}

func (d *rowDecoder) epoch(i int, col string) time.Time {
	var t time.Time
	var err error
	if f, ok := d.row[i].(float64); ok {
		t, err = epochTime(f)
	} else {
		t, err = parseEpoch(text(d.row[i]))
	}
	if err != nil {
		d.fail(col, err)
	}
	return t
}

// text is a driver value as text; NULL is "".
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return ""
}

// integer is a driver value as an int; ok is false for NULL. Cylc's
// INTEGER columns may hold text or booleans written by older versions.
func integer(v any) (n int, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int64:
		return int(x), true, nil
	case float64:
		return int(x), true, nil
	case bool:
		if x {
			return 1, true, nil
		}
		return 0, true, nil
	}
	s := text(v)
	i, perr := strconv.Atoi(strings.TrimSpace(s))
	if perr != nil {
		return 0, false, fmt.Errorf("%q is not an integer", s)
	}
	return i, true, nil
}
