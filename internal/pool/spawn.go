package pool

import (
	"gyre/internal/cycle"
	"gyre/internal/task"
)

// start spawns the first parentless instance of every task in flow 1 and
// lets the runahead computation release them.
func (p *Pool) start() {
	flows := Flows{p.newFlow(1, "original flow from "+p.def.Start.String())}
	if t := p.def.WorkflowTimeout; t.Set {
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerWorkflow}, At: p.now.Add(t.After)})
	}
	p.resetInactivity()
	if len(p.def.StartTasks) > 0 {
		for _, st := range p.def.StartTasks {
			td := p.def.Tasks[st.Name]
			if td == nil {
				p.logf(Warning, "start task %s/%s: no such task in the graph", st.Point, st.Name)
				continue
			}
			t := p.spawn(st.Point, td, flows)
			if t == nil {
				continue
			}
			for _, pr := range t.prereqs {
				for i := range pr.sat {
					pr.sat[i] = true
				}
				pr.state = true
			}
			p.add(t)
		}
		p.runaheadDirty = true
		return
	}
	for _, name := range p.def.Names {
		td := p.def.Tasks[name]
		pt, ok := p.nextParentless(td, nil)
		if !ok {
			continue
		}
		if t := p.spawn(pt, td, flows); t != nil {
			p.add(t)
		}
	}
	p.runaheadDirty = true
}

// nextParentless is the next point (after `after`, or the first from the
// start point) at which td has no parents to wait for.
func (p *Pool) nextParentless(td *TaskDef, after *cycle.Point) (cycle.Point, bool) {
	var best cycle.Point
	found := false
	for _, s := range td.Seqs {
		var np cycle.Point
		var ok bool
		if after == nil {
			np, ok = s.Seq.FirstOnOrAfter(p.def.Start)
		} else {
			np, ok = s.Seq.Next(*after)
		}
		if !ok || !p.isParentless(td, np) {
			continue
		}
		if !found || np.Compare(best) < 0 {
			best, found = np, true
		}
	}
	return best, found
}

// isParentless reports whether td at pt has no parents at or after the
// start point (or only absolute ones), so nothing upstream will spawn it.
func (p *Pool) isParentless(td *TaskDef, pt cycle.Point) bool {
	if !td.HasParents {
		return true
	}
	if td.Sequential {
		return false
	}
	any, onlyAbs, allBefore := false, true, true
	for _, s := range td.Seqs {
		if !s.Seq.IsOn(pt) {
			continue
		}
		for _, tr := range s.Triggers {
			for i := range tr.Atoms {
				a := &tr.Atoms[i]
				if tr.Suicide {
					continue
				}
				any = true
				if a.Kind != Absolute && a.Kind != FromInitial {
					onlyAbs = false
				}
				if a.parentPoint(p.def, pt).Compare(p.def.Start) >= 0 {
					allBefore = false
				}
			}
		}
	}
	return !any || allBefore || onlyAbs
}

// spawn makes a new instance of td at pt in flows, or returns nil when the
// instance must not exist (outside the graph's bounds, finished already,
// removed by a suicide trigger, before a warm start point, or depending on
// something beyond the stop point). It does not add it to the pool.
func (p *Pool) spawn(pt cycle.Point, td *TaskDef, flows Flows) *Proxy {
	d := p.def
	if pt.Compare(d.Initial) < 0 || d.HasFinal && pt.Compare(d.Final) > 0 {
		return nil
	}
	if !td.IsOn(pt) {
		p.logf(Warning, "%s/%s: not spawned: the point is not on any of its recurrences", pt, td.Name)
		return nil
	}
	id := ID{Point: pt.String(), Name: td.Name}
	submitNum := 0
	if h, ok := p.history[id]; ok {
		submitNum = h.submitNum
		if overlaps(h.flows, flows) {
			if !h.anyOut {
				p.logf(Info, "Not respawning %s - task was removed", id)
				return nil
			}
			if h.flowWait && h.status.Final() {
				p.spawnAfterFlowWait(id, pt, td, flows)
			}
			if h.complete {
				return nil
			}
		}
	}
	if pt.Compare(d.Start) < 0 && containsFlow(flows, 1) && !p.preStart[id] {
		return nil // warm start: treated as already run in flow 1
	}
	for _, f := range flows {
		p.maxFlow = max(p.maxFlow, f)
	}
	t := &Proxy{
		ID: id, Point: pt, Def: td, Status: task.Waiting, Flows: flows,
		TryNum: 1, SubmitTries: 1, Runahead: true, SubmitNum: submitNum,
		done: make([]bool, len(td.Outputs)),
	}
	p.buildPrereqs(t)
	if d.HasStop && pt.Compare(d.Stop) <= 0 {
		for _, pr := range t.prereqs {
			for i := range pr.keys {
				if !pr.sat[i] && p.pointOf(pr, i, t).Compare(d.Stop) > 0 {
					p.logf(Warning, "[%s] not spawned: a prerequisite is beyond the workflow stop point (%s)", t.LogID(), d.Stop)
					return nil
				}
			}
		}
	}
	if p.hasHold && pt.Compare(p.holdPoint) > 0 {
		t.Held = true
		p.logf(Info, "[%s] holding (beyond workflow hold point: %s)", t.LogID(), p.holdPoint)
	} else if p.toHold[t.ID] {
		t.Held = true
		p.logf(Info, "[%s] holding (as requested earlier)", t.LogID())
	}
	return t
}

// overlaps reports whether two flow sets share a flow: a task's history
// counts only for the flows it ran in, so a new flow runs it again.
func overlaps(a, b Flows) bool {
	for _, x := range a {
		if containsFlow(b, x) {
			return true
		}
	}
	return false
}

func containsFlow(f Flows, n int) bool {
	for _, x := range f {
		if x == n {
			return true
		}
	}
	return false
}

// add puts a new instance into the pool: journalled, counted, clock
// expiry armed, and released from runahead at once if within the limit.
func (p *Pool) add(t *Proxy) {
	t.inPool = true
	p.tasks[t.ID] = t
	p.points.add(t)
	if t.bucket == p.points.first() {
		p.runaheadDirty = true // a new lowest point may move the base
	}
	p.emit(TaskChanged{ID: t.ID, Status: t.Status, Flows: t.Flows, Held: t.Held, Runahead: t.Runahead, Manual: t.Manual, Spawned: true, FlowWait: t.flowWait, SubmitNum: t.SubmitNum})
	p.emitPrereqs(t)
	p.logf(Debug, "[%s] added to the n=0 window", t.LogID())
	if t.Def.ClockExpire {
		p.armExpiry(t)
	}
	p.armWallClock(t)
	if p.hasLimit && t.Point.Compare(p.limit) <= 0 {
		p.release(t)
	}
	p.touch(t)
}

// release lifts a task out of runahead; a parentless task's next instance
// is spawned at that moment, which is how parentless tasks advance.
func (p *Pool) release(t *Proxy) {
	if !t.Runahead {
		return
	}
	t.Runahead = false
	p.points.unrunahead(t)
	p.touch(t)
	p.spawnNextParentless(t)
}

func (p *Pool) spawnNextParentless(t *Proxy) {
	if len(t.Flows) == 0 || t.Point.Compare(p.def.Start) < 0 {
		return
	}
	np, ok := p.nextParentless(t.Def, &t.Point)
	if !ok {
		return
	}
	p.getOrSpawn(np, t.Def, t.Flows)
}

// getOrSpawn returns the instance at pt, merging flows into an existing one
// or spawning and adding a new one.
func (p *Pool) getOrSpawn(pt cycle.Point, td *TaskDef, flows Flows) *Proxy {
	if t := p.tasks[ID{Point: pt.String(), Name: td.Name}]; t != nil {
		p.mergeFlows(t, flows)
		return t
	}
	t := p.spawn(pt, td, flows)
	if t != nil {
		p.add(t)
	}
	return t
}

// spawnOnOutput is the heart of spawn-on-demand: an output of t has been
// completed, so every dependent instance is found through the graph index,
// spawned if need be and has the matching prerequisite satisfied.
func (p *Pool) spawnOnOutput(t *Proxy, output string) {
	if output == task.OutFailed && p.def.ExpectedFailures != nil && !p.def.ExpectedFailures[t.ID.String()] {
		p.logf(Error, "[%s] failed, and is not an expected task failure", t.LogID())
		p.abort("AUTOMATIC(ON-TASK-FAILURE)")
	}
	if len(t.Flows) == 0 || t.orphan {
		p.removeIfComplete(t, output)
		return
	}
	if t.flowWait && p.hasChildren(t, output) {
		p.logf(Warning, "[%s] not spawning on %s: flow wait requested", t.LogID(), output)
		p.removeIfComplete(t, output)
		return
	}
	key := atomKey{point: t.ID.Point, task: t.ID.Name, output: output}
	var suicide []*Proxy
	p.eachChild(t, output, func(cd *TaskDef, cp cycle.Point, abs bool) {
		if abs {
			p.absDone[key] = true
		}
		c := p.tasks[ID{Point: cp.String(), Name: cd.Name}]
		inPool := c != nil
		if c != nil && c != t {
			p.mergeFlows(c, t.Flows)
		} else if c == nil {
			c = p.spawn(cp, cd, t.Flows)
		}
		if c == nil {
			return
		}
		targets := []*Proxy{c}
		if abs {
			targets = p.absTargets(cd.Name, c)
		}
		for _, x := range targets {
			changed := x.satisfy(key)
			if x == c && !inPool {
				p.add(x)
			} else {
				if changed {
					p.emitSatisfied(x, key)
				}
				p.touch(x)
			}
			if x.suicideDue() {
				suicide = append(suicide, x)
			}
		}
	})
	for _, x := range suicide {
		if x.inPool {
			p.remove(x, "suicide trigger")
		}
	}
	if t.Def.Sequential && output == task.OutSucceeded {
		p.spawnNextSequential(t, key)
	}
	p.removeIfComplete(t, output)
}

// eachChild calls f for each instance that depends on output of t, as
// the graph index finds them: its task, its point, and whether the
// dependency is an absolute trigger (which every instance of the task
// shares; cp is then its sequence's first point).
func (p *Pool) eachChild(t *Proxy, output string, f func(cd *TaskDef, cp cycle.Point, abs bool)) {
	for _, dep := range p.def.Index.Dependents(t.ID.Name, output) {
		cd := p.def.Tasks[dep.Task]
		if cd == nil {
			continue
		}
		sd := cd.seq(dep.Key)
		if sd == nil || dep.Trigger >= len(sd.Triggers) {
			continue
		}
		a := &sd.Triggers[dep.Trigger].Atoms[dep.Atom]
		var cp cycle.Point
		abs := false
		switch a.Kind {
		case SamePoint:
			cp = t.Point
		case Relative:
			cp = applyOffsets(t.Point, a.Offsets, true)
		default:
			if a.parentPoint(p.def, t.Point).Compare(t.Point) != 0 {
				continue
			}
			start, ok := sd.Seq.Start()
			if !ok {
				continue
			}
			cp, abs = start, true
		}
		if sd.Seq.IsOn(cp) {
			f(cd, cp, abs)
		}
	}
}

// absTargets is every pool instance of name (absolute triggers satisfy all
// of them), plus c. Absolute triggers are rare, so a walk is acceptable.
func (p *Pool) absTargets(name string, c *Proxy) []*Proxy {
	out := []*Proxy{c}
	for _, t := range p.tasks {
		if t.ID.Name == name && t != c {
			out = append(out, t)
		}
	}
	return out
}

// removeIfComplete removes a finished task whose outputs are complete;
// an incomplete one stays in the pool (and so holds back the workflow).
func (p *Pool) removeIfComplete(t *Proxy, output string) bool {
	if !t.inPool || !t.Status.Final() {
		return false
	}
	if p.def.Cylc7 {
		if t.Status == task.Failed || t.Status == task.SubmitFailed {
			p.runaheadDirty = true
			return false
		}
		p.remove(t, "completed")
		return true
	}
	if !t.Complete() {
		if output == task.OutSucceeded || output == task.OutFailed || output == task.OutSubmitFailed || output == task.OutExpired {
			p.logf(Warning, "[%s] did not complete the required outputs:\n%s", t.LogID(), p.completionStatus(t))
		}
		return false
	}
	p.remove(t, "completed")
	return true
}

// remove takes t out of the pool and remembers how it ended.
func (p *Pool) remove(t *Proxy, reason string) {
	if !t.inPool {
		return
	}
	if len(t.Flows) > 0 && t.Runahead {
		p.spawnNextParentless(t)
	}
	anyOut := false
	for _, d := range t.done {
		anyOut = anyOut || d
	}
	p.remember(t, anyOut)
	level := Debug
	msg := "removed from the n=0 window: " + reason
	if t.Status.Active() {
		level = Warning
		msg += " - active job orphaned"
	} else if reason == "suicide trigger" {
		level = Info
	}
	p.logf(level, "[%s] %s", t.LogID(), msg)
	if t.Status.Active() {
		p.queueOf(t).active--
		p.queuesDirty = true
	}
	t.inPool = false
	delete(p.tasks, t.ID)
	if t.Queued {
		p.queueOf(t).remove(t)
		t.Queued = false
	}
	if p.points.remove(t) {
		p.runaheadDirty = true
	}
	p.touch(t)
	p.changed(t)
	for _, k := range []TimerKind{TimerRetry, TimerClockTrigger, TimerClockExpire, TimerPoll, TimerSubmitTimeout, TimerExecTimeout} {
		p.emit(CancelTimer{Key: TimerKey{Kind: k, ID: t.ID}})
	}
}
