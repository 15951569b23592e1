package runner

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
)

// TestSlurmReal runs jobs on a real Slurm: one that succeeds, one killed
// with scancel, and polls of job IDs that Slurm no longer lists or never
// knew. It runs when GYRE_TEST_SLURM=1, which CI sets once it has started
// a single-node Slurm (see /work/shared/slurm/start-slurm.sh); then a
// missing sbatch is a failure, not a reason to skip.
func TestSlurmReal(t *testing.T) {
	if os.Getenv("GYRE_TEST_SLURM") != "1" {
		t.Skip("set GYRE_TEST_SLURM=1 to run jobs on this host's Slurm")
	}
	for _, c := range []string{"sbatch", "squeue", "scancel"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Fatalf("GYRE_TEST_SLURM=1, but Slurm's commands are missing: %v", err)
		}
	}
	f := newFixture(t)
	f.env = mergeEnv(f.env, []string{"PATH=" + os.Getenv("PATH") + ":/usr/bin:/bin"})
	r := mustRunner(t, Slurm, f.options())
	var submitted []string
	t.Cleanup(func() {
		for _, id := range submitted {
			_ = exec.Command("scancel", id).Run()
		}
	})
	submit := func(j Job) string {
		t.Helper()
		id := f.submit(r, j).RunnerJobID
		submitted = append(submitted, id)
		return id
	}

	// A job that succeeds, with a time limit for Slurm.
	ok := batchJob(f, r, "ok", "echo hello from slurm", func(s *job.Spec) { s.ExecutionTimeLimit = 5 * time.Minute })
	okID := submit(ok)
	f.expect("started") // Slurm may take a moment: expect waits up to patience
	f.expect("succeeded")
	p := r.Poll(t.Context(), []JobRef{ok.JobRef})[0]
	if p.Err != nil || Judge(p.Status).Message != MsgSucceeded || p.Status.JobID != okID || p.Status.RunnerName != Slurm {
		t.Errorf("poll of the job that succeeded: %+v", p)
	}
	if script, _ := os.ReadFile(ok.Files.Script); !strings.Contains(string(script), "\n#SBATCH --time=5:00\n") {
		t.Errorf("job script without its time limit directive:\n%s", script)
	}
	if out, err := os.ReadFile(ok.Files.Out); err != nil || !strings.Contains(string(out), "hello from slurm") {
		t.Errorf("job.out (where the directives put it): %q, %v", out, err)
	}
	waitSlurmDone(t, f.env, okID)

	// A job that runs until it is killed. One squeue answers for it, for
	// the finished job and for a job ID that Slurm never had.
	long := batchJob(f, r, "long", waitGate, nil)
	longID := submit(long)
	f.expect("started")
	finished := statusRef(f, "finished", "NAME=slurm\nID="+okID+"\n")
	unknown := statusRef(f, "unknown", "NAME=slurm\nID=67000000\n")
	polled := r.Poll(t.Context(), []JobRef{long.JobRef, finished, unknown})
	for i, want := range []string{MsgStarted, MsgSubmitFailed, MsgSubmitFailed} {
		if p := polled[i]; p.Err != nil || Judge(p.Status).Message != want {
			t.Errorf("poll %d: %+v, want %s", i, p, want)
		}
	}
	if k := r.Kill(t.Context(), []JobRef{long.JobRef})[0]; k.Err != nil {
		t.Fatal(k.Err)
	}
	f.expect("CRITICAL: failed/TERM")
	waitSlurmDone(t, f.env, longID)
	p = r.Poll(t.Context(), []JobRef{long.JobRef})[0]
	if p.Err != nil || Judge(p.Status).Message != "failed/TERM" || p.Status.RunnerExitPolled == "" {
		t.Errorf("poll of the killed job: %+v, want failed/TERM, gone", p)
	}

	// squeue fails for IDs it knows none of: that is an answer too.
	alone := statusRef(f, "alone", "NAME=slurm\nID=67000001\n")
	if p := r.Poll(t.Context(), []JobRef{alone})[0]; p.Err != nil || Judge(p.Status).Message != MsgSubmitFailed {
		t.Errorf("poll of an ID Slurm never had: %+v, want submission failed", p)
	}
}

// waitSlurmDone waits, without polling, until Slurm has finished with job
// id (squeue no longer lists it): it runs a job that may only start once
// that one is over, and waits for that (sbatch --wait).
func waitSlurmDone(t *testing.T, env []string, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sbatch", "--wait", "--dependency=afterany:"+id,
		"--job-name=gyre-test-wait", "--output=/dev/null", "--wrap=true")
	cmd.Env = env
	cmd.Dir = startDir(env)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("waiting for Slurm to finish with job %s: %v: %s", id, err, out)
	}
}
