package live

import (
	"fmt"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/task"
)

// In live mode a job's messages and the runner's report of its exit arrive
// by different roads, so the pool sees repeats and stragglers: a "started"
// sent in the background can land after "succeeded", and the exit report
// repeats the end the job already sent. These must change nothing.
func TestPoolIgnoresLateAndRepeatedJobMessages(t *testing.T) {
	_, _, def := loadFlow(t, `
[scheduling]
    [[graph]]
        R1 = """
            a => b
            r => s
        """
[runtime]
    [[a, b, s]]
    [[r]]
        execution retry delays = PT0S
`)
	p := pool.New(def)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	apply := func(ev pool.Event) []pool.Effect {
		now = now.Add(time.Second)
		return append([]pool.Effect(nil), p.Apply(ev, now)...)
	}
	a := pool.ID{Point: "1", Name: "a"}
	r := pool.ID{Point: "1", Name: "r"}
	msg := func(id pool.ID, n int, m string) pool.Event {
		return pool.JobMessage{ID: id, SubmitNum: n, Severity: "INFO", Message: m, Time: now}
	}
	submits := func(effs []pool.Effect) []string {
		var out []string
		for _, e := range effs {
			if s, ok := e.(pool.SubmitJob); ok {
				out = append(out, fmt.Sprintf("%s/%d", s.ID, s.SubmitNum))
			}
		}
		return out
	}
	changes := func(effs []pool.Effect, id pool.ID) []task.Status {
		var out []task.Status
		for _, e := range effs {
			if c, ok := e.(pool.TaskChanged); ok && c.ID == id {
				out = append(out, c.Status)
			}
		}
		return out
	}

	if got := submits(apply(pool.Started{})); len(got) != 2 {
		t.Fatalf("start submitted %v, want 1/a and 1/r", got)
	}
	apply(pool.JobSubmitted{ID: a, SubmitNum: 1, JobID: "1"})
	apply(msg(a, 1, "started"))
	if got := submits(apply(msg(a, 1, "succeeded"))); len(got) != 1 || got[0] != "1/b/1" {
		t.Fatalf("a succeeded: submitted %v, want 1/b/1", got)
	}
	for _, late := range []string{"started", "succeeded", "failed", "failed/SIGKILL"} {
		effs := apply(msg(a, 1, late))
		if c, s := changes(effs, a), submits(effs); len(c) != 0 || len(s) != 0 {
			t.Errorf("late %q after success: changes %v, submits %v; want none", late, c, s)
		}
	}

	// r fails its first try: the job's own "failed/ERR", then the exit
	// report "failed" for the same job, must use up one retry only.
	apply(pool.JobSubmitted{ID: r, SubmitNum: 1, JobID: "2"})
	apply(msg(r, 1, "started"))
	effs := apply(msg(r, 1, "failed/ERR"))
	if c := changes(effs, r); len(c) == 0 || c[len(c)-1] != task.Waiting {
		t.Fatalf("r failed/ERR: changes %v, want back to waiting for its retry", c)
	}
	for _, late := range []string{"failed", "started"} {
		effs := apply(msg(r, 1, late))
		if c, s := changes(effs, r), submits(effs); len(c) != 0 || len(s) != 0 {
			t.Errorf("late %q while waiting to retry: changes %v, submits %v; want none", late, c, s)
		}
	}
	if px := p.Get(r); px == nil || px.TryNum != 2 || px.Status != task.Waiting {
		t.Fatalf("r = %+v, want waiting for try 2", px)
	}
}
