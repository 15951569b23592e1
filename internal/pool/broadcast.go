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
