package clock

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

func TestVirtualAlarm(t *testing.T) {
	v := NewVirtual(t0)
	a := v.NewAlarm()
	fired := func() bool {
		select {
		case <-a.C():
			return true
		default:
			return false
		}
	}
	steps := []struct {
		name string
		do   func() int // returns alarms fired, or -1 if not reported
		now  time.Time
		fire bool
	}{
		{"stopped alarm never fires", func() int { return v.Advance(time.Hour) }, h(1), false},
		{"set ahead", func() int { a.Set(h(3)); return -1 }, h(1), false},
		{"not yet", func() int { return v.AdvanceTo(h(2)) }, h(2), false},
		{"backwards is ignored", func() int { return v.AdvanceTo(h(1)) }, h(2), false},
		{"negative advance is ignored", func() int { return v.Advance(-time.Hour) }, h(2), false},
		{"due", func() int { return v.Advance(time.Hour) }, h(3), true},
		{"fires once", func() int { return v.Advance(time.Hour) }, h(4), false},
		{"set in the past fires at once", func() int { a.Set(h(1)); return -1 }, h(4), true},
		{"re-set takes back an unreceived value", func() int {
			a.Set(h(4))  // fires at once, value waiting
			a.Set(h(10)) // takes it back
			return -1
		}, h(4), false},
		{"stop", func() int { a.Stop(); return v.AdvanceTo(h(11)) }, h(11), false},
		{"jump straight to the next alarm", func() int {
			a.Set(h(100))
			at, ok := v.AdvanceToNext()
			if !ok || !at.Equal(h(100)) {
				t.Errorf("AdvanceToNext = %v, %v; want %v, true", at, ok, h(100))
			}
			return -1
		}, h(100), true},
	}
	for _, s := range steps {
		n := s.do()
		if !v.Now().Equal(s.now) {
			t.Errorf("%s: Now = %v, want %v", s.name, v.Now(), s.now)
		}
		if n >= 0 && (n == 1) != s.fire {
			t.Errorf("%s: reported %d alarms fired, want fire=%v", s.name, n, s.fire)
		}
		if got := fired(); got != s.fire {
			t.Errorf("%s: fired = %v, want %v", s.name, got, s.fire)
		}
	}
	// "due", "set in the past", the set-and-take-back and the jump: four
	// wake-ups, the taken-back one included (it did go off).
	if got := v.Wakeups(); got != 4 {
		t.Errorf("Wakeups = %d, want 4", got)
	}
	if _, ok := v.AdvanceToNext(); ok {
		t.Error("AdvanceToNext with nothing armed reports work to wait for")
	}
}

// TestVirtualIdleHasNoWakeups: a deadline far in the future costs nothing
// while time passes up to it.
func TestVirtualIdleHasNoWakeups(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := NewVirtual(t0)
		var c collector[string]
		tm := NewTimers(v, c.add)
		stop := startTimers(t, tm)
		defer stop()
		tm.Arm("new-year", t0.AddDate(1, 0, 0))
		for range 24 * 364 {
			v.Advance(time.Hour)
			synctest.Wait()
		}
		if v.Wakeups() != 0 || tm.wakes.Load() != 0 {
			t.Fatalf("%d clock / %d timers wake-ups while waiting", v.Wakeups(), tm.wakes.Load())
		}
		if at, ok := v.AdvanceToNext(); !ok || !at.Equal(t0.AddDate(1, 0, 0)) {
			t.Fatalf("AdvanceToNext = %v, %v", at, ok)
		}
		synctest.Wait()
		got := c.take()
		if len(got) != 1 || got[0][0].Key != "new-year" {
			t.Fatalf("delivered %v, want [[new-year]]", got)
		}
		if v.Wakeups() != 1 || tm.wakes.Load() != 1 {
			t.Errorf("%d clock / %d timers wake-ups for one deadline, want 1/1", v.Wakeups(), tm.wakes.Load())
		}
	})
}

// TestVirtualDeliversSynchronously: on a virtual clock the keys that come
// due are delivered before the call that made them due returns, so an owner
// that finds its mailbox empty knows no timer event is on its way.
func TestVirtualDeliversSynchronously(t *testing.T) {
	v := NewVirtual(t0)
	var c collector[string]
	tm := NewTimers(v, c.add)
	tm.Arm("later", h(2))
	tm.Arm("overdue", t0.Add(-time.Minute))
	if got := c.take(); len(got) != 1 || got[0][0].Key != "overdue" {
		t.Fatalf("after Arm of an overdue key: %v, want [[overdue]]", got)
	}
	tm.Arm("now", t0)
	if got := c.take(); len(got) != 1 || got[0][0].Key != "now" {
		t.Fatalf("after Arm for Now: %v, want [[now]]", got)
	}
	if at, ok := v.AdvanceToNext(); !ok || !at.Equal(h(2)) {
		t.Fatalf("AdvanceToNext = %v, %v", at, ok)
	}
	if got := c.take(); len(got) != 1 || got[0][0].Key != "later" {
		t.Fatalf("after AdvanceToNext: %v, want [[later]]", got)
	}
	if _, ok := v.AdvanceToNext(); ok {
		t.Error("AdvanceToNext with nothing armed must report a stall")
	}
	if w := v.Wakeups(); w != 1 {
		t.Errorf("Wakeups = %d; overdue deadlines are delivered without the alarm, want 1", w)
	}
}

// TestVirtualStallAfterOverdue: delivering an overdue key without the alarm
// must not leave the alarm set for it, or AdvanceToNext would hide a stall.
func TestVirtualStallAfterOverdue(t *testing.T) {
	v := NewVirtual(t0)
	var c collector[string]
	tm := NewTimers(v, c.add)
	tm.Arm("x", h(1))
	v.Advance(2 * time.Hour)
	tm.Arm("y", h(1)) // overdue
	if got := c.take(); len(got) != 2 {
		t.Fatalf("delivered %v, want x then y", got)
	}
	if _, ok := v.AdvanceToNext(); ok {
		t.Error("AdvanceToNext reports work with nothing armed")
	}
}

// TestVirtualSeveralTimers: one clock drives several heaps; an advance sets
// off each alarm that came due, once.
func TestVirtualSeveralTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := NewVirtual(t0)
		var c1, c2 collector[int]
		t1, t2 := NewTimers(v, c1.add), NewTimers(v, c2.add)
		defer startTimers(t, t1)()
		defer startTimers(t, t2)()
		t1.Arm(1, h(2))
		t1.Arm(2, h(5))
		t2.Arm(3, h(2))
		t2.Arm(4, h(3))
		if n := v.Advance(4 * time.Hour); n != 2 {
			t.Errorf("Advance set off %d alarms, want 2", n)
		}
		synctest.Wait()
		if g1, g2 := c1.take(), c2.take(); len(g1) != 1 || !slices.Equal(keys(g1[0]), []int{1}) ||
			len(g2) != 1 || !slices.Equal(keys(g2[0]), []int{3, 4}) {
			t.Errorf("batches %v and %v, want [[1]] and [[3 4]]", g1, g2)
		}
		if at, ok := v.AdvanceToNext(); !ok || !at.Equal(h(5)) {
			t.Errorf("AdvanceToNext = %v, %v", at, ok)
		}
	})
}
