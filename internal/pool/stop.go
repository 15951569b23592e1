package pool

import (
	"strconv"
	"time"

	"gyre/internal/task"
)

// Stopping one flow, and stopping at a wall-clock time.

// stopFlow stops flow n ("cylc stop --flow=N"): n is taken out of the
// flows of every task in the pool, and a task left in no flow is removed
// unless its job is under way (that job runs on but spawns nothing). The
// other flows carry on; the workflow shuts down once nothing is left.
func (p *Pool) stopFlow(n int) {
	var ids []ID
	for id, t := range p.tasks {
		if containsFlow(t.Flows, n) {
			ids = append(ids, id)
		}
	}
	sortIDs(ids)
	for _, id := range ids {
		t := p.tasks[id]
		t.Flows = t.Flows.without(Flows{n})
		if len(t.Flows) == 0 && t.Status != task.Preparing && !t.Status.Active() {
			p.remove(t, "flow stopped")
			continue
		}
		p.changed(t)
	}
}

// setStopClock sets the wall-clock stop time: at it, the workflow stops
// as a clean stop does (no more jobs; shut down once the active ones end).
func (p *Pool) setStopClock(at time.Time) {
	p.logf(Info, "Setting stop clock time: %s (unix time: %d)", clockString(at), at.Unix())
	p.stopClock = at
	p.emit(WorkflowParam{Key: "stop_clock_time", Value: strconv.FormatInt(at.Unix(), 10)})
	p.armStopClock()
}

// armStopClock arms the stop clock's deadline, or stops now if it has
// passed.
func (p *Pool) armStopClock() {
	if !p.now.Before(p.stopClock) {
		p.stopClockDue()
		return
	}
	p.emit(ArmTimer{Key: TimerKey{Kind: TimerStopClock}, At: p.stopClock})
}

// stopClockDue starts the clean stop the stop clock asked for.
func (p *Pool) stopClockDue() {
	if p.stopClock.IsZero() || p.now.Before(p.stopClock) {
		return
	}
	p.logf(Info, "Wall clock stop time reached: %s", clockString(p.stopClock))
	p.stopClock = time.Time{}
	p.emit(WorkflowParam{Key: "stop_clock_time"})
	if p.stopping == "" {
		p.stopping = "AUTOMATIC"
	}
}

// StopClock returns the wall-clock stop time, if one is set.
func (p *Pool) StopClock() (time.Time, bool) { return p.stopClock, !p.stopClock.IsZero() }

// clockString writes a time as Cylc's time2str does.
func clockString(t time.Time) string { return t.Format("2006-01-02T15:04:05Z07:00") }
