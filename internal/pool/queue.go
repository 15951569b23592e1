package pool

import (
	"fmt"
	"strings"

	"gyre/internal/task"
)

// queueState is an internal queue: ready tasks wait here, in the order
// they became ready, until fewer than Limit members are active.
type queueState struct {
	def     *QueueDef
	waiting []*Proxy
	active  int
}

func (q *queueState) remove(t *Proxy) {
	for i, w := range q.waiting {
		if w == t {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			return
		}
	}
}

func (p *Pool) queueOf(t *Proxy) *queueState {
	if t.Def.Queue < len(p.queues) {
		return p.queues[t.Def.Queue]
	}
	return p.queues[0]
}

// queueIfReady queues t if nothing but the queue stands between it and
// submission; a clock trigger not yet reached arms its deadline instead.
func (p *Pool) queueIfReady(t *Proxy) {
	if !t.inPool || t.Status != task.Waiting || t.Runahead || t.Held || t.Queued ||
		t.retryWait || !t.PrereqsSatisfied() {
		return
	}
	if len(t.xtrigs) > 0 {
		if !t.xtrigsCalled {
			t.xtrigsCalled = true
			p.callXtriggers(t)
		}
		return
	}
	if t.clockWait {
		return
	}
	if t.Def.ClockTrigger && p.def.ToWallClock != nil && !t.Manual {
		at := p.def.wallClock(t.Point, t.Def.ClockOffset)
		if p.now.Before(at) {
			t.clockWait = true
			p.emit(ArmTimer{Key: TimerKey{Kind: TimerClockTrigger, ID: t.ID}, At: at})
			return
		}
	}
	t.Queued = true
	q := p.queueOf(t)
	q.waiting = append(q.waiting, t)
	p.queuesDirty = true
}

// releaseQueues submits queued tasks while their queues have room; it
// reports whether it did anything.
func (p *Pool) releaseQueues() bool {
	if !p.queuesDirty {
		return false
	}
	p.queuesDirty = false
	did := false
	if p.paused || p.stopping != "" {
		// Manually triggered tasks go straight to submission (see
		// queueOrTrigger); queues wait for the workflow to resume.
		return false
	}
	for _, q := range p.queues {
		for len(q.waiting) > 0 && (q.def.Limit <= 0 || q.active < q.def.Limit) {
			t := q.waiting[0]
			q.waiting = q.waiting[1:]
			t.Queued = false
			p.submit(t)
			did = true
		}
	}
	return did
}

// submit starts a job for t: preparing, the reference-log line, and the
// SubmitJob effect (which the scheduler holds until the state is stored).
func (p *Pool) submit(t *Proxy) {
	if t.Def.ClockExpire && !t.expireAt.IsZero() && !p.now.Before(t.expireAt) && !t.Manual {
		p.expire(t)
		return
	}
	t.SubmitNum++
	p.setStatus(t, task.Preparing)
	deps := t.ResolvedDependencies()
	if t.Manual && p.def.Simulation {
		// Cylc's simulated submission keeps the manual-submit flag that
		// a live one clears before this line is written.
		deps = nil
	}
	line := fmt.Sprintf("%s -triggered off %s in flow %s", t.ID, pyList(deps), t.Flows)
	p.emit(RefLog{Line: line})
	p.emit(SubmitJob{
		ID: t.ID, SubmitNum: t.SubmitNum, TryNum: t.TryNum, Flows: t.Flows, Def: t.Def,
		Sim: p.simOutcome(t),
	})
}

// pyList renders strings as Python prints a list of them: ['a', 'b'].
func pyList(items []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('\'')
		b.WriteString(s)
		b.WriteByte('\'')
	}
	b.WriteByte(']')
	return b.String()
}

func (p *Pool) simOutcome(t *Proxy) SimOutcome {
	s := t.Def.Sim
	fail := (s.FailAll || s.FailPoints[t.ID.Point]) && (t.TryNum == 1 || !s.FailTry1Only)
	return SimOutcome{RunLength: s.RunLength, Fail: fail}
}
