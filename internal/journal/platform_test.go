package journal_test

import (
	"testing"
	"time"

	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/task"
)

// A job is recorded with the default platform when it is prepared; its
// submission says where it really went, and a restart gets that back, so
// that its polls go to the right job runner.
func TestJobPlatformPersists(t *testing.T) {
	id := pool.ID{Point: "1", Name: "model"}
	other := pool.ID{Point: "1", Name: "post"}
	snap := journalRoundTrip(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), [][]pool.Effect{
		{pool.TaskChanged{ID: id, Status: task.Waiting, Spawned: true},
			pool.TaskChanged{ID: other, Status: task.Waiting, Spawned: true}},
		{pool.TaskChanged{ID: id, Status: task.Preparing, SubmitNum: 1, TryNum: 1},
			pool.TaskChanged{ID: other, Status: task.Preparing, SubmitNum: 1, TryNum: 1}},
		{pool.TaskChanged{ID: id, Status: task.Submitted, SubmitNum: 1, TryNum: 1, JobID: "4242", Platform: "hpc", JobRunner: "slurm"},
			pool.TaskChanged{ID: other, Status: task.Submitted, SubmitNum: 1, TryNum: 1, JobID: "77"}},
	})
	got := map[pool.ID][3]string{}
	for _, pt := range snap.Tasks {
		if pt.Job != nil {
			got[pool.ID{Point: pt.Cycle, Name: pt.Name}] = [3]string{pt.Job.Platform, pt.Job.JobRunner, pt.Job.JobID}
		}
	}
	for id, want := range map[pool.ID][3]string{
		id:    {"hpc", "slurm", "4242"},
		other: {"localhost", "background", "77"},
	} {
		if got[id] != want {
			t.Errorf("%s: task_jobs platform, runner, job ID = %q; want %q", id, got[id], want)
		}
	}
	saved, _ := journal.Saved(snap)
	for _, st := range saved.Tasks {
		if st.ID == id && (st.Platform != "hpc" || st.JobRunner != "slurm") {
			t.Errorf("restored %s on %q/%q; want hpc/slurm", id, st.Platform, st.JobRunner)
		}
	}
}
