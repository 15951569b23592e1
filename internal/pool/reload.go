package pool

import (
	"cmp"
	"slices"
	"strings"

	"gyre/internal/task"
)

// Reload replaces the workflow definition of a running pool, as Cylc's
// "cylc reload" does: each task instance takes its new definition and
// keeps what it has done (status, jobs, completed outputs, satisfied
// prerequisites and xtriggers that still exist); instances whose task has
// gone from the workflow are removed unless a job of theirs is active.
// The caller has validated the new definition: a bad file never gets
// here.
type Reload struct{ Def *Def }

func (Reload) isEvent() {}

func (p *Pool) reload(def *Def) {
	old := p.def
	p.def = def
	for _, name := range sortedNames(def.Tasks) {
		if old.Tasks[name] == nil {
			p.logf(Info, "Added task: '%s'", name)
		}
	}
	inPool := map[string]bool{}
	for id := range p.tasks {
		inPool[id.Name] = true
	}
	for _, name := range sortedNames(old.Tasks) {
		if def.Tasks[name] == nil && !inPool[name] {
			p.logf(Info, "Removed task: '%s'", name)
		}
	}
	p.logf(Info, "Reloading task definitions.")
	p.queues = p.queues[:0]
	for _, q := range def.Queues {
		p.queues = append(p.queues, &queueState{def: q})
	}
	if len(p.queues) == 0 {
		p.queues = append(p.queues, &queueState{def: &QueueDef{Name: "default", Limit: 100}})
	}
	ids := make([]ID, 0, len(p.tasks))
	for id := range p.tasks {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b ID) int {
		if c := p.tasks[a].Point.Compare(p.tasks[b].Point); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	var active []string
	for _, id := range ids {
		t := p.tasks[id]
		td := def.Tasks[id.Name]
		switch {
		case td == nil && t.Status.Active():
			// Its job runs on under the old definition.
			p.logf(Info, "[%s] will not spawn children - task definition removed", t.LogID())
			t.orphan = true
		case td == nil:
			if t.Queued {
				t.Queued = false // its queue is gone
			}
			p.remove(t, "task definition removed")
		default:
			p.reloadTask(t, td)
			if t.Status.Active() {
				active = append(active, t.LogID())
			}
		}
	}
	if len(active) > 0 {
		p.logf(Info, "Tasks active with pre-reload settings:\n * %s", strings.Join(active, "\n * "))
	}
	// Queue membership and active counts follow the new queues.
	for _, id := range ids {
		t := p.tasks[id]
		if t == nil {
			continue
		}
		if t.Status.Active() {
			p.queueOf(t).active++
		}
		if t.Queued {
			q := p.queueOf(t)
			q.waiting = append(q.waiting, t)
		}
	}
	p.queuesDirty = true
	p.runaheadDirty = true
	p.logf(Info, "Reload completed.")
}

// reloadTask gives t its new definition, carrying over what it has done.
func (p *Pool) reloadTask(t *Proxy, td *TaskDef) {
	old := t.Def
	done := map[string]bool{}
	for i, o := range old.Outputs {
		if t.done[i] {
			done[o.Trigger] = true
		}
	}
	sat := map[atomKey]bool{}
	for _, list := range [][]*prereq{t.prereqs, t.suicides} {
		for _, pr := range list {
			for i, k := range pr.keys {
				if pr.sat[i] {
					sat[k] = true
				}
			}
		}
	}
	xtrigDone := map[string]bool{}
	for _, l := range t.xtrigLabels {
		if !t.xtrigs[l] {
			xtrigDone[l] = true
		}
	}

	t.Def = td
	t.done = make([]bool, len(td.Outputs))
	for trig := range done {
		if i, ok := td.outByTrig[trig]; ok {
			t.done[i] = true
		}
	}
	t.prereqs, t.suicides, t.byAtom = nil, nil, nil
	t.xtrigs, t.xtrigLabels = nil, nil
	p.buildPrereqs(t)
	for l := range xtrigDone {
		delete(t.xtrigs, l)
	}
	t.satisfyAtoms(sat)
	if t.Manual {
		p.forceSatisfy(t)
	}
	p.emitPrereqs(t)
	p.logf(Info, "[%s] reloaded task definition", t.LogID())
	if t.Status == task.Waiting {
		// A queued task re-queues under its new queue's limit.
		t.Queued = t.Queued && !t.Held
	}
	p.touch(t)
}

func sortedNames(tasks map[string]*TaskDef) []string {
	names := make([]string, 0, len(tasks))
	for n := range tasks {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// satisfyAtoms marks satisfied the prerequisite atoms (suicide triggers
// too) found in sat, as a restart or a reload carries them over.
func (t *Proxy) satisfyAtoms(sat map[atomKey]bool) {
	for _, list := range [][]*prereq{t.prereqs, t.suicides} {
		for _, pr := range list {
			for i, k := range pr.keys {
				if sat[k] {
					pr.sat[i] = true
				}
			}
			pr.state = pr.eval()
		}
	}
}
