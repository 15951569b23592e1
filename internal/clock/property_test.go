package clock

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"pgregory.net/rapid"
)

// model is the obvious, slow specification of a deadline heap: a map.
type model struct {
	at  map[int]time.Time
	seq map[int]int
	n   int
}

func (m *model) arm(k int, at time.Time) {
	m.n++
	m.at[k], m.seq[k] = at, m.n
}

func (m *model) cancel(k int) {
	delete(m.at, k)
	delete(m.seq, k)
}

// due removes and returns the keys due by now, in (time, arming) order.
func (m *model) due(now time.Time) []Due[int] {
	var out []Due[int]
	for k, at := range m.at {
		if !at.After(now) {
			out = append(out, Due[int]{k, at})
		}
	}
	slices.SortFunc(out, func(a, b Due[int]) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(m.seq[a.Key], m.seq[b.Key]))
	})
	for _, d := range out {
		m.cancel(d.Key)
	}
	return out
}

func (m *model) next() (time.Time, bool) {
	var best time.Time
	found := false
	for _, at := range m.at {
		if !found || at.Before(best) {
			best, found = at, true
		}
	}
	return best, found
}

// bubbleT hides the *testing.T of a synctest bubble from rapid, which would
// otherwise ask it for the test deadline, a call that bubbles forbid.
type bubbleT struct{ *testing.T }

// TestTimersProperty drives the Timers actor on a virtual clock with random
// arm / cancel / advance sequences and checks after every step that exactly
// the due keys were delivered, in time order, each once, in one batch, and
// that nothing woke up when nothing came due.
func TestTimersProperty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rapid.Check(bubbleT{t}, func(rt *rapid.T) {
			v := NewVirtual(t0)
			var c collector[int]
			tm := NewTimers(v, c.add)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tm.Run(ctx) }()
			defer func() {
				cancel()
				<-done
			}()

			m := &model{at: map[int]time.Time{}, seq: map[int]int{}}
			deliveries := uint64(0)
			rt.Repeat(map[string]func(*rapid.T){
				"arm": func(rt *rapid.T) {
					k := rapid.IntRange(0, 9).Draw(rt, "key")
					// Minutes from an hour ago (overdue) to two days ahead.
					d := time.Duration(rapid.IntRange(-60, 48*60).Draw(rt, "minutes")) * time.Minute
					at := v.Now().Add(d)
					tm.Arm(k, at)
					m.arm(k, at)
				},
				"cancel": func(rt *rapid.T) {
					k := rapid.IntRange(0, 9).Draw(rt, "key")
					_, armed := m.at[k]
					if got := tm.Cancel(k); got != armed {
						rt.Fatalf("Cancel(%d) = %v, want %v", k, got, armed)
					}
					m.cancel(k)
				},
				"advance": func(rt *rapid.T) {
					d := time.Duration(rapid.IntRange(0, 24*60).Draw(rt, "minutes")) * time.Minute
					v.Advance(d)
				},
				"next": func(rt *rapid.T) {
					want, armed := m.next()
					at, ok := v.AdvanceToNext()
					if ok != armed {
						rt.Fatalf("AdvanceToNext reports %v with %d armed", ok, len(m.at))
					}
					if armed && want.After(t0) && !at.Equal(want) && want.After(at) {
						rt.Fatalf("AdvanceToNext moved to %v, earliest deadline %v", at, want)
					}
				},
				"": func(rt *rapid.T) { // checked after every action
					synctest.Wait()
					want := m.due(v.Now())
					got := c.take()
					switch {
					case len(want) == 0 && len(got) != 0:
						rt.Fatalf("at %v delivered %v, nothing was due", v.Now(), got)
					case len(want) > 0 && len(got) != 1:
						rt.Fatalf("at %v delivered %d batches %v, want one: %v", v.Now(), len(got), got, want)
					case len(want) > 0 && !slices.Equal(got[0], want):
						rt.Fatalf("at %v delivered %v, want %v", v.Now(), got[0], want)
					}
					if len(want) > 0 {
						deliveries++
					}
					if w := tm.wakes.Load(); w != deliveries {
						rt.Fatalf("%d wake-ups for %d deliveries", w, deliveries)
					}
					if tm.Len() != len(m.at) {
						rt.Fatalf("Len = %d, model has %d", tm.Len(), len(m.at))
					}
				},
			})
		})
	})
}
