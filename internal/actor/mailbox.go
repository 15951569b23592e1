package actor

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned when a mailbox has been closed and everything sent
// before Close has been received.
var ErrClosed = errors.New("actor: mailbox closed")

// maxSpare bounds the capacity of a batch slice kept for reuse, so that one
// burst of messages does not pin a large array for the life of the actor.
const maxSpare = 4096

// Mailbox is an unbounded queue with one receiver (its owner) and any number
// of senders. Send never blocks: it appends under a mutex and posts a signal
// on a one-slot channel. The owner waits on Ready, typically in a select
// together with its other inputs, and takes everything queued at once with
// Drain, so a burst of N messages costs one wake-up, not N.
//
// The owner's loop looks like this:
//
//	for {
//		select {
//		case <-ctx.Done():
//			return nil
//		case <-mb.Ready():
//		}
//		closed := mb.Closed() // read before Drain: nothing sent before Close is lost
//		for _, msg := range mb.Drain() {
//			handle(msg)
//		}
//		if closed {
//			return nil
//		}
//	}
//
// Ready fires only when there is something to Drain or the mailbox was just
// closed: Drain consumes a pending signal, so the owner never wakes to an
// empty batch left over from messages it already took.
type Mailbox[T any] struct {
	mu     sync.Mutex
	items  []T
	spare  []T
	closed bool
	ready  chan struct{}
}

// NewMailbox returns an empty, open mailbox.
func NewMailbox[T any]() *Mailbox[T] {
	return &Mailbox[T]{ready: make(chan struct{}, 1)}
}

// Send queues v for the owner and reports whether it was accepted; it is
// refused only after Close. Send never blocks.
func (m *Mailbox[T]) Send(v T) bool {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return false
	}
	m.items = append(m.items, v)
	m.signal()
	m.mu.Unlock()
	return true
}

// signal posts the wake-up, unless one is already pending. Callers hold mu.
func (m *Mailbox[T]) signal() {
	select {
	case m.ready <- struct{}{}:
	default:
	}
}

// Ready is signalled when messages are waiting or the mailbox was closed.
func (m *Mailbox[T]) Ready() <-chan struct{} { return m.ready }

// Drain takes every queued message, oldest first. The returned slice belongs
// to the owner until its next call to Drain or Receive, which reuses its
// array: handle the whole batch before draining again, and copy anything
// that must be kept longer. Drain returns nil when nothing is queued. Only
// the owner may call it.
func (m *Mailbox[T]) Drain() []T {
	batch, _ := m.take()
	return batch
}

// take swaps the queue with the spare slice and consumes a pending signal.
func (m *Mailbox[T]) take() (batch []T, closed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	select {
	case <-m.ready:
	default:
	}
	// The previous batch is finished with by contract: recycle it, cleared
	// so that it holds no references the garbage collector must keep.
	clear(m.spare)
	batch = m.items
	if cap(m.spare) > maxSpare {
		m.spare = nil
	}
	m.items = m.spare[:0]
	m.spare = batch
	if len(batch) == 0 {
		batch = nil
	}
	return batch, m.closed
}

// Receive waits for and returns the next non-empty batch, for owners that
// wait on nothing else. It returns ErrClosed once the mailbox is closed and
// drained, or ctx.Err() when ctx is done. The batch is reused as for Drain.
func (m *Mailbox[T]) Receive(ctx context.Context) ([]T, error) {
	for {
		batch, closed := m.take()
		switch {
		case len(batch) > 0:
			return batch, nil
		case closed:
			return nil, ErrClosed
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-m.ready:
		}
	}
}

// Close marks the end of the conversation. It is how a sender tells the
// owner it is gone, and how an owner that stops tells senders not to bother:
// later Sends are refused, the owner is woken one last time, and messages
// already queued can still be drained. Closing twice is harmless.
func (m *Mailbox[T]) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		m.closed = true
		m.signal()
	}
}

// Closed reports whether Close has been called. Read it before Drain to know
// that the batch about to be drained is the last one.
func (m *Mailbox[T]) Closed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

// Len is the number of messages queued, for metrics and tests; it is stale
// as soon as it returns.
func (m *Mailbox[T]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
