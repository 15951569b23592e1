package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// A task triggered with --wait runs but spawns nothing; when its own flow
// reaches it, finished, it spawns the children of what it completed and
// does not run again.
func TestTriggerWaitSpawnsWhenFlowArrives(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}, Wait: true})
	// b's job ends first; then a's, whose flow reaches the finished b.
	h.jobs[0], h.jobs[1] = h.jobs[1], h.jobs[0]
	h.run(100)
	want := []string{
		"1/a -triggered off [] in flow 1",
		"1/b -triggered off ['1/a'] in flow 1",
		"1/c -triggered off ['1/b'] in flow 1",
	}
	// b ran before a finished, and c only once a's flow reached b.
	if got := joined(sorted(h.Ref)); got != joined(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, joined(want))
	}
	if got := joined(h.Submitted); got != "1/a\n1/b\n1/c" {
		t.Errorf("submitted %v", h.Submitted)
	}
	if h.Shutdown == nil || h.Shutdown.Reason != "AUTOMATIC" {
		t.Errorf("shutdown %+v", h.Shutdown)
	}
	logs := joined(h.Logs)
	for _, w := range []string{
		"WARNING [1/b/01:succeeded] not spawning on succeeded: flow wait requested",
		"INFO [1/b/01:succeeded] spawning outputs after flow-wait",
	} {
		if !strings.Contains(logs, w) {
			t.Errorf("logs lack %q:\n%s", w, logs)
		}
	}
	if strings.Index(logs, "spawning outputs after flow-wait") < strings.Index(logs, "[1/a/01:running] => succeeded") {
		t.Errorf("b spawned c before the flow reached it:\n%s", logs)
	}
}

// A flow-wait task still running when another flow reaches it merges
// with it and spawns at once on the outputs it has completed
// (flow-triggers/11-wait-merge).
func TestFlowWaitMerge(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a => b => c => d
            c:x => x
        """
[runtime]
    [[a, b, c, d, x]]
    [[c]]
        [[[outputs]]]
            x = x
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "c"}}, Flow: "2", Wait: true})
	var c pool.SubmitJob
	for _, j := range h.jobs {
		if j.ID.Name == "c" {
			c = j
		}
	}
	h.apply(pool.JobSubmitted{ID: c.ID, SubmitNum: 1})
	h.apply(pool.JobMessage{ID: c.ID, SubmitNum: 1, Message: "x"})
	if h.p.Get(pool.ID{Point: "1", Name: "x"}) != nil {
		t.Fatalf("1/x spawned while 1/c waits for its flow")
	}
	// Flow 1 runs a and b; b's success merges flow 1 into the running c.
	for _, name := range []string{"a", "b"} {
		for i, j := range h.jobs {
			if j.ID.Name == name {
				h.jobs = append(h.jobs[:i:i], h.jobs[i+1:]...)
				h.runJob(j)
				break
			}
		}
	}
	x := h.p.Get(pool.ID{Point: "1", Name: "x"})
	if x == nil || x.Flows.String() != "1,2" {
		t.Fatalf("1/x after the merge: %+v; want it spawned in flows 1,2", x)
	}
	if !strings.Contains(joined(h.Logs), "INFO [1/c/01(flows=1,2):running] spawning on pre-merge outputs") {
		t.Errorf("logs:\n%s", joined(h.Logs))
	}
	h.apply(pool.JobMessage{ID: c.ID, SubmitNum: 1, Message: "succeeded"})
	h.run(100)
	if got := strings.Count(joined(h.Submitted), "1/d"); got != 1 {
		t.Errorf("1/d ran %d times: %v", got, h.Submitted)
	}
}

// "cylc set --out=a,succeeded --wait" on a future task switches the flow
// at an optional branch: once the flow arrives, the task counts as done
// and only the a branch runs (cylc-set/04-switch).
func TestSetOutputsWait(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            switcher => foo
            foo:a? => a
            foo:b? => b
        """
[runtime]
    [[switcher, a, b]]
    [[foo]]
        [[[outputs]]]
            a = a
            b = b
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	h.apply(pool.SetOutputs{IDs: []pool.ID{{Point: "1", Name: "foo"}}, Outputs: []string{"a", "succeeded"}, Wait: true})
	if h.p.Get(pool.ID{Point: "1", Name: "a"}) != nil {
		t.Fatalf("1/a spawned before the flow reached 1/foo")
	}
	h.run(100)
	if got := joined(h.Submitted); got != "1/switcher\n1/a" {
		t.Errorf("submitted:\n%s\nwant 1/switcher then 1/a", got)
	}
	logs := joined(h.Logs)
	for _, w := range []string{
		"setting implied output: submitted",
		"setting implied output: started",
		"1/foo/00:succeeded] spawning outputs after flow-wait",
	} {
		if !strings.Contains(logs, w) {
			t.Errorf("logs lack %q:\n%s", w, logs)
		}
	}
}

// Flow options are checked as Cylc checks them.
func TestValidateFlow(t *testing.T) {
	for _, c := range []struct {
		flow string
		wait bool
		bad  string
	}{
		{"", false, ""},
		{"new", false, ""},
		{"none", false, ""},
		{"1,2", true, ""},
		{"new", true, "--wait is not compatible"},
		{"none,1", false, "cannot combine --flow=none"},
		{"0", false, "flow values must be integers"},
		{"cheese", false, `invalid flow "cheese"`},
	} {
		err := pool.ValidateFlow(c.flow, c.wait)
		if c.bad == "" && err != nil || c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)) {
			t.Errorf("ValidateFlow(%q, %v) = %v; want %q", c.flow, c.wait, err, c.bad)
		}
	}
}
