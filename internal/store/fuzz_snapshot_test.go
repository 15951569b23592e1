package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadSnapshotRows writes arbitrary text into the columns a restart
// decodes, as a damaged database or another tool might, and checks that
// LoadSnapshot either reads them or says which value it could not read:
// never a panic, never a silently wrong task.
func FuzzLoadSnapshotRows(f *testing.F) {
	f.Add("[1]", "running", "2026-01-02T03:04:05Z", `{"submitted": "submitted"}`, "1767326645.5", "[30.0]", "0")
	f.Add("[1, 2]", "waiting", "", "", "", "", "satisfied naturally")
	f.Add("[]", "succeeded", "20260102T030405Z", `["started"]`, "x", "[", "1")
	f.Add("null", "runnin", "yesterday", `{"a": 1}`, "NaN", "{}", "")
	s, err := Open(filepath.Join(f.TempDir(), "db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	db := rawDB(f, s.Path())
	f.Fuzz(func(t *testing.T, flows, status, when, outputs, timeout, delays, satisfied string) {
		for _, q := range []string{"task_pool", "task_states", "task_outputs", "task_jobs", "task_prerequisites", "task_action_timers", "workflow_flows"} {
			if _, err := db.Exec(`DELETE FROM ` + q); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO task_pool VALUES('1', 'foo', ?, ?, 0)`, []any{flows, status}},
			{`INSERT INTO task_states VALUES('foo', '1', ?, ?, ?, 1, ?, 0, 0)`, []any{flows, when, when, status}},
			{`INSERT INTO task_outputs VALUES('1', 'foo', ?, ?)`, []any{flows, outputs}},
			{`INSERT INTO task_jobs(cycle, name, submit_num, flow_nums, time_submit, time_run) VALUES('1', 'foo', 1, ?, ?, ?)`, []any{flows, when, when}},
			{`INSERT INTO task_prerequisites VALUES('1', 'foo', ?, 'bar', '1', 'succeeded', ?)`, []any{flows, satisfied}},
			{`INSERT INTO task_action_timers VALUES('1', 'foo', '"poll_timer"', 'null', ?, 1, ?, ?)`, []any{delays, timeout, timeout}},
			{`INSERT INTO workflow_flows VALUES(1, ?, 'fuzz')`, []any{when}},
		} {
			if _, err := db.Exec(q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		snap, err := s.LoadSnapshot(context.Background())
		if err != nil {
			if !strings.Contains(err.Error(), s.Path()) {
				t.Fatalf("error %q does not name the database", err)
			}
			return
		}
		if len(snap.Tasks) != 1 || snap.Tasks[0].Status.String() != status || snap.Tasks[0].Job == nil {
			t.Fatalf("loaded %+v from one pool row with status %q", snap.Tasks, status)
		}
		if got := encodeFlowNums(snap.Tasks[0].FlowNums); len(snap.Tasks[0].Prereqs) != 1 {
			t.Fatalf("flows %q read as %s, but its prerequisite was not attached", flows, got)
		}
	})
}
