package runner

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gyre/internal/job"
)

// patience bounds every wait on a real process. It is a safety net that
// turns a hang into a failure, not a delay: tests wait on events.
const patience = 60 * time.Second

// fakeCylc stands in for the job-side "cylc" command: it writes each
// message to a FIFO that the test reads, so tests can wait for a job to
// reach a point (e.g. "started") without polling.
const fakeCylc = `#!/bin/bash
echo "$*" >>"${GYRE_TEST_MESSAGES:?}"
`

// fixture is a run directory with jobs, a fake cylc and two FIFOs: one the
// jobs' messages come through, one that releases jobs waiting on it.
type fixture struct {
	t      *testing.T
	layout job.Layout
	shim   string
	env    []string
	msgs   *os.File
	lines  *bufio.Reader
	gate   *os.File
	events chan Event

	mu   sync.Mutex
	pids []int // job processes to clean up
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	tmp := t.TempDir()
	f := &fixture{t: t, events: make(chan Event, 64)}
	home := filepath.Join(tmp, "home")
	f.shim = filepath.Join(tmp, "shim")
	for _, d := range []string{home, f.shim} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(f.shim, "cylc"), []byte(fakeCylc), 0o755); err != nil {
		t.Fatal(err)
	}
	msgs, gate := filepath.Join(tmp, "messages"), filepath.Join(tmp, "gate")
	// Opened read-write, a FIFO neither blocks its opener nor sees end of
	// file while jobs come and go; closing it at the end releases any job
	// still blocked on the gate.
	for _, p := range []struct {
		path string
		f    **os.File
	}{{msgs, &f.msgs}, {gate, &f.gate}} {
		if err := syscall.Mkfifo(p.path, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := os.OpenFile(p.path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		*p.f = file
	}
	f.lines = bufio.NewReader(f.msgs)
	f.layout = job.Layout{RunDir: filepath.Join(tmp, "cylc-run", "flow", "run1")}
	f.env = []string{
		"PATH=/usr/bin:/bin", "HOME=" + home, "LANG=C", "USER=tester",
		"GYRE_TEST_MESSAGES=" + msgs, "GYRE_TEST_GATE=" + gate,
	}
	t.Cleanup(func() {
		f.msgs.Close()
		f.gate.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, pid := range f.pids {
			// Nothing a test started may outlive it, nor stay a zombie.
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(pid, &ws, 0, nil)
		}
	})
	return f
}

// options are runner options that send events to the fixture.
func (f *fixture) options() Options {
	return Options{Env: f.env, Sink: func(e Event) { f.events <- e }, UTC: true}
}

// Scripts for test jobs.
const (
	// waitGate blocks the job until the test releases it, without sleeping.
	waitGate = `read -r _ <"${GYRE_TEST_GATE}"`
)

// job writes a job script for task with the given scripting.
func (f *fixture) job(task, script string, edit func(*job.Spec)) Job {
	f.t.Helper()
	spec := job.Spec{
		WorkflowID: "flow/run1", WorkflowName: "flow", CyclingMode: "integer",
		InitialCyclePoint: "1", TaskName: task, CyclePoint: "1", SubmitNum: 1,
		RunDir: f.layout.RunDir, ShimDir: f.shim, RunnerName: Background,
		UTC: true, Script: script,
	}
	if edit != nil {
		edit(&spec)
	}
	files, err := f.layout.PrepareJobDir(spec.CyclePoint, spec.TaskName, spec.SubmitNum)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := job.WriteFile(files.Script, spec); err != nil {
		f.t.Fatal(err)
	}
	return Job{JobRef: JobRef{ID: spec.JobID(), Files: files}, ExecutionTimeLimit: spec.ExecutionTimeLimit}
}

// submit submits one job, which must be accepted, and arranges for its
// process group to be killed at the end of the test.
func (f *fixture) submit(r Runner, j Job) SubmitResult {
	f.t.Helper()
	res := r.Submit(f.t.Context(), []Job{j})
	if len(res) != 1 {
		f.t.Fatalf("%d submit results for one job", len(res))
	}
	if res[0].Err != nil {
		f.t.Fatalf("submit %s: %v", j.ID, res[0].Err)
	}
	if r.Name() == Background {
		pid, err := strconv.Atoi(res[0].RunnerJobID)
		if err != nil {
			f.t.Fatalf("background job ID %q is not a PID", res[0].RunnerJobID)
		}
		f.track(pid)
	}
	return res[0]
}

// track kills and reaps pid's group at the end of the test.
func (f *fixture) track(pid int) {
	f.mu.Lock()
	f.pids = append(f.pids, pid)
	f.mu.Unlock()
}

// expect waits for the next message of the jobs, which must end with want.
func (f *fixture) expect(want string) {
	f.t.Helper()
	if err := f.msgs.SetReadDeadline(time.Now().Add(patience)); err != nil {
		f.t.Fatal(err)
	}
	line, err := f.lines.ReadString('\n')
	if err != nil {
		f.t.Fatalf("waiting for message %q: %v", want, err)
	}
	if line = strings.TrimSuffix(line, "\n"); !strings.HasSuffix(line, " "+want) {
		f.t.Fatalf("message %q, want one ending %q", line, want)
	}
}

// release lets one job waiting on the gate go on.
func (f *fixture) release() {
	f.t.Helper()
	if _, err := f.gate.WriteString("go\n"); err != nil {
		f.t.Fatal(err)
	}
}

// exited waits for the next event, which must be an Exited.
func (f *fixture) exited() Exited {
	f.t.Helper()
	var ex Exited
	select {
	case e := <-f.events:
		var ok bool
		if ex, ok = e.(Exited); !ok {
			f.t.Fatalf("event %#v, want Exited", e)
		}
		if ex.Err != nil {
			f.t.Errorf("Exited.Err: %v", ex.Err)
		}
	case <-time.After(patience):
		f.t.Fatal("no Exited event")
	}
	return ex
}

// noEvent checks that no event is pending.
func (f *fixture) noEvent() {
	f.t.Helper()
	select {
	case e := <-f.events:
		f.t.Errorf("unexpected event %#v", e)
	default:
	}
}

// statusKeys returns the keys of job.status's lines, in order.
func statusKeys(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for line := range strings.Lines(string(b)) {
		k, _, _ := strings.Cut(line, "=")
		keys = append(keys, k)
	}
	return keys
}

// deadPID returns the PID of a process that has exited and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}

func mustRunner(t *testing.T, name string, opts Options) Runner {
	t.Helper()
	r, err := New(name, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
