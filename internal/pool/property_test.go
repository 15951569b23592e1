package pool_test

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// genWorkflow draws a random cycling workflow: a layered DAG of tasks with
// same-cycle edges from earlier layers, optional inter-cycle edges, and a
// random runahead limit.
func genWorkflow(t *rapid.T) (flow string, tasks []string, cycles, runahead int) {
	layers := rapid.IntRange(1, 4).Draw(t, "layers")
	var lines []string
	byLayer := [][]string{}
	n := 0
	for l := 0; l < layers; l++ {
		width := rapid.IntRange(1, 3).Draw(t, fmt.Sprintf("width%d", l))
		var layer []string
		for i := 0; i < width; i++ {
			name := fmt.Sprintf("t%d", n)
			n++
			layer = append(layer, name)
			tasks = append(tasks, name)
			if l == 0 {
				lines = append(lines, name)
				continue
			}
			// At least one parent from the previous layer keeps layers
			// connected; more from any earlier layer.
			prev := byLayer[l-1]
			parent := prev[rapid.IntRange(0, len(prev)-1).Draw(t, "p")]
			lines = append(lines, parent+" => "+name)
			if rapid.Bool().Draw(t, "extra") {
				ll := rapid.IntRange(0, l-1).Draw(t, "ll")
				other := byLayer[ll][rapid.IntRange(0, len(byLayer[ll])-1).Draw(t, "o")]
				lines = append(lines, other+" => "+name)
			}
		}
		byLayer = append(byLayer, layer)
	}
	if rapid.Bool().Draw(t, "intercycle") {
		a := tasks[rapid.IntRange(0, len(tasks)-1).Draw(t, "ia")]
		b := tasks[rapid.IntRange(0, len(tasks)-1).Draw(t, "ib")]
		lines = append(lines, a+"[-P1] => "+b)
	}
	cycles = rapid.IntRange(1, 6).Draw(t, "cycles")
	runahead = rapid.IntRange(0, 3).Draw(t, "runahead")
	flow = fmt.Sprintf(`
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = %d
    runahead limit = P%d
    [[graph]]
        P1 = """
            %s
        """
[runtime]
    [[%s]]
`, cycles, runahead, strings.Join(lines, "\n            "), strings.Join(tasks, ", "))
	return flow, tasks, cycles, runahead
}

// With every job succeeding, every task instance runs exactly once, the
// workflow shuts down cleanly, and no job is ever submitted beyond the
// runahead limit in force at the time.
func TestPoolInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		flow, tasks, cycles, _ := genWorkflow(rt)
		def := load(t, flow, workflow.RunOptions{})
		h := newHarness(t, def)
		h.limitSeen = func(j pool.SubmitJob) {
			limit, ok := h.p.RunaheadLimit()
			if !ok {
				rt.Fatalf("%s submitted before any runahead limit", j.ID)
			}
			if pt := h.p.Get(j.ID).Point; pt.Compare(limit) > 0 {
				rt.Fatalf("%s submitted beyond the runahead limit %s", j.ID, limit)
			}
		}
		h.run(100000)
		if h.Shutdown == nil || h.Shutdown.Abort {
			rt.Fatalf("no clean shutdown (%+v); logs:\n%s\nflow:%s", h.Shutdown, joined(h.Logs), flow)
		}
		seen := map[string]int{}
		for _, id := range h.Submitted {
			seen[id]++
		}
		for c := 1; c <= cycles; c++ {
			for _, name := range tasks {
				id := fmt.Sprintf("%d/%s", c, name)
				if seen[id] != 1 {
					rt.Fatalf("%s submitted %d times; flow:%s", id, seen[id], flow)
				}
			}
		}
		if len(h.Submitted) != cycles*len(tasks) {
			rt.Fatalf("%d submissions, want %d", len(h.Submitted), cycles*len(tasks))
		}
		if h.p.Len() != 0 {
			rt.Fatalf("pool not empty at shutdown: %d tasks", h.p.Len())
		}
	})
}

// With random job failures, the workflow either completes every required
// output and shuts down cleanly, or stalls (and aborts at the stall
// timeout) with the failed tasks reported as incomplete. It never ends
// cleanly with a required output missing, and never submits a task whose
// upstream task failed.
func TestPoolFailuresStallOrComplete(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		flow, _, _, _ := genWorkflow(rt)
		def := load(t, flow, workflow.RunOptions{})
		failing := map[string]bool{}
		h := newHarness(t, def)
		h.fail = func(id string, _ int) bool {
			if _, seen := failing[id]; !seen {
				failing[id] = rapid.IntRange(0, 9).Draw(rt, "fail:"+id) == 0
			}
			return failing[id]
		}
		h.run(100000)
		anyFailed := false
		for _, f := range failing {
			anyFailed = anyFailed || f
		}
		if h.Shutdown == nil {
			rt.Fatalf("no shutdown; logs:\n%s", joined(h.Logs))
		}
		if anyFailed {
			if !h.Shutdown.Abort || !strings.Contains(joined(h.Logs), "Workflow stalled") {
				rt.Fatalf("a job failed but the run ended %+v without a stall", h.Shutdown)
			}
			for id, f := range failing {
				if f && !strings.Contains(joined(h.Logs), "* "+id+" did not complete") {
					rt.Fatalf("failed task %s not reported incomplete", id)
				}
			}
		} else if h.Shutdown.Abort {
			rt.Fatalf("nothing failed but the run aborted: %+v", h.Shutdown)
		}
		for _, line := range h.Ref {
			for id, f := range failing {
				if f && strings.Contains(line, "['"+id+"'") || f && strings.Contains(line, " '"+id+"'") {
					rt.Fatalf("%q triggered off failed task %s", line, id)
				}
			}
		}
	})
}
