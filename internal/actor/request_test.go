package actor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
)

type lookup struct{ task string }

// answerer is a tiny actor that answers lookups from its mailbox.
func answerer(ctx context.Context, in *Mailbox[Request[lookup, string]]) error {
	for {
		batch, err := in.Receive(ctx)
		if err != nil {
			return nil
		}
		for _, r := range batch {
			if r.Query.task == "" {
				r.Respond("", errors.New("empty task name"))
				continue
			}
			r.Respond(strings.ToUpper(r.Query.task), nil)
		}
	}
}

func TestAsk(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := NewMailbox[Request[lookup, string]]()
		var s Supervisor
		s.Add("answerer", Func(func(ctx context.Context) error { return answerer(ctx, in) }))
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()

		tests := []struct{ task, want, err string }{
			{"foo", "FOO", ""},
			{"bar", "BAR", ""},
			{"", "", "empty task name"},
		}
		for _, tc := range tests {
			got, err := Ask(ctx, in, lookup{tc.task})
			if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
				t.Errorf("Ask(%q) = %q, %v; want %q, %q", tc.task, got, err, tc.want, tc.err)
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		in.Close()
		if _, err := Ask(t.Context(), in, lookup{"foo"}); !errors.Is(err, ErrClosed) {
			t.Errorf("Ask on closed mailbox: err = %v, want ErrClosed", err)
		}
	})
}

func TestRequestAnswersOnceWithoutBlocking(t *testing.T) {
	r := NewRequest[int, int](2)
	r.Respond(4, nil)
	r.Respond(5, nil) // dropped, must not block
	got, err := r.Wait(t.Context())
	if got != 4 || err != nil {
		t.Errorf("Wait = %d, %v; want 4, nil", got, err)
	}
}

func TestRequestWaitGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := NewRequest[int, int](2)
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() {
			_, err := r.Wait(ctx)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
		r.Respond(4, nil) // the asker is gone: answering must still not block
	})
}

// TestRequestInUnionMailbox shows a request riding in a mailbox of mixed
// message types, as the scheduler's inbox will.
func TestRequestInUnionMailbox(t *testing.T) {
	in := NewMailbox[any]()
	req := NewRequest[string, int]("count")
	in.Send("a job message")
	in.Send(req)
	handled := 0
	for _, m := range in.Drain() {
		switch m := m.(type) {
		case string:
			handled++
		case Request[string, int]:
			m.Respond(len(m.Query), nil)
		}
	}
	n, err := req.Wait(t.Context())
	if handled != 1 || n != 5 || err != nil {
		t.Errorf("handled %d, answer %d, %v; want 1, 5, nil", handled, n, err)
	}
}
