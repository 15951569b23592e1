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
