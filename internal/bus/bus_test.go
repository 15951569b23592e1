package bus

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// delta is a typical event: plain data, as the package requires.
type delta struct {
	Task  string `json:"task"`
	State string `json:"state"`
}

func indexes[E any](evs []Event[E]) []uint64 {
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.Index
	}
	return out
}

func seq(from, to uint64) []uint64 {
	var out []uint64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// drainAll drains sub and fails on an error.
func drainAll[E any](t *testing.T, sub *Subscription[E]) []uint64 {
	t.Helper()
	batch, err := sub.Drain()
	if err != nil {
		t.Fatalf("Drain: %v", err)
	}
	return slices.Clone(indexes(batch))
}

func TestPublishSubscribe(t *testing.T) {
	b := New[int](Options{Ring: 8})
	if got := b.Next(); got != 1 {
		t.Fatalf("Next on a new bus = %d, want 1", got)
	}
	all := b.Subscribe(1, nil)
	for i := range 3 {
		if got := b.Publish(i * 10); got != uint64(i+1) {
			t.Fatalf("Publish #%d returned index %d", i+1, got)
		}
	}
	live := b.Subscribe(b.Next(), nil)
	even := b.Subscribe(1, func(v int) bool { return v%20 == 0 })
	b.Publish(30)
	b.Publish(40)

	batch, err := all.Drain()
	if err != nil {
		t.Fatal(err)
	}
	want := []Event[int]{{1, 0}, {2, 10}, {3, 20}, {4, 30}, {5, 40}}
	if !slices.Equal(batch, want) {
		t.Errorf("from 1: %v, want %v", batch, want)
	}
	if got := drainAll(t, live); !slices.Equal(got, []uint64{4, 5}) {
		t.Errorf("live subscriber got %v, want [4 5]", got)
	}
	if got := drainAll(t, even); !slices.Equal(got, []uint64{1, 3, 5}) {
		t.Errorf("filtered subscriber got %v, want [1 3 5]", got)
	}
	if got := drainAll(t, all); got != nil && len(got) != 0 {
		t.Errorf("second Drain = %v, want nothing", got)
	}
}

func TestResume(t *testing.T) {
	b := New[int](Options{Ring: 4, MaxLag: 100})
	for i := range 10 {
		b.Publish(i)
	}
	// The ring holds events 7..10.
	tests := []struct {
		from uint64
		want []uint64 // nil: resync
	}{
		{7, seq(7, 10)},
		{9, seq(9, 10)},
		{11, []uint64{}}, // up to date: nothing to replay, but live
		{6, nil},         // fell out of the ring
		{1, nil},
		{0, nil},  // never saw anything: needs a snapshot
		{12, nil}, // beyond Next: the bus restarted, indexes are meaningless
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("from=", tc.from), func(t *testing.T) {
			sub := b.Subscribe(tc.from, nil)
			defer sub.Close()
			batch, err := sub.Drain()
			if tc.want == nil {
				if !errors.Is(err, ErrResync) || len(batch) != 0 {
					t.Fatalf("Drain = %v, %v; want ErrResync", batch, err)
				}
				return
			}
			if err != nil || !slices.Equal(indexes(batch), tc.want) {
				t.Fatalf("Drain = %v, %v; want %v", indexes(batch), err, tc.want)
			}
		})
	}
}

// TestSlowSubscriberIsDropped: Publish never waits for a subscriber that
// does not drain; that subscriber alone is dropped with ErrResync.
func TestSlowSubscriberIsDropped(t *testing.T) {
	b := New[int](Options{Ring: 16, MaxLag: 5})
	slow := b.Subscribe(1, nil)
	fast := b.Subscribe(1, nil)
	for i := range 1000 {
		b.Publish(i)
		if i%4 == 3 {
			if got := drainAll(t, fast); len(got) != 4 {
				t.Fatalf("fast subscriber got %v", got)
			}
		}
	}
	select {
	case <-slow.Ready():
	default:
		t.Fatal("dropped subscriber was not woken")
	}
	if batch, err := slow.Drain(); !errors.Is(err, ErrResync) || batch != nil {
		t.Fatalf("slow Drain = %v, %v; want nil, ErrResync", batch, err)
	}
	if n := b.subscribers(); n != 1 {
		t.Errorf("%d subscribers left, want 1 (the fast one)", n)
	}
	// Exactly MaxLag queued events are allowed.
	b2 := New[int](Options{Ring: 16, MaxLag: 5})
	s := b2.Subscribe(1, nil)
	for i := range 5 {
		b2.Publish(i)
	}
	if got := drainAll(t, s); !slices.Equal(got, seq(1, 5)) {
		t.Errorf("at MaxLag got %v, want 1..5", got)
	}
}

func TestEndingWakesOnceAndDeliversFirst(t *testing.T) {
	b := New[string](Options{})
	sub := b.Subscribe(1, nil)
	b.Publish("a")
	b.Publish("b")
	b.Close()
	b.Close() // harmless
	if got := b.Publish("late"); got != 0 {
		t.Errorf("Publish after Close = %d, want 0", got)
	}
	<-sub.Ready()
	if got := drainAll(t, sub); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("after Close got %v, want [1 2]", got)
	}
	select {
	case <-sub.Ready(): // re-signalled so the owner comes back for the error
	default:
		t.Fatal("no wake-up for the end of the subscription")
	}
	if _, err := sub.Drain(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Drain = %v, want ErrClosed", err)
	}
	select {
	case <-sub.Ready():
		t.Fatal("an ended, reported subscription keeps waking its owner")
	default:
	}
	if _, err := b.Subscribe(1, nil).Drain(); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe after Close: err = %v, want ErrClosed", err)
	}
}

func TestSubscriptionClose(t *testing.T) {
	b := New[int](Options{})
	a, c := b.Subscribe(1, nil), b.Subscribe(1, nil)
	b.Publish(1)
	a.Close()
	a.Close()
	if n := b.subscribers(); n != 1 {
		t.Fatalf("%d subscribers after one closed, want 1", n)
	}
	if batch, err := a.Drain(); !errors.Is(err, ErrClosed) || batch != nil {
		t.Errorf("Drain after Close = %v, %v; want nil, ErrClosed", batch, err)
	}
	b.Publish(2)
	if got := drainAll(t, c); !slices.Equal(got, []uint64{1, 2}) {
		t.Errorf("other subscriber got %v", got)
	}
}

// TestEventsAreSerialisable shows the wire form a remote subscriber sees.
func TestEventsAreSerialisable(t *testing.T) {
	b := New[delta](Options{})
	sub := b.Subscribe(1, nil)
	b.Publish(delta{Task: "20260101T00Z/foo", State: "running"})
	batch, _ := sub.Drain()
	raw, err := json.Marshal(batch[0])
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"index":1,"event":{"task":"20260101T00Z/foo","state":"running"}}`
	if string(raw) != want {
		t.Errorf("JSON %s, want %s", raw, want)
	}
	var back Event[delta]
	if err := json.Unmarshal(raw, &back); err != nil || back != batch[0] {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{0, 1, 10} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			bus := New[delta](Options{})
			subs := make([]*Subscription[delta], n)
			for i := range subs {
				subs[i] = bus.Subscribe(1, nil)
			}
			ev := delta{Task: "1/foo", State: "succeeded"}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				bus.Publish(ev)
				if i%256 == 255 {
					for _, s := range subs {
						if _, err := s.Drain(); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}
