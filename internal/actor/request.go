package actor

import "context"

// Request is a message that needs an answer: the query, plus a reply
// channel with room for exactly one answer, so the actor answering never
// blocks, even if the asker has given up waiting.
//
// A Request can travel in a mailbox of its own type, or as one variant of an
// actor's message type (a Mailbox[any], or an interface the variants share):
//
//	req := actor.NewRequest[ShowQuery, TaskInfo](q)
//	inbox.Send(req)
//	info, err := req.Wait(ctx)
//
// and on the owner's side, when handling the batch:
//
//	case actor.Request[ShowQuery, TaskInfo]:
//		m.Respond(pool.Show(m.Query), nil)
//
// Requests carry a channel, so unlike events they are in-process only; the
// API layer turns remote calls into them.
type Request[Q, A any] struct {
	Query Q
	reply chan reply[A]
}

type reply[A any] struct {
	answer A
	err    error
}

// NewRequest returns a request for q with its reply channel.
func NewRequest[Q, A any](q Q) Request[Q, A] {
	return Request[Q, A]{Query: q, reply: make(chan reply[A], 1)}
}

// Respond answers the request. Only the first answer counts; later ones are
// dropped, and Respond never blocks.
func (r Request[Q, A]) Respond(answer A, err error) {
	select {
	case r.reply <- reply[A]{answer: answer, err: err}:
	default:
	}
}

// Wait returns the answer, or ctx.Err() if ctx is done first. An owner that
// stops with requests still queued should answer them with an error, so
// askers without a deadline are not left waiting.
func (r Request[Q, A]) Wait(ctx context.Context) (A, error) {
	select {
	case rep := <-r.reply:
		return rep.answer, rep.err
	case <-ctx.Done():
		var zero A
		return zero, ctx.Err()
	}
}

// Ask sends a request for q to mb and waits for the answer. It returns
// ErrClosed if the mailbox no longer accepts messages.
func Ask[Q, A any](ctx context.Context, mb *Mailbox[Request[Q, A]], q Q) (A, error) {
	req := NewRequest[Q, A](q)
	if !mb.Send(req) {
		var zero A
		return zero, ErrClosed
	}
	return req.Wait(ctx)
}
