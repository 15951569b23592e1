package api

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
)

// downServer starts and stops a server, leaving a contact for an address
// where nothing listens, and returns a function that starts a new server
// at the same address.
func downServer(t *testing.T, h Handler) (Contact, func()) {
	t.Helper()
	ts := startServer(t, h, Options{})
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}
	port := ts.Port()
	restart := func() {
		startServerIn(t, ts.dir, ts.creds, h, Options{TCPAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	}
	return ts.tlsContact(), restart
}

func TestSendMessagesRetries(t *testing.T) {
	h := &fakeHandler{}
	c, restart := downServer(t, h)
	cl := dial(t, c)
	clock := newFakeClock()
	clock.onWait = func(n int) {
		if n == 2 {
			restart()
		}
	}
	cl.retry.wait, cl.retry.now = clock.Wait, clock.Now
	m := JobMessage{Workflow: "w", Job: "1/a/01", Messages: []TaskMessage{{"t", "INFO", "x"}}}
	if err := cl.SendMessages(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := h.received(); len(got) != 1 || got[0].Messages[0].Text != "x" {
		t.Errorf("received %+v", got)
	}
	if n := len(clock.Waits()); n != 2 {
		t.Errorf("%d pauses, want 2", n)
	}
}

func TestCommandRetries(t *testing.T) {
	h := &fakeHandler{}
	c, restart := downServer(t, h)
	cl := dial(t, c)
	clock := newFakeClock()
	clock.onWait = func(n int) {
		if n == 1 {
			restart()
		}
	}
	cl.retry.wait, cl.retry.now = clock.Wait, clock.Now
	ctx := context.Background()
	var out map[string]any
	if err := cl.Command(ctx, "echo", map[string]int{"n": 1}, &out); err != nil {
		t.Fatalf("command after the scheduler came up: %v", err)
	}
	if len(clock.Waits()) != 1 {
		t.Errorf("pauses %v, want 1", clock.Waits())
	}

	// "Unavailable" is retried until the context ends...
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock = newFakeClock()
	cl.retry.wait, cl.retry.now = clock.Wait, clock.Now
	clock.onWait = func(n int) {
		if n == 4 {
			cancel()
		}
	}
	err := cl.Command(ctx, "busy", nil, nil)
	var g *gaveUpError
	if !errors.As(err, &g) || g.attempts != 4 || !strings.Contains(err.Error(), "starting up") {
		t.Errorf("busy scheduler: %v, want giving up after 4 attempts", err)
	}
	// ...but a refusal is not.
	before := len(clock.Waits())
	err = cl.Command(context.Background(), "refuse", nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeConflict || len(clock.Waits()) != before {
		t.Errorf("refused command: %v after %d pauses", err, len(clock.Waits())-before)
	}
}

func TestBackoffDelays(t *testing.T) {
	b := defaultBackoff()
	want := []int{100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000}
	for n, ms := range want {
		if got := b.delay(n); got.Milliseconds() != int64(ms) {
			t.Errorf("delay(%d) = %v, want %dms", n, got, ms)
		}
	}
	for range 100 {
		if d := halfJitter(b.max); d < b.max/2 || d > b.max {
			t.Fatalf("halfJitter(%v) = %v", b.max, d)
		}
	}
}

func TestErrorStatusMapping(t *testing.T) {
	for code, status := range codeStatus {
		if got := (&Error{Code: code}).status(); got != status {
			t.Errorf("%s: status %d, want %d", code, got, status)
		}
		if got := codeFor(status); got != code {
			t.Errorf("codeFor(%d) = %s, want %s", status, got, code)
		}
	}
	if got := codeFor(502); got != CodeUnavailable {
		t.Errorf("codeFor(502) = %s: a gateway error should be retried", got)
	}
	if got := (&Error{Code: "odd"}).status(); got != 500 {
		t.Errorf("unknown code status %d", got)
	}
}
