package store

import (
	"context"
	"strings"
	"testing"
)

// TestLoadSnapshotReportsBadValues: a value a restart cannot read stops it
// with the table, the task and the value named.
func TestLoadSnapshotReportsBadValues(t *testing.T) {
	const pool = `INSERT INTO task_pool VALUES('1', 'foo', '[1]', 'running', 0);
		INSERT INTO task_states VALUES('foo', '1', '[1]', NULL, NULL, 1, 'running', 0, 0);`
	for _, c := range []struct {
		name, sql string
		want      []string
	}{
		{"status", `INSERT INTO task_pool VALUES('1', 'foo', '[1]', 'runing', 0)`,
			[]string{"table task_pool", "task 1/foo", `unknown task status "runing"`, "succeeded"}},
		{"flows", `INSERT INTO task_pool VALUES('1', 'foo', '1,2', 'waiting', 0)`,
			[]string{"task 1/foo flows 1,2", "flow_nums", `"1,2"`}},
		{"outputs", pool + `INSERT INTO task_outputs VALUES('1', 'foo', '[1]', '{"x": ')`,
			[]string{"task_outputs.outputs", `"{\"x\": "`}},
		{"submit num", `INSERT INTO task_pool VALUES('1', 'foo', '[1]', 'running', 0);
			INSERT INTO task_states VALUES('foo', '1', '[1]', NULL, NULL, 'one', 'running', 0, 0)`,
			[]string{"task_states.submit_num", `"one" is not an integer`}},
		{"job time", pool + `INSERT INTO task_jobs(cycle, name, submit_num, time_run) VALUES('1', 'foo', 1, 'yesterday')`,
			[]string{"task_jobs submit 1", "time_run", `"yesterday"`}},
		{"timeout", pool + `INSERT INTO task_timeout_timers VALUES('1', 'foo', 'soon')`,
			[]string{"task_timeout_timers.timeout", `"soon"`}},
		{"timer delays", `INSERT INTO task_action_timers VALUES('1', 'foo', '"poll_timer"', 'null', '[30', 0, NULL, NULL)`,
			[]string{"table task_action_timers", "poll_timer", "1/foo", `delays "[30"`}},
		{"flow start", `INSERT INTO workflow_flows VALUES(1, 'then', 'x')`,
			[]string{"table workflow_flows", "flow 1", `"then"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			if _, err := rawDB(t, s.Path()).Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			_, err := s.LoadSnapshot(context.Background())
			if err == nil {
				t.Fatal("loaded without error")
			}
			t.Log(err)
			for _, w := range append(c.want, s.Path()) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

// TestLoadSnapshotReadsCylcValues: values only Cylc writes (booleans as
// ints, True for satisfied xtriggers, NULL descriptions) read sensibly.
func TestLoadSnapshotReadsCylcValues(t *testing.T) {
	s := openTemp(t)
	if _, err := rawDB(t, s.Path()).Exec(`
		INSERT INTO task_pool VALUES('1', 'foo', '[1]', 'submitted', 1);
		INSERT INTO task_states VALUES('foo', '1', '[1]', '2026-01-02T16:04:05+13:00', NULL, 1, 'submitted', 0, 0);
		INSERT INTO task_jobs VALUES('1', 'foo', 1, '[1]', 0, 1, '2026-01-02T16:04:05+13:00', NULL, 0, NULL, NULL, NULL, NULL, 'localhost', 'background', '42');
		INSERT INTO task_prerequisites VALUES('1', 'foo', '[1]', 'wall_clock', 'xtrigger', 'succeeded', 1);
		INSERT INTO task_prerequisites VALUES('1', 'foo', '[1]', 'bar', '1', 'succeeded', 0);
		INSERT INTO task_prerequisites VALUES('1', 'other', '[1]', 'bar', '1', 'succeeded', 0);
		INSERT INTO workflow_params VALUES('stopcp', NULL);
		INSERT INTO tasks_to_hold VALUES('foo', '2');
		INSERT INTO tasks_to_hold VALUES('foo', '2');
	`); err != nil {
		t.Fatal(err)
	}
	snap, err := s.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tasks) != 1 {
		t.Fatalf("tasks = %+v", snap.Tasks)
	}
	ft := snap.Tasks[0]
	if !ft.IsHeld || ft.Job == nil || ft.Job.JobID != "42" || *ft.Job.SubmitStatus != 0 || ft.Job.RunStatus != nil {
		t.Errorf("task = %+v, job %+v", ft, ft.Job)
	}
	if got := ft.TimeCreated.UTC().Format(layoutTime); got != "2026-01-02T03:04:05Z" {
		t.Errorf("time_created = %s", got)
	}
	if len(ft.Prereqs) != 2 || ft.Prereqs[0].Satisfied != "satisfied naturally" || ft.Prereqs[1].Satisfied != "" {
		t.Errorf("prereqs = %+v (the one of a task not in the pool must be left out)", ft.Prereqs)
	}
	if _, ok := snap.Params["stopcp"]; ok {
		t.Errorf("NULL param loaded: %v", snap.Params)
	}
	if len(snap.Holds) != 1 {
		t.Errorf("holds = %v, want duplicates merged", snap.Holds)
	}
}
