package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gyre/internal/pidfd"
)

// TestPlayDetaches: gyre play without --no-detach returns once the
// scheduler is up, leaving it running as a daemon that clients reach and
// that runs the workflow to its end.
func TestPlayDetaches(t *testing.T) {
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "gate")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	src := writeFlow(t, map[string]string{"flow.cylc": `
[scheduling]
    [[graph]]
        R1 = a => b
[runtime]
    [[a]]
        script = cat "` + fifo + `"
    [[b]]
        script = true
`})
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	t.Setenv(envAsGyre, "1")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var out bytes.Buffer
	if code := Run(ctx, []string{"play", src}, &out, &out); code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out.String())
	}
	m := regexp.MustCompile(`wf/run1: \S+ PID=(\d+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("play did not say where the scheduler runs:\n%s", out.String())
	}
	pid, _ := strconv.Atoi(m[1])
	daemon, werr := pidfd.Watch(pid)
	if werr != nil {
		t.Fatal(werr)
	}
	defer daemon.Close()

	// The daemon answers while its first task waits on the gate.
	var ping bytes.Buffer
	if code := Run(ctx, []string{"ping", "wf"}, &ping, &ping); code != 0 {
		t.Fatalf("ping exited %d: %s", code, ping.String())
	}
	gate, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	gate.Close()
	select {
	case <-daemon.Done():
	case <-ctx.Done():
		t.Fatal("the daemon did not finish the workflow in time")
	}

	checkLog(t, filepath.Join(tmp, "run", "wf", "run1"), []string{"1/b -triggered off ['1/a']", "Workflow shutting down - AUTOMATIC"})
	if _, err := os.Stat(filepath.Join(tmp, "run", "wf", "run1", ".service", "contact")); !os.IsNotExist(err) {
		t.Errorf("contact file left behind: %v", err)
	}
}

// A workflow that cannot start reports why, and fails, as in the
// foreground.
func TestPlayDetachedReportsFailure(t *testing.T) {
	tmp := t.TempDir()
	src := writeFlow(t, map[string]string{"flow.cylc": "[scheduling]\n    [[graph]]\n        R1 = a =>\n"})
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	t.Setenv(envAsGyre, "1")
	var out bytes.Buffer
	code := Run(context.Background(), []string{"play", src}, &out, &out)
	if code == 0 || !strings.Contains(out.String(), "flow.cylc:3") {
		t.Fatalf("play exited %d; want a failure naming flow.cylc:3:\n%s", code, out.String())
	}
}

// The daemon gets back exactly the options the user gave: repeatable ones
// once per value, never the install name or --no-detach.
func TestReplayFlags(t *testing.T) {
	cmd := newPlay()
	if err := cmd.ParseFlags([]string{"--mode=simulation", "--set", "A=1", "--set", "B='x y'", "--workflow-name=w", "--debug"}); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(replayFlags(cmd.Flags()), " ")
	for _, want := range []string{"--mode=simulation", "--set=A=1", "--set=B='x y'", "--debug=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("replayed %q, want it to include %q", got, want)
		}
	}
	if strings.Contains(got, "workflow-name") || strings.Contains(got, "no-detach") {
		t.Errorf("replayed %q: the install name and --no-detach are the parent's", got)
	}
}
