package live

import (
	"context"
	"fmt"

	"gyre/internal/api"
	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// Reloader loads the run's workflow definition again, as it was loaded at
// start-up (same template variables and cycle point options), for
// "reload".
type Reloader func() (*workflow.Workflow, *pool.Def, error)

// reloadCommand is "cylc reload": the run's flow.cylc is read and validated
// off the scheduler's goroutine; only a definition that loads is applied,
// in one step on the scheduler's goroutine, so nothing runs under a half-
// applied configuration and a bad file leaves the running one untouched.
func (h *Handler) reloadCommand(ctx context.Context) (any, error) {
	if h.reload == nil || h.do == nil {
		return nil, api.Errorf(api.CodeConflict, "this scheduler cannot reload its workflow")
	}
	h.log(pool.Info, `Command "reload" received`)
	h.log(pool.Info, "Reloading the workflow definition.")
	w, def, err := h.reload()
	if err != nil {
		h.log(pool.Critical, fmt.Sprintf("Reload failed - %v\nThis is probably due to an issue with the new configuration.\nThe workflow carries on with the configuration it had.\nFix the configuration and reload again.", err))
		return nil, api.Errorf(api.CodeBadRequest, "reload failed (the workflow carries on unchanged): %v", err)
	}
	res := CommandResult{Workflow: h.workflowID, Command: "reload"}
	v, err := h.do(ctx, func(p *pool.Pool) ([]pool.Event, any, error) {
		if h.runner != nil {
			h.runner.reloaded(w, def)
		}
		if h.reloaded != nil {
			h.reloaded(w, def)
		}
		return []pool.Event{pool.Reload{Def: def}}, res, nil
	})
	if err != nil {
		return nil, err
	}
	h.log(pool.Info, `Command "reload" actioned`)
	return v, nil
}

// reloaded switches the runner to a reloaded definition: jobs submitted
// from now on are written from it. It runs on the scheduler's goroutine,
// as Submit does.
func (r *Runner) reloaded(w *workflow.Workflow, def *pool.Def) {
	r.opts.Workflow = w
	r.opts.Def = def
	clear(r.tasks)
}
