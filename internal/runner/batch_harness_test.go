package runner

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
	"gyre/internal/pidfd"
)

// fakeBatch gives a fixture the fake batch commands of testdata/fakebatch
// (see lib.sh there): copied to a bin directory first on the fixture's
// PATH, with a spool directory of their own. It also moves the run
// directory under $HOME, where Cylc's are, so that directives name the job
// logs relative to $HOME and the fakes find them only if the runner runs
// them there.
type fakeBatch struct {
	t     *testing.T
	f     *fixture
	bin   string
	spool string
	home  string
}

func newFakeBatch(t *testing.T, f *fixture, omit ...string) *fakeBatch {
	t.Helper()
	tmp := t.TempDir()
	fb := &fakeBatch{t: t, f: f, bin: filepath.Join(tmp, "bin"), spool: filepath.Join(tmp, "spool"), home: homeDir(f.env)}
	for _, d := range []string{fb.bin, fb.spool} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join("testdata", "fakebatch")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if slices.Contains(omit, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(fb.bin, e.Name()), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.layout = job.Layout{RunDir: filepath.Join(fb.home, "cylc-run", "flow", "run1")}
	f.env = mergeEnv(f.env, []string{"PATH=" + fb.bin + ":/usr/bin:/bin", "FAKEBATCH_SPOOL=" + fb.spool})
	return fb
}

// runner returns a runner of the fixture's, with extra environment for the
// fakes (e.g. "FAKEBATCH_FAIL_SQUEUE=...") and options edited.
func (fb *fakeBatch) runner(name string, env []string, edit func(*Options)) Runner {
	fb.t.Helper()
	opts := fb.f.options()
	opts.Env = mergeEnv(opts.Env, env)
	if edit != nil {
		edit(&opts)
	}
	return mustRunner(fb.t, name, opts)
}

// submit submits jobs, which must all be accepted, and arranges for the
// ones that started to be killed at the end of the test.
func (fb *fakeBatch) submit(r Runner, jobs ...Job) []SubmitResult {
	fb.t.Helper()
	res := r.Submit(fb.t.Context(), jobs)
	if len(res) != len(jobs) {
		fb.t.Fatalf("%d submit results for %d jobs", len(res), len(jobs))
	}
	for i, s := range res {
		if s.Err != nil {
			fb.t.Fatalf("submit %s: %v", jobs[i].ID, s.Err)
		}
		if s.Ref != jobs[i].JobRef {
			fb.t.Fatalf("result %d is for %s, want %s", i, s.Ref.ID, jobs[i].ID)
		}
		if pid := fb.pid(s.RunnerJobID); pid > 0 {
			fb.f.track(pid)
		}
	}
	return res
}

// pid returns the PID of a job the fakes started, or 0.
func (fb *fakeBatch) pid(id string) int {
	b, err := os.ReadFile(filepath.Join(fb.spool, "jobs", id, "pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// waitExit waits until the process of job id has ended.
func (fb *fakeBatch) waitExit(id string) {
	fb.t.Helper()
	pid := fb.pid(id)
	if pid == 0 {
		fb.t.Fatalf("job %s has no process", id)
	}
	w, err := pidfd.Watch(pid)
	if err != nil {
		fb.t.Fatal(err)
	}
	defer w.Close()
	select {
	case <-w.Done():
	case <-time.After(patience):
		fb.t.Fatalf("job %s (process %d) did not end", id, pid)
	}
}

// calls returns the fakes' calls so far, "NAME ARGS...", and checks that
// each ran in $HOME, as Cylc runs them.
func (fb *fakeBatch) calls() []string {
	fb.t.Helper()
	f, err := os.Open(filepath.Join(fb.spool, "calls"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		fb.t.Fatal(err)
	}
	defer f.Close()
	var calls []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		call, cwd, ok := strings.Cut(sc.Text(), " [cwd=")
		if !ok || cwd != fb.home+"]" {
			fb.t.Errorf("call %q: want one run in %s", sc.Text(), fb.home)
		}
		calls = append(calls, call)
	}
	return calls
}

// callsSince returns the calls after the first n.
func (fb *fakeBatch) callsSince(n int) []string {
	fb.t.Helper()
	return fb.calls()[n:]
}

// batchJob writes a job script for a batch runner, with the runner's
// directives and failure signals in it.
func batchJob(f *fixture, r Runner, task, script string, edit func(*job.Spec)) Job {
	f.t.Helper()
	j := Job{
		JobRef:       JobRef{ID: job.RelativeJobID("1", task, 1), Files: f.layout.Job("1", task, 1)},
		WorkflowName: "flow/run1",
	}
	written := f.job(task, script, func(s *job.Spec) {
		s.RunnerName = r.Name()
		s.FailSignals = FailSignals(r.Name())
		if edit != nil {
			edit(s)
		}
		j.ExecutionTimeLimit = s.ExecutionTimeLimit
		s.Directives = func() []string { return r.Directives(j) }
	})
	if written.JobRef != j.JobRef {
		f.t.Fatalf("job written as %+v, want %+v", written.JobRef, j.JobRef)
	}
	return j
}

// statusRef makes a job log directory whose job.status says status (with
// the short keys of expandKeys), for polls of jobs in given states.
func statusRef(f *fixture, task, status string) JobRef {
	f.t.Helper()
	files, err := f.layout.PrepareJobDir("1", task, 1)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(files.Status, []byte(expandKeys(status)), 0o644); err != nil {
		f.t.Fatal(err)
	}
	return JobRef{ID: job.RelativeJobID("1", task, 1), Files: files}
}

// fakeSystem is what the tests expect of each batch system's fakes.
type fakeSystem struct {
	runner, submit, poll, kill string
	// killed is the job's last message when the runner kills it.
	killed string
	// killGoneFails: killing a job that has ended is an error.
	killGoneFails bool
	// pollCall is the poll command line for ids.
	pollCall func(ids ...string) string
	// down is what the poll command says when it cannot reach the system.
	down string
}

var fakeSystems = []fakeSystem{
	{
		runner: Slurm, submit: "sbatch", poll: "squeue", kill: "scancel",
		killed:   "CRITICAL: failed/TERM",
		pollCall: func(ids ...string) string { return "squeue -h -j " + strings.Join(ids, ",") },
		down:     "slurm_load_jobs error: Unable to contact slurm controller (connect failure)",
	},
	{
		runner: PBS, submit: "qsub", poll: "qstat", kill: "qdel",
		killed: "CRITICAL: failed/TERM", killGoneFails: true,
		pollCall: func(ids ...string) string { return "qstat " + strings.Join(ids, " ") },
		down:     `Connection refused\nqstat: cannot connect to server pbs01 (errno=111)`,
	},
	{
		runner: LSF, submit: "bsub", poll: "bjobs", kill: "bkill",
		killed: "CRITICAL: failed/INT", killGoneFails: true,
		pollCall: func(ids ...string) string { return "bjobs " + strings.Join(ids, " ") },
		down:     "LSF is down. Please wait...",
	},
}

// submitCall is the submit command line for a job script.
func (s fakeSystem) submitCall(script string) string {
	if s.submit == "bsub" {
		return "bsub" // the script is on standard input
	}
	return s.submit + " " + script
}

// env names an environment variable that steers this system's fake cmd.
func (s fakeSystem) env(what, cmd, value string) string {
	return "FAKEBATCH_" + what + "_" + strings.ToUpper(cmd) + "=" + value
}
