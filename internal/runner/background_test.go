package runner

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
)

func TestBackgroundJobSucceeds(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	// The job reports its process group and session: the runner must have
	// made it the leader of both.
	j := f.job("foo", `echo "pgid=$(ps -o pgid= -p $$ | tr -d ' ') sid=$(ps -o sid= -p $$ | tr -d ' ') x=${GYRE_TEST_X}"`, nil)
	j.Env = []string{"GYRE_TEST_X=from-the-job-env"}
	before := time.Now().Truncate(time.Second)
	sub := f.submit(r, j)
	if sub.Time.Before(before) || sub.Output != "" {
		t.Errorf("submit result %+v", sub)
	}
	f.expect("started")
	f.expect("succeeded")
	ex := f.exited()
	if ex.Ref != j.JobRef || ex.ExitCode != 0 || ex.Signal != "" {
		t.Errorf("Exited %+v, want job %s exit 0 and no signal", ex, j.ID)
	}
	if v := Judge(ex.Status); v.Message != MsgSucceeded || v.Time != ex.Status.ExitTime {
		t.Errorf("verdict %+v, want succeeded at the exit time", v)
	}
	st := ex.Status
	if st.RunnerName != Background || st.JobID != sub.RunnerJobID || st.PID != mustAtoi(t, sub.RunnerJobID) {
		t.Errorf("job.status %+v, want runner background and job ID = PID = %s", st, sub.RunnerJobID)
	}
	if _, ok := parseTimestamp(st.SubmitTime); !ok || !strings.HasSuffix(st.SubmitTime, "Z") {
		t.Errorf("submit time %q, want an ISO 8601 UTC time", st.SubmitTime)
	}
	// The runner's lines come first and together; a succeeded job needs no
	// runner record of its exit.
	keys := statusKeys(t, j.Files.Status)
	want := []string{job.KeyRunnerName, job.KeyJobID, job.KeyRunnerSubmitTime, job.KeyPID, job.KeyInitTime, job.KeyExit, job.KeyExitTime}
	if !slices.Equal(keys, want) {
		t.Errorf("job.status keys %v, want %v", keys, want)
	}
	out, err := os.ReadFile(j.Files.Out)
	if err != nil {
		t.Fatal(err)
	}
	pid := sub.RunnerJobID
	if wantLine := "pgid=" + pid + " sid=" + pid + " x=from-the-job-env\n"; !strings.Contains(string(out), wantLine) {
		t.Errorf("job.out:\n%s\nwant the line %q", out, wantLine)
	}
	f.noEvent()
}

func TestBackgroundManyJobs(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	var jobs []Job
	for i := range 20 {
		jobs = append(jobs, f.job("t"+strconv.Itoa(i), "exit $((${CYLC_TASK_NAME#t} % 2))", nil))
	}
	res := r.Submit(t.Context(), jobs)
	for _, s := range res {
		if s.Err != nil {
			t.Fatal(s.Err)
		}
		f.track(mustAtoi(t, s.RunnerJobID))
	}
	seen := map[string]string{}
	for range jobs {
		ex := f.exited()
		seen[ex.Ref.ID] = Judge(ex.Status).Message
	}
	for i, j := range jobs {
		want := MsgSucceeded
		if i%2 == 1 {
			want = MsgFailed // the job's ERR trap
		}
		if seen[j.ID] != want {
			t.Errorf("%s: %q, want %q", j.ID, seen[j.ID], want)
		}
	}
}

func TestBackgroundJobKilledBySIGKILLIsReportedAtOnce(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	// $$ is the job shell, which cannot trap SIGKILL: only the runner can
	// tell how it ended, and it must without being polled.
	j := f.job("foo", `kill -9 $$`, nil)
	f.submit(r, j)
	f.expect("started")
	ex := f.exited()
	if ex.Signal != "SIGKILL" || ex.ExitCode != -1 {
		t.Errorf("Exited signal %q exit %d, want SIGKILL and -1", ex.Signal, ex.ExitCode)
	}
	if ex.Status.Exit != "SIGKILL" || ex.Status.ExitTime == "" || ex.Status.RunnerExitPolled == "" {
		t.Errorf("job.status %+v: want the runner's record of SIGKILL and of the job's end", ex.Status)
	}
	if v := Judge(ex.Status); v.Message != "failed/SIGKILL" {
		t.Errorf("verdict %q, want failed/SIGKILL", v.Message)
	}
	// A poll by a runner that knows nothing of the job reads the same.
	r2 := mustRunner(t, Background, f.options())
	p := r2.Poll(t.Context(), []JobRef{j.JobRef})[0]
	if p.Err != nil || Judge(p.Status).Message != "failed/SIGKILL" {
		t.Errorf("poll %+v, want failed/SIGKILL", p)
	}
}

func TestBackgroundKill(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	j := f.job("foo", waitGate, nil)
	f.submit(r, j)
	f.expect("started")
	if p := r.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgStarted {
		t.Errorf("poll of the watched job: %+v, want started", p)
	}
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); len(res) != 1 || res[0].Err != nil {
		t.Fatalf("kill: %+v", res)
	}
	f.expect("CRITICAL: failed/TERM")
	ex := f.exited()
	if ex.ExitCode != 128+15 || ex.Signal != "" {
		t.Errorf("Exited exit %d signal %q, want 143 (the job's trap exits as if killed)", ex.ExitCode, ex.Signal)
	}
	if v := Judge(ex.Status); v.Message != "failed/TERM" {
		t.Errorf("verdict %q, want failed/TERM", v.Message)
	}
	// Killing a job that has gone is an error, as for Cylc.
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "not running") {
		t.Errorf("second kill: %v, want 'not running'", res[0].Err)
	}
}

func TestBackgroundKillEscalatesToSIGKILL(t *testing.T) {
	f := newFixture(t)
	opts := f.options()
	opts.KillGrace = 200 * time.Millisecond
	r := mustRunner(t, Background, opts)
	// A job that ignores SIGTERM.
	j := f.job("foo", waitGate, func(s *job.Spec) {
		s.InitScript = "cylc__job__disable_fail_signals TERM; trap '' TERM"
	})
	f.submit(r, j)
	f.expect("started")
	start := time.Now()
	if res := r.Kill(t.Context(), []JobRef{j.JobRef}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	ex := f.exited()
	if ex.Signal != "SIGKILL" || Judge(ex.Status).Message != "failed/SIGKILL" {
		t.Errorf("Exited %+v, want SIGKILL", ex)
	}
	if waited := time.Since(start); waited < opts.KillGrace {
		t.Errorf("SIGKILL came %v after SIGTERM, before the %v grace period", waited, opts.KillGrace)
	}
}

func TestBackgroundExecutionTimeLimit(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	const limit = 1500 * time.Millisecond
	j := f.job("foo", waitGate, func(s *job.Spec) { s.ExecutionTimeLimit = limit })
	start := time.Now()
	f.submit(r, j)
	f.expect("started")
	f.expect("CRITICAL: failed/XCPU")
	ex := f.exited()
	if took := time.Since(start); took < limit {
		t.Errorf("job ended after %v, before its %v limit", took, limit)
	}
	if ex.ExitCode != 128+24 || Judge(ex.Status).Message != "failed/XCPU" {
		t.Errorf("Exited exit %d status %+v, want 152 and failed/XCPU", ex.ExitCode, ex.Status)
	}
}

// A restarted scheduler has a new runner that knows nothing: it must find a
// running job by its PID, watch it, and report its exit at once.
func TestBackgroundPollAfterRestart(t *testing.T) {
	f := newFixture(t)
	first, err := New(Background, f.options())
	if err != nil {
		t.Fatal(err)
	}
	j := f.job("foo", waitGate, nil)
	f.submit(first, j)
	f.expect("started")
	if err := first.Close(); err != nil { // the scheduler stops; the job must not
		t.Fatal(err)
	}
	if res := first.Submit(t.Context(), []Job{j}); !isClosed(res[0].Err) {
		t.Errorf("submit after Close: %v, want ErrClosed", res[0].Err)
	}

	second := mustRunner(t, Background, f.options())
	p := second.Poll(t.Context(), []JobRef{j.JobRef})[0]
	if p.Err != nil || p.Status.RunnerExitPolled != "" {
		t.Fatalf("poll of the running job: %+v", p)
	}
	if v := Judge(p.Status); v.Message != MsgStarted || v.Time != p.Status.InitTime {
		t.Errorf("verdict %+v, want started at the job's init time", v)
	}
	f.release()
	f.expect("succeeded")
	ex := f.exited()
	if ex.ExitCode != -1 || ex.Signal != "" || Judge(ex.Status).Message != MsgSucceeded {
		t.Errorf("Exited %+v, want succeeded with unknown exit code (not our child)", ex)
	}

	// Once finished, job.status alone answers, and is left as it was.
	before, _ := os.ReadFile(j.Files.Status)
	third := mustRunner(t, Background, f.options())
	p = third.Poll(t.Context(), []JobRef{j.JobRef})[0]
	if p.Err != nil || Judge(p.Status).Message != MsgSucceeded {
		t.Errorf("poll of the finished job: %+v", p)
	}
	if after, _ := os.ReadFile(j.Files.Status); string(after) != string(before) {
		t.Errorf("poll changed job.status:\n%s\nto\n%s", before, after)
	}
	f.noEvent()
}

func TestBackgroundTimeLimitSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	first, err := New(Background, f.options())
	if err != nil {
		t.Fatal(err)
	}
	j := f.job("foo", waitGate, func(s *job.Spec) { s.ExecutionTimeLimit = 1500 * time.Millisecond })
	f.submit(first, j)
	f.expect("started")
	first.Close()
	// The new runner learns the limit from the job script's header.
	second := mustRunner(t, Background, f.options())
	if p := second.Poll(t.Context(), []JobRef{j.JobRef})[0]; p.Err != nil || Judge(p.Status).Message != MsgStarted {
		t.Fatalf("poll: %+v", p)
	}
	f.expect("CRITICAL: failed/XCPU")
	if ex := f.exited(); Judge(ex.Status).Message != "failed/XCPU" {
		t.Errorf("Exited %+v, want failed/XCPU", ex)
	}
}

// Polls of jobs that are not running, judged from job.status alone, with
// the runner's record added where the job did not record its end.
func TestBackgroundPollFromStatus(t *testing.T) {
	dead := strconv.Itoa(deadPID(t))
	self := strconv.Itoa(os.Getpid()) // alive, but not a job
	type tc struct {
		name     string
		status   string // job.status; "-" for none, "!" for no directory
		want     string // verdict
		appended bool   // CYLC_JOB_RUNNER_EXIT_POLLED added
		err      string
	}
	for _, c := range []tc{
		{"started, gone", "NAME=background\nID=" + dead + "\nPID=" + dead + "\nINIT=2020-01-01T00:00:00Z\n", MsgFailed, true, ""},
		{"never started, gone", "NAME=background\nID=" + dead + "\n", MsgSubmitFailed, true, ""},
		{"PID reused by another program", "NAME=background\nID=" + self + "\n", MsgSubmitFailed, true, ""},
		{"succeeded", "NAME=background\nID=" + dead + "\nPID=" + dead + "\nINIT=t0\nEXIT=SUCCEEDED\nEXIT_TIME=t1\n", MsgSucceeded, false, ""},
		{"failed by its trap", "NAME=background\nID=" + dead + "\nPID=" + dead + "\nINIT=t0\nEXIT=ERR\nEXIT_TIME=t1\n", MsgFailed, false, ""},
		{"TERM, gone", "NAME=background\nID=" + dead + "\nPID=" + dead + "\nINIT=t0\nEXIT=TERM\nEXIT_TIME=t1\n", "failed/TERM", true, ""},
		{"already polled gone", "NAME=background\nID=" + dead + "\nPID=" + dead + "\nINIT=t0\nEXIT=TERM\nPOLLED=t2\n", "failed/TERM", false, ""},
		{"no runner record", "NAME=background\n", MsgSubmitFailed, false, ""},
		{"job log removed", "!", "failed/" + ExitFilesRemoved, false, ""},
		{"no job.status", "-", "", false, "no such file"},
		{"another runner's job", "NAME=at\nID=12\n", "", false, `names job runner "at"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "log", "job", "1", "foo", "01")
			ref := JobRef{ID: "1/foo/01", Files: job.Layout{}.Job("1", "foo", 1)}
			for _, p := range []*string{&ref.Files.Script, &ref.Files.Out, &ref.Files.Err, &ref.Files.Status} {
				*p = filepath.Join(dir, filepath.Base(*p))
			}
			if c.status != "!" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if c.status != "!" && c.status != "-" {
				if err := os.WriteFile(ref.Files.Status, []byte(expandKeys(c.status)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := mustRunner(t, Background, Options{})
			p := r.Poll(t.Context(), []JobRef{ref})[0]
			if c.err != "" {
				if p.Err == nil || !strings.Contains(p.Err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", p.Err, c.err)
				}
				return
			}
			if p.Err != nil {
				t.Fatal(p.Err)
			}
			if got := Judge(p.Status).Message; got != c.want {
				t.Errorf("verdict %q, want %q", got, c.want)
			}
			if c.status == "!" {
				return
			}
			keys := statusKeys(t, ref.Files.Status)
			if got := keys[len(keys)-1] == job.KeyRunnerExitPolled && !strings.Contains(c.status, "POLLED"); got != c.appended {
				t.Errorf("job.status keys %v: runner exit record appended = %t, want %t", keys, got, c.appended)
			}
		})
	}
}

// expandKeys turns the short keys of test job.status files into Cylc's.
func expandKeys(s string) string {
	return regexp.MustCompile(`(?m)^(NAME|ID|PID|INIT|EXIT|EXIT_TIME|POLLED)=`).ReplaceAllStringFunc(s, func(k string) string {
		return map[string]string{
			"NAME=": job.KeyRunnerName, "ID=": job.KeyJobID, "PID=": job.KeyPID, "INIT=": job.KeyInitTime,
			"EXIT=": job.KeyExit, "EXIT_TIME=": job.KeyExitTime, "POLLED=": job.KeyRunnerExitPolled,
		}[k] + "="
	})
}

func TestBackgroundSubmitFailures(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	good := f.job("good", "true", nil)
	missing := good
	missing.ID = "1/missing/01"
	missing.Files.Script = filepath.Join(good.Files.Dir, "no-such-job")
	res := r.Submit(t.Context(), []Job{missing, {JobRef: JobRef{ID: "1/empty/01"}}, good})
	if len(res) != 3 {
		t.Fatalf("%d results for 3 jobs", len(res))
	}
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "no-such-job") || res[0].RunnerJobID != "" {
		t.Errorf("missing script: %+v, want an error naming it", res[0])
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "1/empty/01") {
		t.Errorf("no files: %+v, want an error naming the job", res[1])
	}
	if res[2].Err != nil {
		t.Fatalf("good job: %v", res[2].Err)
	}
	f.track(mustAtoi(t, res[2].RunnerJobID))
	f.expect("started")
	f.expect("succeeded")
	if ex := f.exited(); ex.Ref.ID != good.ID {
		t.Errorf("Exited for %s, want %s", ex.Ref.ID, good.ID)
	}
}

func TestNew(t *testing.T) {
	for _, c := range []struct{ name, err string }{
		{"background", ""},
		{"at", ""},
		{"sge", `"sge" is not supported yet`},
		{"backgroud", `did you mean "background"?`},
		{"qsub", `unknown job runner "qsub"`},
	} {
		r, err := New(c.name, Options{})
		if c.err == "" {
			if err != nil {
				if strings.Contains(err.Error(), "not found on PATH") {
					continue // at is not installed here; TestAt* say so
				}
				t.Errorf("New(%q): %v", c.name, err)
				continue
			}
			if r.Name() != c.name || r.Directives(Job{}) != nil {
				t.Errorf("New(%q): name %q, directives %v", c.name, r.Name(), r.Directives(Job{}))
			}
			r.Close()
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("New(%q): %v, want an error containing %q", c.name, err, c.err)
		}
	}
}

func TestMergeEnv(t *testing.T) {
	got := mergeEnv([]string{"A=1", "B=2", "C"}, []string{"B=3", "D=4"}, "A=5")
	want := []string{"A=5", "B=3", "C", "D=4"}
	if !slices.Equal(got, want) {
		t.Errorf("mergeEnv = %v, want %v", got, want)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func isClosed(err error) bool { return errors.Is(err, ErrClosed) }
