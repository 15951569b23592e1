package workflow_test

import (
	"slices"
	"testing"
	"time"

	"gyre/internal/config"
	"gyre/internal/workflow"
	"gyre/internal/workflow/workflowtest"
)

// A platform's polling intervals and submission retry delays apply where
// a task's runtime sets none; the task's own settings win, and without a
// platform Cylc's defaults stay.
func TestPlatformSettings(t *testing.T) {
	const flow = `
[scheduling]
    [[graph]]
        R1 = own & theirs
[runtime]
    [[own]]
        submission polling intervals = PT10S
        execution polling intervals = PT20S, PT30S
        submission retry delays = PT1S
    [[theirs]]
`
	m := time.Minute
	plat := workflow.PlatformSettings{
		Submission:            []time.Duration{2 * m},
		Execution:             []time.Duration{3 * m, 4 * m},
		ExecutionTimeLimit:    []time.Duration{5 * m},
		SubmissionRetryDelays: []time.Duration{6 * m, 7 * m},
	}
	asked := 0
	def := workflowtest.Def(t, flow, workflow.RunOptions{PlatformSettings: func(rt *config.Runtime) workflow.PlatformSettings {
		asked++
		return plat
	}})
	plain := workflowtest.Def(t, flow, workflow.RunOptions{})
	s := time.Second
	for _, c := range []struct {
		what      string
		got, want []time.Duration
	}{
		{"own submission", def.Tasks["own"].SubmitPolls, []time.Duration{10 * s}},
		{"own execution", def.Tasks["own"].ExecPolls, []time.Duration{20 * s, 30 * s}},
		{"own time limit", def.Tasks["own"].TimeLimitPolls, plat.ExecutionTimeLimit},
		{"platform submission", def.Tasks["theirs"].SubmitPolls, plat.Submission},
		{"platform execution", def.Tasks["theirs"].ExecPolls, plat.Execution},
		{"own submission retries", def.Tasks["own"].SubmitRetryDelays, []time.Duration{s}},
		{"platform submission retries", def.Tasks["theirs"].SubmitRetryDelays, plat.SubmissionRetryDelays},
		{"default submission retries", plain.Tasks["theirs"].SubmitRetryDelays, nil},
		{"default submission", plain.Tasks["theirs"].SubmitPolls, []time.Duration{15 * m}},
		{"default time limit", plain.Tasks["theirs"].TimeLimitPolls, []time.Duration{m, 2 * m, 7 * m}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s polling intervals %v; want %v", c.what, c.got, c.want)
		}
	}
	if asked != 2 {
		t.Errorf("platform polls asked for %d tasks; want both", asked)
	}
}
