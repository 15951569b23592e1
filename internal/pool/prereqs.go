package pool

import (
	"time"

	"gyre/internal/cycle"
	"gyre/internal/graph"
	"gyre/internal/task"
)

// A task instance's prerequisites are built when it spawns, from its
// definition's triggers at its point: dependency atoms (with their
// points worked out from the offsets), xtriggers, the implicit previous-
// instance prerequisite of sequential tasks, and wall-clock deadlines.
// Everything here is recorded for a restart (emitPrereqs).

// pointOf recomputes the point of atom i of pr for task t.
func (p *Pool) pointOf(pr *prereq, i int, t *Proxy) cycle.Point {
	return pr.trig.Atoms[i].parentPoint(p.def, t.Point)
}

// buildPrereqs creates t's prerequisites from every recurrence it is on.
// Dependencies before the initial point are satisfied at once (Cylc's
// "pre-initial" rule), and so are those before a warm-start point.
// Coinciding recurrences can give the same prerequisite twice; it is kept
// once, as Cylc does.
func (p *Pool) buildPrereqs(t *Proxy) {
	d := p.def
	seen := map[string]bool{}
	for _, s := range t.Def.Seqs {
		if !s.Seq.IsOn(t.Point) {
			continue
		}
		for _, tr := range s.Triggers {
			if tr.Expr == nil && len(tr.Xtriggers) > 0 {
				p.addXtriggers(t, tr.Xtriggers)
				continue
			}
			pr := &prereq{trig: tr, keys: make([]atomKey, len(tr.Atoms)), sat: make([]bool, len(tr.Atoms))}
			sig := tr.Text
			for i := range tr.Atoms {
				a := &tr.Atoms[i]
				pp := a.parentPoint(d, t.Point)
				pr.keys[i] = atomKey{point: pp.String(), task: a.Task, output: a.Output}
				sig += "|" + pr.keys[i].point
				if a.Kind == SamePoint {
					continue
				}
				if pp.Compare(d.Initial) < 0 {
					pr.sat[i] = true
					continue
				}
				if pp.Compare(t.Point) > 0 && !tr.Suicide {
					p.noteFuture(t.Def, pp, t.Point)
				}
				if pp.Compare(d.Start) < 0 && t.Point.Compare(d.Start) >= 0 {
					pr.sat[i] = true
				}
				if (a.Kind == Absolute || a.Kind == FromInitial) && p.absDone[pr.keys[i]] {
					pr.sat[i] = true
				}
			}
			if tr.Suicide {
				sig = "!" + sig
			}
			if seen[sig] {
				continue
			}
			seen[sig] = true
			pr.state = pr.eval()
			if tr.Suicide {
				t.suicides = append(t.suicides, pr)
			} else {
				t.prereqs = append(t.prereqs, pr)
				p.addXtriggers(t, tr.Xtriggers)
			}
		}
	}
	if t.Def.Sequential {
		p.addSequentialPrereq(t)
	}
	p.addXtriggers(t, t.Def.ExtTriggers)
	t.buildAtomIndex()
}

// sequentialExpr is the expression of the implicit previous-instance
// prerequisite of a sequential task: its one atom.
var sequentialExpr = &graph.Expr{Op: graph.OpAtom, Atom: 0}

// addSequentialPrereq makes a sequential task wait for its previous
// instance to succeed.
func (p *Pool) addSequentialPrereq(t *Proxy) {
	var prev cycle.Point
	found := false
	for _, s := range t.Def.Seqs {
		if pt, ok := s.Seq.NearestPrev(t.Point); ok && (!found || pt.Compare(prev) > 0) {
			prev, found = pt, true
		}
	}
	if !found {
		return
	}
	tr := &TrigDef{Text: "sequential", Expr: sequentialExpr, Atoms: []AtomDef{{Task: t.Def.Name, Output: task.OutSucceeded}}}
	pr := &prereq{
		trig: tr,
		keys: []atomKey{{point: prev.String(), task: t.Def.Name, output: task.OutSucceeded}},
		sat:  []bool{prev.Compare(p.def.Start) < 0},
	}
	pr.state = pr.sat[0]
	t.prereqs = append(t.prereqs, pr)
}

// spawnNextSequential spawns the next instance of a sequential task when
// this one succeeds: it is that instance's implicit parent.
func (p *Pool) spawnNextSequential(t *Proxy, key atomKey) {
	var next cycle.Point
	found := false
	for _, s := range t.Def.Seqs {
		if pt, ok := s.Seq.Next(t.Point); ok && (!found || pt.Compare(next) < 0) {
			next, found = pt, true
		}
	}
	if !found {
		return
	}
	if c := p.getOrSpawn(next, t.Def, t.Flows); c != nil {
		if c.satisfy(key) {
			p.emitSatisfied(c, key)
		}
		p.touch(c)
	}
}

// armWallClock satisfies t's wall_clock xtriggers whose time has come and
// arms one deadline for the latest of the rest.
func (p *Pool) armWallClock(t *Proxy) {
	if len(t.xtrigs) == 0 || p.def.ToWallClock == nil {
		return
	}
	var latest time.Time
	for label := range t.xtrigs {
		off, ok := p.def.WallClock[label]
		if !ok {
			continue
		}
		at := p.def.wallClock(t.Point, off)
		if !p.now.Before(at) {
			delete(t.xtrigs, label)
			continue
		}
		if at.After(latest) {
			latest = at
		}
	}
	if !latest.IsZero() {
		t.wallClockAt = latest
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerWallClock, ID: t.ID}, At: latest})
	}
}

// unsatisfiedXtriggers asks for the xtriggers of t that the pool cannot
// satisfy itself (anything but wall_clock) to be called.
func (p *Pool) callXtriggers(t *Proxy) {
	for label := range t.xtrigs {
		if _, ok := p.def.WallClock[label]; !ok {
			p.emit(CallXtrigger{ID: t.ID, Label: label})
		}
	}
}

func (p *Pool) addXtriggers(t *Proxy, labels []string) {
	for _, l := range labels {
		if t.xtrigs == nil {
			t.xtrigs = map[string]bool{}
		}
		if !t.xtrigs[l] {
			t.xtrigLabels = append(t.xtrigLabels, l)
		}
		t.xtrigs[l] = true
	}
}

// emitPrereqs records all of t's prerequisites (suicide triggers too) and
// xtriggers, as Cylc's task_prerequisites table holds them.
func (p *Pool) emitPrereqs(t *Proxy) {
	var atoms []PrereqAtom
	for _, list := range [][]*prereq{t.prereqs, t.suicides} {
		for _, pr := range list {
			for i, k := range pr.keys {
				a := PrereqAtom{Point: k.point, Task: k.task, Output: k.output}
				if pr.sat[i] {
					a.How = "satisfied naturally"
					if t.Manual {
						a.How = "force satisfied"
					}
				}
				atoms = append(atoms, a)
			}
		}
	}
	for _, l := range t.xtrigLabels {
		a := PrereqAtom{Point: XtriggerPoint, Task: l, Output: task.OutSucceeded}
		if !t.xtrigs[l] {
			a.How = "satisfied naturally"
		}
		atoms = append(atoms, a)
	}
	p.emit(PrereqsSet{ID: t.ID, Flows: t.Flows, Atoms: atoms})
}

func (p *Pool) emitSatisfied(t *Proxy, k atomKey) {
	p.emit(PrereqSatisfied{ID: t.ID, Flows: t.Flows, Atom: PrereqAtom{Point: k.point, Task: k.task, Output: k.output, How: "satisfied naturally"}})
}

// noteFuture raises the runahead limit's future-trigger allowance when a
// prerequisite lies after its task's point ("foo[+P1D] => bar").
func (p *Pool) noteFuture(td *TaskDef, parent, child cycle.Point) {
	off := parent.Sub(child)
	if !p.hasMaxFuture || off.Compare(p.maxFuture) > 0 {
		p.maxFuture, p.hasMaxFuture = off, true
		p.runaheadDirty = true
		p.forceRunahead = true
	}
}
