package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gyre/internal/api"
	"gyre/internal/live"
)

// completionRoot makes a run root with installed workflows: demo (two
// runs, runN pointing at run2), a nested name deep/er (one run), a run
// directory without numbered runs (flat), a directory that holds no
// workflow (empty) and, inside demo's run, a log tree that is not looked
// at.
func completionRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	for _, d := range []string{"demo/run1", "demo/run2", "deep/er/run1", "flat", "other/run1"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, d, "flow.cylc"), []byte("[scheduling]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"empty/sub", "demo/run2/log/job/run3", ".hidden/run1"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "demo/run2/log/job/run3/flow.cylc"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"demo/runN": "run2", "deep/er/runN": "run1"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root // other/ has no runN link: only other/run1 resolves
}

// complete runs "gyre __complete ARGS..." and returns the candidates and
// the directive number cobra prints last.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, out, errOut := runCLI(append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: exit %d\n%s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, ":") {
		t.Fatalf("__complete %q: no directive line in %q", args, out)
	}
	return lines[:len(lines)-1], last
}

func TestCompleteWorkflowIDs(t *testing.T) {
	completionRoot(t)
	noFile := ":4" // ShellCompDirectiveNoFileComp
	all := []string{"deep/er", "deep/er/run1", "demo", "demo/run1", "demo/run2", "flat", "other/run1"}
	for _, c := range []struct {
		args      []string
		want      []string
		directive string
	}{
		{[]string{"hold", "de"}, []string{"deep/er", "deep/er/run1", "demo", "demo/run1", "demo/run2"}, noFile},
		{[]string{"hold", "dem"}, []string{"demo", "demo/run1", "demo/run2"}, noFile},
		{[]string{"hold", "demo/run2"}, []string{"demo/run2"}, noFile},
		{[]string{"hold", "nosuch"}, nil, noFile},
		{[]string{"stop", ""}, all, noFile},
		{[]string{"ping", "f"}, []string{"flat"}, noFile},
		{[]string{"reload", "o"}, []string{"other/run1"}, noFile},
		{[]string{"ext-trigger", "fl"}, []string{"flat"}, noFile},
		{[]string{"workflow-state", "deep/"}, []string{"deep/er", "deep/er/run1"}, noFile},
		// After the workflow: no more workflow IDs, and no files.
		{[]string{"ext-trigger", "flat", ""}, nil, noFile},
		{[]string{"hold", "demo", "de"}, nil, noFile},
	} {
		got, directive := complete(t, c.args...)
		if !slices.Equal(got, c.want) || directive != c.directive {
			t.Errorf("__complete %q = %q %s, want %q %s", c.args, got, directive, c.want, c.directive)
		}
	}
}

// A workflow source is a directory: PATH commands let the shell complete
// directories and flow files; play (PATH|WORKFLOW) offers both workflow
// IDs and directories.
func TestCompletePaths(t *testing.T) {
	completionRoot(t)
	src := t.TempDir()
	for _, d := range []string{"demo-src", "docs", ".git"} {
		if err := os.Mkdir(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(src, "demo.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(src)
	for _, c := range []struct {
		args      []string
		want      []string
		directive string
	}{
		{[]string{"validate", ""}, []string{"cylc", "rc"}, ":8"}, // FilterFileExt
		{[]string{"list", "x"}, []string{"cylc", "rc"}, ":8"},
		{[]string{"graph", "flow"}, []string{"cylc", "rc"}, ":8"},
		{[]string{"graph", "flow", "2020"}, nil, ":4"},
		{[]string{"play", "dem"}, []string{"demo", "demo/run1", "demo/run2", "demo-src/"}, ":6"}, // NoSpace|NoFileComp
		{[]string{"play", "do"}, []string{"docs/"}, ":6"},
		{[]string{"play", "fl"}, []string{"flat"}, ":4"},
		{[]string{"play", "."}, []string{".git/"}, ":6"},
		{[]string{"play", src + "/d"}, []string{src + "/demo-src/", src + "/docs/"}, ":6"},
	} {
		got, directive := complete(t, c.args...)
		if !slices.Equal(got, c.want) || directive != c.directive {
			t.Errorf("__complete %q = %q %s, want %q %s", c.args, got, directive, c.want, c.directive)
		}
	}
}

func TestCompleteFlagValues(t *testing.T) {
	completionRoot(t)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"play", "--mode", ""}, []string{"live", "dummy", "simulation"}},
		{[]string{"dump", "--format", ""}, []string{"plain", "json"}},
		{[]string{"list", "--format", ""}, []string{"plain", "json"}},
		{[]string{"graph", "--format", ""}, []string{"dot", "reference", "json"}},
		{[]string{"validate", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{"hold", "--colour", ""}, []string{"auto", "always", "never"}},
	} {
		got, directive := complete(t, c.args...)
		if !slices.Equal(got, c.want) || directive != ":4" {
			t.Errorf("__complete %q = %q %s, want %q :4", c.args, got, directive, c.want)
		}
	}
}

// Every command whose first argument is a workflow or a workflow source
// completes it: none is missed because of how its usage is written.
func TestCompletionInstalled(t *testing.T) {
	root := newRoot(nil, nil)
	want := map[string]bool{}
	for _, c := range root.Commands() {
		fields := strings.Fields(c.Use)
		if len(fields) > 1 && strings.Contains(fields[1], "WORKFLOW") && !strings.HasPrefix(fields[1], "[") || strings.Contains(c.Use, "PATH") {
			want[c.Name()] = true
			if c.ValidArgsFunction == nil {
				t.Errorf("%s (%q) has no argument completion", c.Name(), c.Use)
			}
		}
	}
	for _, name := range []string{"hold", "stop", "dump", "play", "validate", "list", "config", "graph", "workflow-state", "reload", "install"} {
		if !want[name] {
			t.Errorf("%s is not among the commands taking a workflow: %v", name, want)
		}
	}
}

func TestUsageKind(t *testing.T) {
	for _, c := range []struct {
		use   string
		kind  argKind
		tasks bool
	}{
		{"hold WORKFLOW//POINT/TASK... | WORKFLOW [//POINT/TASK...]", argWorkflow, true},
		{"stop WORKFLOW", argWorkflow, false},
		{"workflow-state WORKFLOW[//CYCLE[/TASK][:SELECTOR]]", argWorkflow, false},
		{"play PATH|WORKFLOW", argPathOrWorkflow, false},
		{"list PATH", argPath, false},
		{"install [PATH]", argPath, false},
		{"message [OPTIONS] [WORKFLOW JOB] MESSAGE...", argOther, false},
		{"cycle-point [POINT]", argOther, false},
		{"scan", argOther, false},
	} {
		kind, tasks := usageKind(c.use)
		if kind != c.kind || tasks != c.tasks {
			t.Errorf("usageKind(%q) = %v, %v; want %v, %v", c.use, kind, tasks, c.kind, c.tasks)
		}
	}
}

// poolHandler is a scheduler that answers dump with a fixed pool.
type poolHandler struct{ pool []live.TaskSummary }

func (h poolHandler) Messages(context.Context, api.JobMessage) error { return nil }

func (h poolHandler) Command(_ context.Context, name string, _ json.RawMessage) (any, error) {
	if name != "dump" {
		return nil, api.Errorf(api.CodeNotFound, "no command %q", name)
	}
	return live.CommandResult{Command: name, Pool: h.pool}, nil
}

func (h poolHandler) Stream(context.Context, uint64) (<-chan api.Event, error) {
	return nil, errors.New("no events")
}

// serveWorkflow runs a scheduler API for the run directory dir with its
// contact file, as a running workflow has, until the test ends.
func serveWorkflow(t *testing.T, dir string, h api.Handler) {
	t.Helper()
	svc := filepath.Join(dir, ".service")
	creds, err := api.NewCredentials(svc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.NewServer(h, api.Options{Credentials: creds, SocketPath: filepath.Join(svc, "gyre.sock")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	host, _ := os.Hostname()
	c := api.Contact{WorkflowID: "demo/run2", Host: host, PID: os.Getpid(), Port: s.Port(), API: api.APIVersion,
		Socket: s.SocketPath(), URL: s.URL(), Fingerprint: creds.Fingerprint}
	if err := api.WriteContact(svc, c); err != nil {
		t.Fatal(err)
	}
}

func TestCompleteTaskIDs(t *testing.T) {
	root := completionRoot(t)
	serveWorkflow(t, filepath.Join(root, "demo", "run2"), poolHandler{pool: []live.TaskSummary{
		{ID: "1/foo", State: "running"},
		{ID: "1/bar", State: "waiting(held)"},
		{ID: "2/foo", State: "waiting"},
	}})
	// A contact file whose scheduler has gone: nothing, and no wait.
	if err := api.WriteContact(filepath.Join(root, "flat", ".service"), api.Contact{Host: "localhost", PID: 1 << 30, Socket: "/nonexistent"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args      []string
		want      []string
		directive string
	}{
		{[]string{"hold", "demo//"}, []string{"demo//1/foo\trunning", "demo//1/bar\twaiting(held)", "demo//2/foo\twaiting",
			"demo//1\tevery task at 1", "demo//2\tevery task at 2"}, ":6"},
		{[]string{"hold", "demo//1/"}, []string{"demo//1/foo\trunning", "demo//1/bar\twaiting(held)"}, ":4"},
		{[]string{"trigger", "demo//1/f"}, []string{"demo//1/foo\trunning"}, ":4"},
		{[]string{"stop", "demo//2"}, []string{"demo//2/foo\twaiting", "demo//2\tevery task at 2"}, ":6"},
		{[]string{"workflow-state", "demo/run2//2/"}, []string{"demo/run2//2/foo\twaiting"}, ":4"},
		// Relative IDs after the workflow.
		{[]string{"hold", "demo", "//1/b"}, []string{"//1/bar\twaiting(held)"}, ":4"},
		{[]string{"release", "demo//1/foo", "//2"}, []string{"//2/foo\twaiting", "//2\tevery task at 2"}, ":6"},
		// Workflows that are not running, or not there.
		{[]string{"hold", "deep/er//"}, nil, ":4"},
		{[]string{"hold", "flat//"}, nil, ":4"},
		{[]string{"hold", "nosuch//1/"}, nil, ":4"},
		// A command without task arguments takes no relative IDs.
		{[]string{"pause", "demo", "//"}, nil, ":4"},
	} {
		got, directive := complete(t, c.args...)
		if !slices.Equal(got, c.want) || directive != c.directive {
			t.Errorf("__complete %q = %q %s, want %q %s", c.args, got, directive, c.want, c.directive)
		}
	}
}

func TestInstalledWorkflowsUnreadableRoot(t *testing.T) {
	if got := installedWorkflows(filepath.Join(t.TempDir(), "missing")); len(got) != 0 {
		t.Errorf("installedWorkflows(missing) = %q", got)
	}
}
