package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fanOutWidth is the number of b<i> tasks downstream of a: 500, so a run
// has 501 jobs.
const fanOutWidth = 500

// fanOutFlow is "a => b<i>" with i = 1..500, every task a bash "true": the
// jobs do nothing, so a run measures Gyre's own cost per job (write the
// script, start it, take its started/succeeded messages, trigger the next).
// A stall aborts at once so that a broken run fails rather than hangs.
const fanOutFlow = `[scheduler]
    [[events]]
        abort on stall timeout = True
        stall timeout = PT0S
[task parameters]
    i = 1..%d
[scheduling]
    [[graph]]
        R1 = "a => b<i>"
[runtime]
    [[root]]
        script = true
    [[a, b<i>]]
`

// BenchmarkFanOut500 plays the fan-out workflow live, in process, and
// reports jobs/s: 501 jobs over the wall time of the whole run (install,
// start-up, every job, shut-down), as a user would time "gyre play -N".
//
// Each job is a real bash process (re-invoked as "bash -l") that runs
// "cylc message" twice, so the rate is bound by how fast this machine
// starts processes. To make the number comparable across machines the same
// loop also times the floor: 500 "bash -l -c true" started at once, then
// waited for (procs/s), and reports ratio = jobs/s ÷ procs/s, the fraction
// of the raw process-start rate that Gyre achieves. Both halves run in
// every iteration so that load from the noisy shared cores hits both alike.
// ns/op is the time of one iteration, the two halves together.
func BenchmarkFanOut500(b *testing.B) {
	tmp := b.TempDir()
	// "bash -l" reads the login profile, and this machine's root profile
	// runs "pyenv init", which costs about half a second per shell: an
	// empty HOME keeps that out, so that both halves measure Gyre and bash
	// and not the profile.
	home := filepath.Join(tmp, "home")
	src := filepath.Join(tmp, "flow")
	for _, d := range []string{home, src} {
		if err := os.Mkdir(d, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	flow := fmt.Sprintf(fanOutFlow, fanOutWidth)
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), []byte(flow), 0o644); err != nil {
		b.Fatal(err)
	}
	runRoot := filepath.Join(tmp, "run")
	b.Setenv("HOME", home)
	b.Setenv("GYRE_RUN_ROOT", runRoot)
	b.Setenv("GYRE_MESSAGE_RETRY_BUDGET", "10s")

	var playTime, procTime time.Duration
	run := 0
	for b.Loop() {
		run++
		playTime += playFanOut(b, src)
		procTime += startProcs(b, fanOutWidth)
		b.StopTimer()
		checkFanOut(b, filepath.Join(runRoot, "flow", fmt.Sprintf("run%d", run)))
		b.StartTimer()
	}
	jobsPerSec := float64(run*(fanOutWidth+1)) / playTime.Seconds()
	procsPerSec := float64(run*fanOutWidth) / procTime.Seconds()
	b.ReportMetric(jobsPerSec, "jobs/s")
	b.ReportMetric(procsPerSec, "procs/s")
	b.ReportMetric(jobsPerSec/procsPerSec, "ratio")
}

// playFanOut runs "gyre play -N src" to the end and returns its wall time.
func playFanOut(b *testing.B, src string) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	code := Run(ctx, []string{"play", "-N", src}, &out, &out)
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		b.Fatalf("the run did not finish in time:\n%s", out.String())
	}
	if code != 0 {
		b.Fatalf("play exited %d:\n%s", code, out.String())
	}
	return elapsed
}

// startProcs starts n "bash -l -c true" at once (HOME is the benchmark's
// empty one, inherited), waits for them all and returns the wall time: the
// rate at which this machine can start the shells that jobs are.
func startProcs(b *testing.B, n int) time.Duration {
	b.Helper()
	cmds := make([]*exec.Cmd, n)
	start := time.Now()
	for i := range cmds {
		cmds[i] = exec.Command("bash", "-l", "-c", "true")
		if err := cmds[i].Start(); err != nil {
			for _, c := range cmds[:i] {
				_ = c.Wait()
			}
			b.Fatalf("starting bash %d: %v", i, err)
		}
	}
	var failed error
	for _, c := range cmds {
		if err := c.Wait(); err != nil && failed == nil {
			failed = err
		}
	}
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatalf("bash -l -c true: %v", failed)
	}
	return elapsed
}

// checkFanOut fails the benchmark unless every one of the 501 jobs of the
// run in dir succeeded, by its job.status and by the scheduler's log, so
// that a fast but broken run is not reported.
func checkFanOut(b *testing.B, dir string) {
	b.Helper()
	names := []string{"a"}
	for i := 1; i <= fanOutWidth; i++ {
		// Cylc pads integer parameter values to the widest one: b_i001.
		names = append(names, fmt.Sprintf("b_i%0*d", len(strconv.Itoa(fanOutWidth)), i))
	}
	bad := 0
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, "log", "job", "1", name, "01", "job.status"))
		if err != nil || !strings.Contains(string(data), "\nCYLC_JOB_EXIT=SUCCEEDED\n") {
			if bad++; bad <= 3 {
				b.Errorf("1/%s job.status = %q, %v; want CYLC_JOB_EXIT=SUCCEEDED", name, data, err)
			}
		}
	}
	if bad > 0 {
		b.Fatalf("%d of %d jobs in %s did not succeed", bad, len(names), dir)
	}
	// job.status is the job's own account; the scheduler must have had
	// every "succeeded" too.
	log, err := os.ReadFile(filepath.Join(dir, "log", "scheduler", "log"))
	if err != nil {
		b.Fatal(err)
	}
	if got := strings.Count(string(log), "/01:running] => succeeded\n"); got != len(names) {
		b.Fatalf("the scheduler log has %d jobs succeeded, want %d", got, len(names))
	}
}
