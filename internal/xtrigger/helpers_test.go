package xtrigger

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gyre/internal/config"
	"gyre/internal/store"
	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// taskRow is a task instance to write into a test run database.
type taskRow struct {
	cycle, name string
	flows       []int
	submit      int
	status      task.Status
	outs        []persist.Output
}

func outs(trigs ...string) []persist.Output {
	o := make([]persist.Output, 0, len(trigs))
	for _, t := range trigs {
		o = append(o, persist.Output{Trigger: t, Message: t})
	}
	return o
}

// makeRun creates the run directory root/id with a flow.cylc and a run
// database holding params and rows, committed and closed.
func makeRun(t testing.TB, root, id string, params map[string]string, rows []taskRow) string {
	t.Helper()
	dir := filepath.Join(root, id)
	if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte("[scheduling]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeRows(t, filepath.Join(dir, "log", "db"), params, rows)
	return dir
}

// writeRows writes params and rows into the database at path.
func writeRows(t testing.TB, path string, params map[string]string, rows []taskRow) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var ops []persist.Op
	for _, k := range sortedKeys(params) {
		ops = append(ops, persist.PutWorkflowParam{Key: k, Value: params[k]})
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range rows {
		ops = append(ops,
			persist.InsertTaskState{Cycle: r.cycle, Name: r.name, FlowNums: r.flows, Time: t0, SubmitNum: r.submit, Status: r.status},
			persist.SetTaskOutputs{Cycle: r.cycle, Name: r.name, FlowNums: r.flows, Outputs: r.outs})
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- st.Writer().Run(ctx) }()
	done := make(chan error, 1)
	st.Writer().Submit(ops, func(err error) { done <- err })
	werr := <-done
	cancel()
	<-errc
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if werr != nil {
		t.Fatal(werr)
	}
}

// linkLatest points root/name/runN at run.
func linkLatest(t testing.TB, root, name, run string) {
	t.Helper()
	if err := os.Symlink(run, filepath.Join(root, name, "runN")); err != nil {
		t.Fatal(err)
	}
}

// fixture is a run root with two workflows: "up" (date-time cycling, an
// installed run up/run1 with a runN link) and "int" (integer cycling, no
// numbered runs).
func fixture(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	makeRun(t, root, "up/run1", map[string]string{"cycle_point_format": "CCYYMMDDThhmmZ"}, []taskRow{
		{"20100101T0000Z", "foo", []int{1}, 1, task.Succeeded,
			append(outs("submitted", "started", "succeeded"), persist.Output{Trigger: "x", Message: "the quick brown"})},
		{"20100101T0000Z", "bar", []int{1}, 1, task.Failed, outs("submitted", "started", "failed")},
		{"20100102T0000Z", "foo", []int{1, 2}, 2, task.Running, outs("submitted", "started")},
		{"20100102T0000Z", "baz", []int{2}, 0, task.Waiting, []persist.Output{}},
	})
	linkLatest(t, root, "up", "run1")
	makeRun(t, root, "int", nil, []taskRow{
		{"1", "foo", []int{1}, 1, task.Succeeded, outs("submitted", "started", "succeeded")},
		{"2", "foo", []int{1}, 0, task.Waiting, []persist.Output{}},
	})
	return root
}

// xt builds an xtrigger definition.
func xt(label, fn string, args []any, kwargs map[string]any) config.Xtrigger {
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return config.Xtrigger{Label: label, Func: fn, Args: args, Kwargs: kwargs, Interval: 10}
}

// utcEnv evaluates in UTC against root.
func utcEnv(root string) Env {
	return Env{RunRoot: root, Location: time.UTC}
}
