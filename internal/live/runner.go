package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gyre/internal/broadcast"
	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/remote"
	"gyre/internal/runner"
	"gyre/internal/workflow"
)

// Options configure a Runner.
type Options struct {
	Workflow *workflow.Workflow
	// Def is the workflow's compiled pool definition; dummy mode reads the
	// tasks' [simulation] settings from it.
	Def        *pool.Def
	WorkflowID string // "NAME/runN"
	RunDir     string // absolute
	UUID       string // CYLC_WORKFLOW_UUID
	// GyreBin is the gyre binary jobs run (as $GYRE_BIN and through the
	// shim); ShimDir holds the "cylc" shim that jobs find first on PATH.
	GyreBin, ShimDir string
	// Contact tells jobs how to reach the scheduler if the run directory's
	// contact file cannot be read.
	Contact job.Contact
	// Env is the jobs' base environment; nil means the scheduler's own, as
	// Cylc passes its environment on to local jobs.
	Env []string
	// JobEnv is added to every job's environment (tests use it to bound
	// the messaging client's retries).
	JobEnv []string
	// Dummy runs Cylc's dummy mode: real jobs with dummy scripting.
	Dummy bool
	// Limit is how many runner calls may run at once (Cylc's process
	// pool size); 0 means the runner package's default.
	Limit int
	// Log receives the runner's own log lines; nil discards them.
	Log func(level pool.Level, msg string)
	// Platforms is the global configuration's platforms; nil means
	// Cylc's defaults (localhost only).
	Platforms *platform.Config
}

// Runner submits the scheduler's jobs to the job runner of each task's
// platform (here or, over ssh, on another host). It implements
// scheduler.Runner: Submit only queues, so the scheduler never waits on a
// process, a file or a host. Run must be running for jobs to go out.
type Runner struct {
	opts    Options
	layout  job.Layout
	runners *jobRunners
	pool    *runner.Pool

	// tasks caches each task's shared job settings; touched only by
	// Submit, on the scheduler's goroutine.
	tasks map[string]*taskJob
	// broadcasts are the broadcast settings in force (nil: none); they
	// belong to the scheduler's goroutine, as tasks does.
	broadcasts *broadcast.Store

	post atomic.Pointer[func(pool.Event)]

	mu    sync.Mutex
	specs map[string]job.Spec // job scripts still to write, by job ID
	jobs  map[string]*jobState

	// exitHook, if set (by tests), is called once a job's exit has been
	// handled.
	exitHook func(jobID string)

	// retrievals bring remote jobs' logs back; Run cancels them through
	// ctx when it stops, and waits for them.
	ctx        context.Context
	cancel     context.CancelFunc
	retrievals sync.WaitGroup
}

// jobState tracks one submitted job until its process has exited, so its
// events reach the scheduler in a sensible order.
type jobState struct {
	id        pool.ID
	submitNum int
	// platform and runner: where the job went.
	platform, runner string
	// submitted is set once JobSubmitted (or JobSubmitFailed) is posted.
	submitted bool
	// finished is set when the job itself reported how it ended.
	finished bool
	// seen holds the texts of the messages received from the job, so that
	// those its job.status records but that never arrived (the scheduler
	// could not be reached) are reported when it exits, and no others.
	seen map[string]bool
	// preparing is set for a job polled while its task was preparing it,
	// which may never have been submitted; polls counts polls under way.
	preparing bool
	polls     int
}

// New makes a runner; nothing is submitted until Run is called.
func New(opts Options) (*Runner, error) {
	r := &Runner{
		opts:   opts,
		layout: job.Layout{RunDir: opts.RunDir},
		tasks:  map[string]*taskJob{},
		specs:  map[string]job.Spec{},
		jobs:   map[string]*jobState{},
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.runners = newJobRunners(r, runner.Options{Env: opts.Env, Sink: r.sink},
		remote.Config{WorkflowID: opts.WorkflowID, RunDir: opts.RunDir, GyreBin: opts.GyreBin, Env: opts.Env})
	r.pool = runner.NewPool(runner.PoolConfig{Limit: opts.Limit, Sink: r.sink})
	return r, nil
}

// Submit queues a job. It implements scheduler.Runner and never blocks:
// the job script is written and the job started on the pool's goroutines.
func (r *Runner) Submit(sj pool.SubmitJob, post func(pool.Event)) {
	r.post.Store(&post)
	spec, rj, pl, err := r.prepare(sj)
	var rn runner.Runner
	if err == nil {
		rn, err = r.runners.forPlatform(pl)
	}
	if err != nil {
		// The pool logs the failure with its reason.
		post(pool.JobSubmitFailed{ID: sj.ID, SubmitNum: sj.SubmitNum, Reason: err.Error()})
		return
	}
	r.mu.Lock()
	r.specs[rj.ID] = spec
	r.jobs[rj.ID] = &jobState{id: sj.ID, submitNum: sj.SubmitNum, platform: pl.Name, runner: pl.JobRunner}
	r.mu.Unlock()
	if !r.pool.Submit(rn, []runner.Job{rj}) {
		r.mu.Lock()
		delete(r.specs, rj.ID)
		delete(r.jobs, rj.ID)
		r.mu.Unlock()
		post(pool.JobSubmitFailed{ID: sj.ID, SubmitNum: sj.SubmitNum, Reason: "the scheduler is shutting down"})
	}
}

// Run makes the queued runner calls until ctx is cancelled, then stops
// watching jobs (which run on) and returns once every goroutine it started
// has finished.
func (r *Runner) Run(ctx context.Context) error {
	err := r.pool.Run(ctx)
	r.cancel()
	r.retrievals.Wait()
	r.runners.close()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

func (r *Runner) emit(ev pool.Event) {
	if p := r.post.Load(); p != nil {
		(*p)(ev)
	}
}

func (r *Runner) logf(level pool.Level, format string, args ...any) {
	if r.opts.Log != nil {
		r.opts.Log(level, fmt.Sprintf(format, args...))
	}
}

// sink receives the runner's and the pool's events, on their goroutines.
func (r *Runner) sink(ev runner.Event) {
	switch ev := ev.(type) {
	case runner.Submitted:
		for _, res := range ev.Results {
			r.submitted(res)
		}
	case runner.Exited:
		r.exited(ev)
	case runner.Polled:
		for _, res := range ev.Results {
			r.polled(res)
		}
	case runner.Killed:
		for _, res := range ev.Results {
			r.killed(res)
		}
	}
}

func (r *Runner) submitted(res runner.SubmitResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.jobs[res.Ref.ID]
	if st == nil || st.submitted {
		return
	}
	st.submitted = true
	if res.Err != nil {
		delete(r.jobs, res.Ref.ID)
		r.emit(pool.JobSubmitFailed{ID: st.id, SubmitNum: st.submitNum, Reason: res.Err.Error()})
		return
	}
	r.emit(pool.JobSubmitted{ID: st.id, SubmitNum: st.submitNum, JobID: res.RunnerJobID, Platform: st.platform, JobRunner: st.runner})
}

// exited reports a job's end as the task message its job.status supports,
// unless the job has already said how it ended. A very short job can end
// before the pool reports its submission: the submission is reported first.
func (r *Runner) exited(ev runner.Exited) {
	if r.exitHook != nil {
		defer r.exitHook(ev.Ref.ID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.jobs[ev.Ref.ID]
	if st == nil {
		return
	}
	delete(r.jobs, ev.Ref.ID)
	if ev.Err != nil {
		r.logf(pool.Warning, "[%s] %v", ev.Ref.ID, ev.Err)
	}
	r.report(st, ev.Status, runner.Judge(ev.Status), ev.Time)
}

// received notes the messages a job sent itself and posts them; a job that
// has reported its end is not reported again when its process exits. It
// holds the lock while posting so that a job's exit, handled concurrently,
// is posted after its own messages.
func (r *Runner) received(jobID string, msgs []pool.JobMessage, post func(pool.Event)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.jobs[jobID]
	for _, m := range msgs {
		if st != nil {
			if isFinal(m.Message) {
				st.finished = true
			}
			if st.seen == nil {
				st.seen = map[string]bool{}
			}
			st.seen[m.Message] = true
		}
		post(m)
	}
}

// parseTime reads a time as jobs and runners record them (ISO 8601 with a
// zone); an unreadable or missing time is replaced by def.
func parseTime(s string, def time.Time) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "20060102T150405Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return def
}

// isFinal reports whether a job message says how the job ended.
func isFinal(msg string) bool {
	return msg == runner.MsgSucceeded || msg == runner.MsgFailed ||
		hasPrefix(msg, "failed/") || hasPrefix(msg, "aborted/")
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// scriptWriter writes each job's script just before the background runner
// starts it, so the file work happens on the pool's goroutines rather than
// the scheduler's.
type scriptWriter struct {
	runner.Runner
	r *Runner
}

func (w *scriptWriter) Submit(ctx context.Context, jobs []runner.Job) []runner.SubmitResult {
	res := make([]runner.SubmitResult, len(jobs))
	var ready []runner.Job
	var at []int
	for i, j := range jobs {
		if err := w.write(j); err != nil {
			res[i] = runner.SubmitResult{Ref: j.JobRef, Err: err}
			continue
		}
		ready = append(ready, j)
		at = append(at, i)
	}
	if len(ready) > 0 {
		for k, sr := range w.Runner.Submit(ctx, ready) {
			res[at[k]] = sr
		}
	}
	return res
}

func (w *scriptWriter) write(j runner.Job) error {
	w.r.mu.Lock()
	spec, ok := w.r.specs[j.ID]
	delete(w.r.specs, j.ID)
	w.r.mu.Unlock()
	if !ok {
		return fmt.Errorf("job %s: no job script to write", j.ID)
	}
	if d := w.Runner.Directives(j); len(d) > 0 {
		spec.Directives = func() []string { return d }
	}
	files, err := w.r.layout.PrepareJobDir(spec.CyclePoint, spec.TaskName, spec.SubmitNum)
	if err != nil {
		return fmt.Errorf("preparing the job log directory: %w", err)
	}
	if err := job.WriteFile(files.Script, spec); err != nil {
		return fmt.Errorf("writing the job script: %w", err)
	}
	return nil
}
