package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"gyre/internal/store"
	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// wsRow is a task instance in a test run database.
type wsRow struct {
	cycle, name string
	flows       []int
	submit      int
	status      task.Status
	outs        []string // trigger=message, or a standard output
}

// writeRunDB writes params and rows into the run database of dir (created
// with a flow.cylc if need be), and closes it.
func writeRunDB(t *testing.T, dir string, params map[string]string, rows []wsRow) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte("[scheduling]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "log", "db"))
	if err != nil {
		t.Fatal(err)
	}
	var ops []persist.Op
	for k, v := range params {
		ops = append(ops, persist.PutWorkflowParam{Key: k, Value: v})
	}
	for _, r := range rows {
		outs := []persist.Output{}
		for _, o := range r.outs {
			trig, msg, ok := strings.Cut(o, "=")
			if !ok {
				msg = trig
			}
			outs = append(outs, persist.Output{Trigger: trig, Message: msg})
		}
		ops = append(ops,
			persist.InsertTaskState{Cycle: r.cycle, Name: r.name, FlowNums: r.flows, SubmitNum: r.submit, Status: r.status,
				Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
			persist.SetTaskOutputs{Cycle: r.cycle, Name: r.name, FlowNums: r.flows, Outputs: outs})
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

// wsRoot makes $GYRE_RUN_ROOT with workflow "up" (run1, runN link, date-time
// cycling as Cylc's 09-datetime test leaves it) and "int" (integer).
func wsRoot(t *testing.T) string {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	writeRunDB(t, filepath.Join(root, "up", "run1"), map[string]string{"cycle_point_format": "CCYY"}, []wsRow{
		{"2051", "foo", []int{1}, 1, task.Succeeded, []string{"submitted", "started", "succeeded", "x=hello"}},
		{"2051", "bar", []int{1}, 1, task.Succeeded, []string{"submitted", "started", "succeeded"}},
		{"2052", "foo", []int{1}, 0, task.Waiting, nil},
		{"2052", "bar", []int{2}, 1, task.Succeeded, []string{"submitted", "started", "succeeded"}},
	})
	if err := os.Symlink("run1", filepath.Join(root, "up", "runN")); err != nil {
		t.Fatal(err)
	}
	writeRunDB(t, filepath.Join(root, "int"), nil, []wsRow{
		{"1", "foo", []int{1}, 1, task.Succeeded, []string{"submitted", "started", "succeeded"}},
		{"2", "foo", []int{1}, 1, task.Failed, []string{"submitted", "started", "failed"}},
	})
	return root
}

func TestWorkflowStateCommand(t *testing.T) {
	root := wsRoot(t)
	t.Setenv("CYLC_TASK_CYCLE_POINT", "2051")
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		out    string
		errHas []string
	}{
		{"all", []string{"up", "--max-polls=1"}, 0,
			"2052/foo:waiting\n2051/bar:succeeded\n2051/foo:succeeded\n2052/bar:succeeded(flows=2)\n",
			[]string{"Inferred workflow ID: up/run1\n"}},
		{"old format", []string{"--old-format", "up//2051", "--max-polls=1"}, 0,
			"bar, 2051, succeeded\nfoo, 2051, succeeded\n", nil},
		{"triggers", []string{"up//2051/foo:x", "--triggers", "--max-polls=1"}, 0,
			"2051/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'hello'}\n", nil},
		{"all outputs", []string{"up//2052", "--triggers", "--max-polls=1"}, 0,
			"2052/bar:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded'}(flows=2)\n2052/foo:{}\n", nil},
		{"messages", []string{"up//*/foo:hello", "--messages", "--max-polls=1"}, 0,
			"2051/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'hello'}\n", nil},
		{"pretty", []string{"up//2051/bar", "--triggers", "--pretty", "--max-polls=1"}, 0,
			"2051/bar:{\n    \"submitted\": \"submitted\",\n    \"started\": \"started\",\n    \"succeeded\": \"succeeded\"\n}\n", nil},
		{"flow", []string{"up", "--flow=2", "--max-polls=1"}, 0, "2052/bar:succeeded(flows=2)\n", nil},
		{"wildcard task", []string{"up//*/foo", "--flow=1", "--max-polls=1"}, 0, "2052/foo:waiting\n2051/foo:succeeded\n", nil},
		{"offset", []string{"up//2051/bar:succeeded", "--offset=P1Y", "--max-polls=1"}, 0, "2052/bar:succeeded(flows=2)\n", nil},
		{"point in another format", []string{"up//20510101T0000Z/foo:succeeded", "--max-polls=1"}, 0, "2051/foo:succeeded\n", nil},
		{"explicit run, trailing slash", []string{"up/run1//2051/foo/", "--max-polls=1"}, 0, "2051/foo:succeeded\n", nil},
		{"alternate run dir", []string{"--run-dir", root, "int//1/foo:succeeded", "--offset", "P0", "--max-polls=1"}, 0, "1/foo:succeeded\n", nil},
		{"integer offset", []string{"-d", root, "int//1/foo:failed", "--offset=P1", "--max-polls=1"}, 0, "2/foo:failed\n", nil},
		{"finished", []string{"int//*/foo:finished", "--triggers", "--max-polls=1", "--old-format"}, 0,
			"foo, 1, {'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded'}\n" +
				"foo, 2, {'submitted': 'submitted', 'started': 'started', 'failed': 'failed'}\n", nil},
		{"legacy options", []string{"up", "--point=2051", "--task=foo", "--status=succeeded", "--max-polls=1"}, 0, "2051/foo:succeeded\n",
			[]string{"WARNING - --task, --status, --message, --output, --point, --task-point are deprecated. Please use an ID: up//2051/foo:succeeded\n"}},
		{"legacy message", []string{"up", "-p", "2051", "-t", "foo", "-O", "hello", "--max-polls=1"}, 0,
			"2051/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'hello'}\n",
			[]string{"Please use an ID: up//2051/foo:hello\n"}},
		{"legacy task point", []string{"up", "--task-point", "--task=bar", "--max-polls=1"}, 0, "2051/bar:succeeded\n",
			[]string{"Please use an ID: up//$CYLC_TASK_CYCLE_POINT/bar\n"}},
		{"legacy transient status", []string{"up", "--status=running", "--max-polls=1"}, 1, "",
			[]string{"Please use an ID: up//*:running and the --triggers option", `poll for the "started" trigger instead`}},
		{"legacy with an ID", []string{"up//2051", "--task=foo"}, 1, "", []string{"the argument must be a plain workflow ID"}},
		{"legacy status and message", []string{"up", "--status=succeeded", "--message=x"}, 1, "", []string{"set --status or --message, not both"}},
		{"legacy task point and point", []string{"up", "-T", "--point=1"}, 1, "", []string{"set --task-point or --point=CYCLE, not both"}},
		{"not satisfied", []string{"up//2052/foo:succeeded", "--max-polls=2", "--interval=0"}, 1, "",
			[]string{"..\nERROR - failed after 2 polls: no task matches up/run1//2052/foo:succeeded\n"}},
		{"no such workflow", []string{"nowhere//1/foo", "--max-polls=1"}, 1, "",
			[]string{"ERROR - failed after 1 polls", "workflow nowhere not found", "installed workflows: int, up"}},
		{"unknown status", []string{"up//2051/foo:succeded", "--max-polls=1"}, 1, "", []string{`no such task state "succeded" (did you mean "succeeded"?)`}},
		{"waiting cannot be polled", []string{"up//2052/foo:waiting"}, 1, "", []string{`cannot poll for the "waiting" task state`}},
		{"wildcard and offset", []string{"up//*/foo:succeeded", "--offset=P1Y"}, 1, "", []string{`cycle point "*" is not compatible with an offset`}},
		{"bad point", []string{"up//205/foo:succeeded", "--max-polls=1"}, 1, "", []string{`cycle point "205" is not compatible with DB point format "CCYY"`}},
		{"bad ID", []string{"a//b//c"}, 1, "", []string{`invalid Cylc identifier "a//b//c"`}},
		{"two IDs", []string{"up", "int"}, 1, "", []string{"accepts 1 arg(s), received 2"}},
		{"negative interval", []string{"up", "--interval=-1"}, 1, "", []string{"cannot be negative"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(append([]string{"workflow-state"}, c.args...)...)
			if code != c.code || out != c.out {
				t.Errorf("exit %d, stdout:\n%s\nwant exit %d, stdout:\n%s\nstderr:\n%s", code, out, c.code, c.out, errOut)
			}
			for _, w := range c.errHas {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestWorkflowStateNoDatabase(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	if err := os.MkdirAll(filepath.Join(root, "fresh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "fresh", "flow.cylc"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("workflow-state", "fresh//1/foo:succeeded", "--max-polls=1")
	if code != 1 || !strings.Contains(errOut, "workflow fresh has no database") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// The command polls on a timer until the other workflow's task succeeds:
// in a synctest bubble the 60 s interval passes at once, and the test
// updates the database while the command waits.
func TestWorkflowStatePollsUntilSatisfied(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	dir := filepath.Join(root, "up")
	synctest.Test(t, func(t *testing.T) {
		writeRunDB(t, dir, nil, []wsRow{{"1", "foo", []int{1}, 1, task.Running, []string{"submitted", "started"}}})
		var out, errOut bytes.Buffer
		done := make(chan int)
		start := time.Now()
		go func() {
			done <- Run(context.Background(), []string{"workflow-state", "up//1/foo:succeeded", "--max-polls=5", "--interval=60"}, &out, &errOut)
		}()
		synctest.Wait() // the first check found nothing; the command waits
		writeRunDB(t, dir, nil, []wsRow{{"1", "foo", []int{1}, 1, task.Succeeded, []string{"submitted", "started", "succeeded"}}})
		if code := <-done; code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
		}
		if got := time.Since(start); got != time.Minute {
			t.Errorf("satisfied after %v, want one interval", got)
		}
		if out.String() != "1/foo:succeeded\n" || errOut.String() != "..\n" {
			t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
		}
	})
}

// An interrupt ends the wait between polls at once.
func TestWorkflowStateInterrupted(t *testing.T) {
	t.Setenv("GYRE_RUN_ROOT", t.TempDir())
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut bytes.Buffer
		done := make(chan int)
		go func() {
			done <- Run(ctx, []string{"workflow-state", "up//1/foo", "--max-polls=100", "--interval=3600"}, &out, &errOut)
		}()
		synctest.Wait()
		cancel()
		if code := <-done; code != 1 || !strings.Contains(errOut.String(), "context canceled") {
			t.Errorf("exit %d, stderr %q", code, errOut.String())
		}
	})
}
