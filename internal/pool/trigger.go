package pool

import (
	"strings"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// trigger runs tasks on demand (Cylc 8.7's "cylc trigger"): the IDs are
// split into groups connected by dependencies among them, and each group
// is triggered on its own (see Trigger).
func (p *Pool) trigger(e Trigger) {
	p.endRestartWait(false)
	if err := ValidateFlow(e.Flow, e.Wait); err != nil {
		p.logf(Error, "trigger: %v", err)
		return
	}
	for _, g := range p.triggerGroups(e.IDs) {
		p.triggerGroup(g, e)
	}
}

// triggerGroups splits ids into groups of instances connected, directly
// or not, by a prerequisite of one on another; each group is sorted.
func (p *Pool) triggerGroups(ids []ID) [][]ID {
	parent := map[ID]ID{}
	var find func(ID) ID
	find = func(id ID) ID {
		if parent[id] != id {
			parent[id] = find(parent[id])
		}
		return parent[id]
	}
	for _, id := range ids {
		parent[id] = id
	}
	for _, id := range ids {
		for _, up := range p.parentIDs(id) {
			if _, ok := parent[up]; ok {
				parent[find(up)] = find(id)
			}
		}
	}
	byRoot := map[ID][]ID{}
	var roots []ID
	for _, id := range ids {
		r := find(id)
		if byRoot[r] == nil {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], id)
	}
	groups := make([][]ID, 0, len(roots))
	for _, r := range roots {
		g := byRoot[r]
		sortIDs(g)
		groups = append(groups, g)
	}
	return groups
}

// parentIDs are the instances id's prerequisites name, from the graph.
func (p *Pool) parentIDs(id ID) []ID {
	td := p.def.Tasks[id.Name]
	pt, ok := p.pointFor(id)
	if td == nil || !ok {
		return nil
	}
	atoms := p.parentAtoms(td, pt)
	out := make([]ID, len(atoms))
	for i, a := range atoms {
		out[i] = ID{Point: a.point, Name: a.task}
	}
	return out
}

// triggerGroup triggers one group: start tasks in the pool run now (or,
// if their job is already under way, only take on the flows); the other
// members, and those not in the pool, are spawned afresh with their
// prerequisites outside the group satisfied, and those with no parent in
// the group run now.
func (p *Pool) triggerGroup(group []ID, e Trigger) {
	inGroup := make(map[ID]bool, len(group))
	for _, id := range group {
		inGroup[id] = true
	}
	var active []*Proxy
	for _, id := range group {
		if t := p.tasks[id]; t != nil {
			active = append(active, t)
		}
	}
	none := e.Flow == "none"
	var flows Flows
	if e.Flow != "" || len(active) == 0 {
		var err error
		flows, _, err = p.resolveFlows(e.Flow, e.Meta)
		if err != nil {
			p.logf(Error, "trigger: %v", err)
			return
		}
		if !none && len(flows) == 0 {
			flows = p.activeFlows()
		}
	} else {
		for _, t := range active {
			flows, _ = flows.union(t.Flows)
		}
	}

	var noFlowWarn, hasJobWarn []string
	withOutputs := map[ID]bool{} // active start tasks with completed outputs
	respawn := map[ID]bool{}
	for _, id := range group {
		if p.tasks[id] == nil {
			respawn[id] = true
		}
	}
	for _, t := range active {
		if p.hasParentIn(t.ID, inGroup) {
			respawn[t.ID] = true
			continue
		}
		if none && len(t.Flows) > 0 {
			noFlowWarn = append(noFlowWarn, t.ID.String()+": (flows="+t.Flows.String()+")")
			continue
		}
		if t.Status == task.Submitted || t.Status == task.Running {
			for _, d := range t.done {
				if d {
					withOutputs[t.ID] = true
				}
			}
		}
		if t.Status.Active() {
			hasJobWarn = append(hasJobWarn, t.LogID())
			p.mergeFlows(t, flows)
			continue
		}
		p.forceSatisfy(t)
		t.xtrigs = nil
		p.mergeFlows(t, flows)
		p.queueOrTrigger(t)
	}
	if len(noFlowWarn) > 0 {
		p.logf(Warning, "Already active - ignoring no-flow trigger: \n  * %s", strings.Join(noFlowWarn, "\n  * "))
	}
	if len(hasJobWarn) > 0 {
		p.logf(Warning, "Job already in process - ignoring trigger:\n  * %s", strings.Join(hasJobWarn, "\n  * "))
	}
	redo := make([]ID, 0, len(respawn))
	for id := range respawn {
		redo = append(redo, id)
	}
	sortIDs(redo)
	if !none {
		p.removeForTrigger(redo, flows)
	}
	for _, id := range redo {
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
		p.respawnTriggered(id, pt, td, flows, e.Wait, inGroup, withOutputs)
	}
}

// respawnTriggered spawns a triggered group member with its prerequisites
// outside the group (and those on active start tasks' done outputs)
// satisfied; a parentless one, or one with no parent in the group, runs
// now. One with only in-group prerequisites is left for its parents to
// spawn.
func (p *Pool) respawnTriggered(id ID, pt cycle.Point, td *TaskDef, flows Flows, wait bool, inGroup, withOutputs map[ID]bool) {
	inFlow := false
	var toSet []atomKey
	all := p.isParentless(td, pt)
	if !all {
		for _, up := range p.parentAtoms(td, pt) {
			pid := ID{Point: up.point, Name: up.task}
			if inGroup[pid] {
				inFlow = true
			}
			if !inGroup[pid] || withOutputs[pid] {
				toSet = append(toSet, up)
			}
		}
		if len(toSet) == 0 && !p.hasXtriggers(td, pt) {
			return
		}
	}
	t := p.tasks[id]
	if t == nil {
		if pt.Compare(p.def.Start) < 0 {
			if p.preStart == nil {
				p.preStart = map[ID]bool{}
			}
			p.preStart[id] = true
		}
		t = p.spawn(pt, td, flows)
		if t == nil {
			return
		}
		t.flowWait = wait
		p.setTriggerPrereqs(t, all, toSet)
		p.add(t)
	} else {
		// Still in the pool in flows the trigger did not name.
		p.mergeFlows(t, flows)
		p.setTriggerPrereqs(t, all, toSet)
		p.emitPrereqs(t)
	}
	if !inFlow {
		p.queueOrTrigger(t)
	}
}

func (p *Pool) setTriggerPrereqs(t *Proxy, all bool, toSet []atomKey) {
	if all {
		p.forceSatisfy(t)
	} else {
		for _, k := range toSet {
			t.satisfy(k)
		}
	}
	t.xtrigs = nil
}

// parentAtoms are the prerequisite atoms td has at pt, from the graph.
func (p *Pool) parentAtoms(td *TaskDef, pt cycle.Point) []atomKey {
	var out []atomKey
	for _, s := range td.Seqs {
		if !s.Seq.IsOn(pt) {
			continue
		}
		for _, tr := range s.Triggers {
			if tr.Suicide {
				continue
			}
			for i := range tr.Atoms {
				a := &tr.Atoms[i]
				out = append(out, atomKey{point: a.parentPoint(p.def, pt).String(), task: a.Task, output: a.Output})
			}
		}
	}
	return out
}

func (p *Pool) hasXtriggers(td *TaskDef, pt cycle.Point) bool {
	if len(td.ExtTriggers) > 0 {
		return true
	}
	for _, s := range td.Seqs {
		if s.Seq.IsOn(pt) {
			for _, tr := range s.Triggers {
				if len(tr.Xtriggers) > 0 {
					return true
				}
			}
		}
	}
	return false
}

func (p *Pool) hasParentIn(id ID, group map[ID]bool) bool {
	for _, up := range p.parentIDs(id) {
		if group[up] {
			return true
		}
	}
	return false
}

// removeForTrigger takes the instances a trigger runs afresh out of the
// flows it runs them in: out of the pool (killing an active job) and out
// of the history, so that they spawn again.
func (p *Pool) removeForTrigger(ids []ID, flows Flows) {
	var removed []string
	for _, id := range ids {
		var gone Flows
		if t := p.tasks[id]; t != nil {
			gone = matchFlows(t.Flows, flows)
			if len(gone) > 0 {
				if len(gone) == len(t.Flows) {
					if t.Status == task.Submitted || t.Status == task.Running {
						p.emit(KillJob{ID: t.ID, SubmitNum: t.SubmitNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Def: t.Def})
					}
					p.remove(t, "request")
				} else {
					t.Flows = t.Flows.without(gone)
					p.changed(t)
				}
			}
		}
		if h, ok := p.history[id]; ok {
			if g := matchFlows(h.flows, flows); len(g) > 0 {
				gone, _ = gone.union(g)
				h.flows = h.flows.without(g)
				p.history[id] = h
			}
		}
		if len(gone) > 0 {
			removed = append(removed, id.String()+" (flows="+gone.String()+")")
		}
	}
	if len(removed) > 0 {
		p.logf(Info, "Removed tasks: %s", strings.Join(removed, ", "))
	}
}

// matchFlows is which of flows a task in have belongs to (Cylc's
// match_flows): all of have if flows is empty.
func matchFlows(have, flows Flows) Flows {
	if len(flows) == 0 || len(have) == 0 {
		return append(Flows(nil), have...)
	}
	var out Flows
	for _, n := range have {
		if containsFlow(flows, n) {
			out = append(out, n)
		}
	}
	return out
}

// queueOrTrigger runs a triggered task whose prerequisites are satisfied:
// now, even while paused, unless its queue is full (then it queues); a
// task that was queued runs now whatever the queue's limit. Nothing runs
// once the workflow is stopping.
func (p *Pool) queueOrTrigger(t *Proxy) {
	t.Manual = true
	if t.retryWait {
		p.emit(CancelTimer{Key: TimerKey{Kind: TimerRetry, ID: t.ID}})
	}
	t.retryWait, t.clockWait, t.retryAt = false, false, time.Time{}
	p.release(t) // from the runahead limit, as the trigger overrides it
	if t.Held {
		p.setHeld(t, false)
	}
	if t.Status != task.Waiting {
		p.setStatus(t, task.Waiting) // to run again
	}
	p.emitPrereqs(t)
	p.logf(Info, "[%s] triggered manually", t.LogID())
	q := p.queueOf(t)
	if t.Queued {
		q.remove(t)
		t.Queued = false
	} else if q.def.Limit > 0 && q.active >= q.def.Limit {
		t.Queued = true
		q.waiting = append(q.waiting, t)
		p.changed(t)
		p.touch(t)
		return
	}
	p.touch(t)
	if p.stopping != "" {
		return
	}
	p.submit(t)
}

func (p *Pool) forceSatisfy(t *Proxy) {
	for _, pr := range t.prereqs {
		for i := range pr.sat {
			pr.sat[i] = true
		}
		pr.state = true
	}
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
