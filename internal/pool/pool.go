package pool

import (
	"fmt"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// Pool is the task pool. It is not safe for concurrent use: one actor owns
// it and feeds it events one at a time.
type Pool struct {
	def   *Def
	tasks map[ID]*Proxy

	// history remembers instances that have left the pool, so a task that
	// finished complete (or was removed by a suicide trigger) is not
	// spawned again by a late dependency.
	history map[ID]histEntry
	// absDone holds completed outputs that absolute triggers wait for.
	absDone map[atomKey]bool

	points pointIndex
	limit  cycle.Point
	// hasLimit is false until the runahead limit is first computed.
	hasLimit      bool
	runaheadDirty bool
	prevBase      cycle.Point
	hasPrevBase   bool
	maxFuture     cycle.Duration
	hasMaxFuture  bool

	queues []*queueState

	// Work lists, drained by settle so that handlers never re-enter each
	// other: tasks to re-check for readiness and tasks to clock-expire.
	recheck  []*Proxy
	toExpire []*Proxy

	// Counters that make the shutdown and stall checks O(1).
	nActive    int // preparing, submitted, running
	nWaitFree  int // waiting and not runahead
	nPrereqsOK int // waiting, not runahead, prerequisites satisfied

	loaded        bool
	stalled       bool
	finished      bool
	queuesDirty   bool
	forceRunahead bool

	// paused stops job submissions; stopping, when set, is the reason
	// the workflow shuts down once no job is active; stopTask is a task
	// whose success stops the workflow.
	paused      bool
	stopping    string
	stopTask    ID
	hasStopTask bool

	// restartWait is set while a restarted workflow with nothing to do
	// waits out its restart timeout.
	restartWait bool

	// maxFlow is the highest flow number in use; "new" flows count on.
	maxFlow int

	// holdPoint, if hasHold, is the workflow hold point: tasks after it
	// are held as they spawn. It starts as the definition's and lives
	// here because commands change it (and a reload must not undo that).
	holdPoint cycle.Point
	hasHold   bool
	// toHold are tasks to hold when they spawn (held before they were in
	// the pool).
	toHold map[ID]bool
	// stopClock, if not zero, is the wall-clock time to stop at.
	stopClock time.Time
	// lastFlows are the flows of the last task to leave the pool: a task
	// triggered in an empty pool runs in them.
	lastFlows Flows
	// preStart are instances before a warm start point that a trigger
	// asked for: they are not taken as already run.
	preStart map[ID]bool

	now time.Time
	out []Effect
}

type histEntry struct {
	status   task.Status
	complete bool
	anyOut   bool
	flows    Flows
	// submitNum is the last submit number, whatever the flow: a task run
	// again numbers its job after the last one, as Cylc does.
	submitNum int
	// flowWait marks an instance that finished under flow-wait: when its
	// flow reaches it, it spawns the children of its completed outputs
	// (done) instead of running again.
	flowWait bool
	done     []bool
}

// New makes an empty pool for a compiled workflow.
func New(def *Def) *Pool {
	p := &Pool{
		def:     def,
		tasks:   map[ID]*Proxy{},
		history: map[ID]histEntry{},
		absDone: map[atomKey]bool{},
	}
	p.holdPoint, p.hasHold = def.Hold, def.HasHold
	for _, q := range def.Queues {
		p.queues = append(p.queues, &queueState{def: q})
	}
	if len(p.queues) == 0 {
		p.queues = append(p.queues, &queueState{def: &QueueDef{Name: "default", Limit: 100}})
	}
	return p
}

// Apply feeds one event to the pool and returns the effects to carry out,
// in order. The returned slice is valid until the next call.
func (p *Pool) Apply(ev Event, now time.Time) []Effect {
	p.now = now
	p.out = p.out[:0]
	switch e := ev.(type) {
	case Started:
		if !p.loaded {
			p.loaded = true
			p.start()
		}
	case Restarted:
		if !p.loaded {
			p.loaded = true
			p.restore(e.State)
		}
	case JobNotFound:
		p.jobNotFound(e)
	case Kill:
		p.kill(e)
	case Pause:
		p.pause(true)
	case Resume:
		p.pause(false)
	case Stop:
		p.stop(e)
	case SetOutputs:
		p.setOutputs(e)
	case SetPrereqs:
		p.setPrereqs(e)
	case Remove:
		p.removeTasks(e)
	case Poll:
		p.poll(e)
	case JobSubmitted:
		p.jobSubmitted(e)
	case JobSubmitFailed:
		p.jobSubmitFailed(e)
	case JobMessage:
		p.jobMessage(e)
	case TimerFired:
		p.timerFired(e)
	case XtriggerSatisfied:
		if t := p.tasks[e.ID]; t != nil && t.xtrigs[e.Label] {
			delete(t.xtrigs, e.Label)
			p.emit(PrereqSatisfied{ID: t.ID, Flows: t.Flows, Atom: PrereqAtom{Point: XtriggerPoint, Task: e.Label, Output: task.OutSucceeded, How: "satisfied naturally"}})
			p.touch(t)
		}
	case Reload:
		p.reload(e.Def)
	case RecordBroadcast:
		p.emit(BroadcastChanged(e))
	case Trigger:
		p.trigger(e)
	case Hold:
		for _, id := range e.IDs {
			if t := p.tasks[id]; t != nil {
				p.setHeld(t, true)
			} else {
				p.holdFuture(id)
			}
		}
	case Release:
		for _, id := range e.IDs {
			if t := p.tasks[id]; t != nil {
				p.setHeld(t, false)
			}
			p.releaseFuture(id)
		}
	case HoldAfter:
		p.holdAfter(e.Point)
	case ReleaseHoldPoint:
		p.releaseHoldPoint()
	default:
		p.logf(Error, "unknown event %T", ev)
	}
	p.settle()
	return p.out
}

// Len is the number of task instances in the pool.
func (p *Pool) Len() int { return len(p.tasks) }

// Get returns a task instance, or nil.
func (p *Pool) Get(id ID) *Proxy { return p.tasks[id] }

// Tasks calls f for every task instance (in no particular order); it is for
// queries and reports, never for scheduling.
func (p *Pool) Tasks(f func(*Proxy)) {
	for _, t := range p.tasks {
		f(t)
	}
}

// RunaheadLimit returns the current runahead limit point.
func (p *Pool) RunaheadLimit() (cycle.Point, bool) { return p.limit, p.hasLimit }

func (p *Pool) emit(e Effect) { p.out = append(p.out, e) }

func (p *Pool) logf(l Level, format string, args ...any) {
	if l == Debug && p.def.DropDebug {
		return // not formatted at all: a few lines per task add up
	}
	p.emit(Log{Level: l, Msg: fmt.Sprintf(format, args...)})
}

// changed journals t's state.
func (p *Pool) changed(t *Proxy) {
	p.emit(TaskChanged{
		ID: t.ID, Status: t.Status, Flows: t.Flows, SubmitNum: t.SubmitNum, TryNum: t.TryNum,
		Held: t.Held, Queued: t.Queued, Runahead: t.Runahead, Removed: !t.inPool,
		Manual: t.Manual, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, RetryAt: t.retryAt, FlowWait: t.flowWait,
	})
}

// setStatus changes t's status with Cylc's log line "[id:old] => new".
func (p *Pool) setStatus(t *Proxy, s task.Status) {
	if t.Status == s {
		return
	}
	before := t.LogID()
	if was, now := t.Status.Active(), s.Active(); was != now {
		q := p.queueOf(t)
		if now {
			q.active++
		} else {
			q.active--
			p.queuesDirty = true
		}
	}
	t.Status = s
	if t.Def.SubmitPolls != nil || t.Def.ExecPolls != nil || t.Def.SubmitTimeout > 0 || t.Def.ExecTimeout > 0 {
		p.armPolls(t)
	}
	p.resetInactivity()
	p.logf(Info, "[%s] => %s", before, t.StateString())
	p.changed(t)
	p.touch(t)
}

// resetInactivity restarts the inactivity timeout: task activity.
func (p *Pool) resetInactivity() {
	if t := p.def.InactivityTimeout; t.Set {
		p.emit(ArmTimer{Key: TimerKey{Kind: TimerInactivity}, At: p.now.Add(t.After)})
	}
}

// touch re-derives t's place in the counters and schedules a readiness
// check. Every change to a task's status, flags or prerequisites calls it.
func (p *Pool) touch(t *Proxy) {
	active, waitFree, prereqOK := false, false, false
	if t.inPool {
		active = t.Status.Active()
		waitFree = t.Status == task.Waiting && !t.Runahead
		prereqOK = waitFree && t.PrereqsSatisfied()
	}
	p.adjust(t, active, waitFree, prereqOK)
	if prereqOK {
		p.recheck = append(p.recheck, t)
	}
}

// class bits cached on the proxy so counters stay exact.
func (p *Pool) adjust(t *Proxy, active, waitFree, prereqOK bool) {
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	p.nActive += b(active) - b(t.cActive)
	p.nWaitFree += b(waitFree) - b(t.cWaitFree)
	p.nPrereqsOK += b(prereqOK) - b(t.cPrereqOK)
	t.cActive, t.cWaitFree, t.cPrereqOK = active, waitFree, prereqOK
}

// settle drains the work lists an event left behind, then checks whether
// the workflow has finished or stalled.
func (p *Pool) settle() {
	for {
		switch {
		case len(p.toExpire) > 0:
			t := p.toExpire[0]
			p.toExpire = p.toExpire[1:]
			p.expire(t)
		case p.runaheadDirty:
			p.runaheadDirty = false
			p.computeRunahead()
			p.releaseRunahead()
		case len(p.recheck) > 0:
			// First in, first out: tasks queue in the order they
			// became ready, as Cylc's queues release them.
			t := p.recheck[0]
			p.recheck = p.recheck[1:]
			p.queueIfReady(t)
		case p.releaseQueues():
		default:
			p.checkFinished()
			return
		}
	}
}
