package clock

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// startTimers runs tm until the test's bubble ends the returned stop func.
func startTimers[K comparable](t *testing.T, tm *Timers[K]) (stop func()) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- tm.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	}
}

// TestTimersRealClock runs the real clock inside a synctest bubble, where
// time is fake but timers behave as in production: each batch must arrive
// exactly at its deadline, with everything due at that instant.
func TestTimersRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		type got struct {
			after time.Duration
			keys  []string
		}
		out := make(chan got, 10)
		tm := NewTimers(Real{}, func(b []Due[string]) {
			out <- got{time.Since(start), keys(b)}
		})
		stop := startTimers(t, tm)
		defer stop()

		tm.Arm("retry", start.Add(30*time.Second))
		tm.Arm("poll-1", start.Add(10*time.Minute))
		tm.Arm("poll-2", start.Add(10*time.Minute))
		tm.Arm("limit", start.Add(time.Hour))
		tm.Arm("gone", start.Add(20*time.Minute))
		tm.Cancel("gone")
		tm.Arm("moved", start.Add(time.Minute))
		tm.Arm("moved", start.Add(2*time.Hour)) // re-arm replaces

		want := []got{
			{30 * time.Second, []string{"retry"}},
			{10 * time.Minute, []string{"poll-1", "poll-2"}},
			{time.Hour, []string{"limit"}},
			{2 * time.Hour, []string{"moved"}},
		}
		for _, w := range want {
			g := <-out
			if g.after != w.after || !slices.Equal(g.keys, w.keys) {
				t.Fatalf("batch %q at +%v, want %q at +%v", g.keys, g.after, w.keys, w.after)
			}
		}
		if n := tm.wakes.Load(); n != uint64(len(want)) {
			t.Errorf("%d wake-ups for %d batches", n, len(want))
		}
		if tm.Len() != 0 {
			t.Errorf("Len = %d after everything fired", tm.Len())
		}
	})
}

// TestTimersIdleRealClock: a deadline a year away costs exactly one
// wake-up, a year later; with nothing armed, nothing ever wakes.
func TestTimersIdleRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		fired := make(chan time.Time, 1)
		tm := NewTimers(Real{}, func(b []Due[int]) { fired <- time.Now() })
		stop := startTimers(t, tm)
		defer stop()
		synctest.Wait()
		if n := tm.wakes.Load(); n != 0 {
			t.Fatalf("%d wake-ups with nothing armed", n)
		}
		year := 365 * 24 * time.Hour
		tm.Arm(1, start.Add(year))
		if at := <-fired; at.Sub(start) != year {
			t.Errorf("fired after %v, want %v", at.Sub(start), year)
		}
		if n := tm.wakes.Load(); n != 1 {
			t.Errorf("%d wake-ups waiting a year for one deadline, want 1", n)
		}
	})
}

func TestTimersPastDeadlineFiresAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		out := make(chan []Due[string], 1)
		tm := NewTimers(Real{}, func(b []Due[string]) { out <- b })
		// Armed before Run starts, as on restart with overdue deadlines.
		tm.Arm("overdue", start.Add(-time.Hour))
		stop := startTimers(t, tm)
		defer stop()
		b := <-out
		if time.Since(start) != 0 || len(b) != 1 || b[0].Key != "overdue" || !b[0].At.Equal(start.Add(-time.Hour)) {
			t.Errorf("got %v after %v; want overdue at once, with its deadline", b, time.Since(start))
		}
	})
}

func TestTimersStopLeavesNothingRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := NewVirtual(t0)
		var c collector[string]
		tm := NewTimers(v, c.add)
		stop := startTimers(t, tm)
		tm.Arm("a", h(1))
		stop()
		tm.Arm("b", h(2)) // after Run: recorded, but the alarm is left alone
		if n := v.Advance(3 * time.Hour); n != 0 {
			t.Errorf("%d alarms went off after Run returned", n)
		}
		if _, ok := v.AdvanceToNext(); ok {
			t.Error("AdvanceToNext reports work on a stopped Timers")
		}
		if got := c.take(); len(got) != 0 {
			t.Errorf("delivered %v after Run returned", got)
		}
	})
}

// manualClock is a test clock whose time the test sets, backwards too, and
// whose alarm the test sets off by hand.
type manualClock struct {
	mu    sync.Mutex
	now   time.Time
	c     chan time.Time
	sets  []time.Time
	stops int
}

func (m *manualClock) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}
func (m *manualClock) NewAlarm() Alarm     { return m }
func (m *manualClock) C() <-chan time.Time { return m.c }
func (m *manualClock) Set(at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sets = append(m.sets, at)
}
func (m *manualClock) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stops++
}

// TestTimersClockSteppedBack: the alarm goes off but the wall clock has
// been stepped back, so nothing is due yet; the alarm is set again for the
// same deadline and nothing is delivered early.
func TestTimersClockSteppedBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &manualClock{now: h(0), c: make(chan time.Time)}
		var c collector[string]
		tm := NewTimers(m, c.add)
		stop := startTimers(t, tm)
		defer stop()
		tm.Arm("trigger", h(5))
		tm.Arm("later", h(6)) // not the earliest: the alarm is not touched
		m.mu.Lock()
		m.now = h(4) // the timer thinks 5h passed; NTP stepped the clock back
		m.mu.Unlock()
		m.c <- h(5)
		synctest.Wait()
		if got := c.take(); len(got) != 0 {
			t.Fatalf("delivered %v before the deadline", got)
		}
		m.mu.Lock()
		m.now = h(5)
		m.mu.Unlock()
		m.c <- h(5)
		synctest.Wait()
		got := c.take()
		if len(got) != 1 || !slices.Equal(keys(got[0]), []string{"trigger"}) {
			t.Fatalf("delivered %v, want [[trigger]]", got)
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		if want := []time.Time{h(5), h(5), h(6)}; !slices.Equal(m.sets, want) {
			t.Errorf("alarm set for %v, want %v", m.sets, want)
		}
	})
}

func BenchmarkTimersArmCancel(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("armed=%d", n), func(b *testing.B) {
			v := NewVirtual(t0)
			tm := NewTimers(v, func([]Due[int]) {})
			for i := range n {
				tm.Arm(i, t0.Add(time.Duration(i+1)*time.Minute))
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := n + i%1000
				tm.Arm(k, t0.Add(time.Duration(i%(n+7)+1)*time.Second))
				tm.Cancel(k)
			}
		})
	}
}

func BenchmarkTimersRearm(b *testing.B) {
	v := NewVirtual(t0)
	tm := NewTimers(v, func([]Due[int]) {})
	const n = 100_000
	for i := range n {
		tm.Arm(i, t0.Add(time.Duration(i+1)*time.Minute))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tm.Arm(i%n, t0.Add(time.Duration((i*7919)%n+1)*time.Minute))
	}
}
