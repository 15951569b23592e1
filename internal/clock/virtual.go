package clock

import (
	"sync"
	"time"
)

// Virtual is a clock that moves only when told: by Advance or AdvanceTo, as
// a test steps through time, or by AdvanceToNext, which jumps straight to the
// earliest armed alarm. It counts every alarm that goes off (Wakeups), so a
// test can prove that waiting costs no wake-ups.
//
// Timers on a virtual clock deliver synchronously: the goroutine that moves
// the clock, or that arms a deadline already passed, runs the delivery of
// the due keys before its call returns. Virtual time has no "meanwhile", so
// nothing is ever in flight between the clock and the actor that waits on
// it, and a test can assert what was delivered right after Advance.
//
// # Running as fast as possible
//
// In simulation mode one actor, the owner (the scheduler, which owns the
// task pool), drives the clock, and calls AdvanceToNext whenever the system
// is quiescent. It knows that without polling:
//
//  1. its mailbox is empty after handling a batch (Timers deliver into it),
//  2. it expects no reply from other actors: it counts the requests it has
//     sent that will produce a message back (a persist batch awaiting the
//     store's commit, a submission awaiting the runner's answer) and that
//     count is zero.
//
// Timer deliveries need no accounting: when AdvanceToNext returns, the keys
// that came due are already in the owner's mailbox, and an Arm for a past
// deadline delivers before Arm returns. AdvanceToNext reporting false means
// nothing is armed: no event can ever arrive again, which is a stall. A year
// of hourly cycles passes in the time it takes to handle 8760 batches.
type Virtual struct {
	mu      sync.Mutex
	now     time.Time
	alarms  []*virtualAlarm
	wakeups uint64
}

// NewVirtual returns a virtual clock reading start.
func NewVirtual(start time.Time) *Virtual {
	return &Virtual{now: start}
}

// Now returns the virtual time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// Wakeups is the number of times an alarm of this clock has gone off.
func (v *Virtual) Wakeups() uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.wakeups
}

// NewAlarm returns a stopped alarm driven by v. Used directly, it delivers
// on its channel like a time.Timer; Timers hooks it to deliver
// synchronously instead.
func (v *Virtual) NewAlarm() Alarm {
	a := &virtualAlarm{v: v, c: make(chan time.Time, 1)}
	v.mu.Lock()
	v.alarms = append(v.alarms, a)
	v.mu.Unlock()
	return a
}

// Advance moves the clock forward by d and sets off every alarm that has
// come due, returning how many went off. Time never goes backwards: a
// negative d is ignored. Each alarm goes off once, however far the clock
// jumps; its Timers then hands over everything due by the new time.
func (v *Virtual) Advance(d time.Duration) int {
	v.mu.Lock()
	if d <= 0 {
		v.mu.Unlock()
		return 0
	}
	v.now = v.now.Add(d)
	hooks, n := v.fireDue()
	v.mu.Unlock()
	runHooks(hooks)
	return n
}

// AdvanceTo moves the clock forward to t, as Advance does; a t before Now
// is ignored.
func (v *Virtual) AdvanceTo(t time.Time) int {
	v.mu.Lock()
	if !t.After(v.now) {
		v.mu.Unlock()
		return 0
	}
	v.now = t
	hooks, n := v.fireDue()
	v.mu.Unlock()
	runHooks(hooks)
	return n
}

// AdvanceToNext moves the clock to the earliest armed alarm, if that is in
// the future, and sets off every alarm due by then. It returns the time now
// and false if nothing was armed (see the protocol on Virtual).
func (v *Virtual) AdvanceToNext() (time.Time, bool) {
	v.mu.Lock()
	var next *virtualAlarm
	for _, a := range v.alarms {
		if a.armed && (next == nil || a.at.Before(next.at)) {
			next = a
		}
	}
	if next == nil {
		now := v.now
		v.mu.Unlock()
		return now, false
	}
	if next.at.After(v.now) {
		v.now = next.at
	}
	now := v.now
	hooks, _ := v.fireDue()
	v.mu.Unlock()
	runHooks(hooks)
	return now, true
}

// fireDue sets off every armed alarm whose time has come and returns the
// hooks to run once mu is released. Callers hold mu.
func (v *Virtual) fireDue() (hooks []func(), n int) {
	for _, a := range v.alarms {
		if a.armed && !a.at.After(v.now) {
			if h := a.fire(); h != nil {
				hooks = append(hooks, h)
			}
			n++
		}
	}
	return hooks, n
}

func runHooks(hooks []func()) {
	for _, h := range hooks {
		h()
	}
}

// virtualAlarm is an Alarm on a Virtual clock. With a hook (set by Timers)
// going off calls the hook, synchronously, instead of sending on c.
type virtualAlarm struct {
	v     *Virtual
	c     chan time.Time
	at    time.Time
	armed bool
	hook  func()
}

func (a *virtualAlarm) C() <-chan time.Time { return a.c }

// Set arms the alarm. A time already passed fires a plain alarm at once; a
// hooked alarm stays armed instead, because Set is called with its owner's
// lock held: the owner handles overdue deadlines itself, and failing that
// the next Advance or AdvanceToNext sets it off without moving time.
func (a *virtualAlarm) Set(at time.Time) {
	a.v.mu.Lock()
	defer a.v.mu.Unlock()
	a.unsend()
	a.at, a.armed = at, true
	if a.hook == nil && !at.After(a.v.now) {
		a.fire()
	}
}

func (a *virtualAlarm) Stop() {
	a.v.mu.Lock()
	defer a.v.mu.Unlock()
	a.unsend()
	a.armed = false
}

// setHook makes the alarm call h when it goes off, instead of sending.
func (a *virtualAlarm) setHook(h func()) {
	a.v.mu.Lock()
	defer a.v.mu.Unlock()
	a.hook = h
}

// unsend takes back a value not yet received, as time.Timer does on Reset
// and Stop. Callers hold v.mu.
func (a *virtualAlarm) unsend() {
	select {
	case <-a.c:
	default:
	}
}

// fire sets the alarm off and returns its hook, if any, for the caller to
// run after releasing v.mu. Callers hold v.mu.
func (a *virtualAlarm) fire() func() {
	a.armed = false
	a.v.wakeups++
	if a.hook != nil {
		return a.hook
	}
	select {
	case a.c <- a.v.now:
	default: // cannot happen: Set and Stop take back an unreceived value
	}
	return nil
}
