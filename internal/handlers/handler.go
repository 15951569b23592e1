package handlers

import (
	"fmt"
	"time"

	"gyre/internal/pyformat"
)

// Handler is one expanded event handler command, ready for a Runner.
type Handler struct {
	// Name is Cylc's handler name: "event-handler-NN" for a task handler,
	// "workflow-event-handler-NN" for a workflow handler, NN its index in
	// the configured list.
	Name string
	// Event is the event as Cylc keys it: repeatable task events are
	// numbered ("warning-2").
	Event string
	Cmd   string // run as bash -c Cmd
	// Job identifies the task job for a task handler; nil for a workflow
	// handler. It decides the log wording and whether retries happen.
	Job *JobRef
	// Delays are the waits before each attempt, the first included
	// ("handler retry delays"); the number of attempts is len(Delays), at
	// least one. Workflow handlers have a single immediate attempt, as in
	// Cylc, whatever Delays says.
	Delays []time.Duration
}

// JobRef is the task job a task event handler belongs to.
type JobRef struct {
	Point, Name string
	SubmitNum   int
}

// String is the job's relative ID, "1/foo/01".
func (j JobRef) String() string {
	return fmt.Sprintf("%s/%s/%02d", j.Point, j.Name, j.SubmitNum)
}

// Key is Cylc's command key for the handler, the prefix of its log lines:
// "(('event-handler-00', 'failed'), 1)" for a task handler (the inner pair
// and the submit number), "('workflow-event-handler-00', 'startup')" for a
// workflow handler.
func (h Handler) Key() string {
	pair := "(" + pyformat.StrRepr(h.Name) + ", " + pyformat.StrRepr(h.Event) + ")"
	if h.Job == nil {
		return pair
	}
	return fmt.Sprintf("(%s, %d)", pair, h.Job.SubmitNum)
}

// attempts is how many times the handler may run.
func (h Handler) attempts() int {
	if h.Job == nil || len(h.Delays) == 0 {
		return 1
	}
	return len(h.Delays)
}

// delay is the wait before attempt n (1-based).
func (h Handler) delay(n int) time.Duration {
	if h.Job == nil || n > len(h.Delays) || n < 1 {
		return 0
	}
	return max(h.Delays[n-1], 0)
}

// repeatable are the task events that can happen many times per job, and
// so are numbered in handler keys (Cylc's NON_UNIQUE_EVENTS).
var repeatable = map[string]bool{"warning": true, "critical": true, "custom": true}

// ForTask returns the handlers to run for a task event: those selected by
// TaskHandlers, expanded with d, each with the retry delays of ev (one
// immediate attempt when unset). A template that does not expand is left
// out and reported as an error worded as Cylc logs it ("1/foo/01
// ('event-handler-00', 'failed') bad template: 'rubbish'"), followed by a
// hint; log those at ERROR.
func ForTask(ev Events, d *TaskEventData) ([]Handler, []error) {
	event := d.Event
	if repeatable[event] {
		event = fmt.Sprintf("%s-%d", event, max(d.Seq, 1))
	}
	job := &JobRef{Point: d.Point, Name: d.Name, SubmitNum: d.SubmitNum}
	var hs []Handler
	var errs []error
	for i, tmpl := range TaskHandlers(ev, d.Event) {
		h := Handler{Name: fmt.Sprintf("event-handler-%02d", i), Event: event, Job: job, Delays: ev.RetryDelays}
		cmd, err := ExpandTask(tmpl, d)
		if err != nil {
			be := err.(*BadTemplateError)
			pair := "(" + pyformat.StrRepr(h.Name) + ", " + pyformat.StrRepr(h.Event) + ")"
			errs = append(errs, fmt.Errorf("%s %s bad template: %s: %w", job, pair, be.cylcText(), err))
			continue
		}
		h.Cmd = cmd
		hs = append(hs, h)
	}
	return hs, errs
}

// ForWorkflow returns the handlers to run for a workflow event, selected
// by WorkflowHandlers and expanded with d. Bad templates are reported as
// Cylc words them ("('workflow-event-handler-00', 'startup') bad template:
// echo %(rubbish)s" and, on the next line, the exception), then a hint.
func ForWorkflow(ev Events, d *WorkflowEventData) ([]Handler, []error) {
	var hs []Handler
	var errs []error
	for i, tmpl := range WorkflowHandlers(ev, d.Event) {
		h := Handler{Name: fmt.Sprintf("workflow-event-handler-%02d", i), Event: d.Event}
		cmd, err := ExpandWorkflow(tmpl, d)
		if err != nil {
			be := err.(*BadTemplateError)
			errs = append(errs, fmt.Errorf("%s bad template: %s\n%s: %w", h.Key(), tmpl, be.cylcText(), err))
			continue
		}
		h.Cmd = cmd
		hs = append(hs, h)
	}
	return hs, errs
}
