package live

import (
	"context"
	"encoding/json"
	"testing"

	"gyre/internal/api"
	"gyre/internal/bus"
	"gyre/internal/pool"
	"gyre/internal/task"
)

// The state stream carries task changes and events with their bus
// indexes, resumes from an index, and tells a subscriber that asks for
// events the bus no longer holds to resync.
func TestStream(t *testing.T) {
	b := bus.New[Delta](bus.Options{Ring: 4})
	defer b.Close()
	publish := func(e pool.Effect) {
		if d, ok := deltaOf(e); ok {
			b.Publish(d)
		}
	}
	id := pool.ID{Point: "1", Name: "foo"}
	publish(pool.TaskChanged{ID: id, Status: task.Running, Flows: pool.Flows{1}, SubmitNum: 1, Held: true})
	publish(pool.TaskEvent{ID: id, SubmitNum: 1, Event: "started", Message: "job started"})
	publish(pool.Log{Msg: "not a delta"})
	publish(pool.WorkflowEvent{Event: "stall", Message: "Workflow stalled"})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := stream(ctx, b, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []Delta
	var ids []uint64
	for len(got) < 2 {
		ev := <-events
		var d Delta
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatal(err)
		}
		got, ids = append(got, d), append(ids, ev.ID)
	}
	if ids[0] != 2 || ids[1] != 3 || got[0].Event != "started" || got[1].Kind != "workflow-event" || got[1].Event != "stall" {
		t.Errorf("from 2: ids %v, deltas %+v", ids, got)
	}
	cancel()
	for range events {
	}

	// Index 1 has left the 4-event ring once 5 more are published.
	for range 5 {
		publish(pool.TaskChanged{ID: id, Status: task.Succeeded})
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	events, _ = stream(ctx2, b, 1)
	ev := <-events
	if ev.Name != api.EventResync {
		t.Errorf("asking for a lost index: got %+v, want a resync event", ev)
	}
	if _, ok := <-events; ok {
		t.Errorf("the stream should end after a resync")
	}
	first, _ := deltaOf(pool.TaskChanged{ID: id, Status: task.Running, Flows: pool.Flows{1}, SubmitNum: 1, Held: true})
	if first.State != "running(held)" || first.ID != "1/foo" || first.Flows != "1" {
		t.Errorf("task delta %+v", first)
	}
}
