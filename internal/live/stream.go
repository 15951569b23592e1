package live

import (
	"context"
	"encoding/json"
	"errors"

	"gyre/internal/api"
	"gyre/internal/bus"
	"gyre/internal/pool"
)

// Delta is one change a client of the state stream sees: a task's new
// state, or a task or workflow event.
type Delta struct {
	Kind      string `json:"kind"` // "task", "task-event" or "workflow-event"
	ID        string `json:"id,omitempty"`
	State     string `json:"state,omitempty"`
	Flows     string `json:"flows,omitempty"`
	SubmitNum int    `json:"submit_num,omitempty"`
	Removed   bool   `json:"removed,omitempty"`
	Event     string `json:"event,omitempty"`
	Message   string `json:"message,omitempty"`
}

// deltaOf turns a scheduler effect into a stream delta.
func deltaOf(e pool.Effect) (Delta, bool) {
	switch e := e.(type) {
	case pool.TaskChanged:
		st := e.Status.String()
		if e.Held {
			st += "(held)"
		}
		return Delta{Kind: "task", ID: e.ID.String(), State: st, Flows: e.Flows.String(), SubmitNum: e.SubmitNum, Removed: e.Removed}, true
	case pool.TaskEvent:
		return Delta{Kind: "task-event", ID: e.ID.String(), SubmitNum: e.SubmitNum, Event: e.Event, Message: e.Message}, true
	case pool.WorkflowEvent:
		return Delta{Kind: "workflow-event", Event: e.Event, Message: e.Message}, true
	}
	return Delta{}, false
}

// stream serves the state stream from the run's bus: events from index
// from on (0: only new ones); a subscriber that falls behind, or asks for
// events the bus no longer holds, gets a resync event and must rebuild its
// view from "dump" before subscribing again. The scheduler never waits on
// a subscriber.
func stream(ctx context.Context, b *bus.Bus[Delta], from uint64) (<-chan api.Event, error) {
	if from == 0 {
		from = b.Next()
	}
	sub := b.Subscribe(from, nil)
	out := make(chan api.Event)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			batch, err := sub.Receive(ctx)
			for _, ev := range batch {
				data, _ := json.Marshal(ev.Value)
				select {
				case out <- api.Event{ID: ev.Index, Data: data}:
				case <-ctx.Done():
					return
				}
			}
			if errors.Is(err, bus.ErrResync) {
				select {
				case out <- api.Event{Name: api.EventResync, Data: json.RawMessage("null")}:
				case <-ctx.Done():
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out, nil
}
