package actor

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// Supervisor starts a group of named actors in the order they were added and
// stops them in reverse order. The zero value is ready to use.
//
// Each actor gets a context of its own, derived from the one given to Run
// without its cancellation (values are kept). On shutdown the supervisor
// cancels the last actor's context, waits for its Run to return, then does
// the same for the one before it, and so on: an actor is never stopped while
// an actor started after it (which may depend on it) is still running.
type Supervisor struct {
	mu      sync.Mutex
	members []member
	started bool
}

type member struct {
	name  string
	actor Actor
}

// exit is what a member's goroutine reports when its Run returns.
type exit struct {
	index int
	err   error
}

// Add appends a named actor to the group. Names appear in errors and must be
// unique. Add panics if the supervisor is already running: the set of parts
// of the system is fixed before it starts, and adding one later is a bug in
// the caller, not bad input.
func (s *Supervisor) Add(name string, a Actor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		panic(fmt.Sprintf("actor: Supervisor.Add(%q) after Run", name))
	}
	s.members = append(s.members, member{name: name, actor: a})
}

// Run starts every actor in order and blocks until ctx is cancelled or any
// actor's Run returns; it then stops all actors in reverse order and returns.
//
// The result is the first error: the one of the actor that ended the group,
// else the first error returned while stopping. An actor returning an error
// that wraps context.Canceled after its context was cancelled is a clean
// stop, not an error; so is an actor returning nil at any time. An empty
// group returns at once. A panic in
// an actor is recovered and reported as that actor's error, so the others
// (above all the store) still stop cleanly. Run may be called only once.
func (s *Supervisor) Run(ctx context.Context) error {
	members, err := s.begin()
	if err != nil {
		return err
	}
	base := context.WithoutCancel(ctx)
	cancels := make([]context.CancelFunc, 0, len(members))
	dones := make([]chan exit, 0, len(members))
	exits := make(chan exit, len(members))

	var first error
	for i, m := range members {
		if ctx.Err() != nil {
			break
		}
		if st, ok := m.actor.(Starter); ok {
			if err := callStart(st, ctx); err != nil {
				first = fmt.Errorf("actor %q: start: %w", m.name, err)
				break
			}
		}
		actx, cancel := context.WithCancel(base)
		done := make(chan exit, 1)
		cancels = append(cancels, cancel)
		dones = append(dones, done)
		go func() {
			e := exit{index: i, err: callRun(m.actor, actx)}
			done <- e
			exits <- e
		}()
		// An actor that has already given up ends the start-up: starting
		// the rest only to stop them at once would do work for nothing.
		if len(exits) > 0 {
			break
		}
	}

	if first == nil && len(dones) > 0 {
		select {
		case <-ctx.Done():
		case e := <-exits:
			first = failure(members[e.index].name, e.err, false)
		}
	}
	for i := len(dones) - 1; i >= 0; i-- {
		cancels[i]()
		e := <-dones[i]
		if err := failure(members[i].name, e.err, true); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// begin validates the group and marks the supervisor as running.
func (s *Supervisor) begin() ([]member, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return nil, errors.New("actor: Supervisor.Run called twice; a supervisor runs its group once")
	}
	s.started = true
	seen := make(map[string]bool, len(s.members))
	for i, m := range s.members {
		switch {
		case m.name == "":
			return nil, fmt.Errorf("actor: member %d has an empty name; give every actor a name for its errors", i)
		case m.actor == nil:
			return nil, fmt.Errorf("actor: %q is a nil Actor", m.name)
		case seen[m.name]:
			return nil, fmt.Errorf("actor: name %q added twice; names must be unique", m.name)
		}
		seen[m.name] = true
	}
	return s.members, nil
}

// failure turns an actor's result into the supervisor's error, or nil for a
// clean stop. stopping says whether the supervisor had cancelled the actor.
func failure(name string, err error, stopping bool) error {
	if err == nil || (stopping && errors.Is(err, context.Canceled)) {
		return nil
	}
	return fmt.Errorf("actor %q: %w", name, err)
}

// panicError carries a recovered panic and the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic: %v\n%s", p.value, p.stack)
}

func callRun(a Actor, ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return a.Run(ctx)
}

func callStart(s Starter, ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return s.Start(ctx)
}
