package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fakeHandler is the scheduler as the tests see it: it records messages,
// answers a few commands and serves a fixed event log.
type fakeHandler struct {
	mu     sync.Mutex
	msgs   []JobMessage
	got    chan JobMessage // if not nil, receives every batch
	msgErr error

	events    []Event  // events[i].ID == first+i
	first     uint64   // the oldest index still held
	dropAfter int      // > 0: end each subscription after this many events
	froms     []uint64 // the from of each subscription
}

func (f *fakeHandler) Messages(ctx context.Context, m JobMessage) error {
	f.mu.Lock()
	err := f.msgErr
	if err == nil {
		f.msgs = append(f.msgs, m)
	}
	f.mu.Unlock()
	if err == nil && f.got != nil {
		f.got <- m
	}
	return err
}

func (f *fakeHandler) received() []JobMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]JobMessage(nil), f.msgs...)
}

func (f *fakeHandler) Command(ctx context.Context, name string, args json.RawMessage) (any, error) {
	switch name {
	case "echo":
		if args == nil {
			return map[string]any{"args": nil}, nil
		}
		return map[string]any{"args": args}, nil
	case "refuse":
		return nil, Errorf(CodeConflict, "workflow is paused")
	case "busy":
		return nil, Errorf(CodeUnavailable, "starting up")
	case "crash":
		return nil, errors.New("pool exploded")
	case "unsendable":
		return func() {}, nil
	}
	return nil, Errorf(CodeNotFound, "no command %q", name)
}

func (f *fakeHandler) Stream(ctx context.Context, from uint64) (<-chan Event, error) {
	f.mu.Lock()
	f.froms = append(f.froms, from)
	events, first, drop := f.events, f.first, f.dropAfter
	f.mu.Unlock()
	if from > first+uint64(len(events)) {
		return nil, Errorf(CodeBadRequest, "from=%d is in the future (next index %d)", from, first+uint64(len(events)))
	}
	ch := make(chan Event)
	go func() {
		defer close(ch)
		send := func(ev Event) bool {
			select {
			case ch <- ev:
				return true
			case <-ctx.Done():
				return false
			}
		}
		if from < first {
			if !send(Event{ID: first - 1, Name: EventResync, Data: json.RawMessage(`{"reason":"too old"}`)}) {
				return
			}
			from = first
		}
		sent := 0
		for _, ev := range events[from-first:] {
			if drop > 0 && sent == drop {
				return // the connection "drops"
			}
			if !send(ev) {
				return
			}
			sent++
		}
		<-ctx.Done() // live: nothing more happens
	}()
	return ch, nil
}

// testServer is a running server with its run's service directory.
type testServer struct {
	*Server
	dir     string // the .service directory
	creds   *Credentials
	contact Contact
	stop    func() error
}

// startServer starts a server for h with credentials and a unix socket in a
// fresh service directory, and writes its contact file.
func startServer(t testing.TB, h Handler, opts Options) *testServer {
	t.Helper()
	dir := filepath.Join(t.TempDir(), ".service")
	creds, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	return startServerIn(t, dir, creds, h, opts)
}

func startServerIn(t testing.TB, dir string, creds *Credentials, h Handler, opts Options) *testServer {
	t.Helper()
	opts.Credentials = creds
	if opts.SocketPath == "" {
		opts.SocketPath = filepath.Join(dir, "gyre.sock")
	}
	s, err := NewServer(h, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := s.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("server Run: %v", err)
		}
	})
	host, _ := os.Hostname()
	contact := Contact{
		WorkflowID: opts.WorkflowID, Host: host, PID: os.Getpid(), Port: s.Port(),
		API: APIVersion, Socket: s.SocketPath(), URL: s.URL(), Fingerprint: creds.Fingerprint,
	}
	if err := WriteContact(dir, contact); err != nil {
		t.Fatal(err)
	}
	contact.TokenFile = filepath.Join(dir, TokenFileName)
	return &testServer{Server: s, dir: dir, creds: creds, contact: contact, stop: stop}
}

// tlsContact is how a job on another host sees the server: no socket.
func (ts *testServer) tlsContact() Contact {
	c := ts.contact
	c.Socket = ""
	return c
}

func dial(t testing.TB, c Contact) *Client {
	t.Helper()
	cl, err := Dial(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// fakeClock is a clock that moves only when the code under test waits.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	// onWait, if set, runs at each wait (with the wait's number, from 1)
	// before time moves on.
	onWait func(n int)
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Wait(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	n := len(c.waits)
	f := c.onWait
	c.mu.Unlock()
	if f != nil {
		f(n)
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return string(b)
}
