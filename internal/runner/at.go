package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gyre/internal/job"
)

// atRunner queues each job on the Unix "at" queue to run now, as Cylc's at
// handler does: the job runs under atd, in a process group of its own (made
// by a perl one-liner, since at jobs otherwise share atd's), wrapped in
// "timeout --signal=XCPU" when it has an execution time limit. The runner's
// job ID is at's job number. atd must be running.
//
// A running at job is not the scheduler's child, but once a poll or a kill
// finds its process (CYLC_JOB_PID) it is watched like a background job, so
// its exit is reported at once.
type atRunner struct {
	opts          Options
	at, atq, atrm string
	files         *statusFiles
	watch         *watchers
}

func newAt(opts Options) (*atRunner, error) {
	r := &atRunner{opts: opts, files: &statusFiles{utc: opts.UTC}}
	for _, c := range []struct {
		path *string
		name string
	}{{&r.at, "at"}, {&r.atq, "atq"}, {&r.atrm, "atrm"}} {
		p, err := lookPath(At, c.name)
		if err != nil {
			return nil, err
		}
		*c.path = p
	}
	r.watch = newWatchers(opts.Sink, opts.grace(), r.files)
	return r, nil
}

func (a *atRunner) Name() string { return At }

// Directives: at has none.
func (a *atRunner) Directives(Job) []string { return nil }

func (a *atRunner) Close() error {
	a.watch.close()
	return nil
}

// run runs an at command and returns its standard output and error.
func (a *atRunner) run(ctx context.Context, env []string, stdin string, name string, args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Dir = startDir(env)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Do not wait for pipes held open by anything the command left behind.
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("%s: %w", strings.Join(append([]string{name}, args...), " "), err)
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
	}
	return out.String(), errb.String(), err
}

func (a *atRunner) Submit(ctx context.Context, jobs []Job) []SubmitResult {
	res := make([]SubmitResult, len(jobs))
	for i, j := range jobs {
		res[i] = a.submit(ctx, j)
	}
	return res
}

func (a *atRunner) submit(ctx context.Context, j Job) SubmitResult {
	r := SubmitResult{Ref: j.JobRef}
	fail := func(err error) SubmitResult {
		r.Err = fmt.Errorf("runner: at: submitting %s: %w", j.ID, err)
		return r
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := checkRef(j.JobRef); err != nil {
		return fail(err)
	}
	if err := a.files.reset(j.Files.Status, At); err != nil {
		return fail(err)
	}
	// at runs the commands with the shell named by SHELL; the stdin
	// command line is sh, so make sure that sh runs it.
	env := mergeEnv(a.opts.baseEnv(), j.Env, "SHELL=/bin/sh")
	stdout, stderr, err := a.run(ctx, env, atCommand(j), a.at, "now")
	id, noAtd, rest := parseAtSubmit(stderr)
	r.Output = strings.TrimSpace(strings.TrimSpace(stdout) + "\n" + rest)
	switch {
	case noAtd != "":
		// The job is queued but nothing will run it: take it back.
		if id != "" {
			_, _, _ = a.run(ctx, env, "", a.atrm, id)
		}
		return fail(fmt.Errorf("the at daemon is not running (%s): start atd", noAtd))
	case err != nil:
		return fail(err)
	case id == "":
		return fail(fmt.Errorf("no job number in at's output %q", strings.TrimSpace(stderr)))
	}
	now := time.Now()
	if err := a.files.appendFields(j.Files.Status,
		job.KeyJobID, id, job.KeyRunnerSubmitTime, a.files.timestamp(now)); err != nil {
		_, _, _ = a.run(ctx, env, "", a.atrm, id)
		return fail(err)
	}
	r.RunnerJobID, r.Time = id, now
	return r
}

// atCommand is the command line at is given to run: the job script in a
// process group of its own (so that kill can reach all of it), with its
// output in job.out and job.err, under "timeout" if it has a time limit.
func atCommand(j Job) string {
	limit := ""
	if j.ExecutionTimeLimit > 0 {
		// Whole seconds, at least one: "timeout 0" would mean no limit.
		secs := max(1, int64(math.Ceil(j.ExecutionTimeLimit.Seconds())))
		limit = "timeout --signal=XCPU " + strconv.FormatInt(secs, 10) + " "
	}
	return "exec perl -e 'setpgrp(0,0);exec(@ARGV)' " + limit +
		shellQuote(j.Files.Script) + " 1>" + shellQuote(j.Files.Out) + " 2>" + shellQuote(j.Files.Err) + "\n"
}

// shellQuote quotes s as one sh word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var (
	// atJobLine is at's report of the queued job, on standard error:
	// "job 12 at Thu Nov 26 05:20:00 2026".
	atJobLine = regexp.MustCompile(`^job[ \t]+([[:alnum:]._-]+)[ \t]+at`)
	// atShellWarning is at's routine warning, which would only alarm users.
	atShellWarning = regexp.MustCompile(`^warning: commands will be executed using /bin/sh`)
)

// parseAtSubmit reads at's standard error: the job number, the line saying
// that atd is not running (at still queues the job then), and the rest,
// without the routine shell warning.
func parseAtSubmit(stderr string) (id, noAtd, rest string) {
	var b strings.Builder
	for line := range strings.Lines(stderr) {
		line = strings.TrimRight(line, "\r\n")
		switch m := atJobLine.FindStringSubmatch(line); {
		case m != nil && id == "":
			id = m[1]
			b.WriteString(line + "\n")
		case atShellWarning.MatchString(line):
		case noAtd == "" && atdMissing(line):
			noAtd = strings.TrimSpace(line)
		case strings.TrimSpace(line) != "":
			b.WriteString(line + "\n")
		}
	}
	return id, noAtd, strings.TrimSpace(b.String())
}

// atdMissing recognises at's complaints that atd is not running, which
// vary with the pid file's path and at's version ("Can't open
// /run/atd.pid to signal atd. No atd running?", "Warning: at daemon not
// running").
func atdMissing(line string) bool {
	l := strings.ToLower(line)
	return strings.Contains(l, "no atd running") || strings.Contains(l, "at daemon not running")
}

// parseAtq returns the job numbers atq lists: the first field of each line.
func parseAtq(out string) map[string]bool {
	ids := map[string]bool{}
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) > 0 {
			ids[f[0]] = true
		}
	}
	return ids
}

func (a *atRunner) Poll(ctx context.Context, refs []JobRef) []PollResult {
	res := make([]PollResult, len(refs))
	now := time.Now()
	var ask []int // the jobs to look for in the queue
	var ids []string
	for i, ref := range refs {
		r := &res[i]
		r.Ref = ref
		if r.Err = checkRef(ref); r.Err != nil {
			continue
		}
		r.Status, r.Err = a.files.pollStatus(ref, now)
		if r.Err != nil || settled(r.Status) || a.watch.watched(ref) != nil {
			continue
		}
		switch {
		case r.Status.RunnerName != At:
			r.Err = fmt.Errorf("runner: at: polling %s: job.status names job runner %q", ref.ID, r.Status.RunnerName)
		case r.Status.JobID == "":
			r.Status.RunnerExitPolled = a.files.timestamp(now) // no record: as Cylc, gone
		default:
			ask = append(ask, i)
			ids = append(ids, r.Status.JobID)
		}
	}
	if len(ask) == 0 {
		return res
	}
	out, _, err := a.run(ctx, a.opts.baseEnv(), "", a.atq, ids...)
	if err != nil {
		for _, i := range ask {
			res[i].Err = fmt.Errorf("runner: at: polling %s: %w", res[i].Ref.ID, err)
		}
		return res
	}
	queued := parseAtq(out)
	for _, i := range ask {
		r := &res[i]
		if pid := r.Status.PID; pid > 0 {
			// Started: watch it. (Its time limit is timeout's business.)
			_, err := a.watch.adopt(r.Ref, pid, 0, time.Time{})
			if err == nil || (!errors.Is(err, errNotRunning) && runs(pid, r.Ref.Files.Script)) {
				continue
			}
		}
		if queued[r.Status.JobID] {
			continue
		}
		r.Status, r.Err = a.files.markGone(r.Ref.Files.Status, now)
	}
	return res
}

func (a *atRunner) Kill(ctx context.Context, refs []JobRef) []KillResult {
	res := make([]KillResult, len(refs))
	for i, ref := range refs {
		res[i] = KillResult{Ref: ref}
		if err := a.kill(ctx, ref); err != nil {
			res[i].Err = fmt.Errorf("runner: at: killing %s: %w", ref.ID, err)
		}
	}
	return res
}

// kill ends a started job through its process group, as Cylc does, and
// takes a job that has not started off the queue.
func (a *atRunner) kill(ctx context.Context, ref JobRef) error {
	if err := checkRef(ref); err != nil {
		return err
	}
	if w := a.watch.watched(ref); w != nil {
		return w.terminate(a.opts.grace())
	}
	st, err := readStatus(ref.Files.Status)
	if err != nil {
		return err
	}
	switch {
	case st.PID > 0:
		return killProcess(a.watch, ref, st.PID, 0, time.Time{}, a.opts.grace())
	case st.JobID != "":
		_, _, err := a.run(ctx, a.opts.baseEnv(), "", a.atrm, st.JobID)
		return err
	}
	return errors.New("cannot determine the job's at job number from job.status")
}
