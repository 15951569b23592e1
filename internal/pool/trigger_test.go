package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/task"
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
// runs (its prerequisites force-satisfied, which a live reference line
// lists, as Cylc 8.7's does; a simulated one lists none) and its children
// follow in flow 2. Its job is numbered after the first run's.
func TestTriggerNewFlowReruns(t *testing.T) {
	for _, sim := range []bool{false, true} {
		def := load(t, triggerFlow, workflow.RunOptions{})
		def.Simulation = sim
		h := newHarness(t, def)
		h.run(1000)
		h.Shutdown = nil
		h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}, Flow: "new", Meta: "again"})
		h.run(1000)
		deps := "['1/a']"
		if sim {
			deps = "[]"
		}
		want := []string{
			"1/a -triggered off [] in flow 1",
			"1/b -triggered off ['1/a'] in flow 1",
			"1/c -triggered off ['1/b'] in flow 1",
			"1/b -triggered off " + deps + " in flow 2",
			"1/c -triggered off ['1/b'] in flow 2",
		}
		if got := joined(h.Ref); got != joined(want) {
			t.Errorf("simulation=%v: got:\n%s\nwant:\n%s", sim, got, joined(want))
		}
		if len(h.Flows) != 2 || h.Flows[0].Description != "original flow from 1" || h.Flows[1].Num != 2 || h.Flows[1].Description != "again" {
			t.Errorf("flows started: %+v; want flow 1, then 2 (again)", h.Flows)
		}
		if !strings.Contains(joined(h.Logs), "INFO [1/b/02(flows=2):preparing] => submitted") {
			t.Errorf("logs:\n%s", joined(h.Logs))
		}
		if n := lastSubmitNum(h, "1/b"); n != 2 {
			t.Errorf("rerun of 1/b is job %d, want 2", n)
		}
	}
}

// lastSubmitNum is the submit number of the last job of id.
func lastSubmitNum(h *harness, id string) int {
	n := 0
	for _, j := range h.jobLog {
		if j.ID.String() == id {
			n = j.SubmitNum
		}
	}
	return n
}

// Triggering a finished task with no --flow reruns it in the flows that
// are active (Cylc's spawn-on-demand/00-no-reflow): its children, done in
// that flow already, do not run again.
func TestTriggerPastTaskNoReflow(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.run(1000)
	h.Shutdown = nil
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}})
	h.run(1000)
	want := "1/a\n1/b\n1/c\n1/b"
	if got := joined(h.Submitted); got != want {
		t.Errorf("submitted:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(joined(h.Logs), "INFO Removed tasks: 1/b (flows=1)") {
		t.Errorf("no removal of 1/b from flow 1 logged:\n%s", joined(h.Logs))
	}
}

// Tasks triggered together run as a group (Cylc 8.7): the one with no
// parent in the group runs now; its child in the group waits for it,
// with its prerequisites outside the group satisfied; and the flow runs
// on from there.
func TestTriggerGroup(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            never:fail? => a & x
            x => b
            a => b => c
        """
[runtime]
    [[a, b, c, x, never]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.run(100) // never succeeds: nothing else runs
	h.Shutdown = nil
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}, {Point: "1", Name: "a"}}})
	b := h.p.Get(pool.ID{Point: "1", Name: "b"})
	if b == nil || b.Status != task.Waiting {
		t.Fatalf("1/b should wait for 1/a in the group: %+v", b)
	}
	if got := b.Unsatisfied(); joined(got) != "1/a:succeeded" {
		t.Errorf("1/b waits on %v; want only 1/a (1/x is outside the group)", got)
	}
	h.run(100)
	want := []string{
		"1/never -triggered off [] in flow 1",
		"1/a -triggered off ['1/never'] in flow 1",
		"1/b -triggered off ['1/a', '1/x'] in flow 1",
		"1/c -triggered off ['1/b'] in flow 1",
	}
	if got := joined(h.Ref); got != joined(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, joined(want))
	}
}

// A queued task that is triggered runs at once, whatever its queue's
// limit (Cylc's cylc-trigger/01-queued).
func TestTriggerQueuedTaskRunsNow(t *testing.T) {
	def := load(t, `
[scheduling]
    [[queues]]
        [[[q]]]
            limit = 1
            members = a, b
    [[graph]]
        R1 = "a:start => b"
[runtime]
    [[a, b]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	a := h.jobs[0]
	h.jobs = nil
	h.apply(pool.JobSubmitted{ID: a.ID, SubmitNum: 1})
	h.apply(pool.JobMessage{ID: a.ID, SubmitNum: 1, Message: task.OutStarted})
	b := h.p.Get(pool.ID{Point: "1", Name: "b"})
	if b == nil || !b.Queued {
		t.Fatalf("1/b should be queued behind 1/a: %+v", b)
	}
	h.apply(pool.Trigger{IDs: []pool.ID{b.ID}})
	if b.Status != task.Preparing {
		t.Errorf("triggered 1/b is %s; want preparing while 1/a still runs", b.StateString())
	}
	if got := h.Ref[len(h.Ref)-1]; got != "1/b -triggered off ['1/a'] in flow 1" {
		t.Errorf("reference line %q", got)
	}
}

// A failed task selected by status is retriggered (cylc-trigger/
// 02-filter-failed): "1/f*:failed" matches only failed tasks in the pool.
func TestMatchStatusSelector(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = "f1 & f2 & g"
[runtime]
    [[f1, f2, g]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.fail = func(id string, try int) bool { return id == "1/f1" }
	h.apply(pool.Started{})
	for len(h.jobs) > 0 {
		j := h.jobs[0]
		h.jobs = h.jobs[1:]
		if j.ID.Name == "f2" {
			continue // still waiting to run
		}
		h.runJob(j)
	}
	for _, c := range []struct {
		pat  string
		want string
	}{
		{"1/f*:failed", "1/f1"},
		{"1/*:preparing", "1/f2"},
		{"1:failed", "1/f1"},
		{"1/g:failed", ""},
		{"1/f*", "1/f1 1/f2"},
	} {
		ids, _ := h.p.Match([]string{c.pat})
		var got []string
		for _, id := range ids {
			got = append(got, id.String())
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("Match(%q) = %v; want %q", c.pat, got, c.want)
		}
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
