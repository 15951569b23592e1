package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gyre/internal/api"
	"gyre/internal/cycle"
	"gyre/internal/pool"
)

// CommandArgs are the arguments of the task and workflow commands, as
// the CLI sends them (every field optional; each command reads its own).
type CommandArgs struct {
	// Tasks are task IDs relative to the workflow: "POINT/NAME", with
	// globs, family names, or "POINT" for all its tasks.
	Tasks []string `json:"tasks,omitempty"`
	// Flow is trigger's and set's flow: new, none, or flow numbers
	// ("2", "1,2"); FlowDescr describes a new flow; FlowWait holds back
	// the tasks' children until their flow catches up (--wait).
	Flow      string `json:"flow,omitempty"`
	FlowDescr string `json:"flow_descr,omitempty"`
	FlowWait  bool   `json:"flow_wait,omitempty"`
	// Out and Pre are set's outputs and prerequisites.
	Out []string `json:"out,omitempty"`
	Pre []string `json:"pre,omitempty"`
	// Mode is stop's mode: "", "now", "now-now" or "kill"; Point and
	// Task stop after a cycle point or a task instead, ClockTime (an ISO
	// 8601 date-time) at a wall-clock time, and FlowNum stops one flow.
	Mode      string `json:"mode,omitempty"`
	Point     string `json:"point,omitempty"`
	Task      string `json:"task,omitempty"`
	ClockTime string `json:"clock_time,omitempty"`
	FlowNum   int    `json:"flow_num,omitempty"`
	// All holds every task; for release, it releases every held task
	// and removes the hold point.
	All bool `json:"all,omitempty"`
	// After is hold's hold point: every task after it is held.
	After string `json:"after,omitempty"`
}

// CommandResult is a command's answer: the tasks it acted on.
type CommandResult struct {
	Workflow string   `json:"workflow"`
	Command  string   `json:"command"`
	Tasks    []string `json:"tasks,omitempty"`
	// Unmatched are the task IDs that matched no task.
	Unmatched []string `json:"unmatched,omitempty"`
	// Paused is the workflow's state after pause or play.
	Paused *bool `json:"paused,omitempty"`
	// Pool is dump's answer.
	Pool []TaskSummary `json:"pool,omitempty"`
	// Status is the workflow's state (running, paused or stopping) and
	// States counts its pool's tasks by state: status's answer.
	Status string         `json:"status,omitempty"`
	States map[string]int `json:"states,omitempty"`
}

// TaskSummary is one task in dump and show.
type TaskSummary struct {
	ID          string   `json:"id"`
	State       string   `json:"state"`
	Flows       string   `json:"flows"`
	SubmitNum   int      `json:"submit_num"`
	Unsatisfied []string `json:"unsatisfied,omitempty"`
	Outputs     []string `json:"outputs,omitempty"`
}

// taskCommands maps a task command to the pool event it sends.
var taskCommands = map[string]func(ids []pool.ID, a CommandArgs) pool.Event{
	"hold":    func(ids []pool.ID, a CommandArgs) pool.Event { return pool.Hold{IDs: ids} },
	"release": func(ids []pool.ID, a CommandArgs) pool.Event { return pool.Release{IDs: ids} },
	"trigger": func(ids []pool.ID, a CommandArgs) pool.Event {
		return pool.Trigger{IDs: ids, Flow: a.Flow, Wait: a.FlowWait, Meta: a.FlowDescr}
	},
	"kill":   func(ids []pool.ID, a CommandArgs) pool.Event { return pool.Kill{IDs: ids} },
	"poll":   func(ids []pool.ID, a CommandArgs) pool.Event { return pool.Poll{IDs: ids} },
	"remove": func(ids []pool.ID, a CommandArgs) pool.Event { return pool.Remove{IDs: ids} },
	"set": func(ids []pool.ID, a CommandArgs) pool.Event {
		if len(a.Pre) > 0 {
			return pool.SetPrereqs{IDs: ids, Prereqs: a.Pre, Flow: a.Flow, Meta: a.FlowDescr, Wait: a.FlowWait}
		}
		return pool.SetOutputs{IDs: ids, Outputs: a.Out, Flow: a.Flow, Meta: a.FlowDescr, Wait: a.FlowWait}
	},
}

// command runs a command through the scheduler's Do.
func (h *Handler) command(ctx context.Context, name string, raw json.RawMessage) (any, error) {
	var a CommandArgs
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, api.Errorf(api.CodeBadRequest, "%s: bad arguments: %v", name, err)
		}
	}
	res := CommandResult{Workflow: h.workflowID, Command: name}
	var fn func(p *pool.Pool) ([]pool.Event, any, error)
	if ev, ok, err := workflowWide(name, a); err != nil {
		return nil, err
	} else if ok {
		fn = func(p *pool.Pool) ([]pool.Event, any, error) { return []pool.Event{ev}, res, nil }
	} else if mk, ok := taskCommands[name]; ok {
		if len(a.Tasks) == 0 && !a.All {
			return nil, api.Errorf(api.CodeBadRequest, "%s: no task IDs given (e.g. %s WORKFLOW//1/foo)", name, name)
		}
		if name == "set" && len(a.Pre) > 0 && len(a.Out) > 0 {
			return nil, api.Errorf(api.CodeBadRequest, "set: --out and --pre cannot be combined")
		}
		if err := pool.ValidateFlow(a.Flow, a.FlowWait); err != nil {
			return nil, api.Errorf(api.CodeBadRequest, "%s: %v", name, err)
		}
		fn = func(p *pool.Pool) ([]pool.Event, any, error) {
			patterns := a.Tasks
			if a.All {
				patterns = []string{"*/*"}
			}
			ids, unmatched := p.Match(patterns)
			res.Unmatched = unmatched
			if len(ids) == 0 {
				// As in Cylc, not an error: the tasks may simply have
				// finished already. The answer and the log say so.
				h.log(pool.Warning, fmt.Sprintf("Command %q: no matching tasks found: %s", name, strings.Join(patterns, ", ")))
				return nil, res, nil
			}
			for _, id := range ids {
				res.Tasks = append(res.Tasks, id.String())
			}
			return []pool.Event{mk(ids, a)}, res, nil
		}
	} else {
		switch name {
		case "pause", "resume", "play":
			fn = func(p *pool.Pool) ([]pool.Event, any, error) {
				var ev pool.Event = pool.Resume{}
				if name == "pause" {
					ev = pool.Pause{}
				}
				paused := name == "pause"
				res.Paused = &paused
				return []pool.Event{ev}, res, nil
			}
		case "stop":
			ev, err := stopEvent(a)
			if err != nil {
				return nil, err
			}
			fn = func(p *pool.Pool) ([]pool.Event, any, error) { return []pool.Event{ev}, res, nil }
		case "status":
			fn = func(p *pool.Pool) ([]pool.Event, any, error) {
				res.Status = "running"
				switch {
				case p.Stopping() != "":
					res.Status = "stopping"
				case p.Paused():
					res.Status = "paused"
				}
				res.States = map[string]int{}
				p.Tasks(func(t *pool.Proxy) { res.States[t.StateString()]++ })
				return nil, res, nil
			}
		case "dump", "show":
			fn = func(p *pool.Pool) ([]pool.Event, any, error) {
				ids, unmatched := p.Match(orAll(a.Tasks))
				res.Unmatched = unmatched
				for _, id := range ids {
					if t := p.Get(id); t != nil {
						res.Pool = append(res.Pool, summary(t))
					}
				}
				return nil, res, nil
			}
		default:
			return nil, api.Errorf(api.CodeNotFound, "command %q is not implemented by Gyre's scheduler", name)
		}
	}
	v, err := h.do(ctx, fn)
	if err != nil {
		return nil, err
	}
	if name != "dump" && name != "show" && name != "status" {
		h.log(pool.Info, fmt.Sprintf("Command %q actioned", name))
	}
	return v, nil
}

func orAll(tasks []string) []string {
	if len(tasks) == 0 {
		return []string{"*/*"}
	}
	return tasks
}

// workflowWide reads the forms of hold and release that act on the
// workflow rather than on tasks: hold --after=POINT and release --all.
func workflowWide(name string, a CommandArgs) (pool.Event, bool, error) {
	switch {
	case name == "hold" && a.After != "":
		if len(a.Tasks) > 0 || a.All {
			return nil, false, api.Errorf(api.CodeBadRequest, "hold: --after takes no task IDs (it holds every task after the point)")
		}
		return pool.HoldAfter{Point: a.After}, true, nil
	case name == "release" && a.All:
		if len(a.Tasks) > 0 {
			return nil, false, api.Errorf(api.CodeBadRequest, "release: --all takes no task IDs")
		}
		return pool.ReleaseHoldPoint{}, true, nil
	}
	return nil, false, nil
}

func stopEvent(a CommandArgs) (pool.Event, error) {
	switch {
	case a.FlowNum < 0:
		return nil, api.Errorf(api.CodeBadRequest, "stop: --flow=%d: flow numbers start at 1", a.FlowNum)
	case a.FlowNum > 0:
		return pool.Stop{Flow: a.FlowNum}, nil
	case a.ClockTime != "":
		at, err := ParseClockTime(a.ClockTime, time.Now())
		if err != nil {
			return nil, api.Errorf(api.CodeBadRequest, "stop: --wall-clock=%s: %v", a.ClockTime, err)
		}
		return pool.Stop{ClockTime: at}, nil
	case a.Task != "":
		pt, name, ok := strings.Cut(a.Task, "/")
		if !ok || pt == "" || name == "" {
			return nil, api.Errorf(api.CodeBadRequest, "stop: task %q: want POINT/NAME", a.Task)
		}
		return pool.Stop{AfterTask: &pool.ID{Point: pt, Name: name}}, nil
	case a.Point != "":
		return pool.Stop{AfterPoint: a.Point}, nil
	}
	modes := map[string]pool.StopMode{"": pool.StopClean, "now": pool.StopNow, "now-now": pool.StopNowNow, "kill": pool.StopKill}
	m, ok := modes[a.Mode]
	if !ok {
		return nil, api.Errorf(api.CodeBadRequest, "stop: unknown mode %q (use now, now-now or kill)", a.Mode)
	}
	return pool.Stop{Mode: m}, nil
}

func summary(t *pool.Proxy) TaskSummary {
	s := TaskSummary{ID: t.ID.String(), State: t.StateString(), Flows: t.Flows.String(), SubmitNum: t.SubmitNum, Unsatisfied: t.Unsatisfied()}
	for _, o := range t.Def.Outputs {
		if t.Done(o.Trigger) {
			s.Outputs = append(s.Outputs, o.Trigger)
		}
	}
	return s
}

// ParseClockTime reads a wall-clock time as "cylc stop --wall-clock"
// takes it: an ISO 8601 date-time in any form Cylc accepts (2030-01-01T06,
// 20300101T0630Z, ...), local time unless it gives a zone. now supplies
// the local zone. Times before 1970 are refused: they are typing
// mistakes, and the earliest of them is the zero time, which the pool
// reads as "no stop clock".
func ParseClockTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date-time")
	}
	_, off := now.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	tz := fmt.Sprintf("%c%02d%02d", sign, off/3600, off%3600/60)
	// A Gregorian cycling context in the local zone reads date-times as
	// Cylc does; its format keeps seconds.
	ctx, err := cycle.NewContext(cycle.Settings{TimeZone: tz, Format: "CCYYMMDDThhmmssZ", InitialCyclePoint: "20000101T00Z"}, now)
	if err != nil {
		return time.Time{}, err
	}
	pt, err := ctx.ParsePoint(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not an ISO 8601 date-time (e.g. 2030-01-01T06:30Z): %w", err)
	}
	t, ok := pt.Time()
	if !ok {
		return time.Time{}, fmt.Errorf("not a date-time in the Gregorian calendar")
	}
	if t.Before(time.Unix(0, 0)) {
		return time.Time{}, fmt.Errorf("%s is before 1970; give the wall-clock time to stop at, e.g. 2030-01-01T06:30Z", t.UTC().Format(time.RFC3339))
	}
	return t, nil
}
