package bus

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
)

// counter is an event source: its state is the sum of the values it has
// published, and it can hand out a snapshot with the index it is current to.
type counter struct {
	mu  sync.Mutex
	bus *Bus[int]
	sum int
}

func (c *counter) add(v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sum += v
	c.bus.Publish(v)
}

func (c *counter) snapshot() (sum int, at uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sum, c.bus.Next() - 1
}

// TestSubscriberResyncsFromSnapshot runs a publisher that bursts faster
// than a subscriber can keep up with. The subscriber is dropped again and
// again, rebuilds from a snapshot each time, and must end with exactly the
// source's state, having seen every event after each snapshot in order.
func TestSubscriberResyncsFromSnapshot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := &counter{bus: New[int](Options{Ring: 8, MaxLag: 8})}
		type result struct {
			sum, resyncs int
			err          error
		}
		res := make(chan result, 1)
		go func() {
			sum, at := src.snapshot()
			sub := src.bus.Subscribe(at+1, nil)
			resyncs := 0
			for {
				batch, err := sub.Receive(context.Background())
				switch {
				case errors.Is(err, ErrResync):
					resyncs++
					sum, at = src.snapshot()
					sub = src.bus.Subscribe(at+1, nil)
					continue
				case errors.Is(err, ErrClosed):
					res <- result{sum, resyncs, nil}
					return
				case err != nil:
					res <- result{err: err}
					return
				}
				for _, ev := range batch {
					if ev.Index != at+1 {
						res <- result{err: errors.New("gap or reordering in the event sequence")}
						return
					}
					at = ev.Index
					sum += ev.Value
				}
			}
		}()
		// Bursts of 1..20 events, letting the subscriber run in between:
		// bursts over 8 overflow it.
		for round := range 200 {
			for i := range round%20 + 1 {
				src.add(round*100 + i)
			}
			synctest.Wait()
		}
		src.bus.Close()
		r := <-res
		if r.err != nil {
			t.Fatal(r.err)
		}
		if want, _ := src.snapshot(); r.sum != want {
			t.Errorf("subscriber ended with %d, source has %d", r.sum, want)
		}
		// Only rounds with bursts of 9..20 events (12 of every 20) can
		// overflow; the subscriber runs in parallel and may keep up with
		// some of them.
		if r.resyncs == 0 || r.resyncs > 120 {
			t.Errorf("%d resyncs, want 1..120", r.resyncs)
		}
	})
}

// TestManyPublishers: indexes are unique and each subscriber sees them all
// in order, whatever the interleaving of publishers.
func TestManyPublishers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const publishers, each = 4, 250
		b := New[int](Options{Ring: 16, MaxLag: publishers * each})
		subs := []*Subscription[int]{b.Subscribe(1, nil), b.Subscribe(1, func(v int) bool { return v%2 == 0 })}
		var wg sync.WaitGroup
		for p := range publishers {
			wg.Go(func() {
				for i := range each {
					b.Publish(p*each + i)
				}
			})
		}
		wg.Wait()
		b.Close()
		for n, sub := range subs {
			var last uint64
			count := 0
			seen := map[int]bool{}
			for {
				batch, err := sub.Receive(t.Context())
				if errors.Is(err, ErrClosed) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, ev := range batch {
					if ev.Index <= last {
						t.Fatalf("subscriber %d: index %d after %d", n, ev.Index, last)
					}
					last = ev.Index
					seen[ev.Value] = true
					count++
				}
			}
			want := publishers * each
			if n == 1 {
				want /= 2
			}
			if count != want || len(seen) != want {
				t.Errorf("subscriber %d: %d events (%d distinct), want %d", n, count, len(seen), want)
			}
		}
	})
}
