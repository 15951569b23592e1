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
	pidfd := openPidfd(t, pid)

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
	waitExit(t, pidfd, 60*time.Second)

	log, _ := os.ReadFile(filepath.Join(tmp, "run", "wf", "run1", "log", "scheduler", "log"))
	for _, want := range []string{"1/b -triggered off ['1/a']", "Workflow shutting down - AUTOMATIC"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the daemon's log lacks %q:\n%s", want, log)
		}
	}
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

// openPidfd returns a pidfd for a process this test did not start (the
// detached daemon), so its exit can be awaited.
func openPidfd(t *testing.T, pid int) int {
	t.Helper()
	fd, _, errno := syscall.Syscall(434 /* pidfd_open */, uintptr(pid), 0, 0)
	if errno != 0 {
		t.Fatalf("pidfd_open %d: %v", pid, errno)
	}
	t.Cleanup(func() { syscall.Close(int(fd)) })
	return int(fd)
}

// waitExit blocks until the process behind pidfd exits (a pidfd becomes
// readable then), failing the test at the deadline.
func waitExit(t *testing.T, pidfd int, limit time.Duration) {
	t.Helper()
	tv := syscall.NsecToTimeval(limit.Nanoseconds())
	for {
		var set syscall.FdSet
		set.Bits[pidfd/64] |= 1 << (uint(pidfd) % 64)
		n, err := syscall.Select(pidfd+1, &set, nil, nil, &tv)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			t.Fatalf("waiting for the daemon: %v", err)
		case n == 0:
			t.Fatalf("the daemon did not exit within %v", limit)
		}
		return
	}
}
