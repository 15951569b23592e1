package runner

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gyre/internal/job"
)

// atd is the at daemon the at tests need. If none is running the tests
// start one (atd -f, as root) and TestMain stops it.
var atd struct {
	once sync.Once
	proc *os.Process // the atd this run started, if any
	skip string      // why the tests that need atd cannot run
	err  error
}

// needAtCommands skips a test when the at commands are not installed.
func needAtCommands(t *testing.T) {
	t.Helper()
	for _, c := range []string{"at", "atq", "atrm", "perl", "timeout"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s is not installed, so the at job runner cannot be tested here", c)
		}
	}
}

// needAtd skips a test that needs a running atd when none can be had.
func needAtd(t *testing.T) {
	t.Helper()
	needAtCommands(t)
	atd.once.Do(func() { atd.proc, atd.skip, atd.err = startAtd() })
	if atd.err != nil {
		t.Fatalf("starting atd: %v", atd.err)
	}
	if atd.skip != "" {
		t.Skip(atd.skip)
	}
}

// atdPidFile is where atd records its PID and at looks for it.
func atdPidFile() string {
	if fi, err := os.Stat("/run"); err == nil && fi.IsDir() {
		return "/run/atd.pid"
	}
	return "/var/run/atd.pid"
}

func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// startAtd starts atd unless one is running, and returns once it has
// written its pid file — which it does after installing the SIGHUP handler
// through which at tells it about new jobs. The pid file is watched with
// inotify, not polled; atd keeps it open (locked), so what shows that it is
// written is the write itself, which is a single one.
func startAtd() (*os.Process, string, error) {
	pidFile := atdPidFile()
	if pid := readPid(pidFile); pid > 0 && syscall.Kill(pid, 0) == nil {
		return nil, "", nil
	}
	path, err := exec.LookPath("atd")
	if err != nil {
		path = "/usr/sbin/atd"
	}
	if _, err := os.Stat(path); err != nil {
		return nil, "atd is not running and its binary is not installed", nil
	}
	if os.Geteuid() != 0 {
		return nil, "atd is not running, and only root can start it", nil
	}
	ino, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil, "", err
	}
	events := os.NewFile(uintptr(ino), "inotify")
	defer events.Close()
	if _, err := syscall.InotifyAddWatch(ino, filepath.Dir(pidFile), syscall.IN_MODIFY|syscall.IN_MOVED_TO); err != nil {
		return nil, "", err
	}
	_ = os.Remove(pidFile) // left by an atd that died
	proc, err := os.StartProcess(path, []string{"atd", "-f"}, &os.ProcAttr{
		Files: []*os.File{nil, os.Stderr, os.Stderr},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return nil, "", err
	}
	fail := func(err error) (*os.Process, string, error) {
		_ = proc.Kill()
		_, _ = proc.Wait()
		return nil, "", err
	}
	if err := events.SetReadDeadline(time.Now().Add(patience)); err != nil {
		return fail(err)
	}
	buf := make([]byte, 64*1024)
	for {
		n, err := events.Read(buf)
		if err != nil {
			return fail(fmt.Errorf("waiting for %s: %w", pidFile, err))
		}
		// struct inotify_event: wd, mask, cookie, len, then len bytes of
		// NUL-padded name.
		for off := 0; off+16 <= n; {
			size := int(binary.NativeEndian.Uint32(buf[off+12:]))
			name := strings.TrimRight(string(buf[off+16:min(n, off+16+size)]), "\x00")
			off += 16 + size
			if name == filepath.Base(pidFile) && readPid(pidFile) == proc.Pid {
				return proc, "", nil
			}
		}
	}
}

// stopAtd stops the atd that startAtd started.
func stopAtd() {
	if atd.proc != nil {
		_ = atd.proc.Signal(syscall.SIGTERM)
		_, _ = atd.proc.Wait()
	}
}

func TestAtJobRunsAndIsWatchedOnceFound(t *testing.T) {
	needAtd(t)
	f := newFixture(t)
	r := mustRunner(t, At, f.options())
	j := f.job("foo", waitGate, func(s *job.Spec) { s.RunnerName = At })
	sub := f.submit(r, j)
	if _, err := strconv.Atoi(sub.RunnerJobID); err != nil || strings.Contains(sub.Output, "warning") {
		t.Errorf("submit result %+v: want at's job number and no routine warning", sub)
	}
	f.expect("started")
	p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]
	if p.Err != nil || p.Status.RunnerName != At || p.Status.JobID != sub.RunnerJobID {
		t.Fatalf("poll: %+v", p)
	}
	f.track(p.Status.PID)
	if v := Judge(p.Status); v.Message != MsgStarted {
		t.Errorf("verdict %q, want started", v.Message)
	}
	// The poll found the job's process: its exit is reported at once.
	f.release()
	f.expect("succeeded")
	ex := f.exited()
	if Judge(ex.Status).Message != MsgSucceeded || ex.ExitCode != -1 {
		t.Errorf("Exited %+v, want succeeded, exit code unknown", ex)
	}
	if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgSucceeded {
		t.Errorf("poll after the end: %+v", p)
	}
}

func TestAtKillRunningJob(t *testing.T) {
	needAtd(t)
	f := newFixture(t)
	r := mustRunner(t, At, f.options())
	j := f.job("foo", waitGate, func(s *job.Spec) { s.RunnerName = At })
	f.submit(r, j)
	f.expect("started")
	st, err := readStatus(j.Files.Status)
	if err != nil {
		t.Fatal(err)
	}
	f.track(st.PID)
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	f.expect("CRITICAL: failed/TERM")
	if ex := f.exited(); Judge(ex.Status).Message != "failed/TERM" {
		t.Errorf("Exited %+v, want failed/TERM", ex)
	}
}

// A job still waiting in the queue is polled through atq and killed with
// atrm. The job is queued for later, so this needs the at commands only.
func TestAtQueuedJobPollAndKill(t *testing.T) {
	needAtCommands(t)
	f := newFixture(t)
	j := f.job("foo", "true", func(s *job.Spec) { s.RunnerName = At })
	cmd := exec.Command("at", "now", "+", "1", "hour")
	cmd.Stdin = strings.NewReader("true\n")
	cmd.Env = append(os.Environ(), "SHELL=/bin/sh")
	out, _ := cmd.CombinedOutput()
	id, _, _ := parseAtSubmit(string(out))
	if id == "" {
		t.Fatalf("at queued no job: %s", out)
	}
	t.Cleanup(func() { _ = exec.Command("atrm", id).Run() })
	status := fmt.Sprintf("%s=at\n%s=%s\n%s=2020-01-01T00:00:00Z\n", job.KeyRunnerName, job.KeyJobID, id, job.KeyRunnerSubmitTime)
	if err := os.WriteFile(j.Files.Status, []byte(status), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustRunner(t, At, f.options())
	if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status) != (Verdict{MsgSubmitted, "2020-01-01T00:00:00Z"}) {
		t.Fatalf("poll of the queued job: %+v", p)
	}
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgSubmitFailed {
		t.Errorf("poll of the removed job: %+v, want submission failed", p)
	}
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); res[0].Err == nil {
		t.Error("atrm of a job no longer queued succeeded")
	}
	f.noEvent()
}

func TestParseAtSubmit(t *testing.T) {
	for _, c := range []struct{ in, id, noAtd, rest string }{
		{"warning: commands will be executed using /bin/sh\njob 12 at Thu Nov 26 05:20:00 2026\n", "12", "", "job 12 at Thu Nov 26 05:20:00 2026"},
		{"warning: commands will be executed using /bin/sh\njob 4 at Thu Nov 26 05:20:00 2026\nCan't open /run/atd.pid to signal atd. No atd running?\n",
			"4", "Can't open /run/atd.pid to signal atd. No atd running?", "job 4 at Thu Nov 26 05:20:00 2026"},
		{"Warning: at daemon not running\njob 5 at Mon Jan  1 00:00:00 2029\n", "5", "Warning: at daemon not running", "job 5 at Mon Jan  1 00:00:00 2029"},
		{"You do not have permission to use at.\n", "", "", "You do not have permission to use at."},
		{"job  at x\njob 7 at y\njob 8 at z\n", "7", "", "job  at x\njob 7 at y\njob 8 at z"},
		{"", "", "", ""},
	} {
		id, noAtd, rest := parseAtSubmit(c.in)
		if id != c.id || noAtd != c.noAtd || rest != c.rest {
			t.Errorf("parseAtSubmit(%q) = %q, %q, %q; want %q, %q, %q", c.in, id, noAtd, rest, c.id, c.noAtd, c.rest)
		}
	}
}

func TestParseAtq(t *testing.T) {
	got := parseAtq("3\tThu Nov 26 05:40:00 2026 a root\n\n  2\tThu Nov 26 05:30:00 2026 = root\n")
	if len(got) != 2 || !got["2"] || !got["3"] {
		t.Errorf("parseAtq = %v, want jobs 2 and 3", got)
	}
}

func TestAtCommand(t *testing.T) {
	j := Job{JobRef: JobRef{Files: job.JobFiles{Script: "/r/it's/job", Out: "/r/it's/job.out", Err: "/r/it's/job.err"}}}
	want := `exec perl -e 'setpgrp(0,0);exec(@ARGV)' '/r/it'\''s/job' 1>'/r/it'\''s/job.out' 2>'/r/it'\''s/job.err'` + "\n"
	if got := atCommand(j); got != want {
		t.Errorf("atCommand:\n%s\nwant\n%s", got, want)
	}
	for limit, secs := range map[time.Duration]string{90 * time.Second: "90", 1500 * time.Millisecond: "2", time.Millisecond: "1"} {
		j.ExecutionTimeLimit = limit
		if got := atCommand(j); !strings.Contains(got, "' timeout --signal=XCPU "+secs+" '/r/") {
			t.Errorf("limit %v: %s, want timeout of %s s", limit, got, secs)
		}
	}
	if err := exec.Command("sh", "-n", "-c", atCommand(j)).Run(); err != nil {
		t.Errorf("sh cannot parse the command: %v", err)
	}
}
