package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"gyre/internal/platform"
	"gyre/internal/runner"
)

// Runner is a runner.Runner for a platform whose hosts are reached with
// ssh: each call handles its batch in one ssh command running gyre's
// jobs-submit, jobs-poll or jobs-kill on a host of the platform. Job
// scripts are written locally (with the paths of Layout) before Submit.
// Each call initialises the install target first if this run has not.
//
// A remote runner watches no processes, so it sends no Exited events:
// polls and the jobs' own messages say how remote jobs end.
type Runner struct {
	m      *Manager
	pl     *platform.Platform
	layout Layout
	opts   runner.Options
	closed atomic.Bool
}

var _ runner.Runner = (*Runner)(nil)

// NewRunner returns the runner of a remote platform's jobs. From opts it
// takes UTC and KillGrace, which it passes on to the runner on the remote
// host; the job runner, its command template and job name length maximum
// are the platform's.
func (m *Manager) NewRunner(pl *platform.Platform, opts runner.Options) (*Runner, error) {
	fail := func(err error) (*Runner, error) {
		return nil, fmt.Errorf("remote: platform %s: %w", pl.Name, err)
	}
	if _, err := runner.DirectivesFor(pl.JobRunner, runner.Options{Env: []string{"HOME=/"}}, runner.Job{}); err != nil {
		return fail(err)
	}
	if len(pl.Hosts) == 0 {
		return fail(errors.New("it has no hosts"))
	}
	for _, h := range pl.Hosts {
		if err := checkHost(h); err != nil {
			return fail(err)
		}
	}
	for _, c := range []struct{ setting, value string }{
		{"ssh command", pl.SSHCommand}, {"rsync command", pl.RsyncCommand},
		{"retrieve job logs command", pl.RetrieveJobLogsCommand},
	} {
		if c.setting == "retrieve job logs command" && !pl.RetrieveJobLogs {
			continue
		}
		if _, err := commandWords(c.setting, c.value); err != nil {
			return fail(err)
		}
	}
	return &Runner{m: m, pl: pl, layout: m.Layout(pl), opts: opts}, nil
}

// Name is the platform's job runner.
func (r *Runner) Name() string { return r.pl.JobRunner }

// Layout is where the run's files are on the platform's hosts: the job
// script's run directory, shim directory, gyre binary and token file.
func (r *Runner) Layout() Layout { return r.layout }

// Directives formats the job runner's directives for the job host: the
// job's log paths there, relative to its home directory on a remote
// install target (where batch commands run), as the runner would write
// them on that host.
func (r *Runner) Directives(j runner.Job) []string {
	k, err := parseJobID(j.ID)
	if err != nil {
		return nil // its submission fails, saying why
	}
	j.Files = k.files(r.layout.RunDir)
	opts := r.opts
	opts.CommandTemplate = r.pl.JobRunnerCommandTemplate
	opts.JobNameLengthMaximum = r.pl.JobNameLengthMaximum
	opts.Env = []string{"HOME=$HOME"}
	if r.layout.Shared {
		// A file system shared with a host whose home may differ: say
		// where the logs are in full.
		opts.Env = []string{"HOME=/"}
	}
	d, err := runner.DirectivesFor(r.pl.JobRunner, opts, j)
	if err != nil {
		return nil
	}
	return d
}

// Close refuses later calls; there is nothing to stop.
func (r *Runner) Close() error {
	r.closed.Store(true)
	return nil
}

// request starts a request for a batch of jobs; the caller adds them.
func (r *Runner) request(verb string) request {
	return request{
		verb: verb, runner: r.pl.JobRunner, commandTemplate: r.pl.JobRunnerCommandTemplate,
		jobNameMax: r.pl.JobNameLengthMaximum, utc: r.opts.UTC, killGrace: r.opts.KillGrace,
		timeLimits: map[string]time.Duration{}, env: map[string][]string{},
		runDir: r.layout.RunDir,
	}
}

// outcome is what one remote command gave back.
type outcome struct {
	host    string
	replies replies
	err     error // the command's failure, if any
}

// batch runs a remote command on a host of the platform, after before (if
// set) has prepared the host. An unreachable host is given up for the next
// one, unless the command had already answered for some jobs.
func (r *Runner) batch(ctx context.Context, q request, before func(ctx context.Context, host string) error) outcome {
	var o outcome
	err := r.m.onHosts(r.pl, func(host string) error {
		o = outcome{host: host}
		if before != nil {
			if err := before(ctx, host); err != nil {
				return err
			}
		}
		words := []string{homeWord(r.layout.GyreBin), q.verb}
		for _, a := range q.args() {
			words = append(words, quoteWord(a))
		}
		argv, err := sshArgv(r.pl, host, r.m.cfg.Env, r.m.cfg.CylcVersion, false, words...)
		if err != nil {
			return err
		}
		stdout, err := run(ctx, r.m.cfg.Env, nil, q.verb, r.pl.Name, host, argv)
		o.replies = decodeReplies(bytes.NewReader(stdout), q.ids)
		if errors.Is(err, ErrUnreachable) && len(o.replies.byID) == 0 {
			return err
		}
		o.err = err
		return nil
	})
	if err != nil {
		o.err = err
	}
	return o
}

// jobErr is the error of a job in a batch: the remote side's, or why
// there is no reply for it.
func (r *Runner) jobErr(q request, o outcome, id string) error {
	if rp, ok := o.replies.byID[id]; ok {
		if rp.Error == "" {
			return nil
		}
		return fmt.Errorf("remote: %s: platform %s, host %s: %s", q.verb, r.pl.Name, o.host, rp.Error)
	}
	var noise string
	if o.replies.noise != "" {
		noise = "; its output began " + o.replies.noise
	}
	switch {
	case o.err != nil:
		return fmt.Errorf("remote: job %s: %w%s", id, o.err, noise)
	case o.replies.err != nil:
		return fmt.Errorf("remote: %s: platform %s, host %s: reading the output: %w", q.verb, r.pl.Name, o.host, o.replies.err)
	}
	return fmt.Errorf("remote: %s: platform %s, host %s: no reply for job %s%s", q.verb, r.pl.Name, o.host, id, noise)
}

// prepare checks a batch's job IDs: the valid ones' keys, and an error
// for each invalid one (or for all, once the runner is closed).
func (r *Runner) prepare(ids []string) (keys []jobKey, ok []int, errs []error) {
	errs = make([]error, len(ids))
	for i, id := range ids {
		if r.closed.Load() {
			errs[i] = fmt.Errorf("remote: platform %s: job %s: %w", r.pl.Name, id, runner.ErrClosed)
			continue
		}
		k, err := parseJobID(id)
		if err != nil {
			errs[i] = fmt.Errorf("remote: platform %s: %w", r.pl.Name, err)
			continue
		}
		keys, ok = append(keys, k), append(ok, i)
	}
	return keys, ok, errs
}

// Submit copies each job's directory to the remote run directory (one
// rsync for the batch), then submits the jobs there (one ssh). The jobs'
// job.status, as the remote runner wrote it, is copied back.
func (r *Runner) Submit(ctx context.Context, jobs []runner.Job) []runner.SubmitResult {
	res := make([]runner.SubmitResult, len(jobs))
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		res[i].Ref, ids[i] = j.JobRef, j.ID
	}
	keys, ok, errs := r.prepare(ids)
	for i, err := range errs {
		res[i].Err = err
	}
	if len(ok) == 0 {
		return res
	}
	if err := r.m.Init(ctx, r.pl); err != nil {
		for _, i := range ok {
			res[i].Err = fmt.Errorf("remote: submitting %s: %w", ids[i], err)
		}
		return res
	}
	q := r.request(VerbSubmit)
	for _, i := range ok {
		q.ids = append(q.ids, ids[i])
		if jobs[i].ExecutionTimeLimit > 0 {
			q.timeLimits[ids[i]] = jobs[i].ExecutionTimeLimit
		}
		if len(jobs[i].Env) > 0 {
			q.env[ids[i]] = jobs[i].Env
		}
	}
	var before func(context.Context, string) error
	if !r.layout.Shared {
		before = func(ctx context.Context, host string) error {
			argv, err := jobDirsArgv(r.pl, host, r.m.cfg.RunDir, r.layout.RunDir, keys)
			if err != nil {
				return err
			}
			_, err = run(ctx, r.m.cfg.Env, nil, "copying job files", r.pl.Name, host, argv)
			return err
		}
	}
	o := r.batch(ctx, q, before)
	for _, i := range ok {
		if res[i].Err = r.jobErr(q, o, ids[i]); res[i].Err != nil {
			continue
		}
		rp := o.replies.byID[ids[i]]
		if rp.RunnerJobID == "" {
			res[i].Err = fmt.Errorf("remote: jobs-submit: platform %s, host %s: the reply for job %s has no job ID", r.pl.Name, o.host, ids[i])
			continue
		}
		res[i].RunnerJobID, res[i].Output = rp.RunnerJobID, rp.Output
		res[i].Time = time.Now()
		if t, err := time.Parse(time.RFC3339Nano, rp.Time); err == nil {
			res[i].Time = t
		}
		if err := r.keepStatus(jobs[i].Files.Status, rp.Status); err != nil {
			res[i].Output = joinLines(res[i].Output, "warning: "+err.Error())
		}
	}
	return res
}

// Poll polls the jobs on the remote host, and copies each one's resulting
// status to its local job.status. Like Submit and Kill, it initialises the
// install target first if this run has not: after a restart, the jobs
// still running there need the new scheduler's contact file.
func (r *Runner) Poll(ctx context.Context, refs []runner.JobRef) []runner.PollResult {
	res := make([]runner.PollResult, len(refs))
	ids, o, errs := r.ask(ctx, VerbPoll, "polling", refs)
	for i, err := range errs {
		res[i].Ref, res[i].Err = refs[i], err
		if err != nil {
			continue
		}
		text := o.replies.byID[ids[i]].Status
		st, err := parseStatus(text)
		if err != nil {
			res[i].Err = fmt.Errorf("remote: jobs-poll: platform %s, host %s: job %s: %w", r.pl.Name, o.host, ids[i], err)
			continue
		}
		res[i].Status = st
		// A failure to keep the local copy leaves the result as it is:
		// the remote job.status is the one that counts.
		_ = r.keepStatus(refs[i].Files.Status, text)
	}
	return res
}

// Kill kills the jobs on the remote host. A background job is waited for
// there, so that its end is recorded; the remote job.status is copied back.
func (r *Runner) Kill(ctx context.Context, refs []runner.JobRef) []runner.KillResult {
	res := make([]runner.KillResult, len(refs))
	ids, o, errs := r.ask(ctx, VerbKill, "killing", refs)
	for i, err := range errs {
		res[i].Ref, res[i].Err = refs[i], err
		if rp, ok := o.replies.byID[ids[i]]; ok {
			_ = r.keepStatus(refs[i].Files.Status, rp.Status)
		}
	}
	return res
}

// ask runs verb on the remote host for the jobs refs names, in one call,
// after initialising the install target. errs[i] says why job i has no
// answer in o (nil: it has one).
func (r *Runner) ask(ctx context.Context, verb, doing string, refs []runner.JobRef) (ids []string, o outcome, errs []error) {
	ids = make([]string, len(refs))
	for i, ref := range refs {
		ids[i] = ref.ID
	}
	_, ok, errs := r.prepare(ids)
	if len(ok) == 0 {
		return ids, o, errs
	}
	if err := r.m.Init(ctx, r.pl); err != nil {
		for _, i := range ok {
			errs[i] = fmt.Errorf("remote: %s %s: %w", doing, ids[i], err)
		}
		return ids, o, errs
	}
	q := r.request(verb)
	for _, i := range ok {
		q.ids = append(q.ids, ids[i])
	}
	o = r.batch(ctx, q, nil)
	for _, i := range ok {
		errs[i] = r.jobErr(q, o, ids[i])
	}
	return ids, o, errs
}

// keepStatus writes a remote job.status text over the local job.status,
// so that local tools and a restarted scheduler see it. Nothing is written
// on a shared file system (the remote file is the local one), for an empty
// text, or where the local job directory has gone.
func (r *Runner) keepStatus(path, text string) error {
	if r.layout.Shared || text == "" || path == "" {
		return nil
	}
	if _, err := os.Stat(filepath.Dir(path)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	tmp := path + ".remote"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return fmt.Errorf("copying the remote job.status: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copying the remote job.status: %w", err)
	}
	return nil
}
