// Package runner hands Gyre's jobs to job runners — the local background
// runner, the Unix "at" queue and the batch systems Slurm, PBS and LSF —
// and finds out what became of them: submit, poll and kill, in batches, as
// Cylc 8's job runner handlers do, with the same job.status records so that
// Cylc's tools, a restarted scheduler and the jobs themselves all read the
// same story.
//
// Two things go beyond Cylc, because Gyre's scheduler waits on events rather
// than polling in a loop:
//
//   - A runner that can see a job's process (the background runner, and the
//     at runner once a poll has found the job running on this host) watches
//     it and reports its exit at once as an Exited event, so a job killed by
//     SIGKILL or the OOM killer is known when it dies, not at the next poll.
//     (Batch jobs run on nodes of the batch system's choosing: polls follow
//     them.)
//   - Runner calls never run on the scheduler's goroutine: a Pool queues
//     them without blocking the caller and runs a bounded number at a time.
//
// Job processes outlive the scheduler: stopping a runner stops its watchers,
// never its jobs, and a restarted scheduler polls them by the PID in
// job.status and adopts the ones still running.
package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"gyre/internal/job"
	"gyre/internal/suggest"
)

// Runner submits, polls and kills jobs of one kind. Each call handles a
// batch and returns one result per input, in the same order; a call may run
// commands and block, so the scheduler makes its calls through a Pool.
type Runner interface {
	// Name is the runner's name in platform configuration ("background").
	Name() string
	// Directives returns the job script header lines the runner reads
	// (e.g. "#SBATCH --time=1:00"), for job.Spec.Directives; nil if none.
	Directives(j Job) []string
	// Submit starts or queues each job. On success the job's job.status
	// holds the runner's name, the runner's ID for the job and the submit
	// time, as Cylc writes them.
	Submit(ctx context.Context, jobs []Job) []SubmitResult
	// Poll reports what each job's job.status says, after asking the runner
	// whether it still has the jobs that have not recorded their end.
	Poll(ctx context.Context, refs []JobRef) []PollResult
	// Kill asks the runner to end each job. A killed job that the runner
	// watches is reported by an Exited event when it has gone.
	Kill(ctx context.Context, refs []JobRef) []KillResult
	// Close stops watching jobs and waits for the watchers to finish. Jobs
	// keep running. Calls made after Close fail with ErrClosed.
	Close() error
}

// JobRef identifies a submitted job: its ID and its files, where the runner
// finds everything else (as Cylc does, the runner's job ID is read back from
// job.status, so a restarted scheduler needs nothing more).
type JobRef struct {
	ID    string // "<point>/<task>/<NN>", relative to the workflow
	Files job.JobFiles
}

func (r JobRef) String() string { return r.ID }

// Job is what a runner needs to submit one job whose script has been written.
type Job struct {
	JobRef
	// Env is added to the runner's base environment (Options.Env), later
	// entries winning.
	Env []string
	// ExecutionTimeLimit, if positive, is how long the job may run before it
	// is sent SIGXCPU (and SIGKILL if it is still there a grace period later).
	ExecutionTimeLimit time.Duration
	// Directives are the task's [directives], in order; batch runners turn
	// them into header lines.
	Directives []Directive
	// WorkflowName names the job in batch systems' queues
	// ("<task>.<point>.<WorkflowName>"). Cylc puts the workflow ID there,
	// run name included ("flow/run1"); PBS gets "/" replaced by "-".
	WorkflowName string
}

// Directive is one [directives] item. Value may be empty for flags.
type Directive struct {
	Name, Value string
}

// SubmitResult is the outcome of submitting one job.
type SubmitResult struct {
	Ref JobRef
	// RunnerJobID is the runner's ID for the job (a PID, an at job number);
	// empty when Err is set.
	RunnerJobID string
	// Time is when the runner accepted the job.
	Time time.Time
	// Output is what the submit command printed, for the job activity log.
	Output string
	// Err, if set, means submission failed, and says why.
	Err error
}

// PollResult is the outcome of polling one job.
type PollResult struct {
	Ref JobRef
	// Status is the job's job.status as it stands after the poll. If the
	// runner no longer has a job that did not record its end, the poll has
	// appended CYLC_JOB_RUNNER_EXIT_POLLED, so Status.RunnerExitPolled is
	// set. Judge(Status) says what the scheduler should make of it.
	Status job.Status
	// Err, if set, means the job could not be polled; its state is unknown.
	Err error
}

// KillResult is the outcome of asking a runner to kill one job.
type KillResult struct {
	Ref JobRef
	Err error // set if the kill could not be done
}

// ErrClosed is returned for calls made to a runner or pool that has stopped.
var ErrClosed = errors.New("runner: stopped")

// Options configure a runner.
type Options struct {
	// Env is the base environment of jobs and of runner commands; nil means
	// the scheduler's own, as Cylc passes its environment on by default.
	Env []string
	// Sink receives asynchronous outcomes (Exited). Nil discards them.
	Sink Sink
	// KillGrace is how long a job has to end after SIGTERM (from Kill) or
	// SIGXCPU (at its execution time limit) before it is sent SIGKILL.
	// Zero means DefaultKillGrace.
	KillGrace time.Duration
	// UTC writes job.status times in UTC rather than local time.
	UTC bool
	// CommandTemplate is the platform's "job runner command template" for
	// the batch runners: the submit command as a Python %-template in which
	// %(job)s is the job script's path, e.g. "sbatch --account=x '%(job)s'",
	// run by /bin/sh -c. Empty means the runner's own (sbatch FILE, qsub
	// FILE, bsub reading the script on standard input).
	CommandTemplate string
	// JobNameLengthMaximum is the platform's "job name length maximum": PBS
	// job names (-N) are cut to it. Zero means 236, PBS 13's limit, as in
	// Cylc; negative means no limit.
	JobNameLengthMaximum int
}

// DefaultKillGrace is the time a job gets to clean up after SIGTERM or
// SIGXCPU. Cylc's own kill sends SIGKILL at once, which leaves the job no
// chance to record why it ended; batch systems give it tens of seconds.
const DefaultKillGrace = 10 * time.Second

// Runner names.
const (
	Background = "background"
	At         = "at"
	Slurm      = "slurm"
	PBS        = "pbs"
	LSF        = "lsf"
)

// knownRunners are Cylc's job runners, for recognising a name that is right
// but not supported yet rather than calling it a typo.
var knownRunners = []string{Background, At, Slurm, PBS, LSF, "sge", "moab", "loadleveler"}

// New returns the runner called name.
func New(name string, opts Options) (Runner, error) {
	switch name {
	case Background:
		return newBackground(opts)
	case At:
		return newAt(opts)
	case Slurm, PBS, LSF:
		return newBatch(name, opts)
	}
	for _, k := range knownRunners {
		if k == name {
			return nil, fmt.Errorf("runner: job runner %q is not supported yet (supported: %s)",
				name, strings.Join(knownRunners[:5], ", "))
		}
	}
	return nil, fmt.Errorf("runner: unknown job runner %q (Cylc's are %s)%s",
		name, strings.Join(knownRunners, ", "), didYouMean(name, knownRunners))
}

// baseEnv returns the environment of jobs and runner commands.
func (o *Options) baseEnv() []string {
	if o.Env != nil {
		return o.Env
	}
	return os.Environ()
}

func (o *Options) grace() time.Duration {
	if o.KillGrace > 0 {
		return o.KillGrace
	}
	return DefaultKillGrace
}

// mergeEnv returns base with extra added, one entry per name, later entries
// winning: execve keeps duplicates and programs disagree on which one counts.
func mergeEnv(base, extra []string, more ...string) []string {
	all := make([]string, 0, len(base)+len(extra)+len(more))
	all = append(append(append(all, base...), extra...), more...)
	index := make(map[string]int, len(all))
	out := all[:0:0]
	for _, kv := range all {
		name, _, _ := strings.Cut(kv, "=")
		if i, ok := index[name]; ok {
			out[i] = kv
			continue
		}
		index[name] = len(out)
		out = append(out, kv)
	}
	return out
}

// homeDir is where runner commands and jobs start, as in Cylc: paths in
// directives are relative to $HOME, and a job must not hold the scheduler's
// directory open.
func homeDir(env []string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], "HOME="); ok && v != "" {
			return v
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "/"
}

// lookPath finds a runner command, with a hint when it is missing.
func lookPath(runner, command string) (string, error) {
	p, err := exec.LookPath(command)
	if err != nil {
		return "", fmt.Errorf("runner: %s: command %q not found on PATH: %w (is the %s job runner installed on this host?)",
			runner, command, err, runner)
	}
	return p, nil
}

// checkRef refuses a job reference the runner could not act on.
func checkRef(r JobRef) error {
	if r.Files.Script == "" || r.Files.Status == "" || r.Files.Out == "" || r.Files.Err == "" {
		return fmt.Errorf("runner: job %q: job file paths are missing", r.ID)
	}
	return nil
}

// didYouMean returns a hint naming the candidate closest to s, or "" when
// none is close enough to be a plausible misspelling.
func didYouMean(s string, candidates []string) string {
	return suggest.Hint(strings.ToLower(s), candidates)
}
