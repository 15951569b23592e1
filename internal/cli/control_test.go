package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCommandsLive drives a running scheduler with every task and workflow
// command, from a job, as Cylc's own tests do: each command's effect is
// checked in the scheduler log and in the driver's output.
func TestCommandsLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    [[graph]]
        R1 = """
            driver:started & gate => held
            driver:started & gate2 => removeme
            driver:started => victim
            victim:fail? => victim_handled
            # gate, gate2 and manual run only when a command says so.
            never:fail? => gate & gate2 & manual
        """
[runtime]
    [[root]]
        script = true
    [[victim]]
        script = sleep 600
    [[manual]]
        script = true
    [[driver]]
        script = """
            W="$CYLC_WORKFLOW_ID"
            cylc__job__wait_cylc_message_started
            cylc pause "$W"
            cylc trigger "$W//1/manual"
            cylc__job__poll_grep_workflow_log '1/manual/01:running. => succeeded'
            # gyre play on a running workflow resumes it (the test binary
            # is gyre when GYRE_TEST_AS_GYRE is set).
            GYRE_TEST_AS_GYRE=1 "$GYRE_BIN" play "$W"
            cylc hold "$W//1/held"
            cylc set "$W//1/gate"
            cylc dump "$W" > dump.txt
            cylc show "$W//1/removeme" > show.txt
            cylc release "$W//1/held"
            cylc remove "$W//1/removeme"
            cylc__job__poll_grep_workflow_log '1/victim/01:submitted. => running'
            cylc poll "$W//1/victim"
            cylc kill "$W//1/victim"
            cylc__job__poll_grep_workflow_log '1/victim/01:running(held). => failed'
            cylc release "$W//1/victim"
            cylc ping "$W"
            cylc hold "$W//1/nosuchtask" 2> nomatch.txt
            cp dump.txt show.txt nomatch.txt "$CYLC_WORKFLOW_SHARE_DIR/"
        """
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	log := checkLog(t, dir, []string{
		"PAUSING the workflow now: Paused on request",
		`Command "pause" actioned`,
		"[1/manual:waiting] triggered manually",
		"RESUMING the workflow now",
		`Command "hold" actioned`,
		"[1/gate:waiting] setting output: succeeded",
		"1/held -triggered off ['1/driver', '1/gate'] in flow 1",
		"Removed task: 1/removeme",
		`Command "poll" actioned`,
		"[1/victim/01] job killed",
		"[1/victim/01:running(held)] => failed",
		"1/victim_handled -triggered off ['1/victim'] in flow 1",
		`Command "hold": no matching tasks found: 1/nosuchtask`,
		"Workflow shutting down - AUTOMATIC",
	})
	if strings.Contains(log, "1/manual -triggered") && strings.Index(log, "1/manual -triggered") > strings.Index(log, "RESUMING") {
		t.Errorf("1/manual was not run while the workflow was paused")
	}
	if strings.Contains(log, "1/removeme -triggered") {
		t.Errorf("1/removeme ran after it was removed")
	}
	share := filepath.Join(dir, "share")
	for file, want := range map[string]string{
		"dump.txt":    "1/held waiting(held)",
		"show.txt":    "waiting on 1/gate2:succeeded",
		"nomatch.txt": "WARNING - no matching tasks for 1/nosuchtask",
	} {
		data, err := os.ReadFile(filepath.Join(share, file))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s = %q, %v; want it to contain %q", file, data, err, want)
		}
	}
}

// TestStopNowLive: stop --now ends the run at once and leaves the running
// job alone; a restart finds it and carries on.
func TestStopNowLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[graph]]
        R1 = "a & b"
[runtime]
    [[a]]
        script = cylc stop --now "$CYLC_WORKFLOW_ID"
    [[b]]
        script = cylc__job__poll_grep_workflow_log 'Workflow shutting down - REQUEST.NOW.'
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log", "scheduler", "log"))
	if !strings.Contains(string(log), "Workflow shutting down - REQUEST(NOW)") {
		t.Errorf("scheduler log lacks the stop:\n%s", log)
	}
}

// A message a job sends while its scheduler is down is not lost: the job
// records it in job.status first, and the restarted scheduler's poll
// finds it there, so the output it completes still triggers downstream.
func TestMessageWhileDownIsRecovered(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "down")
	ready, goOn := filepath.Join(tmp, "ready"), filepath.Join(tmp, "go")
	for _, f := range []string{ready, goOn} {
		if err := syscall.Mkfifo(f, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	flow := `
[scheduling]
    [[graph]]
        R1 = "a:x => b"
[runtime]
    [[a]]
        script = """
            cylc__job__wait_cylc_message_started
            echo ready > ` + ready + `
            cat ` + goOn + `
            cylc message "x is done"
        """
        [[[outputs]]]
            x = "x is done"
    [[b]]
        script = true
`
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), []byte(flow), 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(tmp, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "run")
	// The job's messaging client gives up quickly, so only the restart's
	// poll can deliver the message.
	env := []string{"GYRE_RUN_ROOT=" + root, "GYRE_MESSAGE_RETRY_BUDGET=1s", "HOME=" + home}
	cmd, out := gyreProc(t, env, "play", "-N", "-q", src)
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	if _, err := os.ReadFile(ready); err != nil { // blocks until a is running
		t.Fatal(err)
	}
	if exited, _ := waitOrKill(cmd, time.Nanosecond); exited {
		t.Fatalf("the scheduler exited early:\n%s", out)
	}
	// Scheduler gone: let the job send its message and finish.
	if err := os.WriteFile(goOn, []byte("go\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status := filepath.Join(root, "down", "run1", "log", "job", "1", "a", "01", "job.status")
	restart, out2 := gyreProc(t, env, "play", "-N", "-q", "down/run1")
	t.Cleanup(func() { _ = restart.Process.Kill() })
	if exited, code := waitOrKill(restart, 2*time.Minute); !exited || code != 0 {
		st, _ := os.ReadFile(status)
		t.Fatalf("restart: exited=%v code=%d:\n%s\njob.status:\n%s", exited, code, out2, st)
	}
	checkLog(t, filepath.Join(root, "down", "run1"), []string{"(received)x is done", "1/b -triggered off ['1/a'] in flow 1", "Workflow shutting down - AUTOMATIC"})
}

// A job's command names its own workflow by ID or name; it finds the run
// through the job's environment, whatever the run root on its host.
func TestJobsOwnRun(t *testing.T) {
	env := map[string]string{"CYLC_WORKFLOW_ID": "wf/run2", "CYLC_WORKFLOW_NAME": "wf", "CYLC_WORKFLOW_RUN_DIR": "/scratch/wf/run2"}
	getenv := func(k string) string { return env[k] }
	for _, c := range []struct {
		workflow string
		ok       bool
	}{
		{"wf/run2", true}, {"wf", true}, {"wf/run2/", true},
		{"wf/run1", false}, {"other", false},
	} {
		id, dir, ok := jobsOwnRun(c.workflow, getenv)
		if ok != c.ok || ok && (id != "wf/run2" || dir != "/scratch/wf/run2") {
			t.Errorf("jobsOwnRun(%q) = %q, %q, %t; want ok=%t", c.workflow, id, dir, ok, c.ok)
		}
	}
	if _, _, ok := jobsOwnRun("wf", func(string) string { return "" }); ok {
		t.Error("jobsOwnRun outside a job found a run")
	}
}
