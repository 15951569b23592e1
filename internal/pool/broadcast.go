package pool

import (
	"fmt"

	"gyre/internal/cycle"
)

// Broadcasts (cylc broadcast) override tasks' runtime settings; they are
// kept and applied outside the pool, by whatever writes the jobs. They
// pass through the pool only so that their changes reach the run
// database in order with everything else the scheduler records, and come
// back with the saved state at a restart.

// BroadcastRow is one broadcast setting: for tasks at Point ("*": every
// point) in Namespace, the setting Key (Cylc's form, "[environment]X")
// has Value.
type BroadcastRow struct {
	Point, Namespace, Key, Value string
}

// RecordBroadcast records broadcast settings made (Put) and cancelled
// (Cancel); the pool answers with BroadcastChanged for the journal.
type RecordBroadcast struct {
	Put, Cancel []BroadcastRow
}

func (RecordBroadcast) isEvent() {}

// BroadcastChanged is a change of the broadcast settings, to persist.
type BroadcastChanged struct {
	Put, Cancel []BroadcastRow
}

func (BroadcastChanged) isEffect() {}

// ParsePoint reads a cycle point as users write it, in the workflow's
// cycling mode (for commands that take points).
func (p *Pool) ParsePoint(s string) (cycle.Point, error) {
	if p.def.ParsePoint == nil {
		return cycle.Point{}, fmt.Errorf("%s: this workflow has no cycling to read it with", s)
	}
	return p.def.ParsePoint(s)
}

// ExpireBefore says that the oldest cycle point with tasks in the pool has
// moved on: what is kept per cycle point for points before Point
// (broadcasts) can be dropped. Point is a cycle of every sequence behind
// the oldest active one, as Cylc keeps broadcasts for the oldest active
// point less the longest cycling interval.
type ExpireBefore struct{ Point string }

func (ExpireBefore) isEffect() {}

// baseMoved reports the new cut-off when the runahead base point moves.
func (p *Pool) baseMoved(base cycle.Point) {
	cut, found := base, false
	for _, s := range p.def.Sequences {
		if pt, ok := s.NearestPrev(base); ok && pt.Compare(cut) < 0 {
			cut, found = pt, true
		}
	}
	if found {
		p.emit(ExpireBefore{Point: cut.String()})
	}
}
