package clock

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Due is a deadline that has come: the key and the time it was armed for.
// A key cancelled or re-armed just as it came due may still be delivered
// once (the batch was already on its way); consumers compare At with the
// deadline they expect and ignore stale ones.
type Due[K comparable] struct {
	Key K
	At  time.Time
}

// Timers is the actor that keeps a heap of keyed deadlines behind one
// alarm, always set for the earliest. When the alarm goes off, every key due
// by then is removed and handed to the deliver callback as one batch,
// earliest first (equal times in the order armed). Nothing armed means
// nothing wakes.
//
// Arm and Cancel are safe from any goroutine and take effect at once: they
// update the heap and, if the earliest deadline changed, reset the alarm,
// under a mutex, in O(log n).
//
// On a real clock, Run waits for the alarm and delivers. On a Virtual clock
// delivery is synchronous, in the goroutine that moves the clock or arms an
// overdue deadline (see Virtual); Run then only bounds the lifetime: once it
// has returned, nothing more is delivered.
type Timers[K comparable] struct {
	clock   Clock
	alarm   Alarm
	deliver func([]Due[K])
	inline  bool // virtual clock: deliveries run in the caller

	// delivering is held from taking the due keys until they have been
	// delivered, so batches come out in time order even when two
	// goroutines set off deliveries at once.
	delivering sync.Mutex

	mu      sync.Mutex
	heap    deadlines[K]
	armed   bool      // the alarm is set, for armedAt
	armedAt time.Time // meaningful when armed
	stopped bool      // Run has returned

	wakes atomic.Uint64 // deliveries attempted, for tests
}

// NewTimers returns an empty deadline heap on clock c. deliver receives
// each batch of due keys and owns the slice; it must not block (send the
// batch to a mailbox) and must not call the Timers.
func NewTimers[K comparable](c Clock, deliver func([]Due[K])) *Timers[K] {
	t := &Timers[K]{clock: c, alarm: c.NewAlarm(), deliver: deliver}
	if h, ok := t.alarm.(interface{ setHook(func()) }); ok {
		h.setHook(t.fire)
		t.inline = true
	}
	return t
}

// Arm sets the deadline for key, replacing any earlier one. A deadline not
// after the clock's Now is delivered at once.
func (t *Timers[K]) Arm(key K, at time.Time) {
	t.mu.Lock()
	t.heap.set(key, at)
	t.setAlarm()
	overdue := t.overdue()
	t.mu.Unlock()
	if overdue {
		t.fire()
	}
}

// Cancel removes the deadline for key and reports whether one was armed.
func (t *Timers[K]) Cancel(key K) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.heap.remove(key) {
		return false
	}
	t.setAlarm()
	return true
}

// Len is the number of deadlines armed.
func (t *Timers[K]) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.heap.len()
}

// Run delivers due keys until ctx is done (on a virtual clock it only
// waits). It returns nil: stopping is not an error.
func (t *Timers[K]) Run(ctx context.Context) error {
	t.mu.Lock()
	t.stopped = false
	t.setAlarm()
	overdue := t.overdue()
	t.mu.Unlock()
	if overdue {
		t.fire()
	}
	for {
		select {
		case <-ctx.Done():
			t.mu.Lock()
			t.stopped = true
			t.armed = false
			t.alarm.Stop()
			t.mu.Unlock()
			return nil
		case <-t.alarm.C():
			t.fire()
		}
	}
}

// fire delivers everything due, repeating while the clock has moved on
// past the next deadline in the meantime.
func (t *Timers[K]) fire() {
	t.delivering.Lock()
	defer t.delivering.Unlock()
	for {
		t.wakes.Add(1)
		t.mu.Lock()
		if t.stopped {
			t.mu.Unlock()
			return
		}
		due := t.heap.popDue(t.clock.Now())
		t.resetAlarm()
		again := t.overdue()
		t.mu.Unlock()
		if len(due) > 0 {
			t.deliver(due)
		}
		if !again {
			return
		}
	}
}

// overdue reports whether a virtual-clock Timers must deliver now rather
// than wait for the alarm. Callers hold mu.
func (t *Timers[K]) overdue() bool {
	if !t.inline || t.stopped {
		return false
	}
	at, ok := t.heap.first()
	return ok && !at.After(t.clock.Now())
}

// resetAlarm sets the alarm for the earliest deadline, or stops it, without
// trusting the record of what it was set for: after a delivery it may have
// gone off, or (on a virtual clock, where overdue deadlines are delivered
// without it) still be set for a deadline just delivered. If the wall clock
// was stepped back and nothing was due, it is set again for the same
// deadline. Callers hold mu.
func (t *Timers[K]) resetAlarm() {
	if t.stopped {
		return
	}
	t.armed = true // so that setAlarm stops it when the heap is empty
	t.armedAt = time.Time{}
	if _, ok := t.heap.first(); ok {
		t.armed = false // so that setAlarm sets it, even for the same time
	}
	t.setAlarm()
}

// setAlarm points the alarm at the earliest deadline, touching it only when
// that changed. Callers hold mu.
func (t *Timers[K]) setAlarm() {
	if t.stopped {
		return
	}
	at, ok := t.heap.first()
	switch {
	case !ok && t.armed:
		t.alarm.Stop()
		t.armed = false
	case ok && (!t.armed || !at.Equal(t.armedAt)):
		t.alarm.Set(at)
		t.armed, t.armedAt = true, at
	}
}
