package pool

import (
	"gyre/internal/cycle"
	"gyre/internal/task"
)

// setStopPoint makes pt the stop point (cylc stop WORKFLOW//POINT): the
// runahead limit comes down to it at once, and waiting tasks beyond it
// that had already been released go back under the limit, as in Cylc, so
// nothing after the stop point starts while the workflow winds down.
func (p *Pool) setStopPoint(pt cycle.Point) {
	p.def.Stop, p.def.HasStop = pt, true
	p.logf(Info, "Setting stop cycle point: %s", pt)
	p.emit(WorkflowParam{Key: "stopcp", Value: pt.String()})
	p.forceRunahead = true
	p.runaheadDirty = true
	var ids []ID
	for id, t := range p.tasks {
		if t.Status == task.Waiting && !t.Runahead && t.Point.Compare(pt) > 0 {
			ids = append(ids, id)
		}
	}
	sortIDs(ids)
	for _, id := range ids {
		t := p.tasks[id]
		if t.Queued {
			p.queueOf(t).remove(t)
			t.Queued = false
		}
		t.Runahead = true
		if t.bucket != nil {
			t.bucket.runahead = append(t.bucket.runahead, t)
		}
		p.changed(t)
		p.touch(t)
	}
}
