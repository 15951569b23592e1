package live

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"gyre/internal/api"
	"gyre/internal/broadcast"
	"gyre/internal/bus"
	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// Handler is the scheduler as the API sees it (api.Handler): it turns the
// messages jobs send into JobMessage events for the scheduler, and answers
// the few commands live mode has so far.
type Handler struct {
	workflowID string
	post       func(pool.Event)
	runner     *Runner // may be nil: messages are posted without reconciliation
	stop       func()  // ends the run at once (stop --now); nil: refused
	now        func() time.Time
	// do runs a command on the scheduler's goroutine (Scheduler.Do);
	// nil: only ping and stop are answered.
	do  func(ctx context.Context, fn func(p *pool.Pool) ([]pool.Event, any, error)) (any, error)
	log func(pool.Level, string)
	// deltas is the run's state stream; nil: not served.
	deltas *bus.Bus[Delta]
	// reload loads the workflow again for "reload" (nil: refused), and
	// reloaded, if set, is told of the new definition on the scheduler's
	// goroutine (event handlers).
	reload   Reloader
	reloaded func(w *workflow.Workflow, def *pool.Def)
	// ext matches external triggers (nil: none taken).
	ext *extTriggers
	// broadcasts are the run's broadcast settings (nil: none taken).
	broadcasts *broadcast.Store
}

// NewHandler returns the API handler of one run. post delivers events to
// the scheduler (Scheduler.Post); r, if not nil, is told which jobs have
// reported their end; stop, if not nil, ends the run for the stop command.
func NewHandler(workflowID string, post func(pool.Event), r *Runner, stop func()) *Handler {
	return &Handler{workflowID: workflowID, post: post, runner: r, stop: stop, now: time.Now}
}

// Messages implements api.Handler.
func (h *Handler) Messages(ctx context.Context, m api.JobMessage) error {
	if m.Workflow != "" && m.Workflow != h.workflowID {
		return api.Errorf(api.CodeNotFound, "this scheduler runs %s, not %s", h.workflowID, m.Workflow)
	}
	id, submitNum, err := parseJobID(m.Job)
	if err != nil {
		return api.Errorf(api.CodeBadRequest, "%v", err)
	}
	evs := make([]pool.JobMessage, 0, len(m.Messages))
	for _, tm := range m.Messages {
		evs = append(evs, pool.JobMessage{
			ID:        id,
			SubmitNum: submitNum,
			Severity:  tm.Severity,
			Message:   taskMessage(tm.Text),
			Time:      parseTime(tm.Time, h.now()),
		})
	}
	if h.runner != nil {
		h.runner.received(m.Job, evs, h.post)
		return nil
	}
	for _, ev := range evs {
		h.post(ev)
	}
	return nil
}

// taskMessage maps the job's message to the one the pool understands.
// Cylc treats "aborted/<reason>" (cylc__job_abort) as a failure whose
// signal is the reason; the pool knows failures as "failed/<signal>".
func taskMessage(text string) string {
	if rest, ok := strings.CutPrefix(text, "aborted/"); ok {
		return "failed/" + rest
	}
	return text
}

// parseJobID splits a job ID, "POINT/TASK/NN", into the task and its
// submit number.
func parseJobID(s string) (pool.ID, int, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return pool.ID{}, 0, &jobIDError{s, "want POINT/TASK/NN, e.g. 1/foo/01"}
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 1 || strings.HasPrefix(parts[2], "+") {
		return pool.ID{}, 0, &jobIDError{s, "the submit number " + strconv.Quote(parts[2]) + " is not a number of 1 or more"}
	}
	return pool.ID{Point: parts[0], Name: parts[1]}, n, nil
}

type jobIDError struct{ id, why string }

func (e *jobIDError) Error() string { return "job ID " + strconv.Quote(e.id) + ": " + e.why }

// Command implements api.Handler: ping, the task and workflow commands
// (through the scheduler), and, without a scheduler to run them, stop,
// which then ends the run at once.
func (h *Handler) Command(ctx context.Context, name string, args json.RawMessage) (any, error) {
	if name == "ping" {
		return map[string]string{"workflow": h.workflowID}, nil
	}
	if name == "reload" {
		return h.reloadCommand(ctx)
	}
	if name == "ext-trigger" {
		return h.extTriggerCommand(ctx, args)
	}
	if name == "broadcast" {
		return h.broadcastCommand(ctx, args)
	}
	if h.do != nil {
		return h.command(ctx, name, args)
	}
	switch name {
	case "stop":
		if h.stop == nil {
			return nil, api.Errorf(api.CodeConflict, "this scheduler cannot be stopped through the API")
		}
		h.stop()
		return map[string]string{"workflow": h.workflowID, "stopping": "now"}, nil
	}
	return nil, api.Errorf(api.CodeNotFound, "command %q is not implemented by Gyre's scheduler yet (live mode has ping and stop)", name)
}

// Stream implements api.Handler: the run's state deltas (see stream).
func (h *Handler) Stream(ctx context.Context, from uint64) (<-chan api.Event, error) {
	if h.deltas == nil {
		return nil, api.Errorf(api.CodeNotFound, "this scheduler has no event stream")
	}
	return stream(ctx, h.deltas, from)
}
