// Package bus is Gyre's in-process publish/subscribe of typed events.
//
// The scheduler publishes what changed (a task's state, a new job, a
// workflow status) and anyone interested subscribes: the store, the API
// streams feeding the terminal and web UIs, the event-handler runner. Every
// event gets the next index of a monotonic sequence, and the bus keeps the
// most recent ones in a ring, so a subscriber that lost its connection can
// resume from the last index it saw without missing anything.
//
// Publishing never waits for subscribers. Each subscription has its own
// unbounded queue, drained in batches like an actor mailbox; a subscriber
// that falls too far behind is dropped and told to resync: it fetches a
// snapshot from the event source (which reports the index the snapshot is
// current to) and subscribes again from the index after it. A stuck UI
// therefore costs memory for at most MaxLag events and never slows the
// scheduler.
//
// Events must be plain, serialisable data: structs of strings, numbers,
// times and slices or maps of them, with no channels, functions or pointers
// to state that someone else mutates. The same value is handed to every
// subscriber and kept in the ring for replays, so nobody may modify an event
// after publishing or receiving it; and because it is plain data, a
// subscriber can as well sit in another process and receive it as JSON over
// the network API.
package bus

import (
	"errors"
	"sync"
)

// Event is a published value with its index in the bus's sequence. Indexes
// start at 1 and increase by one per Publish; 0 means "no event".
type Event[E any] struct {
	Index uint64 `json:"index"`
	Value E      `json:"event"`
}

// ErrResync tells a subscriber it has missed events: the index it asked
// for is no longer in the ring, or it fell more than MaxLag events behind.
// It should fetch a snapshot from the event source and subscribe again from
// the index after the snapshot's.
var ErrResync = errors.New("bus: events were missed; resync from a snapshot and subscribe again")

// ErrClosed is returned to subscribers once the bus is closed and every
// event published before that has been delivered, or once the subscriber
// closed its own subscription.
var ErrClosed = errors.New("bus: closed")

// Options size a bus. Zero fields take the defaults.
type Options struct {
	// Ring is how many recent events are kept for subscribers resuming
	// from an index (default 4096).
	Ring int
	// MaxLag is how many undelivered events a subscriber may have queued
	// before it is dropped with ErrResync (default 16384). It should be at
	// least Ring, so that resuming from the oldest retained event does not
	// drop the subscriber at once.
	MaxLag int
}

// Bus is a publish/subscribe channel for events of type E; see the package
// documentation. It is safe for concurrent use.
type Bus[E any] struct {
	mu     sync.Mutex
	ring   []Event[E] // event i lives at ring[i % len(ring)]
	next   uint64     // index the next Publish assigns
	subs   []*Subscription[E]
	maxLag int
	closed bool
}

// New returns an empty bus.
func New[E any](opts Options) *Bus[E] {
	if opts.Ring <= 0 {
		opts.Ring = 4096
	}
	if opts.MaxLag <= 0 {
		opts.MaxLag = 16384
	}
	return &Bus[E]{ring: make([]Event[E], opts.Ring), next: 1, maxLag: opts.MaxLag}
}

// Publish assigns ev the next index, keeps it in the ring and queues it for
// every subscriber whose filter accepts it. It never blocks on subscribers:
// one whose queue is full is dropped instead. Publish returns the index, or
// 0 if the bus is closed.
func (b *Bus[E]) Publish(ev E) uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0
	}
	e := Event[E]{Index: b.next, Value: ev}
	b.next++
	b.ring[e.Index%uint64(len(b.ring))] = e
	for i := 0; i < len(b.subs); {
		s := b.subs[i]
		if s.filter != nil && !s.filter(ev) {
			i++
			continue
		}
		if s.push(e, b.maxLag) {
			i++
			continue
		}
		b.detach(s) // moves the last subscriber to i
	}
	return e.Index
}

// Next is the index the next Publish will assign. A source taking a
// snapshot records Next()-1 as the index the snapshot is current to.
func (b *Bus[E]) Next() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.next
}

// oldest is the index of the oldest event still in the ring. Callers hold mu.
func (b *Bus[E]) oldest() uint64 {
	if n := uint64(len(b.ring)); b.next > n {
		return b.next - n
	}
	return 1
}

// Subscribe returns a subscription to the events with index from onwards
// that filter accepts (a nil filter accepts all). Events still in the ring
// are replayed first; Subscribe(b.Next(), f) receives only new events.
//
// If from is older than the ring, the subscription starts in the resync
// state. So it does if from is beyond Next: the subscriber is resuming
// against a bus that has restarted and numbers events afresh.
//
// filter runs inside Publish, under the bus lock: it must be quick and must
// not call the bus.
func (b *Bus[E]) Subscribe(from uint64, filter func(E) bool) *Subscription[E] {
	s := &Subscription[E]{bus: b, filter: filter, pos: -1, ready: make(chan struct{}, 1)}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.closed:
		s.end(ErrClosed)
		return s
	case from == 0 || from < b.oldest() || from > b.next:
		s.end(ErrResync)
		return s
	}
	for i := from; i < b.next; i++ {
		e := b.ring[i%uint64(len(b.ring))]
		if filter != nil && !filter(e.Value) {
			continue
		}
		if !s.push(e, b.maxLag) {
			return s
		}
	}
	s.pos = len(b.subs)
	b.subs = append(b.subs, s)
	return s
}

// Close ends the bus: Publish becomes a no-op, and each subscriber receives
// the events already queued for it and then ErrClosed. Closing twice is
// harmless.
func (b *Bus[E]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for _, s := range b.subs {
		s.end(ErrClosed)
	}
	b.subs = nil
}

// detach removes s from the subscriber list in O(1). Callers hold mu.
func (b *Bus[E]) detach(s *Subscription[E]) {
	i, last := s.pos, len(b.subs)-1
	if i < 0 || i > last || b.subs[i] != s {
		return
	}
	b.subs[i] = b.subs[last]
	b.subs[i].pos = i
	b.subs[last] = nil
	b.subs = b.subs[:last]
	s.pos = -1
}

// subscribers is the number of live subscriptions, for tests.
func (b *Bus[E]) subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}
