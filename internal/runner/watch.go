package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"gyre/internal/job"
	"gyre/internal/pidfd"
)

// watchers is a runner's set of watched job processes: one goroutine per
// job, parked on the job's pidfd in the network poller, that records the
// job's end in job.status and reports it as an Exited event the moment the
// process exits. The same goroutine times the execution time limit and the
// escalation of a kill to SIGKILL, through the pidfd's read deadline, so a
// job costs no timer and no thread. Stopping the set stops the goroutines;
// the jobs run on.
type watchers struct {
	sink  Sink
	grace time.Duration
	files *statusFiles

	mu     sync.Mutex
	closed bool
	jobs   map[string]*watch // by job.status path
	wg     sync.WaitGroup
}

// watch is one watched job process.
type watch struct {
	ref   JobRef
	pid   int
	pgid  int
	child bool // our child: reaped here, so its exit status is known
	f     *os.File

	mu        sync.Mutex
	stop      bool      // the set is closing: stop watching
	exited    bool      // the process has exited (and, if a child, been reaped)
	limitAt   time.Time // execution time limit; zero if none
	limitSent bool      // SIGXCPU has been sent
	killAt    time.Time // when to send SIGKILL; zero if not due
	signalled bool      // TERM or XCPU was sent: kill what is left of the group at exit
}

func newWatchers(sink Sink, grace time.Duration, files *statusFiles) *watchers {
	if sink == nil {
		sink = func(Event) {}
	}
	return &watchers{sink: sink, grace: grace, files: files, jobs: map[string]*watch{}}
}

// reserve counts a watcher that is about to be started, so that a job is
// only started while it can be watched: after Close, it fails.
func (s *watchers) reserve() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.wg.Add(1)
	return nil
}

// unreserve gives back a reservation whose job did not start.
func (s *watchers) unreserve() { s.wg.Done() }

// startChild watches a child process started under a reservation. fd is the
// pidfd from its start.
func (s *watchers) startChild(ref JobRef, pid, fd int, limit time.Duration, started time.Time) error {
	f, err := pidfd.File(fd, pid)
	if err != nil {
		s.wg.Done()
		return err
	}
	w := &watch{ref: ref, pid: pid, pgid: pid, child: true, f: f}
	if limit > 0 {
		w.limitAt = started.Add(limit)
	}
	s.mu.Lock()
	s.jobs[ref.Files.Status] = w
	w.stop = s.closed
	s.mu.Unlock()
	go s.run(w)
	return nil
}

// errNotRunning means a process to adopt is not the job's, or has gone.
var errNotRunning = errors.New("not running")

// adopt watches a job process that is not our child, found running by a
// poll or a kill (typically after a restart). It returns the existing watch
// if there is one, and errNotRunning if pid is not the job's live process.
// A positive limit is timed from since.
func (s *watchers) adopt(ref JobRef, pid int, limit time.Duration, since time.Time) (*watch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if w, ok := s.jobs[ref.Files.Status]; ok {
		return w, nil
	}
	// Open the pidfd before checking the process, so that it refers to the
	// process that passed the check.
	fd, err := pidfd.Open(pid)
	if err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil, errNotRunning
		}
		return nil, err
	}
	if !runs(pid, ref.Files.Script) {
		syscall.Close(fd)
		return nil, errNotRunning
	}
	pgid, err := jobGroup(pid)
	if err != nil {
		syscall.Close(fd)
		return nil, err
	}
	f, err := pidfd.File(fd, pid)
	if err != nil {
		return nil, err
	}
	w := &watch{ref: ref, pid: pid, pgid: pgid, f: f}
	if limit > 0 && !since.IsZero() {
		w.limitAt = since.Add(limit)
	}
	s.jobs[ref.Files.Status] = w
	s.wg.Add(1)
	go s.run(w)
	return w, nil
}

// watched returns the watch of a job, or nil.
func (s *watchers) watched(ref JobRef) *watch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[ref.Files.Status]
}

// close stops every watcher and waits for them. Jobs keep running.
func (s *watchers) close() {
	s.mu.Lock()
	s.closed = true
	for _, w := range s.jobs {
		w.mu.Lock()
		w.stop = true
		w.f.SetReadDeadline(time.Unix(1, 0)) // wakes the watcher at once
		w.mu.Unlock()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// forget removes a watch from the set.
func (s *watchers) forget(w *watch) {
	s.mu.Lock()
	if s.jobs[w.ref.Files.Status] == w {
		delete(s.jobs, w.ref.Files.Status)
	}
	s.mu.Unlock()
}

// run is a watcher's goroutine.
func (s *watchers) run(w *watch) {
	defer s.wg.Done()
	defer w.f.Close()
	rc, err := w.f.SyscallConn()
	if err != nil {
		s.forget(w)
		return
	}
	var ws syscall.WaitStatus
	known := false // whether ws holds the exit status
	for {
		w.mu.Lock()
		if w.stop {
			w.mu.Unlock()
			s.forget(w)
			return
		}
		w.f.SetReadDeadline(w.next())
		w.mu.Unlock()
		err := rc.Read(func(fd uintptr) bool {
			w.mu.Lock()
			defer w.mu.Unlock()
			if !pidfd.Exited(fd) {
				return false
			}
			w.exited = true
			if w.signalled && w.child {
				// What the job left behind of a group that was told to go
				// goes with it, as when Cylc kills the whole group; done
				// before reaping, while the leader's zombie keeps the
				// group's ID from being reused.
				_ = killGroup(w.pgid, syscall.SIGKILL)
			}
			if w.child {
				pid, _ := syscall.Wait4(w.pid, &ws, syscall.WNOHANG, nil)
				known = pid == w.pid // else reaped elsewhere: status unknown
			}
			return true
		})
		switch {
		case err == nil:
			s.finish(w, ws, known)
			return
		case errors.Is(err, os.ErrDeadlineExceeded):
			w.due(time.Now(), s.grace)
		default:
			// The poller failed us: leave the job to polling.
			s.forget(w)
			return
		}
	}
}

// next is the watcher's next deadline: the time limit, or the kill
// escalation, whichever is first; zero for none. Callers hold w.mu.
func (w *watch) next() time.Time {
	var at time.Time
	if !w.limitAt.IsZero() && !w.limitSent {
		at = w.limitAt
	}
	if !w.killAt.IsZero() && (at.IsZero() || w.killAt.Before(at)) {
		at = w.killAt
	}
	return at
}

// due acts on the deadlines that have passed: SIGXCPU at the execution time
// limit (as Cylc's "timeout --signal=XCPU" sends), then SIGKILL a grace
// period after SIGXCPU or SIGTERM.
func (w *watch) due(now time.Time, grace time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop || w.exited {
		return
	}
	if !w.limitAt.IsZero() && !w.limitSent && !now.Before(w.limitAt) {
		w.limitSent = true
		w.signalLocked(syscall.SIGXCPU, now, grace)
	}
	if !w.killAt.IsZero() && !now.Before(w.killAt) {
		w.killAt = time.Time{}
		if w.child || runs(w.pid, w.ref.Files.Script) {
			_ = killGroup(w.pgid, syscall.SIGKILL)
		}
	}
}

// terminate sends SIGTERM to the job's process group and arms SIGKILL for
// a grace period later.
func (w *watch) terminate(grace time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.exited {
		return nil // it has gone, which is what was asked
	}
	return w.signalLocked(syscall.SIGTERM, time.Now(), grace)
}

// signalLocked sends sig to the job's group and arms the SIGKILL that
// follows it. Callers hold w.mu and have checked that the process has not
// been reaped, so its PID (the group's, for a child) is not yet reusable.
func (w *watch) signalLocked(sig syscall.Signal, now time.Time, grace time.Duration) error {
	if !w.child && !runs(w.pid, w.ref.Files.Script) {
		return nil // an adopted job that has just ended
	}
	if err := killGroup(w.pgid, sig); err != nil {
		return err
	}
	w.signalled = true
	if at := now.Add(grace); w.killAt.IsZero() || at.Before(w.killAt) {
		w.killAt = at
	}
	if !w.stop {
		w.f.SetReadDeadline(w.next())
	}
	return nil
}

// finish records the end of a job whose process has exited and reports it.
func (s *watchers) finish(w *watch, ws syscall.WaitStatus, known bool) {
	now := time.Now()
	ev := Exited{Ref: w.ref, ExitCode: -1, Time: now}
	if known {
		if ws.Signaled() {
			ev.Signal = signalName(ws.Signal())
		} else {
			ev.ExitCode = ws.ExitStatus()
		}
	}
	ev.Status, ev.Err = s.files.recordExit(w.ref.Files.Status, ev.Signal, now)
	if ev.Err != nil {
		ev.Err = fmt.Errorf("runner: job %s exited, but its job.status could not be completed: %w", w.ref.ID, ev.Err)
		if _, err := os.Stat(filepath.Dir(w.ref.Files.Status)); errors.Is(err, fs.ErrNotExist) {
			// As a poll reports it: failed, since it can no longer be followed.
			t := s.files.timestamp(now)
			ev.Status = job.Status{Exit: ExitFilesRemoved, ExitTime: t, RunnerExitPolled: t}
		}
	}
	s.forget(w)
	s.sink(ev)
}
