package handlers

import (
	"slices"
	"testing"
	"time"

	"gyre/internal/config"
)

func TestTaskHandlers(t *testing.T) {
	generic := []string{"generic.sh"}
	tests := []struct {
		name  string
		ev    Events
		event string
		want  []string
	}{
		{"nothing set", Events{}, "failed", nil},
		{"per-event", Events{EventHandlers: map[string][]string{"failed": {"a", "b"}}}, "failed", []string{"a", "b"}},
		{"per-event other event", Events{EventHandlers: map[string][]string{"failed": {"a"}}}, "succeeded", nil},
		{"generic listed", Events{Handlers: generic, HandlerEvents: []string{"started", "failed"}}, "failed", generic},
		{"generic not listed", Events{Handlers: generic, HandlerEvents: []string{"started"}}, "failed", nil},
		{"generic without handler events", Events{Handlers: generic}, "failed", nil},
		{"per-event wins over generic", Events{
			Handlers: generic, HandlerEvents: []string{"failed"},
			EventHandlers: map[string][]string{"failed": {"own"}},
		}, "failed", []string{"own"}},
		// Cylc tests "is None": a per-event list set to nothing silences
		// the generic handlers for that event.
		{"empty per-event set", Events{
			Handlers: generic, HandlerEvents: []string{"failed"},
			EventHandlers: map[string][]string{"failed": {}},
		}, "failed", []string{}},
		{"multi-word event", Events{Handlers: generic, HandlerEvents: []string{"submission failed"}}, "submission failed", generic},
		{"custom per-event", Events{EventHandlers: map[string][]string{"custom": {"c"}}}, "custom", []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TaskHandlers(tt.ev, tt.event)
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("TaskHandlers(%q) = %#v, want %#v", tt.event, got, tt.want)
			}
		})
	}
}

func TestWorkflowHandlers(t *testing.T) {
	generic := []string{"generic.sh"}
	tests := []struct {
		name  string
		ev    Events
		event string
		want  []string
	}{
		{"nothing set", Events{}, "startup", nil},
		{"per-event", Events{EventHandlers: map[string][]string{"stall": {"s"}}}, "stall", []string{"s"}},
		{"generic listed", Events{Handlers: generic, HandlerEvents: []string{"startup"}}, "startup", generic},
		{"generic not listed", Events{Handlers: generic, HandlerEvents: []string{"shutdown"}}, "startup", nil},
		// Unlike task events, an empty per-event list falls through.
		{"empty per-event falls through", Events{
			Handlers: generic, HandlerEvents: []string{"stall timeout"},
			EventHandlers: map[string][]string{"stall timeout": {}},
		}, "stall timeout", generic},
		{"per-event wins", Events{
			Handlers: generic, HandlerEvents: []string{"abort"},
			EventHandlers: map[string][]string{"abort": {"own"}},
		}, "abort", []string{"own"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WorkflowHandlers(tt.ev, tt.event); !slices.Equal(got, tt.want) {
				t.Errorf("WorkflowHandlers(%q) = %#v, want %#v", tt.event, got, tt.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	broadcast := Events{EventHandlers: map[string][]string{"failed": {"bc"}}}
	task := Events{
		Handlers: []string{"task"}, HandlerEvents: []string{"failed", "started"},
		EventHandlers: map[string][]string{"failed": {"tf"}, "started": {"ts"}},
	}
	global := Events{Handlers: []string{"global"}, HandlerEvents: []string{"late"}, RetryDelays: []time.Duration{time.Second}}
	got := Merge(broadcast, task, global)
	if !slices.Equal(got.Handlers, []string{"task"}) || !slices.Equal(got.HandlerEvents, []string{"failed", "started"}) {
		t.Errorf("generic settings = %v %v, want the task's", got.Handlers, got.HandlerEvents)
	}
	if !slices.Equal(got.EventHandlers["failed"], []string{"bc"}) || !slices.Equal(got.EventHandlers["started"], []string{"ts"}) {
		t.Errorf("per-event = %v, want broadcast's failed and task's started", got.EventHandlers)
	}
	if !slices.Equal(got.RetryDelays, []time.Duration{time.Second}) {
		t.Errorf("retry delays = %v, want the global 1s", got.RetryDelays)
	}
	if len(broadcast.EventHandlers) != 1 {
		t.Errorf("Merge modified its input: %v", broadcast.EventHandlers)
	}
}

func TestFromConfig(t *testing.T) {
	var rt config.Runtime
	rt.Events.Handlers = []string{"h"}
	rt.Events.HandlerEvents = []string{"failed"}
	rt.Events.HandlerRetryDelays = []config.Interval{0, 1.5, 60}
	rt.Events.EventHandlers = map[string][]string{"late": {"l"}}
	ev := FromRuntime(&rt)
	want := []time.Duration{0, 1500 * time.Millisecond, time.Minute}
	if !slices.Equal(ev.RetryDelays, want) {
		t.Errorf("RetryDelays = %v, want %v", ev.RetryDelays, want)
	}
	if got := TaskHandlers(ev, "late"); !slices.Equal(got, []string{"l"}) {
		t.Errorf("late handlers = %v", got)
	}
	if got := TaskHandlers(ev, "failed"); !slices.Equal(got, []string{"h"}) {
		t.Errorf("failed handlers = %v", got)
	}
	if ev := FromRuntime(&config.Runtime{}); ev.RetryDelays != nil {
		t.Errorf("unset retry delays = %v, want nil", ev.RetryDelays)
	}

	we := config.WorkflowEvents{Handlers: []string{"w"}, HandlerEvents: []string{"stall"},
		EventHandlers: map[string][]string{"startup": {"s"}}}
	wev := FromWorkflow(&we)
	if got := WorkflowHandlers(wev, "stall"); !slices.Equal(got, []string{"w"}) {
		t.Errorf("stall handlers = %v", got)
	}
	if got := WorkflowHandlers(wev, "startup"); !slices.Equal(got, []string{"s"}) {
		t.Errorf("startup handlers = %v", got)
	}
}
