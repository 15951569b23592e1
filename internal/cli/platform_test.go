package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// batchFlow runs jobs on the platform "batch" (defined by each test's
// global.cylc): one that succeeds and sends a message, one that fails,
// one killed with "cylc kill" while it runs, and one that dies of SIGKILL
// without a word, which only a poll of the batch system can find out.
// A job on localhost follows, to show both platforms in one run.
const batchFlow = `
[scheduler]
    [[events]]
        abort on stall timeout = True
        stall timeout = PT0S
[scheduling]
    [[graph]]
        R1 = """
            a => b
            f:fail? => f_failed
            k:start => killer
            k:fail? => k_failed
            p:fail? => p_failed
        """
[runtime]
    [[BATCH]]
        platform = batch
        execution polling intervals = PT2S
    [[a]]
        inherit = BATCH
        script = cylc message "hello from the batch system"
        [[[outputs]]]
            hello = "hello from the batch system"
    [[f]]
        inherit = BATCH
        script = false
    [[k]]
        inherit = BATCH
        script = sleep 120
    [[p]]
        inherit = BATCH
        script = kill -KILL $$
    [[killer]]
        script = cylc kill "$CYLC_WORKFLOW_ID//$CYLC_TASK_CYCLE_POINT/k"
    [[b, f_failed, k_failed, p_failed]]
        script = true
`

// globalConf writes a global.cylc defining the platform "batch" for
// runner and points CYLC_CONF_PATH at it.
func globalConf(t *testing.T, runner string) {
	t.Helper()
	dir := t.TempDir()
	conf := "[platforms]\n    [[batch]]\n        hosts = localhost\n        job runner = " + runner + "\n"
	if err := os.WriteFile(filepath.Join(dir, "global.cylc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CYLC_CONF_PATH", dir)
}

// checkBatchRun asserts that batchFlow ran as it should on runner, and
// that the run database and job files say where each job went.
func checkBatchRun(t *testing.T, runner string, code int, out, dir string, directive *regexp.Regexp) {
	t.Helper()
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{
		"[1/a/01:running] => succeeded",
		"1/b -triggered off ['1/a']",
		"[1/f/01:running] => failed",
		"[1/k/01:running(held)] => failed(held)", // Cylc holds what it kills
		"1/k_failed -triggered off ['1/k']",
		"[1/p/01:running] => failed",
		"1/p_failed -triggered off ['1/p']",
	})
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "log", "db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, platform_name, job_runner_name, job_id FROM task_jobs WHERE cycle = '1'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var name, plat, rn, id string
		if err := rows.Scan(&name, &plat, &rn, &id); err != nil {
			t.Fatal(err)
		}
		seen++
		want := [2]string{"batch", runner}
		if name == "b" || strings.HasSuffix(name, "_failed") || name == "killer" {
			want = [2]string{"localhost", "background"}
		}
		if [2]string{plat, rn} != want || id == "" {
			t.Errorf("task_jobs %s: platform %q, runner %q, job ID %q; want %v and an ID", name, plat, rn, id, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != 9 {
		t.Errorf("task_jobs has %d jobs; want 9", seen)
	}
	script, err := os.ReadFile(filepath.Join(dir, "log", "job", "1", "a", "01", "job"))
	if err != nil {
		t.Fatal(err)
	}
	if !directive.Match(script) {
		t.Errorf("job script of 1/a lacks a line matching %s:\n%s", directive, script)
	}
	status, err := os.ReadFile(filepath.Join(dir, "log", "job", "1", "a", "01", "job.status"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(status), "CYLC_JOB_RUNNER_NAME="+runner+"\n") {
		t.Errorf("job.status of 1/a does not name %s:\n%s", runner, status)
	}
}

// useFakePBS defines the platform "batch" on PBS, played by the runner
// tests' stand-ins for qsub, qstat and qdel, which run jobs on this
// machine and log their calls in $FAKEBATCH_SPOOL/calls.
func useFakePBS(t *testing.T) {
	t.Helper()
	fake, err := filepath.Abs(filepath.Join("..", "runner", "testdata", "fakebatch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", fake+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKEBATCH_SPOOL", t.TempDir())
	globalConf(t, "pbs")
}

// The workflow on PBS, played by stand-ins for qsub, qstat and qdel that
// run the jobs on this machine.
func TestPlayOnPBS(t *testing.T) {
	useFakePBS(t)
	code, out, dir := runLive(t, batchFlow)
	checkBatchRun(t, "pbs", code, out, dir, regexp.MustCompile(`(?m)^#PBS -N a\.1\.flow-run1$`))
}

// The workflow on a real Slurm cluster. CI starts a single-node one and
// sets GYRE_TEST_SLURM=1; without it there is no Slurm to run on.
func TestPlayOnSlurm(t *testing.T) {
	if os.Getenv("GYRE_TEST_SLURM") != "1" {
		t.Skip("GYRE_TEST_SLURM=1 runs this against a running Slurm (see .ci/run)")
	}
	globalConf(t, "slurm")
	code, out, dir := runLive(t, batchFlow)
	checkBatchRun(t, "slurm", code, out, dir, regexp.MustCompile(`(?m)^#SBATCH --job-name=a\.1\.flow/run1$`))
}

// config --platform-names and --platforms show the global configuration's
// platforms: the names on standard output (headings on standard error),
// and the settings as the file set them; a syntax error in the file is
// reported with its line.
func TestConfigPlatforms(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CYLC_CONF_PATH", dir)
	conf := `[platforms]
    [[hpc\d+]]
        hosts = localhost
        job runner = slurm
[platform groups]
    [[hpcs]]
        platforms = hpc1, hpc2
`
	if err := os.WriteFile(filepath.Join(dir, "global.cylc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("config", "--platform-names")
	if code != 0 || out != "localhost\nhpc\\d+\nhpcs\n" || !strings.Contains(errOut, "Platform Groups") {
		t.Errorf("config --platform-names: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI("config", "--platforms")
	if code != 0 || out != conf {
		t.Errorf("config --platforms: exit %d, stdout:\n%s\nstderr: %s\nwant:\n%s", code, out, errOut, conf)
	}
	if code, _, errOut := runCLI("config", "--platforms", "some/flow"); code != 2 || !strings.Contains(errOut, "incompatible") {
		t.Errorf("config --platforms some/flow: exit %d, stderr %q; want 2 and why", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, "global.cylc"), []byte("[platforms]\n    [[hpc]]\n        job runnr = slurm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("config", "--platform-names"); code != 1 || !strings.Contains(errOut, "global.cylc:3") || !strings.Contains(errOut, "job runner") {
		t.Errorf("config with a misspelt setting: exit %d, stderr %q; want 1, the line and a hint", code, errOut)
	}
}

// A batch job outlives its scheduler: 1/a stops the scheduler with
// --now and waits on a FIFO; the restarted scheduler polls it through its
// platform's runner (recorded in the run database) and carries on when it
// finishes, whether its "succeeded" arrives as a message or by the poll.
func TestBatchJobSurvivesRestart(t *testing.T) {
	useFakePBS(t)
	restartAroundJob(t)
	calls, err := os.ReadFile(filepath.Join(os.Getenv("FAKEBATCH_SPOOL"), "calls"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(calls), "qsub "); n != 1 {
		t.Errorf("qsub called %d times; want once (the restart must not resubmit):\n%s", n, calls)
	}
}

// The same with the job on a host reached with ssh (sharing this file
// system, so that the job can read the test's FIFO): the restart polls it
// there, after initialising the host again for the new scheduler.
func TestRemoteJobSurvivesRestart(t *testing.T) {
	if os.Getenv("GYRE_TEST_SSH") != "1" {
		t.Skip("GYRE_TEST_SSH=1 runs this over ssh to 127.0.0.2 (see scripts/start-sshd)")
	}
	dir := t.TempDir()
	t.Setenv("CYLC_CONF_PATH", dir)
	conf := "[platforms]\n    [[batch]]\n        hosts = 127.0.0.2\n        install target = localhost\n"
	if err := os.WriteFile(filepath.Join(dir, "global.cylc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	run := restartAroundJob(t)
	if _, err := os.Stat(filepath.Join(run, "log", "job", "1", "a", "02")); err == nil {
		t.Errorf("1/a was submitted again after the restart")
	}
}

// restartAroundJob runs a workflow whose 1/a, on the platform "batch",
// stops the scheduler and waits on a FIFO; it restarts the run, lets 1/a
// finish, and checks that the restart polled it and carried on. It
// returns the run directory.
func restartAroundJob(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	src := writeFlow(t, map[string]string{"flow.cylc": `
[scheduling]
    [[graph]]
        R1 = a => b
[runtime]
    [[a]]
        platform = batch
        script = cylc stop --now "$CYLC_WORKFLOW_ID"; read line < ` + fifo + `
    [[b]]
        script = true
`})
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	t.Setenv("GYRE_MESSAGE_RETRY_BUDGET", "10s")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var out bytes.Buffer
	run := filepath.Join(tmp, "run", "wf", "run1")
	if code := Run(ctx, []string{"play", "-N", src}, &out, &out); code != 0 {
		log, _ := os.ReadFile(filepath.Join(run, "log", "scheduler", "log"))
		t.Fatalf("first run exited %d:\n%s\nscheduler log:\n%s", code, out.String(), log)
	}
	done := make(chan int, 1)
	var out2 bytes.Buffer
	go func() { done <- Run(ctx, []string{"play", "-N", "wf"}, &out2, &out2) }()
	// Opened read-write, the FIFO does not wait for 1/a to open it, and
	// holds the line for it until the run is over; a run that goes wrong
	// ends with ctx rather than leaving the test waiting.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.WriteString("go\n"); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 0 {
		t.Fatalf("restart exited %d:\n%s", code, out2.String())
	}
	checkLog(t, run, []string{"[1/a/01] polling the job after a restart", "1/b -triggered off ['1/a']"})
	return run
}

// remoteFlow runs a job on a remote host as another user (its own home:
// files installed and logs retrieved), one on the same host sharing the
// scheduler's file system, and a local job after both.
const remoteFlow = `
[scheduling]
    [[graph]]
        R1 = "away:hello => shared => here"
[runtime]
    [[away]]
        platform = away
        script = echo "user=$(id -un) home=$HOME"; cylc message "hello from away"
        [[[outputs]]]
            hello = "hello from away"
    [[shared]]
        platform = shared
        script = echo "run dir $CYLC_WORKFLOW_RUN_DIR"
    [[here]]
        script = true
`

// The workflow over a real ssh, to this machine as 127.0.0.2 (see
// scripts/start-sshd, which CI runs and which sets GYRE_TEST_SSH=1).
func TestPlayOnRemote(t *testing.T) {
	if os.Getenv("GYRE_TEST_SSH") != "1" {
		t.Skip("GYRE_TEST_SSH=1 runs this over ssh to 127.0.0.2 (see scripts/start-sshd)")
	}
	// The remote user's run directory is left from any earlier run.
	if err := os.RemoveAll("/home/gyreremote/gyre-run/flow"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv("CYLC_CONF_PATH", dir)
	conf := `[platforms]
    [[away]]
        hosts = 127.0.0.2
        ssh command = ssh -oBatchMode=yes -l gyreremote
        retrieve job logs = True
    [[shared]]
        hosts = 127.0.0.2
        install target = localhost
`
	if err := os.WriteFile(filepath.Join(dir, "global.cylc"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, run := runLive(t, remoteFlow)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, run, []string{
		"(received)hello from away",
		"[1/away/01:running] => succeeded",
		"1/shared -triggered off ['1/away']",
		"[1/shared/01:running] => succeeded",
		"1/here -triggered off ['1/shared']",
	})
	// The remote job ran as gyreremote in its own home, and its log came
	// back; the shared one ran in this run directory.
	for _, c := range []struct{ task, want string }{
		{"away", "user=gyreremote home=/home/gyreremote\n"},
		{"shared", "run dir " + run + "\n"},
	} {
		data, err := os.ReadFile(filepath.Join(run, "log", "job", "1", c.task, "01", "job.out"))
		if err != nil || !strings.Contains(string(data), c.want) {
			t.Errorf("1/%s job.out = %q, %v; want it to contain %q", c.task, data, err, c.want)
		}
	}
	// runLive's run is flow/run1, which the remote init made under the
	// remote user's home.
	remoteStatus := "/home/gyreremote/gyre-run/flow/run1/log/job/1/away/01/job.status"
	if _, err := os.Stat(remoteStatus); err != nil {
		t.Errorf("the remote job left no job.status on its host: %v", err)
	}

	// cat-log reads a remote job's log on its host while it is not here
	// (running, or not retrieved).
	if err := os.Remove(filepath.Join(run, "log", "job", "1", "away", "01", "job.out")); err != nil {
		t.Fatal(err)
	}
	if code, shown, errOut := runCLI("cat-log", "flow//1/away"); code != 0 || !strings.Contains(shown, "user=gyreremote") {
		t.Errorf("cat-log of the remote job = %d %q:\n%s", code, shown, errOut)
	}

	// Cleaning the run removes it from the remote host too.
	if code, _, errOut := runCLI("clean", "flow/run1"); code != 0 || !strings.Contains(errOut, "Removing the run from install target away") {
		t.Errorf("clean flow/run1 = %d:\n%s", code, errOut)
	}
	for _, gone := range []string{"/home/gyreremote/gyre-run/flow", run} {
		if _, err := os.Stat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there after clean: %v", gone, err)
		}
	}
}
