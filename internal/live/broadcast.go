package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gyre/internal/api"
	"gyre/internal/broadcast"
	"gyre/internal/config"
	"gyre/internal/pool"
)

// BroadcastArgs are "cylc broadcast"'s options as the CLI sends them:
// settings already parsed (from -s and -F), one operation per call.
type BroadcastArgs struct {
	Points     []string         `json:"points,omitempty"`
	Namespaces []string         `json:"namespaces,omitempty"`
	Set        []config.Setting `json:"set,omitempty"`
	Cancel     [][]string       `json:"cancel,omitempty"`
	Clear      bool             `json:"clear,omitempty"`
	Expire     string           `json:"expire,omitempty"`
	// Display asks for the broadcasts in force; DisplayTask for those
	// reaching one task, POINT/NAME.
	Display     bool   `json:"display,omitempty"`
	DisplayTask string `json:"display_task,omitempty"`
}

// BroadcastResult is broadcast's answer.
type BroadcastResult struct {
	Workflow string `json:"workflow"`
	// Report lists what changed, as Cylc words it; Rejected why options
	// had no effect ("" if all did).
	Report   string `json:"report,omitempty"`
	Rejected string `json:"rejected,omitempty"`
	// Display is the tree of settings; Rows the same as a list.
	Display string          `json:"display,omitempty"`
	Rows    []broadcast.Row `json:"rows,omitempty"`
}

// newBroadcasts makes the run's broadcast store, checking settings
// against the workflow and writing cycle points in its format, with what
// a restart saved.
func newBroadcasts(cfg Config) (*broadcast.Store, error) {
	s := broadcast.NewStore(broadcastChecker(cfg.Workflow.Config, cfg.Def))
	if cfg.Restart != nil && len(cfg.Restart.Broadcasts) > 0 {
		rows := make([]broadcast.Row, len(cfg.Restart.Broadcasts))
		for i, b := range cfg.Restart.Broadcasts {
			rows[i] = broadcast.Row(b)
		}
		if err := s.Load(rows); err != nil {
			return s, fmt.Errorf("restoring broadcasts: %w", err)
		}
	}
	return s, nil
}

func broadcastChecker(w *config.Workflow, def *pool.Def) broadcast.Checker {
	return broadcast.WorkflowChecker(w, func(p string) (string, error) {
		if def == nil || def.ParsePoint == nil {
			return p, nil
		}
		pt, err := def.ParsePoint(p)
		if err != nil {
			return "", err
		}
		return pt.String(), nil
	})
}

// broadcastCommand runs "cylc broadcast" on the scheduler's goroutine,
// which owns the store; changes go to the run database through the pool.
func (h *Handler) broadcastCommand(ctx context.Context, raw json.RawMessage) (any, error) {
	var a BroadcastArgs
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, api.Errorf(api.CodeBadRequest, "broadcast: bad arguments: %v", err)
		}
	}
	if h.broadcasts == nil || h.do == nil {
		return nil, api.Errorf(api.CodeConflict, "this scheduler takes no broadcasts")
	}
	res := BroadcastResult{Workflow: h.workflowID}
	v, err := h.do(ctx, func(p *pool.Pool) ([]pool.Event, any, error) {
		s := h.broadcasts
		var rep broadcast.Report
		switch {
		case a.Display:
			res.Display, res.Rows = s.Display(), s.Rows()
			return nil, res, nil
		case a.DisplayTask != "":
			pt, name, ok := strings.Cut(a.DisplayTask, "/")
			if !ok {
				return nil, nil, api.Errorf(api.CodeBadRequest, "broadcast --display-task %s: want POINT/NAME", a.DisplayTask)
			}
			mro := []string{name, "root"}
			if h.runner != nil && h.runner.opts.Workflow != nil {
				mro = h.runner.mro(name)
			}
			res.Display = s.DisplayTask(pt, mro)
			return nil, res, nil
		case len(a.Set) > 0:
			rep = s.Put(a.Points, a.Namespaces, a.Set)
		case len(a.Cancel) > 0:
			rep = s.Cancel(a.Points, a.Namespaces, a.Cancel)
		case a.Clear:
			rep = s.Clear(a.Points, a.Namespaces)
		case a.Expire != "":
			cut, err := p.ParsePoint(a.Expire)
			if err != nil {
				return nil, nil, api.Errorf(api.CodeBadRequest, "broadcast --expire=%s: %v", a.Expire, err)
			}
			rep = s.Expire(func(point string) bool {
				pt, err := p.ParsePoint(point)
				return err == nil && pt.Compare(cut) < 0
			})
			if len(rep.Changes) == 0 {
				res.Report = "No broadcast settings before " + cut.String() + " to expire."
			}
		default:
			return nil, nil, api.Errorf(api.CodeBadRequest, "broadcast: nothing to do (use --set, --set-file, --cancel, --clear, --expire or --display)")
		}
		if r := rep.String(); r != "" {
			res.Report = r
			h.log(pool.Info, r)
		}
		if err := rep.Err(); err != nil {
			res.Rejected = err.Error()
		}
		ev := recordOf(rep)
		if ev == nil {
			return nil, res, nil
		}
		return []pool.Event{*ev}, res, nil
	})
	if err != nil {
		return nil, err
	}
	h.log(pool.Info, `Command "broadcast" actioned`)
	return v, nil
}

// recordOf turns a report's changes into the event that records them.
func recordOf(rep broadcast.Report) *pool.RecordBroadcast {
	if len(rep.Changes) == 0 {
		return nil
	}
	var ev pool.RecordBroadcast
	for _, c := range rep.Changes {
		row := pool.BroadcastRow{Point: c.Point, Namespace: c.Namespace, Key: c.Setting.Key(), Value: c.Setting.Value}
		if rep.Cancelled {
			ev.Cancel = append(ev.Cancel, row)
		} else {
			ev.Put = append(ev.Put, row)
		}
	}
	return &ev
}

// expireBroadcasts drops the broadcasts to cycle points before cutoff and
// returns the report and the event that records it (nil if nothing went).
func expireBroadcasts(s *broadcast.Store, def *pool.Def, cutoff string) (string, *pool.RecordBroadcast) {
	if s == nil || def == nil || def.ParsePoint == nil {
		return "", nil
	}
	cut, err := def.ParsePoint(cutoff)
	if err != nil {
		return "", nil
	}
	rep := s.Expire(func(point string) bool {
		pt, err := def.ParsePoint(point)
		return err == nil && pt.Compare(cut) < 0
	})
	return rep.String(), recordOf(rep)
}
