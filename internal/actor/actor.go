// Package actor is the contract every long-running part of Gyre follows, and
// the two pieces of plumbing that make it work: a Supervisor that owns the
// goroutines, and a Mailbox through which actors talk.
//
// Gyre has no main loop. Each part of the scheduler (the pool owner, the
// store, the runners, the timers, the API server) is an actor: one goroutine
// that owns its state, sleeps until something arrives in one of its
// mailboxes, handles everything that arrived as one batch and goes back to
// sleep. Nothing else touches an actor's state, so actors need no locks of
// their own, and an actor with nothing to do costs nothing.
//
// Three rules keep the system responsive and free of deadlocks:
//
//   - Sending never blocks. A Mailbox is unbounded; a sender appends and
//     moves on, so a busy receiver can never stall the sender, and two actors
//     sending to each other can never deadlock.
//   - A request that needs an answer carries its own reply channel (see
//     Request), buffered so that answering never blocks either.
//   - Every goroutine has an owner that waits for it: actors are started and
//     stopped by a Supervisor, in reverse order on shutdown, so that an actor
//     is only stopped after everything that depends on it (the store, which
//     must flush the last transaction, is added first and stops last).
package actor

import "context"

// Actor is a long-running part of the system. Run does the actor's work
// until ctx is cancelled, then returns promptly. Returning nil after ctx is
// cancelled is a clean stop; returning before that (with or without an
// error) ends the whole supervised group, because a system with a missing
// part cannot carry on.
type Actor interface {
	Run(ctx context.Context) error
}

// Func adapts a plain function to the Actor interface.
type Func func(ctx context.Context) error

// Run calls f(ctx).
func (f Func) Run(ctx context.Context) error { return f(ctx) }

// Starter is implemented by actors that must be ready before the actors
// added after them start (the store opens its database before the scheduler
// loads the pool from it). The Supervisor calls Start synchronously, in
// order, before launching Run; an error aborts the start-up.
type Starter interface {
	Start(ctx context.Context) error
}
