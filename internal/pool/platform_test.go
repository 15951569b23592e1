package pool_test

import (
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// Where a job went (its platform and job runner) comes with its
// submission and stays with the task: the run database and the event
// handlers of its later events need it, and its polls and kills go to
// its job runner.
func TestJobPlatformFollowsTheTask(t *testing.T) {
	h := newHarness(t, load(t, `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
`, workflow.RunOptions{}))
	type where struct{ platform, runner string }
	changed := map[string]where{}
	events := map[string]where{}
	h.effects = func(e pool.Effect) {
		switch e := e.(type) {
		case pool.TaskChanged:
			changed[e.Status.String()] = where{e.Platform, e.JobRunner}
		case pool.TaskEvent:
			events[e.Event] = where{e.Platform, e.JobRunner}
		case pool.PollJob:
			events["poll"] = where{e.Platform, e.JobRunner}
		case pool.KillJob:
			events["kill"] = where{e.Platform, e.JobRunner}
		}
	}
	h.apply(pool.Started{})
	if len(h.jobs) != 1 {
		t.Fatalf("submitted %v; want 1/foo", h.Submitted)
	}
	j := h.jobs[0]
	h.apply(pool.JobSubmitted{ID: j.ID, SubmitNum: j.SubmitNum, JobID: "42", Platform: "hpc", JobRunner: "slurm"})
	h.apply(pool.Poll{IDs: []pool.ID{j.ID}})
	h.apply(pool.Kill{IDs: []pool.ID{j.ID}})
	h.apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: "failed/ERR"})
	hpc := where{"hpc", "slurm"}
	for _, c := range []struct {
		what string
		got  where
	}{
		{"submitted record", changed["submitted"]},
		{"failed record", changed["failed"]},
		{"submitted event", events["submitted"]},
		{"failed event", events["failed"]},
		{"poll", events["poll"]},
		{"kill", events["kill"]},
	} {
		if c.got != hpc {
			t.Errorf("%s: platform %+v; want %+v", c.what, c.got, hpc)
		}
	}
}
