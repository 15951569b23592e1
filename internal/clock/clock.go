// Package clock gives Gyre its sense of time without a loop that looks at
// the time: a Clock interface with a real and a virtual implementation, and
// Timers, an actor that keeps every deadline of the scheduler (clock
// triggers, retry delays, polling intervals, execution time limits, stall and
// inactivity timeouts) in one heap behind a single alarm for the earliest.
//
// Nothing here ticks. With no deadline armed, nothing wakes up at all; with a
// deadline a year away, the process wakes once, a year from now.
//
// The virtual clock moves only when told to. Tests use it to step through
// time exactly, and simulation mode uses it to run years of cycles in
// seconds by jumping straight to the next deadline whenever the system has
// nothing else to do (see Virtual for the protocol).
package clock

import (
	"math"
	"time"
)

// Clock tells the time and provides alarms. Real is the wall clock; Virtual
// is a clock that moves only when told.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewAlarm returns a stopped alarm driven by this clock.
	NewAlarm() Alarm
}

// Alarm is a single re-settable wake-up, the one timer behind a Timers heap.
// It follows the semantics of time.Timer since Go 1.23: after Set or Stop
// returns, no value from an earlier setting will be received from C.
type Alarm interface {
	// C delivers one value each time the alarm goes off.
	C() <-chan time.Time
	// Set arms the alarm for at, replacing any earlier setting. A time not
	// after Now goes off at once.
	Set(at time.Time)
	// Stop disarms the alarm.
	Stop()
}

// Real is the system clock. Its alarms are time.Timers, which follow the
// monotonic clock for times obtained from Now (so a retry delay is not
// stretched by an NTP step) and the wall clock for times built from a date,
// such as a clock trigger; Timers re-checks a deadline against Now when the
// alarm goes off, so a wall clock stepped backwards delays a trigger rather
// than firing it early.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// NewAlarm returns a stopped alarm backed by a time.Timer.
func (Real) NewAlarm() Alarm {
	t := time.NewTimer(math.MaxInt64)
	t.Stop()
	return realAlarm{t}
}

type realAlarm struct{ t *time.Timer }

func (a realAlarm) C() <-chan time.Time { return a.t.C }
func (a realAlarm) Set(at time.Time)    { a.t.Reset(time.Until(at)) }
func (a realAlarm) Stop()               { a.t.Stop() }
