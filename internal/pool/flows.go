package pool

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// Flows: every task instance belongs to a set of flows (numbered waves
// of activity through the graph); a manual trigger can start a new one.
// Instances of the same task at the same point merge their flows. A task
// run with flow-wait spawns nothing until its flow merges with another,
// or until the flow it waits for reaches it after it has finished.

// ValidateFlow checks a command's --flow and --wait options as Cylc
// does: flow is "", "new", "none" or comma-separated flow numbers, and
// --wait goes with neither new nor none.
func ValidateFlow(flow string, wait bool) error {
	switch flow {
	case "":
		return nil
	case "new", "none":
		if wait {
			return errors.New("--wait is not compatible with --flow=new or --flow=none")
		}
		return nil
	}
	for _, f := range strings.Split(flow, ",") {
		f = strings.TrimSpace(f)
		if f == "new" || f == "none" {
			return fmt.Errorf("cannot combine --flow=%s with other flow values", f)
		}
		if n, err := strconv.Atoi(f); err != nil || n < 1 {
			return fmt.Errorf("invalid flow %q: flow values must be integers (1 or more), or 'new', or 'none'", f)
		}
	}
	return nil
}

// resolveFlows turns a --flow option into flow numbers, recording any
// new flow: none reports --flow=none, and nil flows with none false mean
// no option was given.
func (p *Pool) resolveFlows(flow, meta string) (flows Flows, none bool, err error) {
	if err := ValidateFlow(flow, false); err != nil {
		return nil, false, err
	}
	switch flow {
	case "":
		return nil, false, nil
	case "none":
		return Flows{}, true, nil
	case "new":
		return Flows{p.newFlow(0, meta)}, false, nil
	}
	for _, f := range strings.Split(flow, ",") {
		n, _ := strconv.Atoi(strings.TrimSpace(f))
		if n > p.maxFlow {
			p.newFlow(n, meta)
		} else if meta != "" {
			p.logf(Warning, "Ignoring flow metadata %q: %d is not a new flow", meta, n)
		}
		flows, _ = flows.union(Flows{n})
	}
	return flows, false, nil
}

// newFlow records flow n (0: the next number) as Cylc's flow manager
// does, and returns its number.
func (p *Pool) newFlow(n int, meta string) int {
	if n == 0 {
		n = p.maxFlow + 1
	}
	p.maxFlow = max(p.maxFlow, n)
	if meta == "" {
		meta = "no description"
	}
	start := p.now.Truncate(time.Second)
	p.logf(Info, "New flow: %d (%s) %s", n, meta, start.Format(time.RFC3339))
	p.emit(FlowStarted{Num: n, Description: meta, Start: start})
	return n
}

// activeFlows is the union of the flows of the tasks in the pool, for a
// task triggered without --flow; with the pool empty, the flows of the
// last task to leave it (flow 1 if none has).
func (p *Pool) activeFlows() Flows {
	seen := map[int]bool{}
	for _, t := range p.tasks {
		for _, f := range t.Flows {
			seen[f] = true
		}
	}
	if len(seen) == 0 {
		if len(p.lastFlows) > 0 {
			return p.lastFlows
		}
		return Flows{1}
	}
	out := make(Flows, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Ints(out)
	return out
}

// without returns f less the flows in g (all of them if g is empty).
func (f Flows) without(g Flows) Flows {
	if len(g) == 0 {
		return nil
	}
	var out Flows
	for _, n := range f {
		if !containsFlow(g, n) {
			out = append(out, n)
		}
	}
	return out
}

// mergeFlows merges flows into t, an instance that a spawn (or a command)
// found in the pool already. A finished incomplete task absorbed by a new
// flow runs again in it; a task with no flow, or one waiting on a flow
// merge, now spawns the children of the outputs it had completed.
func (p *Pool) mergeFlows(t *Proxy, flows Flows) {
	if len(flows) == 0 || slices.Equal(flows, t.Flows) {
		return // a no-flow task spawns nothing and merges nothing
	}
	noFlow := len(t.Flows) == 0
	merged, changed := t.Flows.union(flows)
	t.Flows = merged
	p.logf(Info, "[%s] merged in flow(s) %s", t.LogID(), flows)
	if changed {
		p.changed(t)
	}
	if t.Status.Final() && !t.Complete() {
		p.logf(Info, "[%s] incomplete task absorbed by new flow.", t.LogID())
		p.setStatus(t, task.Waiting)
		return
	}
	if noFlow || t.flowWait {
		p.logf(Info, "[%s] spawning on pre-merge outputs", t.LogID())
		if t.flowWait {
			t.flowWait = false
			p.changed(t)
		}
		p.spawnOnCompleted(t)
	}
}

// hasChildren reports whether anything in the graph depends on output of t.
func (p *Pool) hasChildren(t *Proxy, output string) bool {
	return len(p.def.Index.Dependents(t.ID.Name, output)) > 0 ||
		t.Def.Sequential && output == task.OutSucceeded
}

// spawnOnCompleted spawns the children of t's completed outputs that are
// not in the pool yet, each with its prerequisite on t satisfied (Cylc's
// spawn_on_all_outputs with completed_only): what t would have spawned
// had it not been waiting for a flow.
func (p *Pool) spawnOnCompleted(t *Proxy) {
	if len(t.Flows) == 0 {
		return
	}
	for i, o := range t.Def.Outputs {
		if !t.done[i] {
			continue
		}
		key := atomKey{point: t.ID.Point, task: t.ID.Name, output: o.Trigger}
		p.eachChild(t, o.Trigger, func(cd *TaskDef, cp cycle.Point, abs bool) {
			if abs {
				p.absDone[key] = true
			}
			if p.tasks[ID{Point: cp.String(), Name: cd.Name}] != nil {
				return
			}
			if c := p.spawn(cp, cd, t.Flows); c != nil {
				c.satisfy(key)
				p.add(c)
			}
		})
	}
}

// spawnAfterFlowWait handles the flow a finished flow-wait instance was
// waiting for reaching it: its completed outputs spawn their children in
// that flow, as they would have without the wait.
func (p *Pool) spawnAfterFlowWait(id ID, pt cycle.Point, td *TaskDef, flows Flows) {
	h := p.history[id]
	done := h.done
	if len(done) != len(td.Outputs) {
		done = make([]bool, len(td.Outputs))
	}
	probe := &Proxy{ID: id, Point: pt, Def: td, Status: h.status, Flows: flows, SubmitNum: h.submitNum, done: done}
	p.logf(Info, "[%s] spawning outputs after flow-wait", probe.LogID())
	h.flowWait, h.done = false, nil
	p.history[id] = h
	p.spawnOnCompleted(probe)
}

// remember records how t left the pool, for later spawns of the same
// instance: a task that completed in several flows is done in all of them.
func (p *Pool) remember(t *Proxy, anyOut bool) {
	h := histEntry{
		status: t.Status, complete: t.Status.Final() && t.Complete(), anyOut: anyOut,
		flows: t.Flows, submitNum: t.SubmitNum, flowWait: t.flowWait,
	}
	if h.flowWait {
		h.done = slices.Clone(t.done)
	}
	if old, ok := p.history[t.ID]; ok {
		h.submitNum = max(h.submitNum, old.submitNum)
		if old.complete && h.complete {
			h.flows, _ = old.flows.union(h.flows)
		}
	}
	p.history[t.ID] = h
	if len(t.Flows) > 0 {
		p.lastFlows = t.Flows
	}
}
