package live

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
	"gyre/internal/pool"
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
	spec, rj, err := r.prepare(pool.SubmitJob{
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

func TestPlatformSelection(t *testing.T) {
	for _, tc := range []struct {
		settings string
		wantErr  string // "" for accepted
	}{
		{"", ""},
		{"platform = localhost", ""},
		{"platform = idontexist", `no platform "idontexist"`},
		{"platform = $(echo localhost)", "subshells are not supported"},
		{"[[[remote]]]\n            host = localhost", ""},
		{"[[[remote]]]\n            host = elsewhere.example.com", "[remote]host = elsewhere.example.com"},
		{"[[[job]]]\n            batch system = background", ""},
		{"[[[job]]]\n            batch system = slurm", "[job]batch system = slurm"},
	} {
		_, w, def := loadFlow(t, `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
        `+tc.settings+"\n")
		r, err := New(Options{Workflow: w, Def: def, WorkflowID: "flow/run1", RunDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: "foo"}, SubmitNum: 1})
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v, want accepted", tc.settings, err)
		case tc.wantErr != "" && (err == nil || !errors.Is(err, errNoPlatform) || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: error %v, want platform not defined: ...%s", tc.settings, err, tc.wantErr)
		}
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
		spec, _, err := r.prepare(pool.SubmitJob{ID: pool.ID{Point: "1", Name: name}, SubmitNum: 1})
		if err != nil {
			t.Fatalf("%s: %v (dummy mode runs every task on localhost)", name, err)
		}
		if spec.Script != want || spec.PreScript != "" || len(spec.Environment) != 0 {
			t.Errorf("%s: script %q pre-script %q env %v; want script %q and nothing else", name, spec.Script, spec.PreScript, spec.Environment, want)
		}
	}
}
