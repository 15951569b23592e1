package live

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gyre/internal/pool"
)

// startRunner starts a Runner for the workflow in dir whose jobs' "cylc"
// is this test binary, with no scheduler to reach: messages are recorded in
// job.status only.
func startRunner(t *testing.T, flow string, env ...string) (*Runner, events, string) {
	t.Helper()
	dir, w, def := loadFlow(t, flow)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(dir, ".service", "bin")
	if err := WriteShim(shim, exe); err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{
		Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: dir, UUID: "u",
		GyreBin: exe, ShimDir: shim,
		JobEnv: append([]string{"GYRE_MESSAGE_RETRY_BUDGET=1ms"}, env...),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := r.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	t.Cleanup(func() { cancel(); wg.Wait() })
	return r, make(events, 64), dir
}

func submitJob(r *Runner, ev events, name string) {
	r.Submit(pool.SubmitJob{ID: pool.ID{Point: "1", Name: name}, SubmitNum: 1, TryNum: 1, Flows: pool.Flows{1}}, ev.post)
}

// A job killed by SIGKILL cannot report anything itself: the runner sees
// the process die and the task is failed at once, without waiting for a
// poll.
func TestRunnerReportsSIGKILLAtOnce(t *testing.T) {
	r, ev, _ := startRunner(t, `
[scheduling]
    [[graph]]
        R1 = k
[runtime]
    [[k]]
        script = kill -KILL $$
`)
	submitJob(r, ev, "k")
	id := pool.ID{Point: "1", Name: "k"}
	sub, ok := ev.next(t).(pool.JobSubmitted)
	if !ok || sub.ID != id || sub.SubmitNum != 1 || sub.JobID == "" {
		t.Fatalf("first event = %#v, want JobSubmitted with the PID", sub)
	}
	msg, ok := ev.next(t).(pool.JobMessage)
	if !ok || msg.ID != id || msg.Message != "failed/SIGKILL" || msg.Severity != "CRITICAL" {
		t.Fatalf("second event = %#v, want JobMessage failed/SIGKILL", msg)
	}
}

// Messages a job could not deliver (no scheduler was listening) are in its
// job.status; when the job exits they are reported, then how it ended.
func TestRunnerRecoversUndeliveredMessages(t *testing.T) {
	r, ev, dir := startRunner(t, `
[scheduling]
    [[graph]]
        R1 = m
[runtime]
    [[m]]
        script = cylc message "x ready"
        [[[outputs]]]
            x = "x ready"
`)
	submitJob(r, ev, "m")
	var got []string
	for len(got) < 3 {
		switch e := ev.next(t).(type) {
		case pool.JobSubmitted:
			got = append(got, "submitted")
		case pool.JobMessage:
			got = append(got, e.Message)
		default:
			t.Fatalf("unexpected event %#v", e)
		}
	}
	if strings.Join(got, ",") != "submitted,x ready,succeeded" {
		t.Errorf("events = %q, want submitted, x ready, succeeded", got)
	}
	status, err := os.ReadFile(filepath.Join(dir, "log", "job", "1", "m", "01", "job.status"))
	if err != nil || !strings.Contains(string(status), "|INFO|x ready\n") {
		t.Errorf("job.status = %q, %v; want the message recorded", status, err)
	}
}

// A message the job delivered is not reported again when it exits, nor is
// the end it reported itself.
func TestRunnerDoesNotRepeatDeliveredMessages(t *testing.T) {
	gate := filepath.Join(t.TempDir(), "gate")
	if err := syscall.Mkfifo(gate, 0o600); err != nil {
		t.Fatal(err)
	}
	r, ev, _ := startRunner(t, `
[scheduling]
    [[graph]]
        R1 = m
[runtime]
    [[m]]
        script = """
            cylc message "x ready"
            read line < "$GATE"
        """
        [[[outputs]]]
            x = "x ready"
`, "GATE="+gate)
	exited := make(chan string, 1)
	r.exitHook = func(id string) { exited <- id }
	submitJob(r, ev, "m")
	if e, ok := ev.next(t).(pool.JobSubmitted); !ok {
		t.Fatalf("first event = %#v, want JobSubmitted", e)
	}
	// Stand in for the API: the job's messages arrive while it runs.
	id := pool.ID{Point: "1", Name: "m"}
	r.received("1/m/01", []pool.JobMessage{
		{ID: id, SubmitNum: 1, Message: "x ready"},
		{ID: id, SubmitNum: 1, Message: "succeeded"},
	}, ev.post)
	for _, want := range []string{"x ready", "succeeded"} {
		if e, ok := ev.next(t).(pool.JobMessage); !ok || e.Message != want {
			t.Fatalf("event = %#v, want the message %q passed on", e, want)
		}
	}
	f, err := os.OpenFile(gate, os.O_WRONLY, 0) // blocks until the job reads
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("go\n")
	f.Close()
	if got := <-exited; got != "1/m/01" {
		t.Fatalf("exit of %s handled, want 1/m/01", got)
	}
	select {
	case e := <-ev:
		t.Fatalf("the exit was reported again: %#v", e)
	default:
	}
}

func TestRunnerPlatformNotDefined(t *testing.T) {
	r, ev, _ := startRunner(t, `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
        script = true
        platform = idontexist
`)
	submitJob(r, ev, "foo")
	f, ok := ev.next(t).(pool.JobSubmitFailed)
	if !ok || f.ID.Name != "foo" || !strings.Contains(f.Reason, "platform not defined") || !strings.Contains(f.Reason, "idontexist") {
		t.Fatalf("event = %#v, want JobSubmitFailed naming the platform", f)
	}
}
