package live

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/runner"
)

func TestJobSpecFromRuntime(t *testing.T) {
	dir, w, def := loadFlow(t, `
[scheduler]
    UTC mode = True
[task parameters]
    m = 1..2
    c = cat, dog
[scheduling]
    initial cycle point = 20100101T00
    final cycle point = 20100102T00
    [[graph]]
        P1D = "FAM"
[runtime]
    [[root]]
        init-script = echo init
        [[[environment]]]
            A = 1
            B = $A$A
    [[FAM]]
        pre-script = echo pre
        execution time limit = PT90S
    [[foo<m,c>]]
        inherit = FAM
        script = echo hello
        post-script = echo post
        err-script = echo err
        exit-script = echo exit
        env-script = echo env
        work sub-directory = $CYLC_TASK_CYCLE_POINT/shared
        [[[environment]]]
            C = $B-c
            A = 2
`)
	r, err := New(Options{Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: dir, UUID: "uuid-1",
		GyreBin: "/bin/gyre", ShimDir: dir + "/.service/bin",
		Contact: job.Contact{URL: "https://127.0.0.1:1234", Fingerprint: "ab", TokenFile: "/t"}})
	if err != nil {
		t.Fatal(err)
	}
	spec, rj, _, err := r.prepare(pool.SubmitJob{
		ID: pool.ID{Point: "20100101T0000Z", Name: "foo_m2_dog"}, SubmitNum: 3, TryNum: 2, Flows: pool.Flows{1, 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := job.Spec{
		WorkflowID: "flow/run1", WorkflowName: "flow", WorkflowUUID: "uuid-1", RunDir: dir,
		CyclingMode: "gregorian", InitialCyclePoint: "20100101T0000Z", FinalCyclePoint: "20100102T0000Z",
		UTC: true, CylcVersion: "8.7.0",
		TaskName: "foo_m2_dog", CyclePoint: "20100101T0000Z", SubmitNum: 3, TryNum: 2, FlowNums: []int{1, 2},
		NamespaceHierarchy: []string{"root", "FAM", "foo_m2_dog"},
		Params:             []job.EnvVar{{Name: "m", Value: "2"}, {Name: "c", Value: "dog"}},
		RunnerName:         "background", ExecutionTimeLimit: 90 * time.Second,
		GyreBin: "/bin/gyre", ShimDir: dir + "/.service/bin",
		Contact:    job.Contact{URL: "https://127.0.0.1:1234", Fingerprint: "ab", TokenFile: "/t"},
		InitScript: "echo init", EnvScript: "echo env", ErrScript: "echo err", PreScript: "echo pre",
		Script: "echo hello", PostScript: "echo post", ExitScript: "echo exit",
		WorkSubDir:  "$CYLC_TASK_CYCLE_POINT/shared",
		Environment: []job.EnvVar{{Name: "A", Value: "2"}, {Name: "B", Value: "$A$A"}, {Name: "C", Value: "$B-c"}},
	}
	if d := specDiff(spec, want); d != "" {
		t.Errorf("spec differs:\n%s", d)
	}
	if rj.ID != "20100101T0000Z/foo_m2_dog/03" || rj.ExecutionTimeLimit != 90*time.Second ||
		!strings.HasSuffix(rj.Files.Script, "/log/job/20100101T0000Z/foo_m2_dog/03/job") {
		t.Errorf("runner job = %+v", rj)
	}
	if _, err := job.Write(spec); err != nil {
		t.Errorf("the spec does not make a job script: %v", err)
	}
}

// specDiff compares the fields a test sets; Directives is a func and is
// left out.
func specDiff(got, want job.Spec) string {
	var b strings.Builder
	check := func(name string, g, w any, eq bool) {
		if !eq {
			b.WriteString(name + ": got " + strings.TrimSpace(sprint(g)) + ", want " + strings.TrimSpace(sprint(w)) + "\n")
		}
	}
	check("WorkflowID", got.WorkflowID, want.WorkflowID, got.WorkflowID == want.WorkflowID)
	check("WorkflowName", got.WorkflowName, want.WorkflowName, got.WorkflowName == want.WorkflowName)
	check("WorkflowUUID", got.WorkflowUUID, want.WorkflowUUID, got.WorkflowUUID == want.WorkflowUUID)
	check("RunDir", got.RunDir, want.RunDir, got.RunDir == want.RunDir)
	check("CyclingMode", got.CyclingMode, want.CyclingMode, got.CyclingMode == want.CyclingMode)
	check("InitialCyclePoint", got.InitialCyclePoint, want.InitialCyclePoint, got.InitialCyclePoint == want.InitialCyclePoint)
	check("FinalCyclePoint", got.FinalCyclePoint, want.FinalCyclePoint, got.FinalCyclePoint == want.FinalCyclePoint)
	check("UTC", got.UTC, want.UTC, got.UTC == want.UTC)
	check("CylcVersion", got.CylcVersion, want.CylcVersion, got.CylcVersion == want.CylcVersion)
	check("TaskName", got.TaskName, want.TaskName, got.TaskName == want.TaskName)
	check("CyclePoint", got.CyclePoint, want.CyclePoint, got.CyclePoint == want.CyclePoint)
	check("SubmitNum", got.SubmitNum, want.SubmitNum, got.SubmitNum == want.SubmitNum)
	check("TryNum", got.TryNum, want.TryNum, got.TryNum == want.TryNum)
	check("FlowNums", got.FlowNums, want.FlowNums, slices.Equal(got.FlowNums, want.FlowNums))
	check("NamespaceHierarchy", got.NamespaceHierarchy, want.NamespaceHierarchy, slices.Equal(got.NamespaceHierarchy, want.NamespaceHierarchy))
	check("Params", got.Params, want.Params, slices.Equal(got.Params, want.Params))
	check("RunnerName", got.RunnerName, want.RunnerName, got.RunnerName == want.RunnerName)
	check("ExecutionTimeLimit", got.ExecutionTimeLimit, want.ExecutionTimeLimit, got.ExecutionTimeLimit == want.ExecutionTimeLimit)
	check("GyreBin", got.GyreBin, want.GyreBin, got.GyreBin == want.GyreBin)
	check("ShimDir", got.ShimDir, want.ShimDir, got.ShimDir == want.ShimDir)
	check("Contact", got.Contact, want.Contact, got.Contact == want.Contact)
	for _, s := range [][3]string{
		{"InitScript", got.InitScript, want.InitScript}, {"EnvScript", got.EnvScript, want.EnvScript},
		{"ErrScript", got.ErrScript, want.ErrScript}, {"PreScript", got.PreScript, want.PreScript},
		{"Script", got.Script, want.Script}, {"PostScript", got.PostScript, want.PostScript},
		{"ExitScript", got.ExitScript, want.ExitScript}, {"WorkSubDir", got.WorkSubDir, want.WorkSubDir},
	} {
		check(s[0], s[1], s[2], s[1] == s[2])
	}
	check("Environment", got.Environment, want.Environment, slices.Equal(got.Environment, want.Environment))
	return b.String()
}

func sprint(v any) string { return strings.ReplaceAll(fmt.Sprintf("%q", fmt.Sprint(v)), "\n", " ") }

// testPlatforms is a global configuration with local batch platforms and
// a remote one.
func testPlatforms(t *testing.T) *platform.Config {
	t.Helper()
	global, err := platform.Parse("global.cylc", []byte(`
[platforms]
    [[hpc]]
        hosts = localhost
        job runner = slurm
        job runner command template = sbatch --qos=high '%(job)s'
        global init-script = module load hpc
    [[far]]
        hosts = login.far.example.com
        job runner = pbs
    [[pbs_here, lsf_here]]
        hosts = localhost
    [[pbs_here]]
        job runner = pbs
    [[lsf_here]]
        job runner = lsf
`), nil, platform.Options{LocalHost: ThisHost})
	if err != nil {
		t.Fatal(err)
	}
	return global
}

// Each task's jobs go to the platform Cylc 8 would pick: its platform
// setting, else Cylc 7's host and batch system mapped to a platform, else
// localhost; what cannot be used fails the submission with the reason.
// A remote platform's jobs run in the run directory on its hosts.
func TestPlatformSelection(t *testing.T) {
	global := testPlatforms(t)
	for _, tc := range []struct {
		settings string
		global   *platform.Config
		want     string // "platform runner", or an error's text
	}{
		{"", nil, "localhost background"},
		{"platform = localhost", nil, "localhost background"},
		{"platform = idontexist", nil, `idontexist`},
		{"platform = $(echo localhost)", nil, "subshells are not supported"},
		{"[[[remote]]]\n            host = localhost", nil, "localhost background"},
		{"[[[remote]]]\n            host = elsewhere.example.com", nil, "elsewhere.example.com"},
		{"[[[job]]]\n            batch system = background", nil, "localhost background"},
		{"[[[job]]]\n            batch system = slurm", nil, "slurm"},
		{"platform = hpc", global, "hpc slurm"},
		{"platform = far", global, "far pbs"},
		{"[[[job]]]\n            batch system = pbs", global, "pbs_here pbs"},
	} {
		_, w, def := loadFlow(t, `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
        `+tc.settings+"\n")
		r, err := New(Options{Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: t.TempDir(), Platforms: tc.global})
		if err != nil {
			t.Fatal(err)
		}
		spec, _, pl, err := r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: "foo"}, SubmitNum: 1})
		switch {
		case err != nil && (!errors.Is(err, errNoPlatform) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v; want %s", tc.settings, err, tc.want)
		case err == nil && pl.Name+" "+pl.JobRunner != tc.want:
			t.Errorf("%q: platform %s, runner %s; want %s", tc.settings, pl.Name, pl.JobRunner, tc.want)
		case err == nil && spec.RunnerName != pl.JobRunner:
			t.Errorf("%q: job script names runner %q; want %q", tc.settings, spec.RunnerName, pl.JobRunner)
		case err == nil && !pl.IsLocal() && (spec.RunDir != "$HOME/gyre-run/flow/run1" || !strings.HasPrefix(spec.GyreBin, "$HOME/gyre-run/flow/run1/")):
			// A remote job runs in the run directory the remote init makes.
			t.Errorf("%q: remote job's run directory %q, gyre %q; want under $HOME/gyre-run/flow/run1", tc.settings, spec.RunDir, spec.GyreBin)
		}
	}
}

// A platform's settings reach the job script: its job runner and command
// template in the header, its global init-script, the runner's fail
// signals, and the task's directives in the runner's form.
func TestPlatformJobScript(t *testing.T) {
	global := testPlatforms(t)
	_, w, def := loadFlow(t, `
[scheduling]
    [[graph]]
        R1 = foo & bar
[runtime]
    [[bar]]
        platform = lsf_here
    [[foo]]
        platform = hpc
        execution time limit = PT90S
        [[[directives]]]
            --nodes = 2
            --exclusive =
`)
	// The runner needs Slurm's commands on its PATH; these only exist.
	bin := t.TempDir()
	for _, c := range []string{"sbatch", "squeue", "scancel", "bsub", "bjobs", "bkill"} {
		if err := os.WriteFile(filepath.Join(bin, c), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	r, err := New(Options{Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: t.TempDir(), Platforms: global, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	spec, rj, pl, err := r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: "foo"}, SubmitNum: 1})
	if err != nil {
		t.Fatal(err)
	}
	rn, err := r.runners.forPlatform(pl)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rj.Directives, []runner.Directive{{Name: "--nodes", Value: "2"}, {Name: "--exclusive"}}; !slices.Equal(got, want) {
		t.Errorf("directives %v; want %v", got, want)
	}
	lines := rn.Directives(rj)
	for _, want := range []string{"#SBATCH --job-name=foo.1.flow/run1", "#SBATCH --nodes=2", "#SBATCH --exclusive", "#SBATCH --time=1:30"} {
		if !slices.Contains(lines, want) {
			t.Errorf("directive lines %q lack %q", lines, want)
		}
	}
	if spec.RunnerCommandTemplate != "sbatch --qos=high '%(job)s'" || spec.GlobalInitScript != "module load hpc" {
		t.Errorf("job script template %q, global init-script %q; want the platform's", spec.RunnerCommandTemplate, spec.GlobalInitScript)
	}
	lsf, _, _, err := r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: "bar"}, SubmitNum: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"EXIT", "ERR", "XCPU", "TERM", "INT", "SIGUSR2"}; !slices.Equal(lsf.FailSignals, want) || spec.FailSignals != nil {
		t.Errorf("fail signals: lsf %v, slurm %v; want %v and the job script's default", lsf.FailSignals, spec.FailSignals, want)
	}
}

func TestDummyScript(t *testing.T) {
	_, w, def := loadFlow(t, `
[scheduling]
    [[graph]]
        R1 = "foo:x => bar"
[runtime]
    [[root]]
        [[[simulation]]]
            default run length = PT2S
    [[foo]]
        script = false
        pre-script = exit 1
        platform = nowhere
        [[[outputs]]]
            x = "the quick brown fox's"
    [[bar]]
        [[[simulation]]]
            fail cycle points = 1
            fail try 1 only = False
`)
	r, err := New(Options{Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: t.TempDir(), Dummy: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"foo": "sleep 2\ncylc message 'the quick brown fox'\"'\"'s'\ncylc__job__dummy_result true  || exit 1",
		"bar": "sleep 2\ncylc__job__dummy_result false 1 || exit 1",
	} {
		spec, _, _, err := r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: name}, SubmitNum: 1})
		if err != nil {
			t.Fatalf("%s: %v (dummy mode runs every task on localhost)", name, err)
		}
		if spec.Script != want || spec.PreScript != "" || len(spec.Environment) != 0 {
			t.Errorf("%s: script %q pre-script %q env %v; want script %q and nothing else", name, spec.Script, spec.PreScript, spec.Environment, want)
		}
	}
}
