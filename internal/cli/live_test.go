package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// liveFlow exercises live mode end to end: a dependency, a custom output
// sent with "cylc message", a job that fails on its first try and succeeds
// on its retry, and a job killed by SIGKILL, which only the runner can
// report.
const liveFlow = `
[scheduler]
    [[events]]
        abort on stall timeout = True
        stall timeout = PT0S
[scheduling]
    [[graph]]
        R1 = """
            a => b
            b:x => c
            r => r_done
            k:fail? => k_failed
        """
[runtime]
    [[a, c, r_done, k_failed]]
        script = true
    [[b]]
        script = cylc message "x ready"
        [[[outputs]]]
            x = "x ready"
    [[r]]
        script = test "$CYLC_TASK_TRY_NUMBER" -ge 2
        execution retry delays = PT0S
    [[k]]
        script = kill -KILL $$
`

// runLive plays a workflow in live mode with a run root of its own.
func runLive(t *testing.T, flow string, args ...string) (code int, out string, runDir string) {
	t.Helper()
	tmp := t.TempDir()
	src := filepath.Join(tmp, "flow")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	t.Setenv("GYRE_MESSAGE_RETRY_BUDGET", "10s")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var buf bytes.Buffer
	code = Run(ctx, append([]string{"play", "-N", src}, args...), &buf, &buf)
	if ctx.Err() != nil {
		t.Fatalf("the run did not finish in time:\n%s", buf.String())
	}
	return code, buf.String(), filepath.Join(tmp, "run", "flow", "run1")
}

func TestPlayLive(t *testing.T) {
	code, out, dir := runLive(t, liveFlow)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{
		"Run mode: live",
		"1/b -triggered off ['1/a'] in flow 1",
		// The job sends "started" in the background, as Cylc's does, so
		// the custom message may come first: the state is not checked.
		"(received)x ready",
		"1/c -triggered off ['1/b'] in flow 1",
		"[1/r/01:running] execution failed, retrying in PT0S",
		"[1/r/02:running] => succeeded",

		"1/r_done -triggered off ['1/r'] in flow 1",
		"failed/SIGKILL",
		"1/k_failed -triggered off ['1/k'] in flow 1",
		"Workflow shutting down - AUTOMATIC",
	})
	for job, exit := range map[string]string{
		"1/a/01": "SUCCEEDED", "1/b/01": "SUCCEEDED", "1/c/01": "SUCCEEDED",
		"1/r/01": "ERR", "1/r/02": "SUCCEEDED", "1/k/01": "SIGKILL",
	} {
		data, err := os.ReadFile(filepath.Join(dir, "log", "job", job, "job.status"))
		if err != nil || !strings.Contains(string(data), "\nCYLC_JOB_EXIT="+exit+"\n") {
			t.Errorf("%s job.status = %q, %v; want CYLC_JOB_EXIT=%s", job, data, err, exit)
		}
	}
	out2, err := os.ReadFile(filepath.Join(dir, "log", "job", "1", "r", "02", "job.out"))
	if err != nil || !strings.Contains(string(out2), "Job : 1/r/02 (try 2)") {
		t.Errorf("1/r/02 job.out = %q, %v; want the second try", out2, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".service", "contact")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("contact file after shutdown: %v; want it removed", err)
	}
}

// A task on a platform Gyre does not have fails to submit, and the graph
// can handle that, as in Cylc's triggering/14-submit-fail.
func TestPlayLiveSubmitFail(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[graph]]
        R1 = """
            foo:submit-fail? => bar
            bar => !foo
        """
[runtime]
    [[foo]]
        script = true
        platform = idontexist
    [[bar]]
        script = true
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{`platform not defined: No matching platform "idontexist" found`, "1/bar -triggered off ['1/foo']"})
}

func TestInstall(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src", "demo")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), []byte("[scheduling]\n[[graph]]\nR1 = a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"install", src}, 0, "INSTALLED demo/run1 from " + src + "\n"},
		{[]string{"install", filepath.Join(src, "flow.cylc")}, 0, "INSTALLED demo/run2 from " + src + "\n"},
		{[]string{"install", "--workflow-name", "fido", src}, 0, "INSTALLED fido/run1 from " + src + "\n"},
		{[]string{"install", "-n", "fido", src}, 0, "INSTALLED fido/run2 from " + src + "\n"},
		{[]string{"install", tmp}, 1, "no flow.cylc or suite.rc in " + tmp},
		{[]string{"install", filepath.Join(tmp, "nope")}, 1, "no such file or directory"},
	} {
		var buf bytes.Buffer
		code := Run(context.Background(), tc.args, &buf, &buf)
		if code != tc.code || !strings.Contains(buf.String(), tc.out) || (tc.code == 0 && buf.String() != tc.out) {
			t.Errorf("gyre %s = %d %q, want %d %q", strings.Join(tc.args, " "), code, buf.String(), tc.code, tc.out)
		}
	}
	if target, err := os.Readlink(filepath.Join(tmp, "run", "demo", "runN")); err != nil || target != "run2" {
		t.Errorf("runN -> %q, %v; want run2", target, err)
	}
}

func TestCylcShim(t *testing.T) {
	t.Setenv("CYLC_TASK_CYCLE_POINT", "20100808T0000Z")
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"cylc"}, 1, "cylc: no command given"},
		{[]string{"cylc", "get-resources", "x"}, 1, "cylc get-resources is not supported by Gyre yet"},
		{[]string{"cylc", "completion", "bash"}, 1, "cylc completion is not supported by Gyre yet"},
		{[]string{"cylc", "reload", "nosuchflow"}, 1, "nosuchflow not found"},
		{[]string{"cylc", "stop", "nosuchflow"}, 1, "nosuchflow"},
		{[]string{"cylc", "message"}, 1, "no message supplied"},
		{[]string{"message", "hello"}, 1, "$CYLC_WORKFLOW_ID and $CYLC_TASK_JOB must be set"},
	} {
		var buf bytes.Buffer
		code := Run(context.Background(), tc.args, &buf, &buf)
		if code != tc.code || !strings.Contains(buf.String(), tc.out) {
			t.Errorf("gyre %s = %d %q, want %d and %q", strings.Join(tc.args, " "), code, buf.String(), tc.code, tc.out)
		}
	}
	// cycle-point and its aliases run gyre cycle-point, if it is built in,
	// and are refused like any other verb if not.
	c, _, err := newRoot(nil, nil).Find([]string{"cycle-point"})
	haveCyclePoint := err == nil && c.Name() == "cycle-point"
	for _, verb := range []string{"cycle-point", "cyclepoint", "cycletime"} {
		var buf bytes.Buffer
		code := Run(context.Background(), []string{"cylc", verb, "--print-hour"}, &buf, &buf)
		switch {
		case haveCyclePoint && (code != 0 || strings.TrimSpace(buf.String()) != "00"):
			t.Errorf("gyre cylc %s --print-hour = %d %q, want 00", verb, code, buf.String())
		case !haveCyclePoint && (code != 1 || !strings.Contains(buf.String(), "not supported by Gyre yet")):
			t.Errorf("gyre cylc %s without gyre cycle-point = %d %q, want a refusal", verb, code, buf.String())
		}
	}
}

// checkLog reads a run's scheduler log, reports each of want that it
// lacks (showing the log once), and returns it for further checks.
func checkLog(t *testing.T, runDir string, want []string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runDir, "log", "scheduler", "log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	missing := false
	for _, w := range want {
		if !strings.Contains(log, w) {
			t.Errorf("scheduler log lacks %q", w)
			missing = true
		}
	}
	if missing {
		t.Logf("scheduler log:\n%s", log)
	}
	return log
}
