package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"gyre/internal/job"
)

// batchSystem is what sets one batch system apart: its commands, the
// directives it reads in the job script's header, and how to read what its
// commands print. All else — job.status records, batching, how a job that
// the system no longer lists is judged — batchRunner does for all of them,
// as Cylc's job runner manager does for its handlers.
type batchSystem struct {
	name string
	// submit, poll and kill are the commands, looked up on the runner's
	// PATH: "submit FILE" (or the script on standard input, if
	// submitStdin), "poll pollArgs(IDs)", "kill ID".
	submit, poll, kill string
	submitStdin        bool
	pollArgs           func(ids []string) []string
	// directives formats the job script header lines.
	directives func(d directiveJob) []string
	// submitID reads the job ID from the submit command's standard output;
	// "" if there is none.
	submitID func(stdout string) string
	// listed reads the IDs of the jobs that the poll command's standard
	// output shows the system still has.
	listed func(stdout string) map[string]bool
	// unknownJob matches the poll command's complaint about a job it does
	// not know (any more). A poll command that fails saying only that has
	// still answered; one that fails for any other reason — the batch
	// system is down, say — has not, and its jobs' state is unknown.
	unknownJob *regexp.Regexp
}

// directiveJob is what the directives of a job are made from, named as in
// Cylc's job configuration.
type directiveJob struct {
	task, cycle string
	workflow    string
	// path is the job script's path, relative to $HOME where it is under
	// it (the submit command runs there), as Cylc writes it.
	path string
	// limit is the execution time limit in seconds; zero for none.
	limit float64
	user  []Directive
	// nameMax is the most characters a job name may have; 0: no limit.
	nameMax int
}

// directiveSet is an ordered map of directives, as the Python dict that
// Cylc fills: setting a name again changes its value but not its place.
type directiveSet struct {
	names  []string
	values map[string]string
}

func (d *directiveSet) set(name, value string) {
	if d.values == nil {
		d.values = map[string]string{}
	}
	if _, ok := d.values[name]; !ok {
		d.names = append(d.names, name)
	}
	d.values[name] = value
}

// withUser sets the user's directives over the defaults: a user value
// replaces a default of the same name in the default's place.
func (d *directiveSet) withUser(user []Directive) *directiveSet {
	for _, u := range user {
		d.set(u.Name, u.Value)
	}
	return d
}

// batchRunner submits jobs to a batch system and asks it about them. Unlike
// the background and at runners it never watches a job's process: a batch
// job runs on whichever node the system chooses, and its PID in job.status
// may be another host's. What became of a job is read from job.status,
// completed by a poll once the system no longer lists the job. So it sends
// no events (Options.Sink), and Close has nothing to stop.
type batchRunner struct {
	sys    *batchSystem
	opts   Options
	files  *statusFiles
	paths  map[string]string // command name → path on the runner's PATH
	closed atomic.Bool
	// home, if set, is the job host's $HOME (DirectivesFor); otherwise
	// it is where this host's commands run.
	home string
}

// batchSystemNamed returns the batch system called name, or nil.
func batchSystemNamed(name string) *batchSystem {
	switch name {
	case Slurm:
		return &slurmSystem
	case PBS:
		return &pbsSystem
	case LSF:
		return &lsfSystem
	}
	return nil
}

// DirectivesFor returns the job script header lines that the runner called
// name reads, as its Directives would, without needing its commands on
// this host: a job bound for a remote host is written here and submitted
// there. Runners without directives give none; an unknown name is an
// error.
func DirectivesFor(name string, opts Options, j Job) ([]string, error) {
	if sys := batchSystemNamed(name); sys != nil {
		// The job's $HOME is the other host's: take it as given.
		b := &batchRunner{sys: sys, opts: opts, files: &statusFiles{utc: opts.UTC}, home: homeDir(opts.Env)}
		return b.Directives(j), nil
	}
	if slices.Contains(knownRunners, name) {
		return nil, nil
	}
	return nil, fmt.Errorf("runner: unknown job runner %q%s", name, didYouMean(name, knownRunners))
}

func newBatch(name string, opts Options) (*batchRunner, error) {
	sys := batchSystemNamed(name)
	if sys == nil {
		return nil, fmt.Errorf("runner: %q is not a batch system", name)
	}
	b := &batchRunner{sys: sys, opts: opts, files: &statusFiles{utc: opts.UTC}, paths: map[string]string{}}
	commands := []string{sys.poll, sys.kill}
	if opts.CommandTemplate == "" {
		commands = append(commands, sys.submit)
	} else if _, err := expandTemplate(opts.CommandTemplate, "job"); err != nil {
		return nil, fmt.Errorf("runner: %s: job runner command template %q: %w", name, opts.CommandTemplate, err)
	}
	for _, c := range commands {
		p, err := lookPathEnv(opts.baseEnv(), name, c)
		if err != nil {
			return nil, err
		}
		b.paths[c] = p
	}
	return b, nil
}

func (b *batchRunner) Name() string { return b.sys.name }

// Close: a batch runner watches nothing, so it only refuses later calls.
func (b *batchRunner) Close() error {
	b.closed.Store(true)
	return nil
}

// Directives returns the job's header lines for the batch system.
func (b *batchRunner) Directives(j Job) []string {
	cycle, task := "None", "None"
	if c, rest, ok := strings.Cut(j.ID, "/"); ok {
		cycle = c
		task, _, _ = strings.Cut(rest, "/")
	} else if j.ID != "" {
		// As Cylc's Tokens read a bare ID: a cycle point, no task.
		cycle = j.ID
	}
	nameMax := b.opts.JobNameLengthMaximum
	switch {
	case nameMax == 0:
		nameMax = defaultJobNameLengthMaximum
	case nameMax < 0:
		nameMax = 0
	}
	return b.sys.directives(directiveJob{
		task: task, cycle: cycle, workflow: j.WorkflowName,
		path:    b.homeRelative(j.Files.Script),
		limit:   j.ExecutionTimeLimit.Seconds(),
		user:    j.Directives,
		nameMax: nameMax,
	})
}

// defaultJobNameLengthMaximum is Cylc's PBS job name length maximum.
const defaultJobNameLengthMaximum = 236

// homeRelative returns path relative to the directory runner commands run
// in ($HOME) if it is under it: Cylc names job logs in directives relative
// to $HOME, so that they hold wherever a host mounts home directories.
func (b *batchRunner) homeRelative(path string) string {
	dir := b.home
	if dir == "" {
		dir = startDir(b.opts.baseEnv())
	}
	if dir == "/" {
		return path
	}
	if rel, ok := strings.CutPrefix(path, strings.TrimRight(dir, "/")+"/"); ok && rel != "" {
		return rel
	}
	return path
}

// fail wraps err for a job.
func (b *batchRunner) fail(verb string, id string, err error) error {
	return fmt.Errorf("runner: %s: %s %s: %w", b.sys.name, verb, id, err)
}

func (b *batchRunner) Submit(ctx context.Context, jobs []Job) []SubmitResult {
	res := make([]SubmitResult, len(jobs))
	for i, j := range jobs {
		res[i] = b.submit(ctx, j)
	}
	return res
}

func (b *batchRunner) submit(ctx context.Context, j Job) SubmitResult {
	r := SubmitResult{Ref: j.JobRef}
	fail := func(err error) SubmitResult {
		r.Err = b.fail("submitting", j.ID, err)
		return r
	}
	if b.closed.Load() {
		return fail(ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := checkRef(j.JobRef); err != nil {
		return fail(err)
	}
	// As Cylc: logs of an earlier submit must not pass for this one's.
	for _, p := range []string{j.Files.Out, j.Files.Err} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail(err)
		}
	}
	if err := b.files.reset(j.Files.Status, b.sys.name); err != nil {
		return fail(err)
	}
	env := mergeEnv(b.opts.baseEnv(), j.Env)
	var stdin io.Reader
	if b.sys.submitStdin {
		f, err := os.Open(j.Files.Script)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		stdin = f
	}
	cmd, err := b.submitCommand(j.Files.Script)
	if err != nil {
		return fail(err)
	}
	stdout, stderr, err := cmd.run(ctx, env, stdin)
	id := b.sys.submitID(stdout)
	r.Output = strings.TrimSpace(strings.TrimSpace(stdout) + "\n" + strings.TrimSpace(stderr))
	switch {
	case err != nil:
		if id != "" {
			// Queued although the command failed: take it back rather
			// than leave a job that nothing follows.
			b.cancel(ctx, env, id)
		}
		return fail(err)
	case id == "":
		return fail(fmt.Errorf("no job ID in the output of %s: %q", cmd, r.Output))
	}
	now := time.Now()
	if err := b.files.appendFields(j.Files.Status,
		job.KeyJobID, id, job.KeyRunnerSubmitTime, b.files.timestamp(now)); err != nil {
		b.cancel(ctx, env, id)
		return fail(err)
	}
	r.RunnerJobID, r.Time = id, now
	return r
}

// submitCommand is the command that submits the job script at path: the
// platform's template run by sh, or the runner's own.
func (b *batchRunner) submitCommand(path string) (command, error) {
	if b.opts.CommandTemplate != "" {
		line, err := expandTemplate(b.opts.CommandTemplate, path)
		if err != nil {
			return command{}, err
		}
		return command{path: "/bin/sh", args: []string{"-c", line}, show: line}, nil
	}
	c := command{path: b.paths[b.sys.submit], show: b.sys.submit}
	if !b.sys.submitStdin {
		c.args = []string{path}
	}
	return c, nil
}

// cancel asks the system to kill a job whose submission is being failed.
// The context is detached: a submission that timed out still cleans up.
func (b *batchRunner) cancel(ctx context.Context, env []string, id string) {
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer stop()
	_, _, _ = b.command(b.sys.kill, id).run(ctx, env, nil)
}

func (b *batchRunner) command(name string, args ...string) command {
	return command{path: b.paths[name], args: args, show: name}
}

func (b *batchRunner) Poll(ctx context.Context, refs []JobRef) []PollResult {
	res := make([]PollResult, len(refs))
	now := time.Now()
	var ask []int // the jobs to ask the system about
	var ids []string
	seen := map[string]bool{}
	for i, ref := range refs {
		r := &res[i]
		r.Ref = ref
		if b.closed.Load() {
			r.Err = b.fail("polling", ref.ID, ErrClosed)
			continue
		}
		if r.Err = checkRef(ref); r.Err != nil {
			continue
		}
		r.Status, r.Err = b.files.pollStatus(ref, now)
		if r.Err != nil || settled(r.Status) {
			continue
		}
		switch st := r.Status; {
		case st.RunnerName != "" && st.RunnerName != b.sys.name:
			r.Err = b.fail("polling", ref.ID, fmt.Errorf("job.status names job runner %q", st.RunnerName))
		case st.RunnerName == "" || !validJobID(st.JobID):
			// As Cylc: without the runner's record the job cannot be
			// found, so it counts as gone (in this result only).
			r.Status.RunnerExitPolled = b.files.timestamp(now)
		default:
			ask = append(ask, i)
			if !seen[st.JobID] {
				seen[st.JobID] = true
				ids = append(ids, st.JobID)
			}
		}
	}
	if len(ask) == 0 {
		return res
	}
	listed, err := b.query(ctx, ids)
	for _, i := range ask {
		r := &res[i]
		switch {
		case err != nil:
			r.Err = b.fail("polling", r.Ref.ID, err)
		case !listed[r.Status.JobID]:
			r.Status, r.Err = b.files.markGone(r.Ref.Files.Status, now)
		}
	}
	return res
}

// query asks the system, in one command, which of the jobs ids it still
// has.
func (b *batchRunner) query(ctx context.Context, ids []string) (map[string]bool, error) {
	stdout, stderr, err := b.command(b.sys.poll, b.sys.pollArgs(ids)...).run(ctx, b.opts.baseEnv(), nil)
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || ctx.Err() != nil || !onlyMatches(stderr, b.sys.unknownJob)) {
		return nil, err
	}
	return b.sys.listed(stdout), nil
}

// onlyMatches reports whether text has lines and re matches each of them.
func onlyMatches(text string, re *regexp.Regexp) bool {
	found := false
	for _, line := range pyLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !re.MatchString(line) {
			return false
		}
		found = true
	}
	return found
}

// validJobID reports whether id can be put on a batch command's line as a
// job ID: one word that no command would take for an option or a list.
func validJobID(id string) bool {
	return id != "" && !strings.HasPrefix(id, "-") && !strings.ContainsFunc(id, func(r rune) bool {
		return r == ',' || r <= ' ' || r == 0x7f || isPySpace(r)
	})
}

func (b *batchRunner) Kill(ctx context.Context, refs []JobRef) []KillResult {
	res := make([]KillResult, len(refs))
	for i, ref := range refs {
		res[i] = KillResult{Ref: ref}
		if err := b.kill(ctx, ref); err != nil {
			res[i].Err = b.fail("killing", ref.ID, err)
		}
	}
	return res
}

// kill runs the kill command for one job, as Cylc does: one command per
// job, so that each job's outcome is known.
func (b *batchRunner) kill(ctx context.Context, ref JobRef) error {
	if b.closed.Load() {
		return ErrClosed
	}
	if err := checkRef(ref); err != nil {
		return err
	}
	st, err := readStatus(ref.Files.Status)
	switch {
	case err != nil:
		return err
	case st.RunnerName != "" && st.RunnerName != b.sys.name:
		return fmt.Errorf("job.status names job runner %q", st.RunnerName)
	case !validJobID(st.JobID):
		return fmt.Errorf("cannot determine the job's %s job ID from job.status (%q)", b.sys.name, st.JobID)
	}
	_, _, err = b.command(b.sys.kill, st.JobID).run(ctx, b.opts.baseEnv(), nil)
	return err
}

// FailSignals returns the signals that jobs of the named runner trap as
// failures, for job.Spec.FailSignals; nil means the job script's default
// (EXIT ERR TERM XCPU), which Cylc 8.7 keeps for all but LSF. LSF's bkill
// sends SIGINT first, and SIGUSR2 warns of the run limit.
func FailSignals(runner string) []string {
	if runner == LSF {
		return []string{"EXIT", "ERR", "XCPU", "TERM", "INT", "SIGUSR2"}
	}
	return nil
}
