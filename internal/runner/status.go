package runner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gyre/internal/job"
)

// statusFiles serialises this process's read-then-append sequences on
// job.status files, so that a watcher recording an exit and a poll recording
// that the job is gone never both act on what they read before the other
// wrote. (The job appends too; every append is one write of whole lines.)
type statusFiles struct {
	mu  sync.Mutex
	utc bool
}

// timestamp formats t as Cylc writes event times: ISO 8601 extended, whole
// seconds, "Z" for UTC or else +HH:MM — the job runtime's format too.
func (s *statusFiles) timestamp(t time.Time) string {
	if s.utc {
		t = t.UTC()
	}
	return t.Format("2006-01-02T15:04:05Z07:00")
}

// parseTimestamp reads a time written by timestamp or by the job.
func parseTimestamp(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02T15:04:05Z07:00", s)
	return t, err == nil
}

// reset starts a new job.status holding only the runner's name, as Cylc does
// before each submit, so nothing of an earlier submit can be mistaken for
// this one's.
func (s *statusFiles) reset(path, runner string) error {
	var b bytes.Buffer
	if err := job.AppendStatusField(&b, job.KeyRunnerName, runner); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Written aside and renamed into place: a scheduler killed half way
	// leaves either no job.status or a whole one, never an empty file
	// that a restart could not tell from a job about to start.
	tmp := path + ".new"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("runner: starting job.status: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("runner: starting job.status: %w", err)
	}
	return nil
}

// appendFields appends KEY=VALUE lines in one write, so that lines the job
// writes at the same moment cannot come between them.
func (s *statusFiles) appendFields(path string, kv ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return appendFieldsLocked(path, kv...)
}

func appendFieldsLocked(path string, kv ...string) error {
	var b bytes.Buffer
	for i := 0; i+1 < len(kv); i += 2 {
		if err := job.AppendStatusField(&b, kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("runner: %w", err)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("runner: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("runner: writing %s: %w", path, err)
	}
	return nil
}

// readStatus reads a job.status file. Malformed lines are ignored, as Cylc
// ignores them: what remains is still the best account of the job.
func readStatus(path string) (job.Status, error) {
	f, err := os.Open(path)
	if err != nil {
		return job.Status{}, fmt.Errorf("runner: %w", err)
	}
	defer f.Close()
	st, err := job.ParseStatus(f)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return st, fmt.Errorf("runner: %w", err)
	}
	return st, nil
}

// pollStatus reads a job's job.status for a poll. A job whose log directory
// has gone is reported failed and gone, as Cylc reports it, since it can no
// longer be followed; a missing job.status in an existing directory is an
// error (state unknown).
func (s *statusFiles) pollStatus(r JobRef, now time.Time) (job.Status, error) {
	if _, err := os.Stat(filepath.Dir(r.Files.Status)); errors.Is(err, fs.ErrNotExist) {
		t := s.timestamp(now)
		return job.Status{Exit: ExitFilesRemoved, ExitTime: t, RunnerExitPolled: t}, nil
	}
	return readStatus(r.Files.Status)
}

// markGone records that the runner no longer has the job, unless job.status
// already settles the job, and returns job.status re-read: the job may have
// recorded its end between the first read and the runner's answer.
func (s *statusFiles) markGone(path string, now time.Time) (job.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := readStatus(path)
	if err != nil {
		return st, err
	}
	if settled(st) {
		return st, nil
	}
	if err := appendFieldsLocked(path, job.KeyRunnerExitPolled, s.timestamp(now)); err != nil {
		return st, err
	}
	return readStatus(path)
}

// recordExit completes job.status for a job whose process has ended. A job
// that started but recorded no end gets CYLC_JOB_EXIT — the signal that
// killed it, or EXIT — and its exit time; a job that never started gets
// none, so that it is judged submit-failed, as Cylc judges it. Then, unless
// the record settles the job, CYLC_JOB_RUNNER_EXIT_POLLED says it has gone,
// so that later polls need not (and, after PID reuse, must not) look for
// the process.
func (s *statusFiles) recordExit(path string, signal string, now time.Time) (job.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := readStatus(path)
	if err != nil {
		return st, err
	}
	var kv []string
	if st.Exit == "" && st.Started() {
		exit := "EXIT"
		if signal != "" {
			exit = signal
		}
		st.Exit = exit
		kv = append(kv, job.KeyExit, exit, job.KeyExitTime, s.timestamp(now))
	}
	if !settled(st) {
		kv = append(kv, job.KeyRunnerExitPolled, s.timestamp(now))
	}
	if len(kv) == 0 {
		return st, nil
	}
	if err := appendFieldsLocked(path, kv...); err != nil {
		return st, err
	}
	return readStatus(path)
}

// signalNames are the Linux signals by name, for records of how a job ended.
var signalNames = map[syscall.Signal]string{
	syscall.SIGABRT: "SIGABRT", syscall.SIGALRM: "SIGALRM", syscall.SIGBUS: "SIGBUS",
	syscall.SIGCHLD: "SIGCHLD", syscall.SIGCONT: "SIGCONT", syscall.SIGFPE: "SIGFPE",
	syscall.SIGHUP: "SIGHUP", syscall.SIGILL: "SIGILL", syscall.SIGINT: "SIGINT",
	syscall.SIGIO: "SIGIO", syscall.SIGKILL: "SIGKILL", syscall.SIGPIPE: "SIGPIPE",
	syscall.SIGPROF: "SIGPROF", syscall.SIGPWR: "SIGPWR", syscall.SIGQUIT: "SIGQUIT",
	syscall.SIGSEGV: "SIGSEGV", syscall.SIGSTKFLT: "SIGSTKFLT", syscall.SIGSTOP: "SIGSTOP",
	syscall.SIGSYS: "SIGSYS", syscall.SIGTERM: "SIGTERM", syscall.SIGTRAP: "SIGTRAP",
	syscall.SIGTSTP: "SIGTSTP", syscall.SIGTTIN: "SIGTTIN", syscall.SIGTTOU: "SIGTTOU",
	syscall.SIGURG: "SIGURG", syscall.SIGUSR1: "SIGUSR1", syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGVTALRM: "SIGVTALRM", syscall.SIGWINCH: "SIGWINCH", syscall.SIGXCPU: "SIGXCPU",
	syscall.SIGXFSZ: "SIGXFSZ",
}

// signalName names a signal ("SIGKILL"); real-time and unknown signals are
// named by number ("SIG34").
func signalName(sig syscall.Signal) string {
	if n, ok := signalNames[sig]; ok {
		return n
	}
	return "SIG" + strconv.Itoa(int(sig))
}

// headerTimeLimit is the header line in which the job script records its
// execution time limit, in seconds (Cylc reads it back the same way).
const headerTimeLimit = "# Execution time limit: "

// scriptTimeLimit reads the execution time limit from a job script's header
// comments, for a job adopted after a restart; zero if there is none.
func scriptTimeLimit(r io.Reader) (time.Duration, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line != "" && !strings.HasPrefix(line, "#") {
			break // the header is over
		}
		v, ok := strings.CutPrefix(line, headerTimeLimit)
		if !ok {
			continue
		}
		secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(secs) || secs <= 0 || secs > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("line %d: execution time limit %q: want a positive number of seconds", n, v)
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		return 0, err
	}
	return 0, nil
}
