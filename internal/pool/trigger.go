package pool

import (
	"sort"
	"strconv"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// trigger runs tasks on demand (Cylc's "cylc trigger" for single tasks):
// the task is spawned if it is not in the pool, even if it ran before, its
// prerequisites are satisfied, and it is queued to run in the chosen flow.
// An active task is left alone.
func (p *Pool) trigger(e Trigger) {
	p.endRestartWait(false)
	flows, ok := p.triggerFlows(e.Flow)
	if !ok {
		p.logf(Error, "trigger: invalid flow %q (use new, none or a flow number)", e.Flow)
		return
	}
	for _, id := range e.IDs {
		t := p.tasks[id]
		if t == nil {
			td := p.def.Tasks[id.Name]
			if td == nil {
				p.logf(Warning, "trigger: no such task %s", id)
				continue
			}
			pt, ok := p.pointFor(id)
			if !ok || !td.IsOn(pt) {
				p.logf(Warning, "trigger: %s is not a point of %s's recurrences", id.Point, id.Name)
				continue
			}
			f := flows
			if e.Flow == "" {
				f = p.activeFlows()
			}
			delete(p.history, id) // a manual trigger may run a task again
			t = p.spawn(pt, td, f)
			if t == nil {
				continue
			}
			t.Manual = true
			p.forceSatisfy(t)
			p.add(t)
			p.logf(Info, "[%s] triggered manually", t.LogID())
			continue
		}
		if t.Status.Active() {
			p.logf(Warning, "[%s] ignoring trigger - already active", t.LogID())
			continue
		}
		if e.Flow != "" {
			if e.Flow == "none" {
				t.Flows = nil
			} else {
				p.mergeFlows(t, flows)
			}
		}
		t.Manual = true
		t.retryWait, t.clockWait, t.retryAt = false, false, time.Time{}
		t.xtrigs = nil
		p.forceSatisfy(t)
		p.emitPrereqs(t)
		if t.Runahead {
			t.Runahead = false
			p.points.unrunahead(t)
		}
		if t.Status != task.Waiting {
			p.setStatus(t, task.Waiting) // to run again
		}
		p.logf(Info, "[%s] triggered manually", t.LogID())
		p.touch(t)
	}
}

func (p *Pool) forceSatisfy(t *Proxy) {
	for _, pr := range t.prereqs {
		for i := range pr.sat {
			pr.sat[i] = true
		}
		pr.state = true
	}
}

// triggerFlows turns a --flow option into flow numbers.
func (p *Pool) triggerFlows(flow string) (Flows, bool) {
	switch flow {
	case "":
		return nil, true
	case "none":
		return Flows{}, true
	case "new":
		p.maxFlow++
		return Flows{p.maxFlow}, true
	}
	n, err := strconv.Atoi(flow)
	if err != nil || n < 1 {
		return nil, false
	}
	p.maxFlow = max(p.maxFlow, n)
	return Flows{n}, true
}

// activeFlows is the union of the flows of the tasks in the pool (flow 1
// if there are none), for a task triggered without --flow.
func (p *Pool) activeFlows() Flows {
	seen := map[int]bool{}
	for _, t := range p.tasks {
		for _, f := range t.Flows {
			seen[f] = true
		}
	}
	if len(seen) == 0 {
		return Flows{1}
	}
	out := make(Flows, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Ints(out)
	return out
}

// pointFor parses an ID's point by matching it against the pool's or the
// definition's known formatting (the pool keeps points as formatted text).
func (p *Pool) pointFor(id ID) (pt cycle.Point, ok bool) {
	if p.def.ParsePoint == nil {
		return pt, false
	}
	v, err := p.def.ParsePoint(id.Point)
	if err != nil {
		return pt, false
	}
	return v, true
}
