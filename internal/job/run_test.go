package job

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// These tests run generated job scripts with the real bash, as the
// background runner would, and check what Cylc's job.sh would do: the
// messages sent, job.status, exit code, output and scripting order.

var started = []string{"CYLC_JOB_RUNNER_NAME=background", "CYLC_JOB_PID=<pid>", "CYLC_JOB_INIT_TIME=<time>"}

func exited(how string) []string {
	return append(slices.Clone(started), "CYLC_JOB_EXIT="+how, "CYLC_JOB_EXIT_TIME=<time>")
}

const errScript = `echo "err-script $1 code=${CYLC_TASK_USER_SCRIPT_EXITCODE}"`

func TestRunSucceeded(t *testing.T) {
	s := baseSpec()
	s.Script = `echo "script in $PWD"
cylc__job__wait_cylc_message_started
cylc message -- "$CYLC_WORKFLOW_ID" "$CYLC_TASK_JOB" 'file x done'`
	s.ErrScript = errScript
	s.ExitScript = `echo "exit-script in $PWD"`
	r := runJob(t, s, nil)
	if r.code != 0 {
		t.Fatalf("exit code %d, want 0\njob.err:\n%s", r.code, r.err)
	}
	wantMsgs := []string{msg("started"), msg("file x done"), msg("succeeded")}
	if !slices.Equal(r.messages, wantMsgs) {
		t.Errorf("messages:\n%q\nwant\n%q", r.messages, wantMsgs)
	}
	if want := exited("SUCCEEDED"); !slices.Equal(r.status, want) {
		t.Errorf("job.status:\n%q\nwant\n%q", r.status, want)
	}
	if !r.parsed.Succeeded() || r.parsed.PID <= 1 {
		t.Errorf("parsed status %+v: want succeeded with a PID", r.parsed)
	}
	workDir := r.layout.WorkDir(s.CyclePoint, s.TaskName)
	home := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(r.layout.RunDir))), "home")
	wantOut := "Workflow : flow/run1\nJob : 20200101T0000Z/foo/01 (try 1)\nUser@Host: tester@"
	if !strings.HasPrefix(r.out, wantOut) {
		t.Errorf("job.out starts %q, want %q", r.out, wantOut)
	}
	for _, want := range []string{
		"script in " + workDir + "\n", "exit-script in " + home + "\n",
		"fake cylc: " + msg("started") + "\n", "fake cylc: " + msg("succeeded") + "\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("job.out lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.err, "err-script") {
		t.Errorf("err-script ran on success:\n%s", r.err)
	}
	// The work directory was left empty, so it is removed; share/cycle stays.
	if _, err := os.Stat(workDir); !os.IsNotExist(err) {
		t.Errorf("empty work directory %s not removed (%v)", workDir, err)
	}
	if fi, err := os.Stat(r.layout.ShareCycleDir(s.CyclePoint)); err != nil || !fi.IsDir() {
		t.Errorf("share/cycle dir not made: %v", err)
	}
}

func TestRunFailures(t *testing.T) {
	for _, tc := range []struct {
		name     string
		spec     func(*Spec)
		code     int
		messages []string
		status   []string
		outHas   []string
		outLacks []string
		errHas   []string
		errLacks []string
	}{
		{
			name:     "script command fails",
			spec:     func(s *Spec) { s.Script = "echo before\nfalse\necho after" },
			code:     1,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			outHas:   []string{"before"},
			outLacks: []string{"after", "exit-script ran"},
			errHas:   []string{"err-script ERR code=1"},
		},
		{
			name:     "script exits with its own code",
			spec:     func(s *Spec) { s.Script = "exit 3" },
			code:     3,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			errHas:   []string{"err-script ERR code=3"},
		},
		{
			// job-file-trap/02-pipefail, t1
			name:     "pipefail: failure in a pipeline",
			spec:     func(s *Spec) { s.Script = "false | cat\necho after" },
			code:     1,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			outLacks: []string{"after"},
		},
		{
			// job-file-trap/02-pipefail, t2: yes dies of SIGPIPE
			name:     "pipefail: SIGPIPE exit",
			spec:     func(s *Spec) { s.Script = "yes | true" },
			code:     141,
			messages: []string{msg("started"), msg("CRITICAL: failed/EXIT")},
			status:   exited("EXIT"),
			errHas:   []string{"err-script EXIT code=141"},
		},
		{
			name:     "set -u: unbound variable",
			spec:     func(s *Spec) { s.Script = `echo "value: ${NOT_SET_ANYWHERE}"` },
			code:     1,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			outLacks: []string{"value:"},
			errHas:   []string{"NOT_SET_ANYWHERE: unbound variable", "err-script ERR code=1"},
		},
		{
			name:     "failing command substitution in the environment",
			spec:     func(s *Spec) { s.Environment = []EnvVar{{"X", "$(ecko typo)"}}; s.Script = "echo script ran" },
			code:     127,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			outLacks: []string{"script ran"},
		},
		{
			// job-file-trap/03-user-trap: TERM to the job, exit code 143
			name:     "job killed by TERM",
			spec:     func(s *Spec) { s.Script = "kill -s TERM $$\n" + blockForever },
			code:     143,
			messages: []string{msg("started"), msg("CRITICAL: failed/TERM")},
			status:   exited("TERM"),
			errHas:   []string{"err-script TERM code=143"},
		},
		{
			name:     "execution time limit: XCPU",
			spec:     func(s *Spec) { s.Script = "kill -s XCPU $$\n" + blockForever },
			code:     152,
			messages: []string{msg("started"), msg("CRITICAL: failed/XCPU")},
			status:   exited("XCPU"),
			errHas:   []string{"err-script XCPU code=152"},
		},
		{
			name:     "user scripting killed by an untrapped signal",
			spec:     func(s *Spec) { s.Script = "kill -s USR1 $BASHPID" },
			code:     138,
			messages: []string{msg("started"), msg("CRITICAL: failed/EXIT")},
			status:   exited("EXIT"),
			errHas:   []string{"err-script EXIT code=138"},
		},
		{
			name: "vacation signal",
			spec: func(s *Spec) {
				s.VacationSignals = []string{"USR1"}
				s.Script = "kill -s USR1 $$\n" + blockForever
			},
			code:     138,
			messages: []string{msg("started"), msg("WARNING: vacated/USR1")},
			status:   []string{"CYLC_JOB_RUNNER_NAME=background", "CYLC_MESSAGE=<time>|WARNING|vacated/USR1"},
			errLacks: []string{"err-script"},
		},
		{
			// events/34-task-abort: one exit line, the rest of the script skipped
			name:     "cylc__job_abort",
			spec:     func(s *Spec) { s.Script = "echo ONE\ncylc__job_abort \"ERROR: rust never sleeps\"\necho TWO" },
			code:     1,
			messages: []string{msg("started"), msg(`CRITICAL: aborted/"ERROR: rust never sleeps"`)},
			status:   exited(`"ERROR: rust never sleeps"`),
			outHas:   []string{"ONE"},
			outLacks: []string{"TWO"},
			errHas:   []string{"err-script ERR code=1"},
		},
		{
			// cylc-poll/15-job-st-file-no-batch: nothing reported, exit 1
			name: "fail signals ERR and EXIT disabled",
			spec: func(s *Spec) {
				s.InitScript = "cylc__job__disable_fail_signals ERR EXIT"
				s.Script = "exit 1"
			},
			code:     1,
			messages: []string{msg("started")},
			status:   started,
			errLacks: []string{"err-script"},
		},
		{
			name: "TERM still trapped when only ERR is disabled",
			spec: func(s *Spec) {
				s.InitScript = "cylc__job__disable_fail_signals ERR"
				s.Script = "kill -s TERM $$\n" + blockForever
			},
			code:     143,
			messages: []string{msg("started"), msg("CRITICAL: failed/TERM")},
			status:   exited("TERM"),
		},
		{
			name: "dummy mode job failing at all points",
			spec: func(s *Spec) {
				s.CyclingMode, s.CyclePoint = "integer", "1"
				s.Script = "cylc__job__dummy_result false all"
			},
			code:     1,
			messages: []string{"message -- flow/run1 1/foo/01 started", "message -- flow/run1 1/foo/01 CRITICAL: failed/ERR"},
			status:   exited("ERR"),
			errHas:   []string{"(dummy job fail)"},
		},
		{
			name: "dummy mode job failing at its point",
			spec: func(s *Spec) {
				s.CyclingMode, s.CyclePoint = "integer", "3"
				s.Script = "cylc__job__dummy_result false 1 3 5"
			},
			code:     1,
			messages: []string{"message -- flow/run1 3/foo/01 started", "message -- flow/run1 3/foo/01 CRITICAL: failed/ERR"},
			status:   exited("ERR"),
			errHas:   []string{"(dummy job fail)"},
		},
		{
			name: "poll_grep_workflow_log times out",
			spec: func(s *Spec) {
				s.Environment = []EnvVar{{"GYRE_POLL_GREP_TIMEOUT", "1"}}
				s.Script = "cylc__job__poll_grep_workflow_log -F 'never logged'\necho after"
			},
			code:     1,
			messages: []string{msg("started"), msg("CRITICAL: failed/ERR")},
			status:   exited("ERR"),
			outLacks: []string{"after"},
			errHas:   []string{"ERROR: poll timed out: grep -s -F never logged"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := baseSpec()
			s.ErrScript = errScript
			s.ExitScript = "echo exit-script ran"
			tc.spec(&s)
			r := runJob(t, s, nil)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d", r.code, tc.code)
			}
			if !slices.Equal(r.messages, tc.messages) {
				t.Errorf("messages:\n%q\nwant\n%q", r.messages, tc.messages)
			}
			if !slices.Equal(r.status, tc.status) {
				t.Errorf("job.status:\n%q\nwant\n%q", r.status, tc.status)
			}
			for _, want := range tc.outHas {
				if !strings.Contains(r.out, want) {
					t.Errorf("job.out lacks %q", want)
				}
			}
			for _, bad := range append(tc.outLacks, "exit-script ran") {
				if strings.Contains(r.out, bad) {
					t.Errorf("job.out has %q", bad)
				}
			}
			for _, want := range tc.errHas {
				if !strings.Contains(r.err, want) {
					t.Errorf("job.err lacks %q", want)
				}
			}
			for _, bad := range tc.errLacks {
				if strings.Contains(r.err, bad) {
					t.Errorf("job.err has %q", bad)
				}
			}
			if t.Failed() {
				t.Logf("job.out:\n%s\njob.err:\n%s", r.out, r.err)
			}
		})
	}
}

// Dummy-mode jobs succeed at points they are not told to fail at, and on
// retries when told to fail on the first try only.
func TestRunDummyResultSucceeds(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		try          int
	}{
		{"other point", "cylc__job__dummy_result false 1 2", 1},
		{"first try only", "cylc__job__dummy_result true all", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := baseSpec()
			s.CyclingMode, s.CyclePoint, s.TryNum = "integer", "3", tc.try
			s.Script = tc.script
			r := runJob(t, s, nil)
			if r.code != 0 || !strings.Contains(r.out, "(dummy job succeed)") {
				t.Errorf("code %d\njob.out:\n%s\njob.err:\n%s", r.code, r.out, r.err)
			}
		})
	}
}

func TestRunDisableAllFailSignals(t *testing.T) {
	s := baseSpec()
	s.InitScript = "cylc__job__disable_fail_signals"
	s.Script = "true"
	s.ExitScript = "echo exit-script ran"
	r := runJob(t, s, nil)
	if r.code != 0 || !slices.Equal(r.messages, []string{msg("started"), msg("succeeded")}) ||
		!strings.Contains(r.out, "exit-script ran") {
		t.Errorf("code %d, messages %q\njob.out:\n%s\njob.err:\n%s", r.code, r.messages, r.out, r.err)
	}
}

// The init-script runs before the traps and "set -e": as in Cylc, a failing
// command there does not fail the job.
func TestRunInitScriptFailureIsNotFatal(t *testing.T) {
	s := baseSpec()
	s.InitScript = "false"
	s.Script = "true"
	r := runJob(t, s, nil)
	if r.code != 0 || !slices.Equal(r.status, exited("SUCCEEDED")) {
		t.Errorf("code %d, job.status %q\njob.err:\n%s", r.code, r.status, r.err)
	}
}

// After Cylc's job-file-trap/03-user-trap: a TERM to the job is passed on to
// the user's processes, which may trap or ignore it; the err-script can wait
// for them and sees the exit code.
func TestRunUserTrap(t *testing.T) {
	s := baseSpec()
	s.Script = `out="${CYLC_TASK_LOG_ROOT}.testout"
trap "" TERM
(
    # Ignores TERM; speaks once the job has recorded its failure.
    grep -q -m 1 'CYLC_JOB_EXIT=TERM' < <(tail -n +1 -F "${CYLC_TASK_LOG_ROOT}.status" 2>/dev/null)
    echo "The undead child shall speak" >>"${out}"
) &
trap "echo 'TERM got trapped' >>'${out}'; wait" TERM
(
    ` + blockForever + `
    echo "You shall never see this" >>"${out}"
) &
echo "Here we go..." >>"${out}"
kill -s TERM $$
wait`
	s.ErrScript = `wait
echo "Exit with code ${CYLC_TASK_USER_SCRIPT_EXITCODE:-unknown}" >>"${CYLC_TASK_LOG_ROOT}.testout"`
	r := runJob(t, s, nil)
	if r.code != 143 || !slices.Equal(r.status, exited("TERM")) {
		t.Errorf("code %d, job.status %q", r.code, r.status)
	}
	want := "Here we go...\nTERM got trapped\nThe undead child shall speak\nExit with code 143\n"
	if got := read(t, r.files.Dir+"/job.testout"); got != want {
		t.Errorf("testout:\n%s\nwant:\n%s\njob.err:\n%s", got, want, r.err)
	}
}
