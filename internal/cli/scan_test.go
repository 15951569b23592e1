package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// staleContact is a contact file left by a scheduler that died: its PID is
// that of a process that has exited.
func staleContact(t *testing.T) string {
	t.Helper()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	return "CYLC_WORKFLOW_HOST=" + host + "\nCYLC_WORKFLOW_ID=stale/run1\nCYLC_WORKFLOW_PID=" +
		strconv.Itoa(gone.Process.Pid) + "\nCYLC_WORKFLOW_PORT=4321\nCYLC_VERSION=8.7.0\nCYLC_WORKFLOW_COMMAND=gyre play stale\n"
}

func TestScan(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	makeTree(t, root, map[string]string{
		"demo/run1/flow.cylc":                "",
		"demo/run2/flow.cylc":                "",
		"demo/run10/flow.cylc":               "",
		"flat/flow.cylc":                     "",
		"old/suite.rc":                       "",
		"group/sub/wf/run1/flow.cylc":        "",
		"group/sub/wf/run1/log/x/flow.cylc":  "", // inside a run: not a workflow
		"too/deep/for/the/scan/flow.cylc":    "",
		"notaflow/readme":                    "",
		"stale/run1/flow.cylc":               "",
		"stale/run1/.service/contact":        staleContact(t),
		"bad/run1/flow.cylc":                 "",
		"bad/run1/.service/contact":          "garbage\n",
		"demo/run1/.service/not-the-contact": "",
	}, map[string]string{"demo/runN": "run10"})
	host, _ := os.Hostname()
	stalePID := regexp.MustCompile(`CYLC_WORKFLOW_PID=(\d+)`).FindStringSubmatch(mustRead(t, filepath.Join(root, "stale/run1/.service/contact")))[1]
	staleLine := "stale/run1 " + host + ":4321 " + stalePID + " stale (scheduler process " + stalePID + " is not running)\n"
	badLine := `bad/run1 stale (bad contact file: ` + filepath.Join(root, "bad/run1/.service/contact") + `: line 1: "garbage" is not KEY=VALUE)` + "\n"
	for _, c := range []struct {
		name   string
		args   []string
		status int
		stdout string
		stderr string
	}{
		{"active only", nil, 0, badLine + staleLine, ""},
		{"all", []string{"--states=all"}, 0, badLine + "demo/run1\ndemo/run2\ndemo/run10\nflat\ngroup/sub/wf/run1\nold\n" + staleLine, ""},
		{"stopped", []string{"--states", "stopped", "-t", "name"}, 0, "demo/run1\ndemo/run2\ndemo/run10\nflat\ngroup/sub/wf/run1\nold\n", ""},
		{"glob on a leading part", []string{"--states=all", "--format=name", "demo"}, 0, "demo/run1\ndemo/run2\ndemo/run10\n", ""},
		{"globs", []string{"--states=all", "--format=name", "demo/run1*", "f*"}, 0, "demo/run1\ndemo/run10\nflat\n", ""},
		{"regex", []string{"--states=all", "--format=name", "--name", "gr.*wf", "-n", "^old"}, 0, "group/sub/wf/run1\nold\n", ""},
		{"rich", []string{"--format=rich", "stale"}, 0, "stale/run1 (stale)\n    problem        scheduler process " + stalePID + " is not running\n    version        8.7.0\n    host           " + host + "\n    port           4321\n    PID            " + stalePID + "\n", ""},
		{"rich stopped", []string{"--format=rich", "--states=stopped", "flat"}, 0, "flat (stopped)\n", ""},
		{"bad state", []string{"--states=running,asleep"}, 1, "", `"asleep" is not a workflow state`},
		{"bad format", []string{"--format=tree"}, 1, "", "--format=tree: want plain, name, rich or json"},
		{"bad regex", []string{"--name", "("}, 1, "", "--name=(:"},
		{"bad glob", []string{"[z-a]"}, 1, "", "[z-a]: bad glob"},
		{"star crosses slashes", []string{"--states=all", "-t", "name", "g*run1"}, 0, "group/sub/wf/run1\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, stdout, stderr := runCLI(append([]string{"scan"}, c.args...)...)
			if status != c.status || stdout != c.stdout || !strings.Contains(stderr, c.stderr) {
				t.Errorf("scan %s = %d\nstdout %q\nstderr %q\nwant %d\nstdout %q\nstderr with %q", strings.Join(c.args, " "), status, stdout, stderr, c.status, c.stdout, c.stderr)
			}
		})
	}

	// json: the contact file's fields as they are, and the verdict.
	_, stdout, _ := runCLI("scan", "--format=json", "stale")
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || len(got) != 1 {
		t.Fatalf("json: %v %q", err, stdout)
	}
	for k, want := range map[string]any{
		"name": "stale/run1", "path": filepath.Join(root, "stale/run1"), "contact": filepath.Join(root, "stale/run1/.service/contact"),
		"CYLC_WORKFLOW_PORT": "4321", "CYLC_WORKFLOW_PID": stalePID, "status": "stale",
		"error": "scheduler process " + stalePID + " is not running",
	} {
		if got[0][k] != want {
			t.Errorf("json %s = %v, want %v", k, got[0][k], want)
		}
	}

	// --ping removes the stale contact file: the workflow is stopped.
	status, stdout, stderr := runCLI("scan", "--ping", "stale")
	if status != 0 || stdout != "" || !strings.Contains(stderr, "INFO - Removed contact file for stale/run1 (workflow no longer running).") {
		t.Errorf("scan --ping = %d %q %q", status, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "stale/run1/.service/contact")); err == nil {
		t.Errorf("scan --ping left the stale contact file")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestScanFnmatch(t *testing.T) {
	for _, c := range []struct {
		glob  string
		match []string
		not   []string
	}{
		{"demo*", []string{"demo", "demo/run1", "demonstration"}, []string{"dem", "x/demo"}},
		{"*/run?", []string{"a/run1", "a/b/run2"}, []string{"a/run10", "run1"}},
		{"run[12]", []string{"run1", "run2"}, []string{"run3"}},
		{"run[!12]", []string{"run3"}, []string{"run1", "run2"}},
		{"a[^b]", []string{"a^", "ab"}, []string{"ac"}},
		{"a[", []string{"a["}, []string{"a"}},
		{"a.b+(c)", []string{"a.b+(c)"}, []string{"axb+(c)", "a.bb(c)"}},
		{`a[\]`, []string{`a\`}, []string{"a]"}},
	} {
		re, err := fnmatchRegexp(c.glob)
		if err != nil {
			t.Errorf("fnmatchRegexp(%q): %v", c.glob, err)
			continue
		}
		for _, s := range c.match {
			if !re.MatchString(s) {
				t.Errorf("%q does not match %q", c.glob, s)
			}
		}
		for _, s := range c.not {
			if re.MatchString(s) {
				t.Errorf("%q matches %q", c.glob, s)
			}
		}
	}
}

func TestScanNaturalCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"run2", "run10", -1}, {"run10", "run2", 1}, {"a/run1", "a/run1", 0}, {"a", "b", -1},
		{"x9y", "x10", -1}, {"run", "run1", -1}, {"b1", "a2", 1}, {"007", "7", 0},
	} {
		if got := naturalCompare(c.a, c.b); got != c.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// syncOut is an io.Writer a test can wait on: each write wakes waiters.
type syncOut struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newSyncOut() *syncOut { return &syncOut{changed: make(chan struct{})} }

func (s *syncOut) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.changed)
	s.changed = make(chan struct{})
	return s.b.Write(p)
}

func (s *syncOut) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor blocks until the output contains want, failing if the command
// writing it (whose exit status arrives on done) ends first.
func (s *syncOut) waitFor(t *testing.T, want string, done <-chan int) {
	t.Helper()
	for {
		s.mu.Lock()
		has, ch := strings.Contains(s.b.String(), want), s.changed
		s.mu.Unlock()
		if has {
			return
		}
		select {
		case <-ch:
		case code := <-done:
			t.Fatalf("command exited %d before %q appeared:\n%s", code, want, s.String())
		}
	}
}

// runAsync runs gyre in the background; its exit status arrives on the
// channel.
func runAsync(ctx context.Context, out *syncOut, args ...string) <-chan int {
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, out, out) }()
	return done
}

// heldFlow's job writes a line, says it is ready, then waits for the test
// before writing more, finishing, and running its exit-script.
const heldFlow = `
[scheduling]
    [[graph]]
        R1 = "hold => after"
[runtime]
    [[hold]]
        script = """
            cylc__job__wait_cylc_message_started
            echo first
            echo ready > "$READY_FIFO"
            read -r _ < "$GO_FIFO"
            echo second
        """
        exit-script = echo bye from the exit-script
    [[after]]
        script = true
`

// TestCatLogScanCleanLive follows a running job's log and the scheduler
// log to their ends, and scans and (fails to) clean the running workflow,
// then scans and cleans it once stopped.
func TestCatLogScanCleanLive(t *testing.T) {
	tmp := t.TempDir()
	src, root, home := filepath.Join(tmp, "flow"), filepath.Join(tmp, "run"), filepath.Join(tmp, "home")
	ready, goOn := filepath.Join(tmp, "ready"), filepath.Join(tmp, "go")
	for _, f := range []string{ready, goOn} {
		if err := syscall.Mkfifo(f, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	makeTree(t, tmp, map[string]string{"flow/flow.cylc": heldFlow, "home/.keep": ""}, nil)
	t.Setenv("GYRE_RUN_ROOT", root)
	t.Setenv("GYRE_MESSAGE_RETRY_BUDGET", "10s")
	t.Setenv("HOME", home)
	t.Setenv("READY_FIFO", ready)
	t.Setenv("GO_FIFO", goOn)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	playOut := newSyncOut()
	played := runAsync(ctx, playOut, "play", "-N", src)
	t.Cleanup(func() {
		// On failure, free the job and the scheduler.
		cancel()
		for _, f := range []string{goOn, ready} {
			if fd, err := syscall.Open(f, syscall.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				syscall.Write(fd, []byte("x\n"))
				syscall.Close(fd)
			}
		}
	})

	// Wait for the job to be running.
	readyRead := make(chan error, 1)
	go func() { _, err := os.ReadFile(ready); readyRead <- err }()
	select {
	case err := <-readyRead:
		if err != nil {
			t.Fatal(err)
		}
	case code := <-played:
		t.Fatalf("play exited %d before the job ran:\n%s", code, playOut.String())
	}

	jobOut, schedOut := newSyncOut(), newSyncOut()
	jobFollow := runAsync(ctx, jobOut, "cat-log", "--follow", "flow//1/hold")
	schedFollow := runAsync(ctx, schedOut, "cat-log", "-m", "t", "flow")
	jobOut.waitFor(t, "first\n", jobFollow)
	schedOut.waitFor(t, "[1/hold/01:submitted] => running", schedFollow)

	host, _ := os.Hostname()
	status, stdout, stderr := runCLI("scan")
	if !regexp.MustCompile(`^flow/run1 `+regexp.QuoteMeta(host)+`:\d+ `+strconv.Itoa(os.Getpid())+" running\n$").MatchString(stdout) || status != 0 {
		t.Errorf("scan of the running workflow = %d %q %q", status, stdout, stderr)
	}
	if _, stdout, _ := runCLI("scan", "-t", "rich"); !strings.Contains(stdout, "flow/run1 (running)\n    state totals   running:1") {
		t.Errorf("scan -t rich of the running workflow:\n%s", stdout)
	}
	// Auto mode follows a running job's log.
	autoOut := newSyncOut()
	autoFollow := runAsync(ctx, autoOut, "cat-log", "-m", "a", "flow//1/hold")
	autoOut.waitFor(t, "first\n", autoFollow)
	status, _, stderr = runCLI("clean", "flow/run1")
	if status != 1 || !strings.Contains(stderr, "cannot clean running workflow flow/run1") {
		t.Errorf("clean of the running workflow = %d %q", status, stderr)
	}

	// Let the job finish: the follow ends with what the job wrote after
	// recording its exit.
	if err := os.WriteFile(goOn, []byte("go\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := <-jobFollow; code != 0 {
		t.Errorf("cat-log --follow of the job exited %d:\n%s", code, jobOut.String())
	}
	got := jobOut.String()
	for _, want := range []string{"first\nsecond\n", "INFO - succeeded\n", "bye from the exit-script\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("followed job.out lacks %q:\n%s", want, got)
		}
	}
	if code := <-autoFollow; code != 0 || !strings.Contains(autoOut.String(), "bye from the exit-script\n") {
		t.Errorf("cat-log -m a of the job = %d:\n%s", code, autoOut.String())
	}
	if code := <-played; code != 0 {
		t.Fatalf("play exited %d:\n%s", code, playOut.String())
	}
	if code := <-schedFollow; code != 0 || !strings.Contains(schedOut.String(), "Workflow shutting down - AUTOMATIC") {
		t.Errorf("cat-log -m t of the scheduler log = %d:\n%s", code, schedOut.String())
	}

	if status, stdout, _ := runCLI("scan", "--states=all"); status != 0 || stdout != "flow/run1\n" {
		t.Errorf("scan after the run = %d %q", status, stdout)
	}
	status, _, stderr = runCLI("clean", "flow/run1")
	if status != 0 || !strings.Contains(stderr, "INFO - Removing directory: "+filepath.Join(root, "flow", "run1")) {
		t.Errorf("clean after the run = %d %q", status, stderr)
	}
	if entries, err := os.ReadDir(root); err != nil || len(entries) != 0 {
		t.Errorf("run root after clean: %v %v", entries, err)
	}
}
