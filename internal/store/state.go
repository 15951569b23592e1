package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gyre/internal/store/persist"
	"gyre/internal/suggest"
	"gyre/internal/task"
)

// SelectBy says what a StateQuery's Selector matches, as the options of
// `cylc workflow-state` do.
type SelectBy uint8

const (
	// ByStatus matches the task status (the default).
	ByStatus SelectBy = iota
	// ByTrigger matches completed output trigger names (--triggers);
	// "finished" (or "finish") matches succeeded or failed.
	ByTrigger
	// ByMessage matches completed output messages (--messages).
	ByMessage
)

// StateQuery asks what `cylc workflow-state WORKFLOW//CYCLE/TASK:SELECTOR`
// asks of another run's database.
type StateQuery struct {
	// Task and Cycle select task instances; "*" matches any run of
	// characters, empty matches all. Cycle must be written as the database
	// writes points (see the cycle_point_format parameter).
	Task  string
	Cycle string
	// Selector, if not empty, is a final status, a trigger name or a
	// message, according to By.
	Selector string
	By       SelectBy
	// Flow, if not 0, keeps only instances belonging to this flow.
	Flow int
}

// TaskState is one matching task instance.
type TaskState struct {
	Name  string
	Cycle string
	// Status is the instance's status (status queries).
	Status string
	// Outputs are its completed outputs (trigger and message queries).
	Outputs  []persist.Output
	FlowNums []int
}

// WorkflowState answers q as Cylc's workflow-state does: status queries
// read task_states (in submit order), output queries read task_outputs.
// Polling for a transient status is refused with the reason, as Cylc does.
func (s *Store) WorkflowState(ctx context.Context, q StateQuery) ([]TaskState, error) {
	if q.By > ByMessage {
		return nil, fmt.Errorf("workflow-state query: unknown selector kind %d", q.By)
	}
	if q.By == ByStatus {
		if err := checkPollableStatus(q.Selector); err != nil {
			return nil, err
		}
	}
	var where []string
	var args []any
	if q.Task != "" {
		where = append(where, "name GLOB ?")
		args = append(args, globPattern(q.Task))
	}
	if q.Cycle != "" {
		where = append(where, "cycle GLOB ?")
		args = append(args, globPattern(q.Cycle))
	}
	var query string
	if q.By == ByStatus {
		query = `SELECT name, cycle, status, flow_nums FROM task_states WHERE status IS NOT NULL`
		if q.Selector != "" {
			where = append(where, "status = ?")
			args = append(args, q.Selector)
		}
	} else {
		query = `SELECT name, cycle, outputs, flow_nums FROM task_outputs WHERE outputs IS NOT NULL`
	}
	for _, w := range where {
		query += " AND " + w
	}
	if q.By == ByStatus {
		query += " ORDER BY submit_num, cycle, name, flow_nums"
	} else {
		query += " ORDER BY cycle, name, flow_nums"
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, dbError(s.path, "workflow-state query", err)
	}
	defer rows.Close()
	var res []TaskState
	for rows.Next() {
		var ts TaskState
		var value, flows string
		if err := rows.Scan(&ts.Name, &ts.Cycle, &value, &flows); err != nil {
			return nil, dbError(s.path, "workflow-state query", err)
		}
		if ts.FlowNums, err = decodeFlowNums(flows); err != nil {
			return nil, fmt.Errorf("run database %s: task %s/%s: %w", s.path, ts.Cycle, ts.Name, err)
		}
		if q.Flow != 0 && !slices.Contains(ts.FlowNums, q.Flow) {
			continue
		}
		if q.By == ByStatus {
			ts.Status = value
			res = append(res, ts)
			continue
		}
		if ts.Outputs, err = decodeOutputs(value); err != nil {
			return nil, fmt.Errorf("run database %s: task %s/%s: %w", s.path, ts.Cycle, ts.Name, err)
		}
		if q.Selector == "" || outputsMatch(ts.Outputs, q.Selector, q.By) {
			res = append(res, ts)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(s.path, "workflow-state query", err)
	}
	return res, nil
}

// outputsMatch reports whether a completed output matches the selector.
func outputsMatch(outs []persist.Output, sel string, by SelectBy) bool {
	finished := by == ByTrigger && (sel == task.OutFinished || sel == "finish")
	for _, o := range outs {
		switch {
		case by == ByMessage && o.Message == sel:
			return true
		case by == ByTrigger && o.Trigger == sel:
			return true
		case finished && (o.Trigger == task.OutSucceeded || o.Trigger == task.OutFailed):
			return true
		}
	}
	return false
}

// pollTrigger maps each status to the output to poll instead, as Cylc's
// TASK_STATE_MAP does; "" means the status has no output.
var pollTrigger = map[task.Status]string{
	task.Waiting:      "",
	task.Preparing:    "",
	task.Expired:      task.OutExpired,
	task.SubmitFailed: task.OutSubmitFailed,
	task.Submitted:    task.OutSubmitted,
	task.Running:      task.OutStarted,
	task.Failed:       task.OutFailed,
	task.Succeeded:    task.OutSucceeded,
}

// checkPollableStatus refuses what Cylc's check_polling_config refuses: an
// unknown status, and statuses that a poller could miss because the task
// passes through them.
func checkPollableStatus(sel string) error {
	if sel == "" {
		return nil
	}
	st, ok := task.ParseStatus(sel)
	if !ok {
		msg := fmt.Sprintf("no such task state %q", sel)
		if near := nearest(sel, statusNames()); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return fmt.Errorf("%s; the task states are %s", msg, strings.Join(statusNames(), ", "))
	}
	trig := pollTrigger[st]
	switch {
	case trig == "":
		return fmt.Errorf("cannot poll for the %q task state: it has no output to look for", sel)
	case !st.Final():
		return fmt.Errorf("polling for the %q task status is not reliable as it is a transient state; "+
			"poll for the %q trigger instead", sel, trig)
	}
	return nil
}

func statusNames() []string {
	names := make([]string, 0, len(pollTrigger))
	for st := task.Waiting; st <= task.Succeeded; st++ {
		names = append(names, st.String())
	}
	return names
}

// globPattern turns a Cylc ID pattern, where only "*" is special, into an
// SQLite GLOB pattern, where "?" and "[" are special too. Unlike Cylc's
// LIKE, GLOB is case-sensitive and does not treat "_" as a wildcard, so
// names match exactly as Cylc IDs do everywhere else.
func globPattern(p string) string {
	r := strings.NewReplacer("[", "[[]", "?", "[?]")
	return r.Replace(p)
}

// nearest returns the candidate within a small edit distance of s, for
// did-you-mean hints.
func nearest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := suggest.Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Params returns the workflow parameters (workflow_params), e.g. to find
// the cycle_point_format a workflow-state query must write points in.
func (s *Store) Params(ctx context.Context) (map[string]string, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError(s.path, "read workflow_params", err)
	}
	defer tx.Rollback()
	l := loader{ctx: ctx, tx: tx, path: s.path}
	return l.keyValues("workflow_params")
}

// Platforms returns the platforms the run's jobs went to (task_jobs), in
// name order: what "cylc clean" must clean besides the local run.
func (s *Store) Platforms(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT platform_name FROM task_jobs WHERE platform_name != '' ORDER BY platform_name`)
	if err != nil {
		return nil, dbError(s.path, "read task_jobs", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, dbError(s.path, "read task_jobs", err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(s.path, "read task_jobs", err)
	}
	return out, nil
}

// JobPlatform returns the platform a job went to (task_jobs), or "" if
// the database has no such job: cat-log reads a remote job's logs there.
func (s *Store) JobPlatform(ctx context.Context, cycle, name string, submitNum int) (string, error) {
	var platform sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT platform_name FROM task_jobs WHERE cycle = ? AND name = ? AND submit_num = ?`,
		cycle, name, submitNum).Scan(&platform)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", dbError(s.path, "read task_jobs", err)
	}
	return platform.String, nil
}
