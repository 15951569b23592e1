package job

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden job scripts in testdata")

// goldenSpecs are representative jobs; testdata/<name>.job holds the script
// each must produce, with the (fixed) runtime section elided.
var goldenSpecs = map[string]func() Spec{
	"minimal": func() Spec {
		return Spec{
			WorkflowID: "hello", TaskName: "greet", CyclePoint: "1", SubmitNum: 1,
			CyclingMode: "integer", InitialCyclePoint: "1",
			Script: "echo Hello World",
		}
	},
	"datetime-full": func() Spec {
		s := baseSpec()
		s.SubmitNum = 12
		s.TryNum = 3
		s.FlowNums = []int{2, 1}
		s.RunDir = "$HOME/cylc-run/flow/run1"
		s.ShimDir = "$HOME/.gyre/bin"
		s.RunnerName = "slurm"
		s.RunnerCommandTemplate = "sbatch --parsable %(job)s"
		s.ExecutionTimeLimit = 90*time.Second + 500*time.Millisecond
		s.Directives = func() []string {
			return []string{"#SBATCH --job-name=foo.20200101T0000Z.flow/run1", "#SBATCH --time=1:31"}
		}
		s.VacationSignals = []string{"USR1"}
		s.CommsMethod = CommsSSH
		s.Contact = Contact{URL: "https://sched.example:8443", Fingerprint: "SHA256:0f1e", TokenFile: "$HOME/cylc-run/flow/run1/.service/job-token"}
		s.CopyableEnv = []EnvVar{{"CYLC_CONF_PATH", "/etc/cylc"}}
		s.GlobalInitScript = "module load gyre\n"
		s.Params = []EnvVar{{"member", "7"}, {"model", "um"}}
		s.InitScript = "ulimit -s unlimited"
		s.EnvScript = "eval $(rose task-env)"
		s.ErrScript = "echo \"failed with $1\" >&2"
		s.PreScript = "# only a comment\n\n   # and another"
		s.Script = "run-model --member \"$MEMBER\" \\\n    --out \"$OUT\""
		s.PostScript = "archive \"$OUT\""
		s.ExitScript = "echo done"
		s.WorkSubDir = "$CYLC_TASK_CYCLE_POINT/shared"
		s.Environment = []EnvVar{
			{"MEMBER", "mem%(member)03d"},
			{"OUT", "$CYLC_WORKFLOW_SHARE_DIR/out_$MEMBER"},
			{"STAMP", "$(date -u +%Y)"},
			{"INPUTS", "~/inputs/model %(model)s"},
			{"OWNER_HOME", "~someone"},
		}
		s.Verbose = true
		return s
	},
	"integer-lsf": func() Spec {
		return Spec{
			WorkflowID: "ens/run3", WorkflowName: "ens", WorkflowUUID: "0000-1111",
			RunDir: "/scratch/me/cylc-run/ens/run3", CyclingMode: "integer",
			InitialCyclePoint: "1", TaskName: "post_m1", CyclePoint: "4", SubmitNum: 2,
			FlowNums: []int{1}, NamespaceHierarchy: []string{"root", "POST", "post_m1"},
			RunnerName: "lsf", FailSignals: []string{"EXIT", "ERR", "XCPU", "TERM", "INT", "SIGUSR2"},
			GyreBin: "/opt/gyre/bin/gyre", ShimDir: "/opt/gyre/shim",
			Script: "post.sh", CylcVersion: "8.7.1",
		}
	},
}

func TestWriteGolden(t *testing.T) {
	for name, spec := range goldenSpecs {
		t.Run(name, func(t *testing.T) {
			got, err := Write(spec())
			if err != nil {
				t.Fatal(err)
			}
			script := string(got)
			if strings.Count(script, runtime) != 1 {
				t.Fatal("the runtime is not in the script exactly once")
			}
			elided := strings.Replace(script, runtime, "<runtime.sh>\n", 1)
			path := filepath.Join("testdata", name+".job")
			if *update {
				if err := os.WriteFile(path, []byte(elided), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if elided != string(want) {
				t.Errorf("script differs from %s (run with -update to accept):\n%s", path, diffLines(string(want), elided))
			}
			checkSyntax(t, got)
		})
	}
}

// checkSyntax runs "bash -n" on a script, as Cylc does before submitting.
func checkSyntax(t *testing.T, script []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
		t.Errorf("bash -n: %v\n%s", err, out)
	}
}

// diffLines shows the first differing line of two texts, with context.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(no line differs)"
}

// The parts of a script that are simple functions of the spec.
func TestWriteSections(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spec   func(*Spec)
		has    []string
		hasNot []string
	}{
		{
			name:   "no environment, no scripting: no functions",
			spec:   func(s *Spec) { s.TryNum = 0; s.UTC = false },
			hasNot: []string{"cylc__job__inst__user_env()", "cylc__job__inst__script()", "# DIRECTIVES:", "CYLC_VACATION_SIGNALS", "GYRE_SCHEDULER_URL", "TZ=", "CYLC_TASK_WORK_DIR_BASE", "# Execution time limit:"},
			has:    []string{"CYLC_FAIL_SIGNALS='EXIT ERR TERM XCPU'\n", "export CYLC_TASK_TRY_NUMBER=1\n"},
		},
		{
			name:   "comment-only scripting is left out",
			spec:   func(s *Spec) { s.Script = "# nothing\n  \n# at all"; s.ErrScript = "  " },
			hasNot: []string{"cylc__job__inst__script()", "cylc__job__inst__err_script()"},
		},
		{
			name:   "empty directives: no section",
			spec:   func(s *Spec) { s.Directives = func() []string { return nil } },
			hasNot: []string{"# DIRECTIVES:"},
		},
		{
			name: "user environment: export first, assign in order",
			spec: func(s *Spec) { s.Environment = []EnvVar{{"B", "2"}, {"A", "$B"}} },
			has:  []string{"    export B A\n    B=\"2\"\n    A=\"$B\"\n}"},
		},
		{
			name: "identifiers cannot run code",
			spec: func(s *Spec) { s.WorkflowID = "a$(rm -rf x)`b`" },
			has:  []string{"export CYLC_WORKFLOW_ID=\"a\\$(rm -rf x)\\`b\\`\""},
		},
		{
			name: "time limit in whole seconds",
			spec: func(s *Spec) { s.ExecutionTimeLimit = time.Hour },
			has:  []string{"\n# Execution time limit: 3600.0\n"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseSpec()
			tc.spec(&s)
			b, err := Write(s)
			if err != nil {
				t.Fatal(err)
			}
			script := string(b)
			for _, want := range tc.has {
				if !strings.Contains(script, want) {
					t.Errorf("script lacks %q", want)
				}
			}
			for _, bad := range tc.hasNot {
				if strings.Contains(strings.Replace(script, runtime, "", 1), bad) {
					t.Errorf("script has %q", bad)
				}
			}
			checkSyntax(t, b)
		})
	}
}

func TestWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec func(*Spec)
		want string
	}{
		{"no task", func(s *Spec) { s.TaskName = "" }, `task name ("") and cycle point ("20200101T0000Z") are both required`},
		{"slash in task", func(s *Spec) { s.TaskName = "a/b" }, `task name "a/b": must not contain '/'`},
		{"no workflow", func(s *Spec) { s.WorkflowID = "" }, "20200101T0000Z/foo/01: workflow ID is required"},
		{"submit 0", func(s *Spec) { s.SubmitNum = 0 }, "submit number 0: must be 1 or more"},
		{"bad cycling mode", func(s *Spec) { s.CyclingMode = "gregorain" }, `cycling mode "gregorain" is not one of integer, gregorian, 360day, 365day, 366day (did you mean "gregorian"?)`},
		{"bad comms", func(s *Spec) { s.CommsMethod = "zmg" }, `communication method "zmg" is not one of zmq, poll, ssh (did you mean "zmq"?)`},
		{"bad env name", func(s *Spec) { s.Environment = []EnvVar{{"1X", "y"}} }, `environment variable "1X": not a valid shell variable name`},
		{"bad env name with space", func(s *Spec) { s.Environment = []EnvVar{{"A B", "y"}} }, `environment variable "A B"`},
		{"bad param name", func(s *Spec) { s.Params = []EnvVar{{"m-1", "y"}} }, `task parameter "m-1"`},
		{"bad param value", func(s *Spec) { s.Params = []EnvVar{{"m", `"; rm x`}} }, `task parameter m="\"; rm x": value must not contain`},
		{"bad signal", func(s *Spec) { s.FailSignals = []string{"TERM; rm"} }, `signal "TERM; rm": want a name such as TERM or USR1`},
		{"newline in header", func(s *Spec) { s.RunnerName = "bg\nrm -rf x" }, `job runner "bg\nrm -rf x" must be a single line`},
		{"newline in directive", func(s *Spec) { s.Directives = func() []string { return []string{"#X\nrm"} } }, `directive "#X\nrm" must be a single line`},
		{"negative try", func(s *Spec) { s.TryNum = -1 }, "try number -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseSpec()
			tc.spec(&s)
			_, err := Write(s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := baseSpec()
	if err := WriteFile(path, s); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("job script mode %v is not executable", fi.Mode())
	}
	want, _ := Write(s)
	if got := read(t, path); got != string(want) {
		t.Error("WriteFile wrote something other than Write's script")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	s.TaskName = ""
	if err := WriteFile(path, s); err == nil {
		t.Error("WriteFile accepted a bad spec")
	}
}
