package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"gyre/internal/job"
)

// bgRunner runs each job as a local process: "bash <job script>", with
// job.out and job.err as its output, in a session (and so a process group)
// of its own, detached from the scheduler's terminal and signals so that it
// outlives the scheduler. The runner's job ID is the PID, as in Cylc.
//
// Unlike Cylc's background handler, which leaves the exit to be found by
// the next poll, the runner watches each job it starts and reports its exit
// at once; and rather than wrapping the job in "timeout", it times the
// execution time limit itself, so a job adopted after a restart keeps its
// limit too.
type bgRunner struct {
	opts  Options
	bash  string
	files *statusFiles
	watch *watchers
}

func newBackground(opts Options) (*bgRunner, error) {
	bash, err := lookPath(Background, "bash")
	if err != nil {
		return nil, err
	}
	files := &statusFiles{utc: opts.UTC}
	return &bgRunner{
		opts:  opts,
		bash:  bash,
		files: files,
		watch: newWatchers(opts.Sink, opts.grace(), files),
	}, nil
}

func (b *bgRunner) Name() string { return Background }

// Directives: background jobs have none.
func (b *bgRunner) Directives(Job) []string { return nil }

func (b *bgRunner) Close() error {
	b.watch.close()
	return nil
}

func (b *bgRunner) Submit(ctx context.Context, jobs []Job) []SubmitResult {
	res := make([]SubmitResult, len(jobs))
	for i, j := range jobs {
		res[i] = b.submit(ctx, j)
	}
	return res
}

func (b *bgRunner) submit(ctx context.Context, j Job) SubmitResult {
	r := SubmitResult{Ref: j.JobRef}
	fail := func(err error) SubmitResult {
		r.Err = fmt.Errorf("runner: background: submitting %s: %w", j.ID, err)
		return r
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := checkRef(j.JobRef); err != nil {
		return fail(err)
	}
	// Checked here, as Cylc does, because once the job is started nothing
	// would report a script that cannot be read or logs that cannot be
	// written.
	if err := syscall.Access(j.Files.Script, 4 /* R_OK */); err != nil {
		return fail(fmt.Errorf("job script %s: %w", j.Files.Script, err))
	}
	dir := filepath.Dir(j.Files.Status)
	if err := syscall.Access(dir, 2 /* W_OK */); err != nil {
		return fail(fmt.Errorf("job log directory %s: %w", dir, err))
	}
	if err := b.watch.reserve(); err != nil {
		return fail(err)
	}
	if err := b.files.reset(j.Files.Status, Background); err != nil {
		b.watch.unreserve()
		return fail(err)
	}
	pid, fd, err := b.start(j)
	if err != nil {
		b.watch.unreserve()
		return fail(err)
	}
	started := time.Now()
	id := strconv.Itoa(pid)
	if err := b.files.appendFields(j.Files.Status,
		job.KeyJobID, id, job.KeyRunnerSubmitTime, b.files.timestamp(started)); err != nil {
		// A job without a record could be neither polled nor killed later.
		_ = killGroup(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, 0, nil)
		syscall.Close(fd)
		b.watch.unreserve()
		return fail(err)
	}
	if err := b.watch.startChild(j.JobRef, pid, fd, j.ExecutionTimeLimit, started); err != nil {
		// The job runs on unwatched: polls will follow it.
		r.Output = fmt.Sprintf("not watching the job process: %v", err)
	}
	r.RunnerJobID, r.Time = id, started
	return r
}

// start starts the job process and returns its PID and pidfd.
func (b *bgRunner) start(j Job) (pid, pidfd int, err error) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return 0, 0, err
	}
	defer devnull.Close()
	out, err := os.OpenFile(j.Files.Out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, 0, err
	}
	defer out.Close()
	errf, err := os.OpenFile(j.Files.Err, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, 0, err
	}
	defer errf.Close()
	env := mergeEnv(b.opts.baseEnv(), j.Env)
	pidfd = -1
	p, err := os.StartProcess(b.bash, []string{"bash", j.Files.Script}, &os.ProcAttr{
		Dir:   startDir(env),
		Env:   env,
		Files: []*os.File{devnull, out, errf},
		// A session of its own: its own process group, which kill signals
		// as a whole, and no controlling terminal, so neither the
		// scheduler's Ctrl-C nor its terminal's hang-up reaches the job.
		Sys: &syscall.SysProcAttr{Setsid: true, PidFD: &pidfd},
	})
	if err != nil {
		return 0, 0, err
	}
	pid = p.Pid
	// The watcher waits on its own pidfd; os.Process must not reap the job.
	_ = p.Release()
	if pidfd < 0 {
		_ = killGroup(pid, syscall.SIGKILL)
		return 0, 0, fmt.Errorf("no pidfd for process %d: Linux 5.3 or later is required", pid)
	}
	return pid, pidfd, nil
}

// startDir is the job's starting directory: $HOME if it exists, else "/".
// (The job changes to its work directory itself.)
func startDir(env []string) string {
	if d := homeDir(env); filepath.IsAbs(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return "/"
}

func (b *bgRunner) Poll(ctx context.Context, refs []JobRef) []PollResult {
	res := make([]PollResult, len(refs))
	now := time.Now()
	for i, ref := range refs {
		res[i] = b.poll(ref, now)
	}
	return res
}

func (b *bgRunner) poll(ref JobRef, now time.Time) PollResult {
	r := PollResult{Ref: ref}
	if r.Err = checkRef(ref); r.Err != nil {
		return r
	}
	r.Status, r.Err = b.files.pollStatus(ref, now)
	if r.Err != nil || settled(r.Status) || b.watch.watched(ref) != nil {
		// A watched job's exit will be reported when it happens.
		return r
	}
	st := r.Status
	if st.RunnerName != Background {
		r.Err = fmt.Errorf("runner: background: polling %s: job.status names job runner %q", ref.ID, st.RunnerName)
		return r
	}
	pid := statusPID(st.PID, st.JobID, true)
	if pid == 0 {
		// Started, but killed with the scheduler before its PID was
		// recorded? Only its command line can tell.
		pid = findScript(ref.Files.Script)
	}
	if pid == 0 {
		// As Cylc: with no runner record the job cannot be found, so it
		// counts as gone (in this result only).
		r.Status.RunnerExitPolled = b.files.timestamp(now)
		return r
	}
	if st.JobID == "" {
		r.Status.JobID = strconv.Itoa(pid)
	}
	limit, since := adoptedLimit(ref, st)
	_, err := b.watch.adopt(ref, pid, limit, since)
	if err == nil || (!errors.Is(err, errNotRunning) && runs(pid, ref.Files.Script)) {
		return r // running (and now watched, unless watching failed)
	}
	r.Status, r.Err = b.files.markGone(ref.Files.Status, now)
	return r
}

// adoptedLimit returns the execution time limit of a job found running, from
// its script's header, and when it started counting (the submit time, as
// for a job wrapped in "timeout" at submission).
func adoptedLimit(ref JobRef, st job.Status) (time.Duration, time.Time) {
	f, err := os.Open(ref.Files.Script)
	if err != nil {
		return 0, time.Time{}
	}
	defer f.Close()
	limit, err := scriptTimeLimit(f)
	if err != nil || limit == 0 {
		return 0, time.Time{}
	}
	for _, s := range []string{st.SubmitTime, st.InitTime} {
		if t, ok := parseTimestamp(s); ok {
			return limit, t
		}
	}
	return 0, time.Time{}
}

func (b *bgRunner) Kill(ctx context.Context, refs []JobRef) []KillResult {
	res := make([]KillResult, len(refs))
	for i, ref := range refs {
		res[i] = KillResult{Ref: ref}
		if err := b.kill(ref); err != nil {
			res[i].Err = fmt.Errorf("runner: background: killing %s: %w", ref.ID, err)
		}
	}
	return res
}

func (b *bgRunner) kill(ref JobRef) error {
	if err := checkRef(ref); err != nil {
		return err
	}
	if w := b.watch.watched(ref); w != nil {
		return w.terminate(b.opts.grace())
	}
	st, err := readStatus(ref.Files.Status)
	if err != nil {
		return err
	}
	pid := statusPID(st.PID, st.JobID, true)
	if pid == 0 {
		return errors.New("cannot determine the job's process from job.status")
	}
	limit, since := adoptedLimit(ref, st)
	return killProcess(b.watch, ref, pid, limit, since, b.opts.grace())
}

// killProcess ends a job process that is not watched yet: it adopts it, so
// that the SIGKILL escalation is timed and the exit reported, then sends
// SIGTERM. If it cannot be watched, SIGTERM is all it gets.
func killProcess(ws *watchers, ref JobRef, pid int, limit time.Duration, since time.Time, grace time.Duration) error {
	w, err := ws.adopt(ref, pid, limit, since)
	switch {
	case err == nil:
		return w.terminate(grace)
	case errors.Is(err, errNotRunning) || !runs(pid, ref.Files.Script):
		return fmt.Errorf("job process %d is not running", pid)
	}
	pgid, err := jobGroup(pid)
	if err != nil {
		return err
	}
	return killGroup(pgid, syscall.SIGTERM)
}
