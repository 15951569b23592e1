package job

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// printVars is scripting that prints NAME=VALUE for each name, or
// NAME=<unset>.
func printVars(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("printf '%s=%s\\n' " + n + ` "${` + n + `-<unset>}"` + "\n")
	}
	return b.String()
}

// valuesIn collects NAME=VALUE lines from job output.
func valuesIn(out string) map[string]string {
	vals := map[string]string{}
	for line := range strings.Lines(out) {
		if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "="); ok && regexp.MustCompile(`^[A-Za-z_]\w*$`).MatchString(k) {
			vals[k] = v
		}
	}
	return vals
}

func checkValues(t *testing.T, out string, want map[string]string) {
	t.Helper()
	got := valuesIn(out)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// The environment a job sees, and the order in which its pieces are set up
// (after Cylc's jobscript/00-torture test).
func TestRunEnvironment(t *testing.T) {
	s := baseSpec()
	s.SubmitNum = 8 // "08" is not octal
	s.TryNum = 2
	s.FlowNums = []int{3, 1}
	s.CommsMethod = CommsPoll
	s.Params = []EnvVar{{"m", "7"}, {"p", "ens"}}
	s.Contact = Contact{URL: "https://h:1", Fingerprint: "SHA256:ab", TokenFile: "/x/token"}
	s.CopyableEnv = []EnvVar{{"COPIED", "it's copied"}}
	s.GlobalInitScript = "export GLOBAL_INIT=yes"
	s.InitScript = "echo HELLO FROM INIT-SCRIPT\nexport VAR_IS=is"
	s.EnvScript = "echo HELLO FROM ENV-SCRIPT\nexport FROM_ENV_SCRIPT=envscript"
	s.PreScript = "echo HELLO FROM PRE-SCRIPT\nexport VAR_PreCS=precs"
	s.Environment = []EnvVar{
		{"E_ONE", "$(( RANDOM % 10 ))"},
		{"E_TWO", "$VAR_IS"},
		{"E_THR", "$CYLC_WORKFLOW_SHARE_DIR"},
		{"E_FOU", "$CYLC_TASK_NAME"},
		{"E_FIV", "$( foo.sh )"},
		{"E_SIX", "$E_TWO-$E_FOU"},
		{"E_SEV", "$FROM_ENV_SCRIPT"},
		{"E_SPACES", "a  b"},
		{"E_TILDE", "~/some file"},
		{"E_PARAM", "member%(m)03d_%(p)s"},
	}
	s.Script = "echo HELLO FROM SCRIPT\nexport VAR_CS=var_cs\n" + printVars(
		"VAR_IS", "VAR_PreCS", "E_ONE", "E_TWO", "E_THR", "E_FOU", "E_FIV", "E_SIX", "E_SEV",
		"E_SPACES", "E_TILDE", "E_PARAM", "GLOBAL_INIT", "COPIED", "PWD", "PATH",
		"CYLC_WORKFLOW_ID", "CYLC_WORKFLOW_NAME", "CYLC_WORKFLOW_NAME_BASE", "CYLC_WORKFLOW_UUID",
		"CYLC_WORKFLOW_RUN_DIR", "CYLC_WORKFLOW_SHARE_DIR", "CYLC_WORKFLOW_WORK_DIR",
		"CYLC_WORKFLOW_LOG_DIR", "CYLC_WORKFLOW_INITIAL_CYCLE_POINT", "CYLC_WORKFLOW_FINAL_CYCLE_POINT",
		"CYLC_CYCLING_MODE", "CYLC_UTC", "TZ", "ISODATETIMECALENDAR", "ISODATETIMEREF",
		"CYLC_TASK_ID", "CYLC_TASK_NAME", "CYLC_TASK_CYCLE_POINT", "CYLC_TASK_JOB",
		"CYLC_TASK_SUBMIT_NUMBER", "CYLC_TASK_TRY_NUMBER", "CYLC_TASK_FLOW_NUMBERS",
		"CYLC_TASK_LOG_DIR", "CYLC_TASK_LOG_ROOT", "CYLC_TASK_WORK_DIR", "CYLC_TASK_SHARE_CYCLE_DIR",
		"CYLC_TASK_NAMESPACE_HIERARCHY", "CYLC_TASK_COMMS_METHOD", "CYLC_TASK_PARAM_m",
		"CYLC_TASK_PARAM_p", "CYLC_VERSION", "CYLC_VERBOSE", "CYLC_DEBUG", "GYRE_BIN",
		"GYRE_SCHEDULER_URL", "GYRE_SCHEDULER_FINGERPRINT", "GYRE_TOKEN_FILE",
		"CYLC_SUITE_NAME", "CYLC_SUITE_SHARE_DIR", "CYLC_TASK_WORK_PATH", "CYLC_TASK_CYCLE_TIME",
		"CYLC_WORKFLOW_HOST",
	)
	s.PostScript = "echo HELLO FROM POST-SCRIPT\n" + printVars("VAR_CS")
	r := runJob(t, s, func(l Layout) {
		bin := filepath.Join(l.RunDir, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, "foo.sh"), []byte("#!/bin/bash\necho Hello from foo\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	})
	if r.code != 0 {
		t.Fatalf("exit code %d\njob.out:\n%s\njob.err:\n%s", r.code, r.out, r.err)
	}
	run := r.layout.RunDir
	home := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(run))), "home")
	job := "20200101T0000Z/foo/08"
	checkValues(t, r.out, map[string]string{
		"VAR_IS": "is", "VAR_PreCS": "precs", "VAR_CS": "var_cs",
		"E_TWO": "is", "E_THR": run + "/share", "E_FOU": "foo", "E_FIV": "Hello from foo",
		"E_SIX": "is-foo", "E_SEV": "envscript", "E_SPACES": "a  b", "E_TILDE": home + "/some file",
		"E_PARAM": "member007_ens", "GLOBAL_INIT": "yes", "COPIED": "it's copied",
		"PWD":                               run + "/work/20200101T0000Z/foo",
		"CYLC_WORKFLOW_ID":                  "flow/run1",
		"CYLC_WORKFLOW_NAME":                "flow",
		"CYLC_WORKFLOW_NAME_BASE":           "flow",
		"CYLC_WORKFLOW_UUID":                "5e1f-uuid",
		"CYLC_WORKFLOW_RUN_DIR":             run,
		"CYLC_WORKFLOW_SHARE_DIR":           run + "/share",
		"CYLC_WORKFLOW_WORK_DIR":            run + "/work",
		"CYLC_WORKFLOW_LOG_DIR":             run + "/log/scheduler",
		"CYLC_WORKFLOW_INITIAL_CYCLE_POINT": "20200101T0000Z",
		"CYLC_WORKFLOW_FINAL_CYCLE_POINT":   "20200102T0000Z",
		"CYLC_CYCLING_MODE":                 "gregorian",
		"CYLC_UTC":                          "True",
		"TZ":                                "UTC",
		"ISODATETIMECALENDAR":               "gregorian",
		"ISODATETIMEREF":                    "20200101T0000Z",
		"CYLC_TASK_ID":                      "20200101T0000Z/foo",
		"CYLC_TASK_NAME":                    "foo",
		"CYLC_TASK_CYCLE_POINT":             "20200101T0000Z",
		"CYLC_TASK_JOB":                     job,
		"CYLC_TASK_SUBMIT_NUMBER":           "8",
		"CYLC_TASK_TRY_NUMBER":              "2",
		"CYLC_TASK_FLOW_NUMBERS":            "1,3",
		"CYLC_TASK_LOG_DIR":                 run + "/log/job/" + job,
		"CYLC_TASK_LOG_ROOT":                run + "/log/job/" + job + "/job",
		"CYLC_TASK_WORK_DIR":                run + "/work/20200101T0000Z/foo",
		"CYLC_TASK_SHARE_CYCLE_DIR":         run + "/share/cycle/20200101T0000Z",
		"CYLC_TASK_NAMESPACE_HIERARCHY":     "root FAM foo",
		"CYLC_TASK_COMMS_METHOD":            "poll",
		"CYLC_TASK_PARAM_m":                 "7",
		"CYLC_TASK_PARAM_p":                 "ens",
		"CYLC_VERSION":                      "8.7.0",
		"CYLC_VERBOSE":                      "false",
		"CYLC_DEBUG":                        "false",
		"GYRE_BIN":                          "/usr/local/bin/gyre",
		"GYRE_SCHEDULER_URL":                "https://h:1",
		"GYRE_SCHEDULER_FINGERPRINT":        "SHA256:ab",
		"GYRE_TOKEN_FILE":                   "/x/token",
		"CYLC_SUITE_NAME":                   "flow/run1",
		"CYLC_SUITE_SHARE_DIR":              run + "/share",
		"CYLC_TASK_WORK_PATH":               run + "/work/20200101T0000Z/foo",
		"CYLC_TASK_CYCLE_TIME":              "20200101T0000Z",
		"CYLC_WORKFLOW_HOST":                "<unset>", // no contact file
	})
	vals := valuesIn(r.out)
	if !regexp.MustCompile(`^[0-9]$`).MatchString(vals["E_ONE"]) {
		t.Errorf("E_ONE = %q, want $(( RANDOM %% 10 )) evaluated", vals["E_ONE"])
	}
	// Workflow commands first, then the cylc shim, then the login PATH.
	if want := run + "/share/bin:" + run + "/bin:"; !strings.HasPrefix(vals["PATH"], want) {
		t.Errorf("PATH = %q, want it to start %q", vals["PATH"], want)
	}
	if !strings.Contains(vals["PATH"], ":"+filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(run))), "shim")+":") {
		t.Errorf("PATH = %q lacks the shim directory", vals["PATH"])
	}
	// The scripting ran in Cylc's order.
	order := regexp.MustCompile(`HELLO FROM ([A-Z-]+)`).FindAllStringSubmatch(r.out, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if want := "INIT-SCRIPT ENV-SCRIPT PRE-SCRIPT SCRIPT POST-SCRIPT"; strings.Join(got, " ") != want {
		t.Errorf("scripting order %v, want %s", got, want)
	}
}

func TestRunWorkSubDirectory(t *testing.T) {
	s := baseSpec()
	s.WorkSubDir = "$CYLC_TASK_CYCLE_POINT/shared"
	s.Script = "touch output\n" + printVars("PWD", "CYLC_TASK_WORK_DIR")
	r := runJob(t, s, nil)
	want := r.layout.RunDir + "/work/20200101T0000Z/shared"
	checkValues(t, r.out, map[string]string{"PWD": want, "CYLC_TASK_WORK_DIR": want})
	if _, err := os.Stat(filepath.Join(want, "output")); err != nil {
		t.Errorf("a work directory with output must be kept: %v", err)
	}
}

// Integer cycling, local time, no final point and a contact file.
func TestRunIntegerCycling(t *testing.T) {
	s := baseSpec()
	s.CyclingMode = "integer"
	s.CyclePoint, s.InitialCyclePoint, s.FinalCyclePoint = "1", "1", ""
	s.UTC = false
	s.Script = printVars("ISODATETIMECALENDAR", "ISODATETIMEREF", "TZ", "CYLC_UTC",
		"CYLC_WORKFLOW_FINAL_CYCLE_POINT", "CYLC_TASK_ID", "CYLC_WORKFLOW_HOST", "CYLC_WORKFLOW_OWNER",
		"CYLC_SUITE_HOST")
	r := runJob(t, s, func(l Layout) {
		if err := os.MkdirAll(l.ServiceDir(), 0o700); err != nil {
			t.Fatal(err)
		}
		contact := "CYLC_WORKFLOW_HOST=host1\nCYLC_WORKFLOW_OWNER=owner1\n"
		if err := os.WriteFile(l.ContactFile(), []byte(contact), 0o600); err != nil {
			t.Fatal(err)
		}
	})
	if r.code != 0 {
		t.Fatalf("exit code %d\njob.err:\n%s", r.code, r.err)
	}
	checkValues(t, r.out, map[string]string{
		"ISODATETIMECALENDAR": "<unset>", "ISODATETIMEREF": "<unset>", "TZ": "<unset>",
		"CYLC_UTC": "False", "CYLC_WORKFLOW_FINAL_CYCLE_POINT": "None", "CYLC_TASK_ID": "1/foo",
		"CYLC_WORKFLOW_HOST": "host1", "CYLC_WORKFLOW_OWNER": "owner1", "CYLC_SUITE_HOST": "host1",
	})
}

func TestRunDebugTrace(t *testing.T) {
	s := baseSpec()
	s.Debug = true
	s.Script = "echo traced-command\n" + printVars("CYLC_DEBUG", "CYLC_VERBOSE")
	r := runJob(t, s, nil)
	if r.code != 0 {
		t.Fatalf("exit code %d\njob.err:\n%s", r.code, r.err)
	}
	checkValues(t, r.out, map[string]string{"CYLC_DEBUG": "true", "CYLC_VERBOSE": "true"})
	if !strings.Contains(r.err, "Sending DEBUG MODE xtrace to job.xtrace") {
		t.Errorf("job.err lacks the xtrace notice:\n%s", r.err)
	}
	trace := read(t, filepath.Join(r.files.Dir, FileXtrace))
	if !regexp.MustCompile(`(?m)^\+*\[\d{8}T\d{6}[+-]\d{4}\]\S+@\S+ echo traced-command$`).MatchString(trace) {
		t.Errorf("job.xtrace lacks a stamped trace of the script:\n%.2000s", trace)
	}
}

// cylc__job__poll_grep_workflow_log follows the scheduler log until a line
// matches, including lines written after it starts.
func TestRunPollGrepWorkflowLog(t *testing.T) {
	s := baseSpec()
	s.Script = `( echo "INFO - [1/foo] later line" >>"${CYLC_WORKFLOW_LOG_DIR}/log" ) &
cylc__job__poll_grep_workflow_log -E 'later l.ne'
echo found-it`
	r := runJob(t, s, func(l Layout) {
		if err := os.MkdirAll(l.SchedulerLogDir(), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(l.SchedulerLog(), []byte("INFO - first line\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	if r.code != 0 || !strings.Contains(r.out, "INFO - [1/foo] later line\nfound-it\n") {
		t.Errorf("exit code %d\njob.out:\n%s\njob.err:\n%s", r.code, r.out, r.err)
	}
}

// Outside UTC mode, event times carry the local offset as Cylc writes it.
func TestRunLocalTimeZone(t *testing.T) {
	s := baseSpec()
	s.UTC = false
	s.Script = "true"
	r := runJob(t, s, nil, "TZ=XST-5:30") // a POSIX zone: no tzdata needed
	raw := read(t, r.files.Status)
	if !regexp.MustCompile(`(?m)^CYLC_JOB_INIT_TIME=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$`).MatchString(raw) {
		t.Errorf("job.status times are not in +05:30:\n%s", raw)
	}
}
