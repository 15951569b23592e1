package runner

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gyre/internal/job"
)

// Submission and polling through the fake batch systems: job.status as
// Cylc writes it, the job run from the directives' paths, then one poll
// command for every job that job.status does not settle, and the jobs it
// no longer lists judged gone.
func TestBatchFakeSubmitAndPoll(t *testing.T) {
	for _, sys := range fakeSystems {
		t.Run(sys.runner, func(t *testing.T) {
			f := newFixture(t)
			fb := newFakeBatch(t, f)
			r := fb.runner(sys.runner, nil, nil)
			ok := batchJob(f, r, "ok", "echo out-of-ok", nil)
			held := batchJob(f, r, "held", "true", nil)
			held.Env = []string{"FAKEBATCH_HOLD=1"} // for its submit command only
			res := fb.submit(r, held, ok)
			f.expect("started")
			f.expect("succeeded")
			if got, want := fb.calls(), []string{sys.submitCall(held.Files.Script), sys.submitCall(ok.Files.Script)}; !slices.Equal(got, want) {
				t.Errorf("submit calls %q, want %q", got, want)
			}
			for i, s := range res {
				if _, err := strconv.Atoi(s.RunnerJobID); err != nil || !strings.Contains(s.Output, s.RunnerJobID) {
					t.Errorf("submit result %d: %+v: want the batch system's job ID and its output", i, s)
				}
			}
			if res[0].RunnerJobID == res[1].RunnerJobID {
				t.Errorf("two jobs with ID %s", res[0].RunnerJobID)
			}
			if sys.runner == LSF {
				// bsub read the job script on standard input.
				kept, _ := os.ReadFile(filepath.Join(fb.spool, "jobs", res[1].RunnerJobID, "job"))
				script, _ := os.ReadFile(ok.Files.Script)
				if len(kept) == 0 || string(kept) != string(script) {
					t.Errorf("bsub's standard input was %d bytes, not the job script", len(kept))
				}
			}
			st, err := readStatus(held.Files.Status)
			if err != nil {
				t.Fatal(err)
			}
			if st.RunnerName != sys.runner || st.JobID != res[0].RunnerJobID || !strings.HasSuffix(st.SubmitTime, "Z") {
				t.Errorf("job.status %+v, want runner %s, job ID %s and a UTC submit time", st, sys.runner, res[0].RunnerJobID)
			}
			if keys, want := statusKeys(t, held.Files.Status), []string{job.KeyRunnerName, job.KeyJobID, job.KeyRunnerSubmitTime}; !slices.Equal(keys, want) {
				t.Errorf("job.status keys %v, want %v", keys, want)
			}
			// The fake wrote job.out where the directives said, relative
			// to $HOME.
			if out, err := os.ReadFile(ok.Files.Out); err != nil || !strings.Contains(string(out), "out-of-ok") {
				t.Errorf("job.out: %q, %v", out, err)
			}

			crash := batchJob(f, r, "crash", "kill -9 $$", nil) // ends without a record
			crashID := fb.submit(r, crash)[0].RunnerJobID
			f.expect("started")
			fb.waitExit(crashID)
			noID := statusRef(f, "noid", "NAME="+sys.runner+"\n")
			unknown := statusRef(f, "unknown", "NAME="+sys.runner+"\nID=999\n")
			other := statusRef(f, "other", "NAME=background\nID=1\n")
			n := len(fb.calls())
			refs := []JobRef{ok.JobRef, held.JobRef, crash.JobRef, noID, unknown, other}
			polled := r.Poll(t.Context(), refs)
			if got, want := fb.callsSince(n), []string{sys.pollCall(res[0].RunnerJobID, crashID, "999")}; !slices.Equal(got, want) {
				t.Errorf("poll calls %q, want %q", got, want)
			}
			for i, c := range []struct {
				verdict  string
				appended bool // CYLC_JOB_RUNNER_EXIT_POLLED added to job.status
			}{
				{MsgSucceeded, false}, {MsgSubmitted, false}, {MsgFailed, true},
				{MsgSubmitFailed, false}, {MsgSubmitFailed, true},
			} {
				p := polled[i]
				if p.Ref != refs[i] || p.Err != nil || Judge(p.Status).Message != c.verdict {
					t.Errorf("poll of %s: %+v, want %s", refs[i].ID, p, c.verdict)
				}
				keys := statusKeys(t, refs[i].Files.Status)
				if got := keys[len(keys)-1] == job.KeyRunnerExitPolled; got != c.appended {
					t.Errorf("%s: job.status keys %v: runner exit record = %t, want %t", refs[i].ID, keys, got, c.appended)
				}
			}
			if p := polled[5]; p.Err == nil || !strings.Contains(p.Err.Error(), `names job runner "background"`) {
				t.Errorf("poll of another runner's job: %v", p.Err)
			}

			// Taken off the queue, the held job has gone without starting.
			if k := r.Kill(t.Context(), []JobRef{held.JobRef}); k[0].Err != nil {
				t.Fatal(k[0].Err)
			}
			if p := r.Poll(t.Context(), []JobRef{held.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgSubmitFailed {
				t.Errorf("poll of the removed job: %+v, want submission failed", p)
			}
			if got, want := fb.callsSince(n+1), []string{sys.kill + " " + res[0].RunnerJobID, sys.pollCall(res[0].RunnerJobID)}; !slices.Equal(got, want) {
				t.Errorf("calls %q, want %q", got, want)
			}
			f.noEvent()
		})
	}
}

func TestBatchFakeKillRunningJob(t *testing.T) {
	for _, sys := range fakeSystems {
		t.Run(sys.runner, func(t *testing.T) {
			f := newFixture(t)
			fb := newFakeBatch(t, f)
			r := fb.runner(sys.runner, nil, nil)
			j := batchJob(f, r, "long", waitGate, nil)
			id := fb.submit(r, j)[0].RunnerJobID
			f.expect("started")
			if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgStarted {
				t.Fatalf("poll of the running job: %+v, want started", p)
			}
			if k := r.Kill(t.Context(), []JobRef{j.JobRef}); k[0].Err != nil || k[0].Ref != j.JobRef {
				t.Fatalf("kill: %+v", k[0])
			}
			f.expect(sys.killed)
			fb.waitExit(id)
			want := "failed/" + strings.TrimPrefix(sys.killed, "CRITICAL: failed/")
			p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]
			if p.Err != nil || Judge(p.Status).Message != want || p.Status.RunnerExitPolled == "" {
				t.Errorf("poll of the killed job: %+v, want %s, gone", p, want)
			}
			// As Cylc: whatever the kill command says of a job that has gone.
			if k := r.Kill(t.Context(), []JobRef{j.JobRef})[0]; (k.Err != nil) != sys.killGoneFails {
				t.Errorf("killing the job again: %v, want an error: %t", k.Err, sys.killGoneFails)
			} else if k.Err != nil && !strings.Contains(k.Err.Error(), "finished") {
				t.Errorf("killing the job again: %v, want the command's message", k.Err)
			}
			f.noEvent()
		})
	}
}

// What batch commands that fail, or print nonsense, make of submits, polls
// and kills.
func TestBatchFakeFailures(t *testing.T) {
	for _, sys := range fakeSystems {
		t.Run(sys.runner, func(t *testing.T) {
			f := newFixture(t)
			fb := newFakeBatch(t, f)
			r := fb.runner(sys.runner, nil, nil)

			refused := batchJob(f, r, "refused", "true", nil)
			refused.Env = []string{sys.env("FAIL", sys.submit, "Batch job submission failed: Invalid account")}
			garbled := batchJob(f, r, "garbled", "true", nil)
			garbled.Env = []string{sys.env("GARBAGE", sys.submit, "<html>gateway timeout</html>")}
			res := r.Submit(t.Context(), []Job{refused, garbled})
			if s := res[0]; s.Err == nil || s.RunnerJobID != "" ||
				!strings.Contains(s.Err.Error(), "exit status 1: Batch job submission failed: Invalid account") {
				t.Errorf("refused submit: %+v", s)
			}
			if s := res[1]; s.Err == nil || s.RunnerJobID != "" ||
				!strings.Contains(s.Err.Error(), `no job ID in the output of `+sys.submit) || !strings.Contains(s.Err.Error(), "gateway timeout") {
				t.Errorf("garbled submit: %+v", s)
			}
			for _, j := range []Job{refused, garbled} {
				if keys := statusKeys(t, j.Files.Status); !slices.Equal(keys, []string{job.KeyRunnerName}) {
					t.Errorf("%s: job.status keys %v, want the runner's name only", j.ID, keys)
				}
			}

			held := batchJob(f, r, "held", "true", nil)
			held.Env = []string{"FAKEBATCH_HOLD=1"}
			heldID := fb.submit(r, held)[0].RunnerJobID
			done := statusRef(f, "done", "NAME="+sys.runner+"\nID=5\nPID=1\nINIT=t0\nEXIT=SUCCEEDED\nEXIT_TIME=t1\n")
			before, _ := os.ReadFile(held.Files.Status)

			// The batch system is down: the job's state is unknown.
			down := fb.runner(sys.runner, []string{sys.env("FAIL", sys.poll, sys.down)}, nil)
			p := down.Poll(t.Context(), []JobRef{held.JobRef, done})
			if p[0].Err == nil || !strings.Contains(p[0].Err.Error(), strings.Split(sys.down, `\n`)[0]) {
				t.Errorf("poll with the batch system down: %+v, want an error with its message", p[0])
			}
			if p[1].Err != nil || Judge(p[1].Status).Message != MsgSucceeded {
				t.Errorf("poll of a finished job: %+v, want succeeded from job.status", p[1])
			}
			if after, _ := os.ReadFile(held.Files.Status); string(after) != string(before) {
				t.Errorf("a failed poll changed job.status:\n%s", after)
			}

			// A kill that fails says why.
			stuck := fb.runner(sys.runner, []string{sys.env("FAIL", sys.kill, "Permission denied")}, nil)
			if k := stuck.Kill(t.Context(), []JobRef{held.JobRef})[0]; k.Err == nil || !strings.Contains(k.Err.Error(), sys.kill+" "+heldID+": exit status 1: Permission denied") {
				t.Errorf("failing kill: %v", k.Err)
			}
			if k := r.Kill(t.Context(), []JobRef{statusRef(f, "noid", "NAME="+sys.runner+"\n")})[0]; k.Err == nil || !strings.Contains(k.Err.Error(), "cannot determine") {
				t.Errorf("kill without a job ID: %v", k.Err)
			}

			// As Cylc: output that lists nothing means the jobs have gone.
			blind := fb.runner(sys.runner, []string{sys.env("GARBAGE", sys.poll, "???")}, nil)
			if p := blind.Poll(t.Context(), []JobRef{held.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgSubmitFailed {
				t.Errorf("poll with nonsense output: %+v, want submission failed", p)
			}
		})
	}
}

func TestBatchFakeCommandTemplate(t *testing.T) {
	for _, c := range []struct {
		runner, template, call string // call: with JOB for the script
	}{
		{Slurm, `sbatch --account=x --comment="$USER" '%(job)s'`, "sbatch --account=x --comment=tester JOB"},
		{PBS, "qsub -q night %(job)s", "qsub -q night JOB"},
		{LSF, "bsub -q 100%%", "bsub -q 100%"},
	} {
		t.Run(c.runner, func(t *testing.T) {
			f := newFixture(t)
			fb := newFakeBatch(t, f)
			r := fb.runner(c.runner, nil, func(o *Options) { o.CommandTemplate = c.template })
			j := batchJob(f, r, "foo", "true", nil)
			fb.submit(r, j)
			f.expect("started")
			f.expect("succeeded")
			if got, want := fb.calls(), []string{strings.ReplaceAll(c.call, "JOB", j.Files.Script)}; !slices.Equal(got, want) {
				t.Errorf("calls %q, want %q", got, want)
			}
		})
	}
	_, err := New(Slurm, Options{CommandTemplate: "sbatch %s"})
	if err == nil || !strings.Contains(err.Error(), `job runner command template "sbatch %s"`) {
		t.Errorf("New with a bad template: %v", err)
	}
}

// squeue lists the components of a heterogeneous job as "ID+N": the job.
func TestSlurmFakeHetjobPoll(t *testing.T) {
	f := newFixture(t)
	fb := newFakeBatch(t, f)
	r := fb.runner(Slurm, []string{"FAKEBATCH_HETJOB=1"}, nil)
	j := batchJob(f, r, "het", "true", nil)
	j.Env = []string{"FAKEBATCH_HOLD=1"}
	fb.submit(r, j)
	if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgSubmitted {
		t.Errorf("poll: %+v, want submitted", p)
	}
}

func TestBatchNewAndClose(t *testing.T) {
	for _, sys := range fakeSystems {
		t.Run(sys.runner, func(t *testing.T) {
			// PATH holds only the fakes: this host may have the real ones.
			f := newFixture(t)
			fb := newFakeBatch(t, f, sys.poll)
			f.env = mergeEnv(f.env, []string{"PATH=" + fb.bin})
			_, err := New(sys.runner, f.options())
			if err == nil || !strings.Contains(err.Error(), `command "`+sys.poll+`" not found on PATH`) {
				t.Errorf("New without %s: %v", sys.poll, err)
			}

			f = newFixture(t)
			fb = newFakeBatch(t, f, sys.submit)
			f.env = mergeEnv(f.env, []string{"PATH=" + fb.bin})
			r, err := New(sys.runner, f.options())
			if err == nil || !strings.Contains(err.Error(), `command "`+sys.submit+`" not found`) {
				t.Errorf("New without %s: %v", sys.submit, err)
			}
			// A template does without the runner's own submit command.
			opts := f.options()
			opts.CommandTemplate = "true"
			if r, err = New(sys.runner, opts); err != nil {
				t.Fatal(err)
			}
			if r.Name() != sys.runner {
				t.Errorf("Name() = %q", r.Name())
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			j := batchJob(f, r, "foo", "true", nil)
			if s := r.Submit(t.Context(), []Job{j})[0]; !errors.Is(s.Err, ErrClosed) {
				t.Errorf("submit after Close: %v", s.Err)
			}
			if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; !errors.Is(p.Err, ErrClosed) {
				t.Errorf("poll after Close: %v", p.Err)
			}
			if k := r.Kill(t.Context(), []JobRef{j.JobRef})[0]; !errors.Is(k.Err, ErrClosed) {
				t.Errorf("kill after Close: %v", k.Err)
			}
		})
	}
}
