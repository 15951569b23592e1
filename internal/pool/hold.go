package pool

// Holding: a held task does not submit a job. Tasks are held one by one
// (Hold, Release) or by the workflow hold point (HoldAfter): every task
// after it is held, in the pool now or spawned later, until
// ReleaseHoldPoint releases everything and removes the point.

// HoldPoint returns the workflow hold point, if one is set.
func (p *Pool) HoldPoint() (string, bool) {
	if !p.hasHold {
		return "", false
	}
	return p.holdPoint.String(), true
}

// setHeld holds or releases t, logging the change as Cylc does
// ("[1/foo:waiting] => waiting(held)").
func (p *Pool) setHeld(t *Proxy, held bool) {
	if t.Held == held {
		return
	}
	before := t.LogID()
	t.Held = held
	p.logf(Info, "[%s] => %s", before, t.StateString())
	p.changed(t)
	p.touch(t)
}

// holdAfter sets the hold point: tasks after it are held now and as they
// spawn.
func (p *Pool) holdAfter(point string) {
	pt, ok := p.pointFor(ID{Point: point})
	if !ok {
		p.logf(Error, "hold: %q is not a cycle point of this workflow", point)
		return
	}
	p.holdPoint, p.hasHold = pt, true
	p.logf(Info, "Setting hold cycle point: %s\nAll tasks after this point will be held.", pt)
	var ids []ID
	for id, t := range p.tasks {
		if t.Point.Compare(pt) > 0 && !t.Held {
			ids = append(ids, id)
		}
	}
	sortIDs(ids)
	for _, id := range ids {
		p.setHeld(p.tasks[id], true)
	}
	p.emit(WorkflowParam{Key: "holdcp", Value: pt.String()})
}

// releaseHoldPoint releases every held task and removes the hold point.
func (p *Pool) releaseHoldPoint() {
	p.logf(Info, "Releasing all tasks and removing hold cycle point.")
	var ids []ID
	for id, t := range p.tasks {
		if t.Held {
			ids = append(ids, id)
		}
	}
	sortIDs(ids)
	for _, id := range ids {
		p.setHeld(p.tasks[id], false)
	}
	if p.hasHold {
		p.hasHold = false
		p.emit(WorkflowParam{Key: "holdcp"})
	}
	future := make([]ID, 0, len(p.toHold))
	for id := range p.toHold {
		future = append(future, id)
	}
	sortIDs(future)
	for _, id := range future {
		p.releaseFuture(id)
	}
}

// holdFuture records tasks to hold when they spawn (Cylc's tasks_to_hold):
// a hold command naming a task not yet in the pool.
func (p *Pool) holdFuture(id ID) {
	if p.toHold[id] {
		return
	}
	if p.toHold == nil {
		p.toHold = map[ID]bool{}
	}
	p.toHold[id] = true
	p.logf(Info, "[%s] will be held when it spawns", id)
	p.emit(FutureHold{ID: id, Held: true})
}

// releaseFuture forgets a task to hold when it spawns.
func (p *Pool) releaseFuture(id ID) {
	if !p.toHold[id] {
		return
	}
	delete(p.toHold, id)
	p.emit(FutureHold{ID: id})
}

// FutureHold records (Held) or forgets a task to hold when it spawns, for
// the run database.
type FutureHold struct {
	ID   ID
	Held bool
}

func (FutureHold) isEffect() {}
