package xtrigger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"gyre/internal/clock"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fake stands in for Eval: the nth call (from 1) of a signature is
// satisfied from satisfyAt[label] on (never if 0), and fails with err[label]
// if set. With gate set, each call waits for a value on it (or for its
// context to end).
type fake struct {
	clk       clock.Clock
	satisfyAt map[string]int
	err       map[string]error
	gate      chan struct{}

	mu       sync.Mutex
	calls    map[string][]time.Duration // signature → call times since t0
	inFlight int
	maxIn    int
	canceled int
}

func (f *fake) eval(ctx context.Context, c Call, _ Env) (Result, error) {
	sig, err := Signature(c)
	if err != nil {
		return Result{}, err
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string][]time.Duration{}
	}
	f.calls[sig] = append(f.calls[sig], f.clk.Now().Sub(t0))
	n := len(f.calls[sig])
	f.inFlight++
	f.maxIn = max(f.maxIn, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			f.mu.Lock()
			f.canceled++
			f.mu.Unlock()
			return Result{}, ctx.Err()
		}
	}
	if e := f.err[c.Xtrigger.Label]; e != nil {
		return Result{}, e
	}
	at := f.satisfyAt[c.Xtrigger.Label]
	if at == 0 || n < at {
		return Result{Satisfied: false}, nil
	}
	return Result{Satisfied: true, Results: map[string]any{"n": n}}, nil
}

func (f *fake) times(sig string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprint(f.calls[sig])
}

// harness runs a Manager on a virtual clock inside a synctest bubble.
type harness struct {
	t    *testing.T
	v    *clock.Virtual
	f    *fake
	m    *Manager
	logs []string
	got  []string // reports, "task: n=N" or "task: error"
	mu   sync.Mutex
	stop func()
}

func newHarness(t *testing.T, f *fake, workers int) *harness {
	h := &harness{t: t, v: clock.NewVirtual(t0), f: f}
	f.clk = h.v
	h.m = NewManager(Options{Clock: h.v, Workers: workers, eval: f.eval, Log: func(l slog.Level, msg string) {
		h.mu.Lock()
		h.logs = append(h.logs, l.String()+" "+msg)
		h.mu.Unlock()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.m.Run(ctx) }()
	h.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	return h
}

// ask requests the echo call labelled label for a task at point.
func (h *harness) ask(label, point, taskName string) string {
	call := Call{Xtrigger: xt(label, "echo", []any{label, "%(point)s"}, map[string]any{"succeed": true}), Ctx: Context{Point: point, Name: taskName}}
	h.m.Request(call, func(r Result) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if r.Err != nil {
			h.got = append(h.got, taskName+": error")
			return
		}
		h.got = append(h.got, fmt.Sprintf("%s: n=%v", taskName, r.Results["n"]))
	})
	sig, _ := Signature(call)
	return sig
}

// reports returns the reports so far and clears them.
func (h *harness) reports() string {
	synctest.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := strings.Join(h.got, ", ")
	h.got = nil
	return s
}

// advance moves the virtual clock by d and lets everything settle.
func (h *harness) advance(d time.Duration) {
	synctest.Wait()
	h.v.Advance(d)
	synctest.Wait()
}

func TestManagerDedupeAndRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{satisfyAt: map[string]int{"x": 3}}
		h := newHarness(t, f, 0)
		defer h.stop()
		sig := h.ask("x", "1", "a")
		h.ask("x", "1", "b") // same signature: shares the call
		if got := h.reports(); got != "" {
			t.Fatalf("reported before satisfied: %s", got)
		}
		h.advance(9 * time.Second)
		if got := f.times(sig); got != "[0s]" {
			t.Fatalf("calls %s before the interval", got)
		}
		h.advance(time.Second)
		h.ask("x", "1", "c") // joins the waiting call
		h.advance(10 * time.Second)
		if got, want := f.times(sig), "[0s 10s 20s]"; got != want {
			t.Errorf("calls at %s, want %s", got, want)
		}
		if got, want := h.reports(), "a: n=3, b: n=3, c: n=3"; got != want {
			t.Errorf("reports %q, want %q", got, want)
		}
		// Satisfied results are remembered: no new call.
		h.ask("x", "1", "d")
		if got, want := h.reports(), "d: n=3"; got != want {
			t.Errorf("cached report %q, want %q", got, want)
		}
		h.advance(time.Hour)
		if got := f.times(sig); got != "[0s 10s 20s]" {
			t.Errorf("called again after success: %s", got)
		}
		// A different point is a different call.
		sig2 := h.ask("x", "2", "a")
		h.advance(10 * time.Second)
		h.advance(10 * time.Second)
		if got, want := f.times(sig2), "[1h0m20s 1h0m30s 1h0m40s]"; got != want {
			t.Errorf("second point called at %s, want %s", got, want)
		}
		if got := h.reports(); got != "a: n=3" {
			t.Errorf("second point reports %q", got)
		}
		h.mu.Lock()
		logs := strings.Join(h.logs, "\n")
		h.mu.Unlock()
		for _, want := range []string{"INFO Commencing xtrigger, call interval 10.0s: x = echo(x, 1, succeed=True)",
			"INFO xtrigger succeeded: x = echo(x, 1, succeed=True)", "INFO xtrigger succeeded: x = echo(x, 2, succeed=True)"} {
			if !strings.Contains(logs, want) {
				t.Errorf("log lacks %q:\n%s", want, logs)
			}
		}
	})
}

func TestManagerOneCallInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{satisfyAt: map[string]int{"x": 2}, gate: make(chan struct{})}
		h := newHarness(t, f, 0)
		defer h.stop()
		sig := h.ask("x", "1", "a")
		// The call takes 15 s, longer than the interval: no second call
		// begins meanwhile, and the next begins as soon as it returns.
		h.advance(15 * time.Second)
		h.ask("x", "1", "b")
		h.advance(0)
		if got := f.times(sig); got != "[0s]" {
			t.Fatalf("calls %s while one is in flight", got)
		}
		f.gate <- struct{}{}
		synctest.Wait()
		if got := f.times(sig); got != "[0s 15s]" {
			t.Fatalf("calls %s, want an immediate retry", got)
		}
		f.gate <- struct{}{}
		if got := h.reports(); got != "a: n=2, b: n=2" {
			t.Errorf("reports %q", got)
		}
	})
}

func TestManagerCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{}
		h := newHarness(t, f, 0)
		defer h.stop()
		sig := h.ask("x", "1", "a")
		h.advance(10 * time.Second)
		h.m.Cancel(sig)
		h.advance(time.Minute)
		if got := f.times(sig); got != "[0s 10s]" {
			t.Errorf("calls %s after cancel", got)
		}
		if got := h.reports(); got != "" {
			t.Errorf("cancelled call reported %q", got)
		}
		// A call in flight is cancelled through its context.
		f.gate = make(chan struct{})
		sig = h.ask("y", "1", "b")
		synctest.Wait()
		h.m.Cancel(sig)
		synctest.Wait()
		f.mu.Lock()
		canceled := f.canceled
		f.mu.Unlock()
		if canceled != 1 {
			t.Errorf("%d evaluations cancelled, want 1", canceled)
		}
		// Asking again starts afresh.
		close(f.gate)
		f.satisfyAt = map[string]int{"y": 1}
		h.ask("y", "1", "c")
		if got := h.reports(); got != "c: n=2" { // the cancelled call was the first
			t.Errorf("after cancel: %q", got)
		}
	})
}

func TestManagerErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{err: map[string]error{
			"bad":   &callError{label: "bad", sig: "echo(1)", msg: "broken"},
			"flaky": errors.New("database is locked"),
		}}
		h := newHarness(t, f, 0)
		defer h.stop()
		bad := h.ask("bad", "1", "a")
		h.ask("bad", "1", "b")
		if got := h.reports(); got != "a: error, b: error" {
			t.Errorf("permanent error reports %q", got)
		}
		h.advance(time.Minute)
		if got := f.times(bad); got != "[0s]" {
			t.Errorf("permanent error retried: %s", got)
		}
		flaky := h.ask("flaky", "1", "c")
		h.advance(10 * time.Second)
		h.advance(10 * time.Second)
		if got := f.times(flaky); got != "[1m0s 1m10s 1m20s]" {
			t.Errorf("transient error calls %s", got)
		}
		if got := h.reports(); got != "" {
			t.Errorf("transient error reported %q", got)
		}
		// A call whose templates are wrong never reaches the evaluator.
		h.m.Request(Call{Xtrigger: xt("t", "echo", []any{"%(nope)s"}, nil)}, func(r Result) {
			h.mu.Lock()
			h.got = append(h.got, "template: "+r.Err.Error())
			h.mu.Unlock()
		})
		if got := h.reports(); !strings.Contains(got, "template: xtrigger @t = echo(%(nope)s): argument 1") {
			t.Errorf("template error report %q", got)
		}
		h.mu.Lock()
		logs := strings.Join(h.logs, "\n")
		h.mu.Unlock()
		if !strings.Contains(logs, "WARN ERROR in xtrigger echo(flaky, 1, succeed=True)\ndatabase is locked") {
			t.Errorf("transient error not logged:\n%s", logs)
		}
	})
}

func TestManagerWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{satisfyAt: map[string]int{"a": 1, "b": 1, "c": 1}, gate: make(chan struct{})}
		h := newHarness(t, f, 2)
		defer h.stop()
		for _, l := range []string{"a", "b", "c"} {
			h.ask(l, "1", l)
		}
		synctest.Wait()
		f.mu.Lock()
		in := f.inFlight
		f.mu.Unlock()
		if in != 2 {
			t.Errorf("%d evaluations in flight, want 2", in)
		}
		for range 3 {
			f.gate <- struct{}{}
		}
		if got := h.reports(); strings.Count(got, "n=1") != 3 {
			t.Errorf("reports %q", got)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.maxIn != 2 {
			t.Errorf("at most %d in flight, want 2", f.maxIn)
		}
	})
}

// Stopping the manager cancels evaluations in flight and waits for them.
func TestManagerStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fake{gate: make(chan struct{})}
		h := newHarness(t, f, 0)
		h.ask("x", "1", "a")
		synctest.Wait()
		h.stop()
		if f.canceled != 1 || f.inFlight != 0 {
			t.Errorf("canceled %d, in flight %d", f.canceled, f.inFlight)
		}
	})
}

// The manager with the real Eval: a workflow_state call is satisfied once
// the other workflow's task succeeds.
func TestManagerWorkflowState(t *testing.T) {
	root := fixture(t)
	m := NewManager(Options{Env: utcEnv(root)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	got := make(chan Result, 1)
	m.Request(Call{Xtrigger: xt("up", "workflow_state", []any{"up//%(point)s/foo"}, nil), Ctx: Context{Point: "20100101T0000Z"}},
		func(r Result) { got <- r })
	r := <-got
	if !r.Satisfied || r.Results["workflow"] != "up/run1" || r.Signature != "workflow_state(up//20100101T0000Z/foo)" {
		t.Errorf("result %+v", r)
	}
}
