package cli

import (
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var crashTrials = flag.Int("crash-trials", 5, "trials of TestCrashRestartLive (50 for a long run)")

// crashFlow is a workflow of 200 tasks with real background jobs: 10
// cycles of a fan-out and fan-in, with an inter-cycle dependency, some
// jobs short and some taking a little while, so that a kill finds jobs in
// every state.
const crashFlow = `
[scheduler]
    allow implicit tasks = True
    [[events]]
        stall timeout = PT0S
        abort on stall timeout = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 10
    runahead limit = P2
    [[graph]]
        P1 = """
            start[-P1] => start => fan<i> => mid => fin<j>
            fin<j> => end
        """
[task parameters]
    i = 1..9
    j = 1..8
[runtime]
    [[root]]
        script = "sleep 0.0$(( RANDOM % 5 ))"
        execution retry delays = 8*PT0S
        submission retry delays = 8*PT0S
    [[mid]]
        script = cylc message "half way" && sleep 0.1
        [[[outputs]]]
            half = "half way"
`

// gyreProc starts this test binary as "gyre ARGS" in a process of its own.
func gyreProc(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envAsGyre+"=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// waitOrKill waits for cmd to exit, or kills it with SIGKILL after d
// (d <= 0: no kill). It reports whether the process exited by itself, and
// its exit code then.
func waitOrKill(cmd *exec.Cmd, d time.Duration) (exited bool, code int) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var kill <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		kill = timer.C
	}
	select {
	case <-done:
		return true, cmd.ProcessState.ExitCode()
	case <-kill:
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
		if cmd.ProcessState.Exited() {
			return true, cmd.ProcessState.ExitCode()
		}
		return false, -1
	}
}

// killJobs kills every job process of a run, as a host crash would.
func killJobs(runDir string) int {
	entries, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(runDir+"/log/job/")) {
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				n++
			}
		}
	}
	return n
}

// crashTrial runs crashFlow, killing the scheduler (and, with killAll,
// its jobs) at seeded random moments and restarting it until the workflow
// completes. It returns the run directory and the number of kills.
func crashTrial(t *testing.T, seed uint64, killAll bool) (string, int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	tmp := t.TempDir()
	src := filepath.Join(tmp, "crash")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), []byte(crashFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "run")
	// A home of its own: the jobs' login shells then skip whatever the
	// user's profile does (pyenv, conda), which can cost more than the job.
	home := filepath.Join(tmp, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"GYRE_RUN_ROOT=" + root, "GYRE_MESSAGE_RETRY_BUDGET=60s", "HOME=" + home}
	runDir := filepath.Join(root, "crash", "run1")
	args := []string{"play", "-N", "-q", src}
	kills := 0
	for start := 0; ; start++ {
		if start > 40 {
			t.Fatalf("seed %d: not finished after %d starts", seed, start)
		}
		cmd, out := gyreProc(t, env, args...)
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		args = []string{"play", "-N", "-q", "crash/run1"}
		after := time.Duration(100+rng.IntN(900)) * time.Millisecond
		last := start >= 8
		if last {
			after = time.Minute // enough kills: let it finish
		}
		began := time.Now()
		exited, code := waitOrKill(cmd, after)
		t.Logf("start %d: %v (kill after %v)", start, time.Since(began).Round(time.Millisecond), after)
		if exited {
			if code != 0 {
				ss, _ := exec.Command("sh", "-c", "ss -xlp | grep gyre.sock; ps -ef | grep -v grep | grep cli.test").CombinedOutput()
				t.Fatalf("seed %d: start %d exited %d:\n%s\n%s", seed, start, code, out, ss)
			}
			return runDir, kills
		}
		if last {
			log, _ := os.ReadFile(filepath.Join(runDir, "log", "scheduler", "log"))
			tail := string(log)
			if len(tail) > 6000 {
				tail = tail[len(tail)-6000:]
			}
			t.Fatalf("seed %d: the last start did not finish in a minute; the log ends:\n%s", seed, tail)
		}
		kills++
		if killAll {
			killJobs(runDir)
		}
	}
}

// checkRun asserts that every task of crashFlow succeeded, with exactly
// one job unless its jobs were killed, and that the database is sound.
func checkRun(t *testing.T, seed uint64, runDir string, oneJob bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(runDir, "log", "db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("seed %d: integrity_check = %q, %v", seed, integrity, err)
	}
	rows, err := db.Query(`SELECT s.cycle, s.name, s.status, count(j.submit_num), max(j.submit_num), sum(j.run_status = 0)
		FROM task_states s LEFT JOIN task_jobs j ON j.cycle = s.cycle AND j.name = s.name
		GROUP BY s.cycle, s.name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c, name, status string
		var jobs, maxSubmit, ok int
		if err := rows.Scan(&c, &name, &status, &jobs, &maxSubmit, &ok); err != nil {
			t.Fatal(err)
		}
		n++
		id := c + "/" + name
		switch {
		case status != "succeeded":
			t.Errorf("seed %d: %s is %s", seed, id, status)
		case oneJob && (jobs != 1 || maxSubmit != 1):
			t.Errorf("seed %d: %s has %d jobs (highest submit %d), want exactly one; its log:\n%s", seed, id, jobs, maxSubmit, logLines(runDir, id))
		case jobs != maxSubmit || ok != 1:
			t.Errorf("seed %d: %s has %d jobs up to submit %d, %d succeeded; want numbered jobs, one success", seed, id, jobs, maxSubmit, ok)
		}
	}
	if want := 10 * (1 + 9 + 1 + 8 + 1); n != want {
		t.Errorf("seed %d: %d task instances, want %d", seed, n, want)
	}
	var pool int
	if err := db.QueryRow(`SELECT count(*) FROM task_pool`).Scan(&pool); err != nil || pool != 0 {
		t.Errorf("seed %d: %d rows left in task_pool, %v", seed, pool, err)
	}
}

// TestCrashRestartLive kills the scheduler with SIGKILL at random moments
// while real jobs run, and restarts it: the workflow completes, every task
// succeeded with exactly one job, and the database is sound.
func TestCrashRestartLive(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a live scheduler many times; not in -short")
	}
	for seed := uint64(1); seed <= uint64(*crashTrials); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			dir, kills := crashTrial(t, seed, false)
			t.Logf("completed after %d kills", kills)
			checkRun(t, seed, dir, true)
			log, _ := os.ReadFile(filepath.Join(dir, "log", "scheduler", "log"))
			if kills > 0 && !strings.Contains(string(log), "Run: (re)start number=2") {
				t.Errorf("no restart in the scheduler log")
			}
		})
	}
}

// TestCrashRestartLiveWithJobs kills the scheduler and its running jobs
// together, as a host crash would: the jobs killed are found failed at the
// restart and retried, and the workflow completes.
func TestCrashRestartLiveWithJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a live scheduler; not in -short")
	}
	dir, kills := crashTrial(t, 101, true)
	t.Logf("completed after %d kills", kills)
	checkRun(t, 101, dir, false)
}

// logLines returns the scheduler log lines that mention id, for failures.
func logLines(runDir, id string) string {
	data, _ := os.ReadFile(filepath.Join(runDir, "log", "scheduler", "log"))
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, id+"/") || strings.Contains(l, id+" ") || strings.Contains(l, "start number") {
			out = append(out, l)
		}
	}
	for _, f := range []string{"01/job.err", "01/job.status", "01/job.out"} {
		b, _ := os.ReadFile(filepath.Join(runDir, "log", "job", id, f))
		out = append(out, "--- "+f+":", string(b))
	}
	return strings.Join(out, "\n")
}
