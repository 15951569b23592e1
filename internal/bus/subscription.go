package bus

import (
	"context"
	"sync"
)

// maxSpare bounds the capacity of a batch slice kept for reuse.
const maxSpare = 4096

// Subscription is one subscriber's queue of events. Its owner waits on
// Ready and takes everything queued with Drain, or simply calls Receive:
//
//	for {
//		batch, err := sub.Receive(ctx)
//		if errors.Is(err, bus.ErrResync) {
//			snap, at := source.Snapshot()
//			show(snap)
//			sub = b.Subscribe(at+1, filter)
//			continue
//		}
//		if err != nil {
//			return err
//		}
//		for _, ev := range batch {
//			apply(ev.Value) // ev.Index is what to resume from, plus one
//		}
//	}
type Subscription[E any] struct {
	bus    *Bus[E]
	filter func(E) bool
	pos    int // position in bus.subs, or -1; guarded by bus.mu

	mu       sync.Mutex
	queue    []Event[E]
	spare    []Event[E]
	err      error // ErrResync or ErrClosed once the subscription has ended
	reported bool  // err has been returned by Drain
	ready    chan struct{}
}

// Ready is signalled when events are queued or the subscription has ended.
func (s *Subscription[E]) Ready() <-chan struct{} { return s.ready }

// Drain takes every queued event, in index order. Once the subscription
// has ended and its queue is empty it returns ErrResync or ErrClosed (see
// those); nil, nil means nothing is queued. The batch belongs to the caller
// until its next Drain or Receive, which reuses its array.
func (s *Subscription[E]) Drain() ([]Event[E], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.ready:
	default:
	}
	clear(s.spare)
	if cap(s.spare) > maxSpare {
		s.spare = nil
	}
	batch := s.queue
	s.queue = s.spare[:0]
	s.spare = batch
	if len(batch) > 0 {
		if s.err != nil && !s.reported {
			s.signal() // come back for the error
		}
		return batch, nil
	}
	if s.err != nil {
		s.reported = true
		return nil, s.err
	}
	return nil, nil
}

// Receive waits for the next batch of events, for subscribers that wait on
// nothing else. It returns ErrResync or ErrClosed when the subscription has
// ended, and ctx.Err() when ctx is done.
func (s *Subscription[E]) Receive(ctx context.Context) ([]Event[E], error) {
	for {
		batch, err := s.Drain()
		if len(batch) > 0 || err != nil {
			return batch, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.ready:
		}
	}
}

// Close ends the subscription: queued events are discarded and Drain
// returns ErrClosed. Subscribers must close subscriptions they abandon, or
// the bus keeps queueing for them until they are dropped for lagging.
func (s *Subscription[E]) Close() {
	s.bus.mu.Lock()
	s.bus.detach(s)
	s.bus.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = ErrClosed
	}
	s.reported = true // the owner knows: do not wake it
	clear(s.queue)
	s.queue = s.queue[:0]
}

// push queues e and reports whether the subscriber keeps up; if its queue
// already holds maxLag events it is ended with ErrResync instead. Callers
// hold bus.mu.
func (s *Subscription[E]) push(e Event[E], maxLag int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false
	}
	if len(s.queue) >= maxLag {
		s.endLocked(ErrResync)
		return false
	}
	s.queue = append(s.queue, e)
	s.signal()
	return true
}

// end ends the subscription with err (ErrResync or ErrClosed).
func (s *Subscription[E]) end(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endLocked(err)
}

func (s *Subscription[E]) endLocked(err error) {
	if s.err != nil {
		return
	}
	s.err = err
	if err == ErrResync {
		// The subscriber will rebuild from a snapshot: the events it has
		// not taken yet are of no use to it, so free them now.
		clear(s.queue)
		s.queue = s.queue[:0]
	}
	s.signal()
}

// signal posts the wake-up unless one is pending. Callers hold s.mu.
func (s *Subscription[E]) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}
