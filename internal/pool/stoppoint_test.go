package pool_test

import (
	"slices"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/task"
	"gyre/internal/workflow"
)

// A stop point set while later tasks are already released puts them back
// under the runahead limit: nothing after the stop point runs.
func TestStopPointHoldsBackReleasedTasks(t *testing.T) {
	def := load(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 5
    [[graph]]
        P1 = "a[-P1] & c[-P1] => a => s => c"
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	j := h.jobs[0]
	h.jobs = nil
	h.runJob(j) // 1/a succeeds: 2/a is spawned, waiting on 1/c
	next := h.p.Get(pool.ID{Point: "2", Name: "a"})
	if next == nil || next.Runahead || next.Status != task.Waiting {
		t.Fatalf("2/a before the stop: %+v", next)
	}
	h.apply(pool.Stop{AfterPoint: "1"})
	if got, ok := h.Params["stopcp"]; !ok || got != "1" {
		t.Errorf("stopcp recorded as %q (%v), want 1", got, ok)
	}
	if !next.Runahead {
		t.Errorf("2/a was not put back under the runahead limit by the stop point")
	}
	h.run(100)
	if slices.Contains(h.Submitted, "2/a") {
		t.Errorf("2/a ran after the stop point: %v", h.Submitted)
	}
	if h.Shutdown == nil {
		t.Fatalf("no shutdown after the stop point; submitted %v", h.Submitted)
	}
	if got := h.Params["stopcp"]; got != "" {
		t.Errorf("stopcp still recorded as %q once reached; a restart must carry on", got)
	}
}

// A stop task is recorded for a restart (as Cylc's NAME.POINT) and
// forgotten once it has succeeded; a restored one still stops the run.
func TestStopTaskRecorded(t *testing.T) {
	flow := `
[scheduler]
    allow implicit tasks = True
[scheduling]
    [[graph]]
        R1 = "a => b => c"
`
	h := newHarness(t, load(t, flow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	h.apply(pool.Stop{AfterTask: &pool.ID{Point: "1", Name: "b"}})
	if got := h.Params["stop_task"]; got != "b.1" {
		t.Errorf("stop_task recorded as %q, want b.1", got)
	}
	h.run(100)
	if got, ok := h.Params["stop_task"]; !ok || got != "" {
		t.Errorf("stop_task = %q (%v) after it succeeded; want it removed", got, ok)
	}
	if slices.Contains(h.Submitted, "1/c") {
		t.Errorf("1/c ran after the stop task: %v", h.Submitted)
	}

	r := newHarness(t, load(t, flow, workflow.RunOptions{}))
	r.apply(pool.Restarted{State: &pool.Saved{
		Tasks:    []pool.SavedTask{{ID: pool.ID{Point: "1", Name: "b"}, Status: task.Waiting, Flows: pool.Flows{1}}},
		StopTask: &pool.ID{Point: "1", Name: "b"},
	}})
	r.apply(pool.SetPrereqs{IDs: []pool.ID{{Point: "1", Name: "b"}}, Prereqs: []string{"all"}})
	r.run(100)
	if slices.Contains(r.Submitted, "1/c") || r.Shutdown == nil {
		t.Errorf("after a restart, the stop task did not stop the run: submitted %v, shutdown %v", r.Submitted, r.Shutdown)
	}
}
