package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

const triggerFlow = `
[scheduling]
    [[graph]]
        R1 = a => b => c
[runtime]
    [[a, b, c]]
`

// A finished workflow can be re-run from a task in a new flow: the task
// runs with no resolved dependencies and its children follow in flow 2.
func TestTriggerNewFlowReruns(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.run(1000)
	h.Shutdown = nil
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}, Flow: "new"})
	h.run(1000)
	want := []string{
		"1/a -triggered off [] in flow 1",
		"1/b -triggered off ['1/a'] in flow 1",
		"1/c -triggered off ['1/b'] in flow 1",
		"1/b -triggered off [] in flow 2",
		"1/c -triggered off ['1/b'] in flow 2",
	}
	if got := joined(h.Ref); got != joined(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, joined(want))
	}
}

// A task triggered with --flow=none runs but spawns nothing downstream.
func TestTriggerNoFlowSpawnsNothing(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.run(1000)
	h.Shutdown = nil
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "a"}}, Flow: "none"})
	h.run(1000)
	if got := h.Ref[len(h.Ref)-1]; got != "1/a -triggered off [] in flow none" {
		t.Errorf("last line %q", got)
	}
	if len(h.Ref) != 4 {
		t.Errorf("want only a to rerun, got:\n%s", joined(h.Ref))
	}
}

// When a spawn lands on a task that already exists, the flows merge.
func TestFlowsMergeOnSpawn(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a => c
            p => b => c
        """
[runtime]
    [[a, b, c, p]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	// a and p run in flow 1; b is triggered in flow 2 before p spawns it.
	// a spawns c in flow 1, then b's success lands on c: the flows merge.
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}, Flow: "2"})
	h.run(1000)
	if !strings.Contains(joined(h.Ref), "1/c -triggered off ['1/a', '1/b'] in flow 1,2") {
		t.Errorf("want c to run once in flows 1,2, got:\n%s", joined(h.Ref))
	}
	if n := strings.Count(joined(h.Submitted), "1/c"); n != 1 {
		t.Errorf("c ran %d times", n)
	}
}

func TestCompletionExpression(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a? => b
            a:x? => c
        """
[runtime]
    [[a]]
        completion = succeeded or (failed and x)
        [[[outputs]]]
            x = x done
    [[b, c]]
`, workflow.RunOptions{})
	// a fails after completing x: complete by its expression, so no stall.
	h := newHarness(t, def)
	h.fail = func(id string, _ int) bool { return id == "1/a" }
	h.run(1000)
	if h.Shutdown == nil || h.Shutdown.Abort {
		t.Fatalf("want a clean shutdown, got %+v; logs:\n%s", h.Shutdown, joined(h.Logs))
	}
	if got := joined(h.Submitted); got != "1/a\n1/c" {
		t.Errorf("submissions:\n%s", got)
	}
}
