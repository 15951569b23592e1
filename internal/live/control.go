package live

import (
	"gyre/internal/config"
	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// attachControl gives the handler what reload, broadcast and ext-trigger
// work on: the run's broadcast store (shared with the runner, which
// applies it to jobs), the external trigger matcher, and what a reload
// must tell the other components. All of it is used on the scheduler's
// goroutine only.
func (h *Handler) attachControl(cfg Config, r *Runner, xt *xtriggers, eh *eventHandlers) {
	h.reload = cfg.Reload
	h.ext = &xt.ext
	bcasts, err := newBroadcasts(cfg)
	if err != nil {
		h.log(pool.Warning, err.Error())
	}
	h.broadcasts, r.broadcasts = bcasts, bcasts
	// As in Cylc, an external trigger's ID reaches the jobs of its cycle
	// point as a broadcast.
	xt.ext.matched = func(id pool.ID, ev extEvent) []pool.Event {
		if ev.ID == "" {
			return nil
		}
		rep := bcasts.Put([]string{id.Point}, []string{"root"}, []config.Setting{{Path: []string{"environment", "CYLC_EXT_TRIGGER_ID"}, Value: ev.ID}})
		if rec := recordOf(rep); rec != nil {
			return []pool.Event{*rec}
		}
		return nil
	}
	h.reloaded = func(w *workflow.Workflow, def *pool.Def) {
		eh.reloaded(w.Config)
		xt.define(w.Config)
		bcasts.SetChecker(broadcastChecker(w.Config, def))
	}
}

// expiredBroadcasts handles the pool's ExpireBefore: broadcasts to cycle
// points the workflow has left behind are dropped, as Cylc does, so that
// per-cycle broadcasts do not pile up; the change is logged and recorded.
func (h *Handler) expiredBroadcasts(def *pool.Def, cutoff string, post func(pool.Event)) {
	report, rec := expireBroadcasts(h.broadcasts, def, cutoff)
	if rec == nil {
		return
	}
	h.log(pool.Info, report)
	post(*rec)
}
