package live

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gyre/internal/api"
	"gyre/internal/pool"
)

// extTriggers matches external trigger events ("cylc ext-trigger WORKFLOW
// MESSAGE ID") with the tasks waiting for them: each event satisfies one
// task, the one that has waited longest; an event nobody waits for yet is
// kept for the first task that will. It lives on the scheduler's
// goroutine (both the pool's calls and the command run there), so it
// needs no lock. As in Cylc, queued events live in memory only; a
// satisfied trigger is recorded with the task's prerequisites.
type extTriggers struct {
	queued  []extEvent
	waiting []extWait
	// matched, if set, is told of each match, so the event's ID reaches
	// the task's job (CYLC_EXT_TRIGGER_ID).
	matched func(id pool.ID, ev extEvent) []pool.Event
	log     func(pool.Level, string)
}

type extEvent struct{ Message, ID string }

type extWait struct {
	id    pool.ID
	label string
	msg   string
}

// wait registers a task waiting for an external trigger (from the pool's
// CallXtrigger) and satisfies it at once if an event is queued.
func (e *extTriggers) wait(id pool.ID, label, msg string, post func(pool.Event)) {
	w := extWait{id: id, label: label, msg: msg}
	if slices.Contains(e.waiting, w) {
		return
	}
	for i, ev := range e.queued {
		if ev.Message == msg {
			e.queued = slices.Delete(e.queued, i, i+1)
			for _, out := range e.satisfy(w, ev) {
				post(out)
			}
			return
		}
	}
	e.waiting = append(e.waiting, w)
}

// put takes an event in: the longest-waiting task still waiting for its
// message gets it; otherwise it is queued.
func (e *extTriggers) put(p *pool.Pool, ev extEvent) []pool.Event {
	for i := 0; i < len(e.waiting); i++ {
		w := e.waiting[i]
		if w.msg != ev.Message {
			continue
		}
		e.waiting = slices.Delete(e.waiting, i, i+1)
		i--
		if t := p.Get(w.id); t == nil || !t.WaitsOn(w.label) {
			continue // it left the pool or was triggered meanwhile
		}
		return e.satisfy(w, ev)
	}
	e.queued = append(e.queued, ev)
	return nil
}

func (e *extTriggers) satisfy(w extWait, ev extEvent) []pool.Event {
	e.log(pool.Info, fmt.Sprintf("[%s] external trigger satisfied: %q (ID %s)", w.id, ev.Message, ev.ID))
	var out []pool.Event
	if e.matched != nil {
		out = e.matched(w.id, ev)
	}
	return append(out, pool.XtriggerSatisfied{ID: w.id, Label: w.label})
}

// extTriggerCommand is "cylc ext-trigger": the event is handed to the
// matcher on the scheduler's goroutine.
func (h *Handler) extTriggerCommand(ctx context.Context, raw json.RawMessage) (any, error) {
	var ev extEvent
	if err := json.Unmarshal(raw, &ev); err != nil || ev.Message == "" {
		return nil, api.Errorf(api.CodeBadRequest, "ext-trigger: want a message and an ID (cylc ext-trigger WORKFLOW MESSAGE ID)")
	}
	if h.ext == nil || h.do == nil {
		return nil, api.Errorf(api.CodeConflict, "this scheduler takes no external triggers")
	}
	h.log(pool.Info, fmt.Sprintf("External trigger received: %q (ID %s)", ev.Message, ev.ID))
	res := CommandResult{Workflow: h.workflowID, Command: "ext-trigger"}
	return h.do(ctx, func(p *pool.Pool) ([]pool.Event, any, error) {
		return h.ext.put(p, ev), res, nil
	})
}
