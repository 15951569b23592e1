package actor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
)

// journal records what the test actors do, in the order they do it.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, fmt.Sprintf(format, args...))
}

func (j *journal) get() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.lines)
}

// probe is a configurable test actor.
type probe struct {
	name     string
	j        *journal
	startErr error         // returned by Start
	runErr   error         // returned by Run as soon as it starts, if set
	stopErr  error         // returned by Run when cancelled
	quit     chan struct{} // closing it makes Run return runErr early
	panicMsg string        // Run panics with this, if set
}

func (p *probe) Start(ctx context.Context) error {
	p.j.add("start %s", p.name)
	return p.startErr
}

func (p *probe) Run(ctx context.Context) error {
	if p.panicMsg != "" {
		panic(p.panicMsg)
	}
	if p.runErr != nil && p.quit == nil {
		p.j.add("fail %s", p.name)
		return p.runErr
	}
	select {
	case <-ctx.Done():
		p.j.add("stop %s", p.name)
		return p.stopErr
	case <-p.quit:
		p.j.add("quit %s", p.name)
		return p.runErr
	}
}

func TestSupervisorStartsInOrderStopsInReverse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		j := &journal{}
		var s Supervisor
		for _, n := range []string{"store", "timers", "scheduler"} {
			s.Add(n, &probe{name: n, j: j})
		}
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() { errc <- s.Run(ctx) }()
		synctest.Wait() // all three are running and blocked
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("Run after cancel = %v, want nil", err)
		}
		want := []string{
			"start store", "start timers", "start scheduler",
			"stop scheduler", "stop timers", "stop store",
		}
		if got := j.get(); !slices.Equal(got, want) {
			t.Errorf("journal\n got %q\nwant %q", got, want)
		}
	})
}

// TestSupervisorWaitsForEachActor checks that an actor is only cancelled
// once every actor after it has returned, even when those take a while.
func TestSupervisorWaitsForEachActor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var firstCancelled bool
		var mu sync.Mutex
		var s Supervisor
		s.Add("first", Func(func(ctx context.Context) error {
			<-ctx.Done()
			mu.Lock()
			firstCancelled = true
			mu.Unlock()
			return ctx.Err()
		}))
		s.Add("slow", Func(func(ctx context.Context) error {
			<-ctx.Done()
			<-release // a slow flush
			return nil
		}))
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() { errc <- s.Run(ctx) }()
		synctest.Wait()
		cancel()
		synctest.Wait() // "slow" is cancelled and stuck in its flush
		mu.Lock()
		early := firstCancelled
		mu.Unlock()
		if early {
			t.Fatal(`"first" was cancelled while "slow", started after it, was still running`)
		}
		close(release)
		if err := <-errc; err != nil {
			t.Fatalf("Run = %v, want nil (context.Canceled on stop is clean)", err)
		}
		if !firstCancelled {
			t.Error(`"first" was never stopped`)
		}
	})
}

func TestSupervisorEndings(t *testing.T) {
	boom := errors.New("boom")
	flush := errors.New("flush failed")
	tests := []struct {
		name    string
		probes  []*probe
		trigger string // probe whose quit channel is closed after start-up; "" cancels ctx
		wantErr string // substring of the error, "" for nil
		wantIs  error
		want    []string
	}{
		{
			name:    "first error stops the rest in reverse",
			probes:  []*probe{{name: "a"}, {name: "b", runErr: boom}, {name: "c"}},
			trigger: "b",
			wantErr: `actor "b": boom`, wantIs: boom,
			want: []string{"start a", "start b", "start c", "quit b", "stop c", "stop a"},
		},
		{
			name:    "an actor returning nil ends the group cleanly",
			probes:  []*probe{{name: "a"}, {name: "b"}, {name: "c"}},
			trigger: "a",
			want:    []string{"start a", "start b", "start c", "quit a", "stop c", "stop b"},
		},
		{
			name:    "an error while stopping is reported",
			probes:  []*probe{{name: "store", stopErr: flush}, {name: "sched"}},
			wantErr: `actor "store": flush failed`, wantIs: flush,
			want: []string{"start store", "start sched", "stop sched", "stop store"},
		},
		{
			name:    "the triggering error wins over errors while stopping",
			probes:  []*probe{{name: "store", stopErr: flush}, {name: "sched", runErr: boom}},
			trigger: "sched",
			wantErr: `actor "sched": boom`, wantIs: boom,
			want: []string{"start store", "start sched", "quit sched", "stop store"},
		},
		{
			name:   "context.Canceled on stop is clean",
			probes: []*probe{{name: "a", stopErr: fmt.Errorf("wrapped: %w", context.Canceled)}},
			want:   []string{"start a", "stop a"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				j := &journal{}
				var s Supervisor
				for _, p := range tc.probes {
					p.j = j
					p.quit = make(chan struct{})
					s.Add(p.name, p)
				}
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				errc := make(chan error, 1)
				go func() { errc <- s.Run(ctx) }()
				synctest.Wait()
				if tc.trigger == "" {
					cancel()
				} else {
					for _, p := range tc.probes {
						if p.name == tc.trigger {
							close(p.quit)
						}
					}
				}
				err := <-errc
				checkErr(t, err, tc.wantErr, tc.wantIs)
				if got := j.get(); !slices.Equal(got, tc.want) {
					t.Errorf("journal\n got %q\nwant %q", got, tc.want)
				}
			})
		})
	}
}

func TestSupervisorStartFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		j := &journal{}
		bad := errors.New("database is locked")
		var s Supervisor
		s.Add("store", &probe{name: "store", j: j})
		s.Add("runner", &probe{name: "runner", j: j, startErr: bad})
		s.Add("sched", &probe{name: "sched", j: j})
		err := s.Run(t.Context())
		checkErr(t, err, `actor "runner": start: database is locked`, bad)
		want := []string{"start store", "start runner", "stop store"}
		if got := j.get(); !slices.Equal(got, want) {
			t.Errorf("journal\n got %q\nwant %q", got, want)
		}
	})
}

// TestSupervisorEarlyExitDuringStartup: an actor that fails at once ends
// the group; whatever had started is stopped in reverse order. (Whether "c"
// starts at all depends on whether "b" has already exited when the
// supervisor checks, so both outcomes are accepted, but must be consistent.)
func TestSupervisorEarlyExitDuringStartup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		j := &journal{}
		bad := errors.New("no such host")
		var s Supervisor
		s.Add("a", &probe{name: "a", j: j})
		s.Add("b", Func(func(ctx context.Context) error { return bad }))
		s.Add("c", &probe{name: "c", j: j})
		err := s.Run(t.Context())
		checkErr(t, err, `actor "b": no such host`, bad)
		got := j.get()
		want := []string{"start a", "stop a"}
		if slices.Contains(got, "start c") {
			want = []string{"start a", "start c", "stop c", "stop a"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("journal\n got %q\nwant %q", got, want)
		}
	})
}

func TestSupervisorPanicBecomesError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		j := &journal{}
		var s Supervisor
		s.Add("store", &probe{name: "store", j: j})
		s.Add("xtrigger", &probe{name: "xtrigger", j: j, panicMsg: "index out of range"})
		err := s.Run(t.Context())
		checkErr(t, err, `actor "xtrigger": panic: index out of range`, nil)
		if err != nil && !strings.Contains(err.Error(), "supervisor_test.go") {
			t.Errorf("panic error has no stack trace: %v", err)
		}
		want := []string{"start store", "start xtrigger", "stop store"}
		if got := j.get(); !slices.Equal(got, want) {
			t.Errorf("journal\n got %q\nwant %q", got, want)
		}
	})
}

func TestSupervisorKeepsContextValues(t *testing.T) {
	type key struct{}
	synctest.Test(t, func(t *testing.T) {
		var s Supervisor
		got := make(chan any, 1)
		s.Add("a", Func(func(ctx context.Context) error {
			got <- ctx.Value(key{})
			return nil
		}))
		ctx := context.WithValue(t.Context(), key{}, "workflow-1")
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if v := <-got; v != "workflow-1" {
			t.Errorf("actor saw context value %v, want workflow-1", v)
		}
	})
}

func TestSupervisorCancelledBeforeRun(t *testing.T) {
	j := &journal{}
	var s Supervisor
	s.Add("a", &probe{name: "a", j: j})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Run(ctx); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if got := j.get(); len(got) != 0 {
		t.Errorf("nothing should start under a cancelled context, journal %q", got)
	}
}

func TestSupervisorRejectsBadGroups(t *testing.T) {
	ok := Func(func(ctx context.Context) error { <-ctx.Done(); return nil })
	tests := []struct {
		name  string
		setup func(*Supervisor)
		want  string
	}{
		{"empty name", func(s *Supervisor) { s.Add("", ok) }, "member 0 has an empty name"},
		{"nil actor", func(s *Supervisor) { s.Add("store", nil) }, `"store" is a nil Actor`},
		{"duplicate", func(s *Supervisor) { s.Add("store", ok); s.Add("store", ok) }, `name "store" added twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Supervisor
			tc.setup(&s)
			checkErr(t, s.Run(t.Context()), tc.want, nil)
		})
	}
	t.Run("run twice", func(t *testing.T) {
		var s Supervisor
		s.Add("a", Func(func(context.Context) error { return nil }))
		if err := s.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		checkErr(t, s.Run(t.Context()), "Run called twice", nil)
	})
	t.Run("add after run", func(t *testing.T) {
		var s Supervisor
		_ = s.Run(t.Context())
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `Add("late") after Run`) {
				t.Errorf("recover() = %v, want a panic about Add after Run", r)
			}
		}()
		s.Add("late", ok)
	})
}

func checkErr(t *testing.T, err error, want string, is error) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("error = %v, want nil", err)
	case want != "" && err == nil:
		t.Errorf("error = nil, want %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("errors.Is(%v, %v) = false", err, is)
	}
}
