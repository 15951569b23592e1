package journal_test

import (
	"testing"
	"time"

	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/task"
)

// Workflow parameters the pool records (hold point, stop clock), new
// flows and flow-wait reach the database and come back with a restart's
// saved state.
func TestParamsFlowsAndFlowWaitPersist(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stop := t0.Add(time.Hour)
	id := pool.ID{Point: "1", Name: "foo"}
	snap := journalRoundTrip(t, t0, [][]pool.Effect{
		{
			pool.WorkflowParam{Key: "holdcp", Value: "3"},
			pool.WorkflowParam{Key: "stopcp", Value: "5"},
			pool.WorkflowParam{Key: "stop_clock_time", Value: "1767229200"},
			pool.FlowStarted{Num: 2, Description: "second", Start: t0},
			pool.TaskChanged{ID: id, Status: task.Waiting, Flows: pool.Flows{2}, Spawned: true, FlowWait: true},
		},
		{pool.WorkflowParam{Key: "stopcp"}},
	})
	if got := snap.Params["holdcp"]; got != "3" {
		t.Errorf("holdcp = %q, want 3", got)
	}
	if got, ok := snap.Params["stopcp"]; ok {
		t.Errorf("stopcp = %q, want it removed", got)
	}
	if len(snap.Flows) != 1 || snap.Flows[0].Num != 2 || snap.Flows[0].Description != "second" {
		t.Errorf("flows %+v; want flow 2 (second)", snap.Flows)
	}
	saved, _ := journal.Saved(snap)
	if !saved.StopClock.Equal(stop) {
		t.Errorf("restored stop clock %v, want %v", saved.StopClock, stop)
	}
	if len(saved.Tasks) != 1 || !saved.Tasks[0].FlowWait {
		t.Errorf("restored tasks %+v; want 1/foo with flow-wait", saved.Tasks)
	}
}
