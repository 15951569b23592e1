package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/task"
	"gyre/internal/workflow"
)

// A reload gives waiting tasks their new prerequisites, keeping the ones
// already satisfied; removes waiting instances of tasks that have gone;
// and lets an active orphan finish without spawning anything.
func TestReload(t *testing.T) {
	before := load(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    [[graph]]
        R1 = """
            a & b => c
            a & b => gone
            x => y
        """
`, workflow.RunOptions{})
	after := load(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    [[graph]]
        R1 = """
            a & b & e => c
            a => z
        """
`, workflow.RunOptions{})
	h := newHarness(t, before)
	h.apply(pool.Started{})
	if got := strings.Join(sorted(h.Submitted), " "); got != "1/a 1/b 1/x" {
		t.Fatalf("submitted at start: %s", got)
	}
	// a succeeds; b and x are left running.
	jobs := h.jobs
	h.jobs = nil
	h.runJob(jobs[0])
	for _, j := range jobs[1:] {
		h.apply(pool.JobSubmitted{ID: j.ID, SubmitNum: j.SubmitNum})
	}
	if c := h.p.Get(pool.ID{Point: "1", Name: "c"}); c == nil || len(c.Unsatisfied()) != 1 {
		t.Fatalf("1/c before the reload: %+v", c)
	}

	h.Logs = nil
	h.apply(pool.Reload{Def: after})
	logs := joined(h.Logs)
	for _, want := range []string{
		"INFO Added task: 'e'", "INFO Added task: 'z'", "INFO Removed task: 'y'",
		"INFO Reloading task definitions.",
		"[1/gone:waiting] removed from the n=0 window: task definition removed",
		"[1/x/01:submitted] will not spawn children - task definition removed",
		"[1/c:waiting] reloaded task definition",
		"Tasks active with pre-reload settings:\n * 1/b/01:submitted",
		"INFO Reload completed.",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("reload log lacks %q:\n%s", want, logs)
		}
	}
	c := h.p.Get(pool.ID{Point: "1", Name: "c"})
	if got := strings.Join(c.Unsatisfied(), " "); got != "1/b:succeeded 1/e:succeeded" {
		t.Errorf("1/c after the reload waits on %q; want 1/a kept satisfied, 1/b and the new 1/e not", got)
	}
	if h.p.Get(pool.ID{Point: "1", Name: "gone"}) != nil {
		t.Errorf("1/gone is still in the pool")
	}

	// The orphan finishes without spawning y; the rest runs to the end
	// under the new graph (e is not spawned by the reload, so c waits:
	// trigger e by hand, as a user would).
	h.apply(pool.JobMessage{ID: pool.ID{Point: "1", Name: "x"}, SubmitNum: 1, Message: task.OutStarted})
	h.apply(pool.JobMessage{ID: pool.ID{Point: "1", Name: "x"}, SubmitNum: 1, Message: task.OutSucceeded})
	h.apply(pool.JobMessage{ID: pool.ID{Point: "1", Name: "b"}, SubmitNum: 1, Message: task.OutStarted})
	h.apply(pool.JobMessage{ID: pool.ID{Point: "1", Name: "b"}, SubmitNum: 1, Message: task.OutSucceeded})
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "e"}}})
	h.run(100)
	got := strings.Join(sorted(h.Submitted), " ")
	if got != "1/a 1/b 1/c 1/e 1/x" {
		t.Errorf("submitted: %s; want 1/c run after 1/e, and neither 1/y nor 1/z (1/a succeeded before z existed)", got)
	}
}
