package handlers

import (
	"slices"
	"time"

	"gyre/internal/config"
)

// Events is the handler part of an [events] section: Cylc looks these
// settings up one key at a time through several layers (broadcasts, the
// namespace, the global configuration), so they are kept as independent
// optional values that Merge can layer. A nil slice and a missing map entry
// mean "not set here".
type Events struct {
	Handlers      []string            // "handlers"
	HandlerEvents []string            // "handler events"
	EventHandlers map[string][]string // "<event> handlers", by event
	// RetryDelays is "handler retry delays" (task events only): the wait
	// before each attempt, the first included.
	RetryDelays []time.Duration
}

// FromRuntime returns the handler settings of a task's [events] section.
func FromRuntime(rt *config.Runtime) Events {
	ev := Events{
		Handlers:      rt.Events.Handlers,
		HandlerEvents: rt.Events.HandlerEvents,
		EventHandlers: rt.Events.EventHandlers,
	}
	if rt.Events.HandlerRetryDelays != nil {
		ev.RetryDelays = make([]time.Duration, len(rt.Events.HandlerRetryDelays))
		for i, iv := range rt.Events.HandlerRetryDelays {
			ev.RetryDelays[i] = time.Duration(float64(iv) * float64(time.Second))
		}
	}
	return ev
}

// FromWorkflow returns the handler settings of [scheduler][events].
func FromWorkflow(we *config.WorkflowEvents) Events {
	return Events{
		Handlers:      we.Handlers,
		HandlerEvents: we.HandlerEvents,
		EventHandlers: we.EventHandlers,
	}
}

// Merge layers settings the way Cylc's events lookups do: each key is
// taken from the first layer that sets it (for "<event> handlers", per
// event). Pass the highest priority first, e.g. broadcast, namespace,
// global configuration.
func Merge(layers ...Events) Events {
	var out Events
	for _, l := range layers {
		if out.Handlers == nil {
			out.Handlers = l.Handlers
		}
		if out.HandlerEvents == nil {
			out.HandlerEvents = l.HandlerEvents
		}
		if out.RetryDelays == nil {
			out.RetryDelays = l.RetryDelays
		}
		for ev, hs := range l.EventHandlers {
			if _, ok := out.EventHandlers[ev]; ok {
				continue
			}
			if out.EventHandlers == nil {
				out.EventHandlers = map[string][]string{}
			}
			out.EventHandlers[ev] = hs
		}
	}
	return out
}

// TaskHandlers returns the handler command templates for a task event.
// As in Cylc's _setup_custom_event_handlers, "<event> handlers" wins
// whenever it is set, even to an empty list; only when it is not set are
// the generic "handlers" used, and only for events listed in "handler
// events".
func TaskHandlers(ev Events, event string) []string {
	if hs, ok := ev.EventHandlers[event]; ok {
		return hs
	}
	if slices.Contains(ev.HandlerEvents, event) {
		return ev.Handlers
	}
	return nil
}

// WorkflowHandlers returns the handler command templates for a workflow
// event. Cylc's workflow rule tests emptiness rather than presence ("if not
// handlers"): an empty "<event> handlers" (the default) falls through to
// the generic "handlers" when the event is in "handler events".
func WorkflowHandlers(ev Events, event string) []string {
	if hs := ev.EventHandlers[event]; len(hs) > 0 {
		return hs
	}
	if slices.Contains(ev.HandlerEvents, event) {
		return ev.Handlers
	}
	return nil
}
