package api

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// jobSide is a job's view of a workflow run: its environment, output and
// job.status.
type jobSide struct {
	runDir         string
	env            map[string]string
	stdout, stderr bytes.Buffer
	clock          *fakeClock
}

func newJobSide(t *testing.T, runDir string) *jobSide {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(runDir, "log", "job", "1", "foo", "01"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &jobSide{
		runDir: runDir,
		env: map[string]string{
			"CYLC_WORKFLOW_ID":       "flow/run1",
			"CYLC_TASK_JOB":          "1/foo/01",
			"CYLC_WORKFLOW_RUN_DIR":  runDir,
			"CYLC_TASK_COMMS_METHOD": "zmq",
			"CYLC_UTC":               "True",
		},
		clock: newFakeClock(),
	}
}

func (j *jobSide) Env() Env {
	return Env{
		Getenv: func(k string) string { return j.env[k] },
		Stdout: &j.stdout, Stderr: &j.stderr,
		Now:  j.clock.Now,
		wait: j.clock.Wait,
	}
}

func (j *jobSide) message(t *testing.T, stdin string, args ...string) error {
	t.Helper()
	return Message(context.Background(), j.Env(), args, strings.NewReader(stdin))
}

func (j *jobSide) status(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(j.runDir, "log", "job", "1", "foo", "01", "job.status"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

const stamp = "2026-03-04T05:06:07Z" // the fake clock's time

func TestMessageDelivered(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		env     map[string]string
		want    []TaskMessage
		status  string
		stdout  string
		stderr  string
		noSends bool
	}{
		{
			name:   "classic interface: all arguments are messages",
			args:   []string{"hello", "WARNING: disk full"},
			want:   []TaskMessage{{stamp, "INFO", "hello"}, {stamp, "WARNING", "disk full"}},
			status: "CYLC_MESSAGE=" + stamp + "|INFO|hello\nCYLC_MESSAGE=" + stamp + "|WARNING|disk full\n",
			stdout: stamp + " INFO - hello\n", stderr: stamp + " WARNING - disk full\n",
		},
		{
			name: "job script form with a lifecycle message",
			args: []string{"--", "flow/run1", "1/foo/01", "CRITICAL: failed/ERR"},
			want: []TaskMessage{{stamp, "CRITICAL", "failed/ERR"}},
			// The job script has recorded the exit itself.
			status: "", stderr: stamp + " CRITICAL - failed/ERR\n",
		},
		{
			name:   "stdin messages after the arguments, default severity",
			args:   []string{"--severity=CUSTOM", "flow/run1", "1/foo/01", "-", "first"},
			stdin:  "line one\nline two\n\n \nERROR: bad\n",
			want:   []TaskMessage{{stamp, "CUSTOM", "first"}, {stamp, "CUSTOM", "line one\nline two"}, {stamp, "ERROR", "bad"}},
			status: "CYLC_MESSAGE=" + stamp + "|CUSTOM|first\nCYLC_MESSAGE=" + stamp + "|CUSTOM|line one line two\nCYLC_MESSAGE=" + stamp + "|ERROR|bad\n",
		},
		{
			name:    "poll: job.status only",
			args:    []string{"output ready"},
			env:     map[string]string{"CYLC_TASK_COMMS_METHOD": "poll"},
			status:  "CYLC_MESSAGE=" + stamp + "|INFO|output ready\n",
			noSends: true,
		},
		{
			name:   "CYLC_TASK_LOG_ROOT names the status file",
			args:   []string{"x"},
			env:    map[string]string{"CYLC_TASK_LOG_ROOT": "ROOT"},
			want:   []TaskMessage{{stamp, "INFO", "x"}},
			status: "", // written to ROOT.status instead, checked below
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &fakeHandler{}
			ts := startServer(t, h, Options{WorkflowID: "flow/run1"})
			j := newJobSide(t, filepath.Dir(ts.dir))
			for k, v := range tt.env {
				if v == "ROOT" {
					v = filepath.Join(j.runDir, "elsewhere", "job")
					os.MkdirAll(filepath.Dir(v), 0o755)
				}
				j.env[k] = v
			}
			if err := j.message(t, tt.stdin, tt.args...); err != nil {
				t.Fatal(err)
			}
			got := h.received()
			if tt.noSends {
				if len(got) != 0 {
					t.Errorf("sent %v with comms method poll", got)
				}
			} else {
				want := []JobMessage{{Workflow: "flow/run1", Job: "1/foo/01", Messages: tt.want}}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("scheduler received\n%+v\nwant\n%+v", got, want)
				}
			}
			if s := j.status(t); s != tt.status {
				t.Errorf("job.status:\n%q\nwant\n%q", s, tt.status)
			}
			if root, ok := j.env["CYLC_TASK_LOG_ROOT"]; ok {
				data, err := os.ReadFile(root + ".status")
				if err != nil || string(data) != "CYLC_MESSAGE="+stamp+"|INFO|x\n" {
					t.Errorf("%s.status: %q, %v", root, data, err)
				}
			}
			if tt.stdout != "" && j.stdout.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", j.stdout.String(), tt.stdout)
			}
			if tt.stderr != "" && j.stderr.String() != tt.stderr {
				t.Errorf("stderr %q, want %q", j.stderr.String(), tt.stderr)
			}
			if w := j.clock.Waits(); len(w) != 0 {
				t.Errorf("retried (waits %v) with the scheduler up", w)
			}
		})
	}
}

func TestMessageErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		unset bool
		env   map[string]string
		want  string
	}{
		{name: "nothing", args: nil, want: "no message supplied"},
		{name: "classic without environment", args: []string{"hi"}, unset: true, want: "$CYLC_WORKFLOW_ID and $CYLC_TASK_JOB must be set"},
		{name: "bad job id", args: []string{"flow/run1", "foo", "hi"}, want: `job ID "foo": want CYCLE/TASK/SUBMIT_NUM`},
		{name: "bad workflow id", args: []string{"a b", "1/foo/01", "hi"}, want: `workflow ID "a b"`},
		{name: "colon in the middle", args: []string{"ready at 10:00"}, want: "cannot contain ':' unless"},
		{name: "stdin empty", args: []string{"-"}, want: "stdin held none"},
		{name: "misspelt comms method", args: []string{"hi"}, env: map[string]string{"CYLC_TASK_COMMS_METHOD": "pol"}, want: `"pol" is not one of zmq, poll, ssh (did you mean "poll"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newJobSide(t, t.TempDir())
			if tt.unset {
				delete(j.env, "CYLC_TASK_JOB")
			}
			for k, v := range tt.env {
				j.env[k] = v
			}
			err := j.message(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// A bad comms method is found after recording, as in Cylc: nothing lost.
	j := newJobSide(t, t.TempDir())
	j.env["CYLC_TASK_COMMS_METHOD"] = "carrier-pigeon"
	if err := j.message(t, "", "hi"); err == nil {
		t.Fatal("no error for an unknown comms method")
	}
	if s := j.status(t); s != "CYLC_MESSAGE="+stamp+"|INFO|hi\n" {
		t.Errorf("job.status %q: the message was not recorded", s)
	}
}

// TestMessageWhileSchedulerDown sends while no scheduler runs (between a
// stop and a restart: no contact file); the scheduler comes up during the
// second pause between attempts and gets the message.
func TestMessageWhileSchedulerDown(t *testing.T) {
	runDir := t.TempDir()
	dir := filepath.Join(runDir, ".service")
	creds, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := &fakeHandler{}
	j := newJobSide(t, runDir)
	j.clock.onWait = func(n int) {
		if n == 2 {
			startServerIn(t, dir, creds, h, Options{WorkflowID: "flow/run1"})
		}
	}
	if err := j.message(t, "", "data ready"); err != nil {
		t.Fatal(err)
	}
	want := []JobMessage{{Workflow: "flow/run1", Job: "1/foo/01", Messages: []TaskMessage{{stamp, "INFO", "data ready"}}}}
	if got := h.received(); !reflect.DeepEqual(got, want) {
		t.Errorf("received %+v, want %+v", got, want)
	}
	waits := j.clock.Waits()
	if len(waits) != 2 {
		t.Fatalf("waits %v, want 2", waits)
	}
	for i, base := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond} {
		if waits[i] < base/2 || waits[i] > base {
			t.Errorf("wait %d = %v, want between %v and %v", i+1, waits[i], base/2, base)
		}
	}
	if n := strings.Count(j.stderr.String(), "retrying"); n != 1 {
		t.Errorf("stderr %q: want one retry warning", j.stderr.String())
	}
	if s := j.status(t); s != "CYLC_MESSAGE="+stamp+"|INFO|data ready\n" {
		t.Errorf("job.status %q", s)
	}
}

// TestMessageAcrossRestart: the scheduler died leaving its contact file; it
// restarts with the same credentials on another port and socket, and the
// job follows it by re-reading the contact file.
func TestMessageAcrossRestart(t *testing.T) {
	h := &fakeHandler{}
	old := startServer(t, h, Options{WorkflowID: "flow/run1"})
	if err := old.stop(); err != nil {
		t.Fatal(err)
	}
	j := newJobSide(t, filepath.Dir(old.dir))
	var restarted *testServer
	j.clock.onWait = func(n int) {
		if n == 3 {
			creds, err := EnsureCredentials(old.dir)
			if err != nil {
				t.Error(err)
				return
			}
			restarted = startServerIn(t, old.dir, creds, h, Options{WorkflowID: "flow/run1"})
		}
	}
	if err := j.message(t, "", "--", "flow/run1", "1/foo/01", "succeeded"); err != nil {
		t.Fatal(err)
	}
	if got := h.received(); len(got) != 1 || got[0].Messages[0].Text != "succeeded" {
		t.Fatalf("received %+v, want the succeeded message", got)
	}
	if restarted == nil || len(j.clock.Waits()) != 3 {
		t.Errorf("delivered after %d pauses, want 3 (the restart came during the third)", len(j.clock.Waits()))
	}
}

// TestMessageGivesUp: with no scheduler for the whole budget, Message warns
// and succeeds; the message is in job.status for the scheduler's poll.
func TestMessageGivesUp(t *testing.T) {
	j := newJobSide(t, t.TempDir())
	j.env[EnvRetryBudget] = "30s"
	if err := j.message(t, "", "x"); err != nil {
		t.Fatalf("Message: %v; want success with a warning", err)
	}
	var total time.Duration
	waits := j.clock.Waits()
	for _, w := range waits {
		total += w
	}
	if total != 30*time.Second {
		t.Errorf("waited %v in %d pauses, want exactly the 30s budget", total, len(waits))
	}
	for _, w := range waits {
		if w > 10*time.Second {
			t.Errorf("pause %v longer than the 10s maximum", w)
		}
	}
	errText := j.stderr.String()
	for _, want := range []string{"could not deliver", "is not running (no contact file", "job.status", "will find them when it polls"} {
		if !strings.Contains(errText, want) {
			t.Errorf("stderr %q lacks %q", errText, want)
		}
	}
	if s := j.status(t); s != "CYLC_MESSAGE="+stamp+"|INFO|x\n" {
		t.Errorf("job.status %q", s)
	}
}

func TestRetryBudgetSetting(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"": defaultBudget, "90s": 90 * time.Second, "2m": 2 * time.Minute, "45": 45 * time.Second,
		"0": 0, "0.5": 500 * time.Millisecond, "soon": defaultBudget, "-3s": defaultBudget,
	} {
		var stderr bytes.Buffer
		env := Env{Getenv: func(string) string { return v }, Stderr: &stderr}.withDefaults()
		if got := retryBudget(env); got != want {
			t.Errorf("%s=%q: budget %v, want %v", EnvRetryBudget, v, got, want)
		}
		if (want == defaultBudget && v != "") != (stderr.Len() > 0) {
			t.Errorf("%s=%q: warning %q", EnvRetryBudget, v, stderr.String())
		}
	}
}

// TestMessageRefused: a refusal is final, reported and not retried.
func TestMessageRefused(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{WorkflowID: "another/run"})
	j := newJobSide(t, filepath.Dir(ts.dir))
	err := j.message(t, "", "x")
	if err == nil || !strings.Contains(err.Error(), `runs workflow "another/run", not "flow/run1"`) {
		t.Fatalf("error %v, want the scheduler's refusal", err)
	}
	if w := j.clock.Waits(); len(w) != 0 {
		t.Errorf("retried a refusal: waits %v", w)
	}
	if s := j.status(t); s == "" {
		t.Error("refused message not recorded in job.status")
	}
}

// TestMessageFromRemoteHost: no run directory on the job host, only the
// address, pin and token file the job was submitted with; TLS is used.
func TestMessageFromRemoteHost(t *testing.T) {
	h := &fakeHandler{}
	ts := startServer(t, h, Options{WorkflowID: "flow/run1"})
	j := newJobSide(t, t.TempDir()) // a run directory without .service
	j.env[EnvSchedulerURL] = ts.URL()
	j.env[EnvFingerprint] = strings.ToUpper(ts.creds.Fingerprint)
	j.env[EnvTokenFile] = filepath.Join(ts.dir, TokenFileName)
	if err := j.message(t, "", "remote hello"); err != nil {
		t.Fatal(err)
	}
	if got := h.received(); len(got) != 1 || got[0].Messages[0].Text != "remote hello" {
		t.Fatalf("received %+v", got)
	}
	// With a wrong pin the message is not sent to an impostor; it keeps
	// trying (a restart may bring a new certificate), then gives up.
	j.env[EnvFingerprint] = strings.Repeat("0", 64)
	j.env[EnvRetryBudget] = "1s"
	if err := j.message(t, "", "second"); err != nil {
		t.Fatal(err)
	}
	if got := h.received(); len(got) != 1 {
		t.Errorf("message delivered despite a wrong pin: %+v", got)
	}
	if !strings.Contains(j.stderr.String(), "not the pinned") {
		t.Errorf("stderr %q does not explain the pin mismatch", j.stderr.String())
	}
}

// TestMessageWhileSchedulerBusy: "unavailable" answers (a scheduler
// starting up or shutting down) are retried until the scheduler takes the
// messages.
func TestMessageWhileSchedulerBusy(t *testing.T) {
	h := &fakeHandler{msgErr: Errorf(CodeUnavailable, "loading the pool")}
	ts := startServer(t, h, Options{WorkflowID: "flow/run1"})
	j := newJobSide(t, filepath.Dir(ts.dir))
	j.clock.onWait = func(n int) {
		if n == 3 {
			h.mu.Lock()
			h.msgErr = nil
			h.mu.Unlock()
		}
	}
	if err := j.message(t, "", "x"); err != nil {
		t.Fatal(err)
	}
	if got := h.received(); len(got) != 1 {
		t.Errorf("received %+v, want the message once", got)
	}
	if !strings.Contains(j.stderr.String(), "loading the pool") {
		t.Errorf("stderr %q does not say why it retries", j.stderr.String())
	}
}

// TestMessageSchedulerHangs: a scheduler that accepts connections but never
// answers costs one comms timeout per attempt, not a hung job.
func TestMessageSchedulerHangs(t *testing.T) {
	runDir := t.TempDir()
	dir := filepath.Join(runDir, ".service")
	creds, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "hung.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never answered
		}
	}()
	defer func() {
		l.Close()
		<-accepted
		for _, c := range conns {
			c.Close()
		}
	}()
	if err := WriteContact(dir, Contact{WorkflowID: "flow/run1", Socket: sock, Fingerprint: creds.Fingerprint}); err != nil {
		t.Fatal(err)
	}
	j := newJobSide(t, runDir)
	j.env[EnvRetryBudget] = "200ms"
	if err := j.message(t, "", "--comms-timeout=0.02", "x"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(j.stderr.String(), "could not deliver") || !strings.Contains(j.stderr.String(), "deadline exceeded") {
		t.Errorf("stderr %q: want a give-up warning naming the timeout", j.stderr.String())
	}
}
