package live

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"gyre/internal/config"
	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/remote"
	"gyre/internal/runner"
	"gyre/internal/workflow"
)

// Platforms. A task's job goes to its platform, as Cylc 8 picks it: the
// task's "platform" setting, else the platform Cylc 7's [remote]host and
// [job]batch system map to, else localhost. The platform, defined in the
// global configuration, names the job runner and its settings. Gyre runs
// jobs on this host only so far: a platform whose hosts are elsewhere
// fails its jobs' submission with the reason.

// defaultPlatforms is Cylc's platform configuration when there is no
// global configuration: localhost alone.
var defaultPlatforms = platform.Default(platform.Options{LocalHost: ThisHost})

// ThisHost reports whether host names this machine, for
// platform.Options.LocalHost: Cylc asks DNS; Gyre compares the name with
// this machine's, in full or without its domain.
func ThisHost(h string) bool {
	if h == "localhost" || h == "127.0.0.1" || h == "::1" {
		return true
	}
	me, err := os.Hostname()
	if err != nil {
		return false
	}
	short := func(s string) string { s, _, _ = strings.Cut(s, "."); return s }
	return strings.EqualFold(h, me) || strings.EqualFold(short(h), short(me)) && !strings.Contains(h, ".")
}

// platformOf returns the platform a task's runtime selects.
func platformOf(cfg *platform.Config, rt *config.Runtime) (*platform.Platform, error) {
	if cfg == nil {
		cfg = defaultPlatforms
	}
	switch p := rt.Platform; {
	case strings.Contains(p, "$(") || strings.Contains(p, "`"):
		return nil, fmt.Errorf("%w: platform = %s: platform subshells are not supported by Gyre yet", errNoPlatform, p)
	case p != "":
		pl, err := cfg.Platform(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNoPlatform, err)
		}
		return pl, nil
	case rt.Remote.Host != "" || rt.Job.BatchSystem != "":
		pl, err := cfg.FromCylc7(rt.Remote.Host, rt.Job.BatchSystem)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNoPlatform, err)
		}
		return pl, nil
	}
	return cfg.Platform("localhost")
}

// localhost is the platform of dummy-mode jobs and of tasks that name
// none.
func localhost(cfg *platform.Config) *platform.Platform {
	if cfg == nil {
		cfg = defaultPlatforms
	}
	if pl, err := cfg.Platform("localhost"); err == nil {
		return pl
	}
	// The global configuration cannot take localhost away; should it
	// fail to say, this is Cylc's.
	return &platform.Platform{Name: "localhost", Hosts: []string{"localhost"}, JobRunner: runner.Background}
}

// usePlatform sets a task's platform and what its job script takes from
// it; a platform Gyre cannot use makes the task's submissions fail.
func (r *Runner) usePlatform(tj *taskJob, rt *config.Runtime) {
	pl, err := platformOf(r.opts.Platforms, rt)
	if err != nil {
		tj.unsupported = err
		return
	}
	tj.platform = pl
	s := &tj.spec
	s.CommsMethod = pl.CommunicationMethod
	if !pl.IsLocal() {
		// The job runs in the run directory the remote init makes.
		m, err := r.runners.manager()
		if err != nil {
			tj.unsupported = fmt.Errorf("platform %s: %w", pl.Name, err)
			return
		}
		l := m.Layout(pl)
		s.RunDir, s.ShimDir, s.GyreBin, s.Contact.TokenFile = l.RunDir, l.ShimDir, l.GyreBin, l.TokenFile
	}
	s.RunnerName = pl.JobRunner
	s.RunnerCommandTemplate = pl.JobRunnerCommandTemplate
	s.FailSignals = runner.FailSignals(pl.JobRunner)
	s.GlobalInitScript = pl.GlobalInitScript
	s.CopyableEnv = copyableEnv(pl.CopyableEnvironmentVariables, r.opts.Env)
	tj.directives = tj.directives[:0]
	for _, d := range rt.Directives {
		tj.directives = append(tj.directives, runner.Directive{Name: d.Key, Value: d.Value})
	}
}

// PlatformSettings returns the polling intervals and submission retry
// delays of each task's platform, for
// workflow.RunOptions: a task whose platform cannot be used keeps Cylc's
// defaults (its submission fails anyway).
func PlatformSettings(cfg *platform.Config) func(*config.Runtime) workflow.PlatformSettings {
	return func(rt *config.Runtime) workflow.PlatformSettings {
		pl, err := platformOf(cfg, rt)
		if err != nil {
			return workflow.PlatformSettings{}
		}
		return workflow.PlatformSettings{
			Submission:         pl.SubmissionPollingIntervals,
			Execution:          pl.ExecutionPollingIntervals,
			ExecutionTimeLimit: pl.ExecutionTimeLimitPollingIntervals,
			// Only where the workflow sets none, as in Cylc.
			SubmissionRetryDelays: pl.SubmissionRetryDelays,
		}
	}
}

// jobRunners are a run's job runners: one per platform, made when the
// platform's first job goes out, each writing its job scripts (with its
// directives) on the runner pool's goroutines.
type jobRunners struct {
	r    *Runner
	opts runner.Options
	// remoteCfg configures the remote manager, made for the first remote
	// platform.
	remoteCfg remote.Config

	mu         sync.Mutex
	byPlatform map[string]runner.Runner
	byName     map[string]runner.Runner // local runners, for polls and kills
	remotes    map[string]*remotePlatform
	all        []runner.Runner

	remoteMu sync.Mutex
	remote   *remote.Manager
}

// remotePlatform is a remote platform's runner, kept for log retrieval.
type remotePlatform struct {
	runner   *remote.Runner
	platform *platform.Platform
}

func newJobRunners(r *Runner, opts runner.Options, remoteCfg remote.Config) *jobRunners {
	return &jobRunners{
		r: r, opts: opts, remoteCfg: remoteCfg,
		byPlatform: map[string]runner.Runner{}, byName: map[string]runner.Runner{}, remotes: map[string]*remotePlatform{},
	}
}

// manager returns the run's remote manager, which initialises each remote
// install target once.
func (j *jobRunners) manager() (*remote.Manager, error) {
	j.remoteMu.Lock()
	defer j.remoteMu.Unlock()
	if j.remote == nil {
		m, err := remote.NewManager(j.remoteCfg)
		if err != nil {
			return nil, err
		}
		j.remote = m
	}
	return j.remote, nil
}

// remoteFor returns the runner of a remote platform that has had jobs, or
// nil.
func (j *jobRunners) remoteFor(platformName string) *remotePlatform {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.remotes[platformName]
}

// forPlatform returns the runner of a platform's jobs.
func (j *jobRunners) forPlatform(pl *platform.Platform) (runner.Runner, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if rn, ok := j.byPlatform[pl.Name]; ok {
		return rn, nil
	}
	opts := j.opts
	opts.CommandTemplate = pl.JobRunnerCommandTemplate
	opts.JobNameLengthMaximum = pl.JobNameLengthMaximum
	if !pl.IsLocal() {
		m, err := j.manager()
		if err != nil {
			return nil, fmt.Errorf("platform %s: %w", pl.Name, err)
		}
		rr, err := m.NewRunner(pl, opts)
		if err != nil {
			return nil, err
		}
		w := &scriptWriter{Runner: rr, r: j.r}
		j.byPlatform[pl.Name] = w
		j.remotes[pl.Name] = &remotePlatform{runner: rr, platform: pl}
		j.all = append(j.all, rr)
		return w, nil
	}
	rn, err := runner.New(pl.JobRunner, opts)
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", pl.Name, err)
	}
	w := &scriptWriter{Runner: rn, r: j.r}
	j.byPlatform[pl.Name] = w
	if _, ok := j.byName[pl.JobRunner]; !ok {
		j.byName[pl.JobRunner] = w
	}
	j.all = append(j.all, rn)
	return w, nil
}

// forJob returns the runner to poll or kill a job submitted to platform
// through runnerName: the platform's. A platform that is no longer
// defined (the global configuration changed since) cannot be asked: its
// hosts are unknown, and asking this host could misjudge the job. A job
// with no record of where it went (a restart of a run from before Gyre
// recorded it) was a local job of runnerName, background by default.
func (j *jobRunners) forJob(cfg *platform.Config, platformName, runnerName string) (runner.Runner, error) {
	if cfg == nil {
		cfg = defaultPlatforms
	}
	runnerName = cmp.Or(runnerName, runner.Background)
	if platformName != "" {
		pl, err := cfg.Platform(platformName)
		if err != nil {
			return nil, fmt.Errorf("the job went to platform %s: %w", platformName, err)
		}
		if pl.JobRunner == runnerName {
			return j.forPlatform(pl)
		}
		if !pl.IsLocal() {
			return nil, fmt.Errorf("the job went to platform %s through %s, which now uses %s", platformName, runnerName, pl.JobRunner)
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if rn, ok := j.byName[runnerName]; ok {
		return rn, nil
	}
	rn, err := runner.New(runnerName, j.opts)
	if err != nil {
		return nil, err
	}
	w := &scriptWriter{Runner: rn, r: j.r}
	j.byName[runnerName] = w
	j.all = append(j.all, rn)
	return w, nil
}

// close stops every runner's watchers (the jobs run on) and removes the
// run's contact file from remote hosts, as Cylc's remote tidy does.
func (j *jobRunners) close() {
	j.mu.Lock()
	for _, rn := range j.all {
		rn.Close()
	}
	j.all = nil
	j.mu.Unlock()
	j.remoteMu.Lock()
	m := j.remote
	j.remoteMu.Unlock()
	if m != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.Tidy(ctx); err != nil {
			j.r.logf(pool.Warning, "remote tidy: %v", err)
		}
	}
}

// copyableEnv returns the platform's copyable environment variables with
// the values this scheduler has, for the job script to export.
func copyableEnv(names []string, env []string) []job.EnvVar {
	var out []job.EnvVar
	for _, name := range names {
		if v, ok := lookupEnv(env, name); ok {
			out = append(out, job.EnvVar{Name: name, Value: v})
		}
	}
	return out
}

func lookupEnv(env []string, name string) (string, bool) {
	if env == nil {
		return os.LookupEnv(name)
	}
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// RetrieveLogs brings a remote job's logs back to the run directory once
// the job has ended (a task event says it has), as Cylc's "retrieve job
// logs" does, trying again after the platform's retry delays while the
// logs are incomplete. Local jobs and platforms that keep their logs are
// left alone. It does not block: the copy runs on a goroutine that Run
// waits for.
func (r *Runner) RetrieveLogs(ev pool.TaskEvent) {
	switch ev.Event {
	case "succeeded", "failed", "expired":
	default:
		return
	}
	rp := r.runners.remoteFor(ev.Platform)
	if rp == nil || !rp.platform.RetrieveJobLogs {
		return
	}
	ref := r.ref(ev.ID, ev.SubmitNum)
	delays := rp.platform.RetrieveJobLogsRetryDelays
	r.retrievals.Go(func() {
		for try := 0; ; try++ {
			err := rp.runner.Retrieve(r.ctx, []runner.JobRef{ref})[0]
			if err == nil {
				return
			}
			if try >= len(delays) || r.ctx.Err() != nil {
				r.logf(pool.Warning, "[%s] job log retrieval failed: %v", ref.ID, err)
				return
			}
			t := time.NewTimer(delays[try])
			select {
			case <-t.C:
			case <-r.ctx.Done():
				t.Stop()
			}
		}
	})
}
