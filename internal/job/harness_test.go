package job

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeCylc stands in for Gyre's "cylc" shim: it records each call's
// arguments as one line, so tests see which messages a job sent, in order,
// and echoes them as the real client does, to show where its output goes.
const fakeCylc = `#!/bin/bash
echo "$*" >>"${GYRE_TEST_MESSAGES:?}"
echo "fake cylc: $*"
`

// ran is the outcome of running a job script for real.
type ran struct {
	layout   Layout
	files    JobFiles
	code     int      // the job's exit status
	messages []string // calls of the fake cylc, in order
	out, err string   // job.out, job.err
	status   []string // job.status lines, times and PID masked
	parsed   Status
}

// baseSpec is a small datetime-cycling job; tests change what they study.
func baseSpec() Spec {
	return Spec{
		WorkflowID:         "flow/run1",
		WorkflowName:       "flow",
		WorkflowUUID:       "5e1f-uuid",
		CyclingMode:        "gregorian",
		InitialCyclePoint:  "20200101T0000Z",
		FinalCyclePoint:    "20200102T0000Z",
		UTC:                true,
		TaskName:           "foo",
		CyclePoint:         "20200101T0000Z",
		SubmitNum:          1,
		TryNum:             1,
		FlowNums:           []int{1},
		NamespaceHierarchy: []string{"root", "FAM", "foo"},
		RunnerName:         "background",
		GyreBin:            "/usr/local/bin/gyre",
	}
}

// runJob writes spec's script into a fresh run directory and runs it the way
// the background runner does (own process group, output to job.out and
// job.err), with a fake cylc on PATH. setup, if given, prepares the run
// directory first; env adds to the job's environment.
func runJob(t *testing.T, spec Spec, setup func(l Layout), env ...string) ran {
	t.Helper()
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	shim := filepath.Join(tmp, "shim")
	msgLog := filepath.Join(tmp, "messages")
	for _, d := range []string{home, shim} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(shim, "cylc"), []byte(fakeCylc), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(msgLog, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l := Layout{RunDir: filepath.Join(tmp, "cylc-run", spec.WorkflowID)}
	spec.RunDir = l.RunDir
	spec.ShimDir = shim
	if setup != nil {
		setup(l)
	}
	files, err := l.PrepareJobDir(spec.CyclePoint, spec.TaskName, spec.SubmitNum)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Create(files.Status)
	if err != nil {
		t.Fatal(err)
	}
	if err := AppendStatusField(st, KeyRunnerName, "background"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := WriteFile(files.Script, spec); err != nil {
		t.Fatal(err)
	}
	out, _ := os.Create(files.Out)
	errf, _ := os.Create(files.Err)
	defer out.Close()
	defer errf.Close()

	// A safety net only: a hung job fails the test instead of stalling it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", files.Script)
	cmd.Dir = tmp
	cmd.Stdout, cmd.Stderr = out, errf
	cmd.Env = []string{
		"PATH=/usr/bin:/bin", "HOME=" + home, "LANG=C", "USER=tester",
		"GYRE_TEST_MESSAGES=" + msgLog,
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	r := ran{layout: l, files: files}
	err = cmd.Run()
	// Nothing of the job may outlive it; should a bug leave a process
	// behind, it must not outlive the test either.
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running the job: %v", err)
		}
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.code = 128 + int(ws.Signal())
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("job did not finish: %v", ctx.Err())
	}
	r.messages = lines(t, msgLog)
	r.out = read(t, files.Out)
	r.err = read(t, files.Err)
	raw := read(t, files.Status)
	r.status = maskStatus(t, raw, spec.UTC)
	r.parsed, err = ParseStatus(strings.NewReader(raw))
	if err != nil {
		t.Errorf("job.status: %v", err)
	}
	return r
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	s := strings.TrimSuffix(read(t, path), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

var (
	utcTime   = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	anyTime   = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$`)
	timedLine = regexp.MustCompile(`^(CYLC_JOB_INIT_TIME|CYLC_JOB_EXIT_TIME)=(.*)$|^CYLC_MESSAGE=([^|]*)(\|.*)$`)
)

// maskStatus returns the lines of job.status with times replaced by <time>
// and the PID by <pid>, after checking that each time is well formed.
func maskStatus(t *testing.T, raw string, utc bool) []string {
	t.Helper()
	format := anyTime
	if utc {
		format = utcTime
	}
	var out []string
	for line := range strings.Lines(raw) {
		line = strings.TrimSuffix(line, "\n")
		if m := timedLine.FindStringSubmatch(line); m != nil {
			when := m[2] + m[3]
			if !format.MatchString(when) {
				t.Errorf("job.status time %q (in %q) is not in Cylc's format", when, line)
			}
			if m[1] != "" {
				line = m[1] + "=<time>"
			} else {
				line = "CYLC_MESSAGE=<time>" + m[4]
			}
		}
		if strings.HasPrefix(line, "CYLC_JOB_PID=") {
			line = "CYLC_JOB_PID=<pid>"
		}
		out = append(out, line)
	}
	return out
}

// msg formats a fake-cylc record of "cylc message" for the base spec's job.
func msg(text ...string) string {
	return "message -- flow/run1 20200101T0000Z/foo/01 " + strings.Join(text, " ")
}

// blockForever makes a user script wait until a signal kills it, without
// sleeping: opening a FIFO for reading blocks until a writer comes, and none
// will.
const blockForever = `mkfifo "${CYLC_TASK_LOG_DIR}/never"; read -r < "${CYLC_TASK_LOG_DIR}/never"`
