package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// fakeRunner records its calls; with a gate, each call waits for a token
// (or for its context to end) before returning.
type fakeRunner struct {
	gate chan struct{}

	mu       sync.Mutex
	inflight int
	peak     int
	calls    []string // "submit 1/a/01 1/b/01", in the order they began
}

func (r *fakeRunner) Name() string            { return "fake" }
func (r *fakeRunner) Directives(Job) []string { return nil }
func (r *fakeRunner) Close() error            { return nil }

// call records a call, waits at the gate and returns the context's error.
func (r *fakeRunner) call(ctx context.Context, op string, refs []JobRef) error {
	var ids []string
	for _, ref := range refs {
		ids = append(ids, ref.ID)
	}
	r.mu.Lock()
	r.inflight++
	r.peak = max(r.peak, r.inflight)
	r.calls = append(r.calls, op+" "+strings.Join(ids, " "))
	r.mu.Unlock()
	var err error
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	r.mu.Lock()
	r.inflight--
	r.mu.Unlock()
	return err
}

func (r *fakeRunner) Submit(ctx context.Context, jobs []Job) []SubmitResult {
	refs := make([]JobRef, len(jobs))
	for i, j := range jobs {
		refs[i] = j.JobRef
	}
	err := r.call(ctx, "submit", refs)
	res := make([]SubmitResult, len(jobs))
	for i, j := range jobs {
		res[i] = SubmitResult{Ref: j.JobRef, RunnerJobID: "id-" + j.ID, Err: err}
	}
	return res
}

func (r *fakeRunner) Poll(ctx context.Context, refs []JobRef) []PollResult {
	err := r.call(ctx, "poll", refs)
	res := make([]PollResult, len(refs))
	for i, ref := range refs {
		res[i] = PollResult{Ref: ref, Err: err}
	}
	return res
}

func (r *fakeRunner) Kill(ctx context.Context, refs []JobRef) []KillResult {
	err := r.call(ctx, "kill", refs)
	res := make([]KillResult, len(refs))
	for i, ref := range refs {
		res[i] = KillResult{Ref: ref, Err: err}
	}
	return res
}

func (r *fakeRunner) state() (inflight, peak int, calls []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.inflight, r.peak, slices.Clone(r.calls)
}

func testJobs(names ...string) []Job {
	jobs := make([]Job, len(names))
	for i, n := range names {
		jobs[i] = Job{JobRef: JobRef{ID: "1/" + n + "/01"}}
	}
	return jobs
}

// runPool starts p.Run and returns a function that stops it and returns
// its error.
func runPool(p *Pool) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	return func() error {
		cancel()
		return <-done
	}
}

func TestPoolBoundsConcurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var events []Event
		var mu sync.Mutex
		p := NewPool(PoolConfig{Limit: 2, Sink: func(e Event) { mu.Lock(); events = append(events, e); mu.Unlock() }})
		r := &fakeRunner{gate: make(chan struct{})}
		stop := runPool(p)
		for _, n := range []string{"a", "b", "c", "d", "e"} {
			if !p.Submit(r, testJobs(n)) {
				t.Fatal("pool refused a submission")
			}
		}
		synctest.Wait()
		for done := 0; done < 5; done++ {
			inflight, _, _ := r.state()
			if want := min(2, 5-done); inflight != want {
				t.Fatalf("after %d calls finished: %d in flight, want %d", done, inflight, want)
			}
			r.gate <- struct{}{}
			synctest.Wait()
		}
		_, peak, calls := r.state()
		// The first two start together; each later one when a slot frees.
		slices.Sort(calls[:2])
		want := []string{"submit 1/a/01", "submit 1/b/01", "submit 1/c/01", "submit 1/d/01", "submit 1/e/01"}
		if peak != 2 || !slices.Equal(calls, want) {
			t.Errorf("peak %d calls %q, want 2 and %q", peak, calls, want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if len(events) != 5 {
			t.Fatalf("%d events, want 5", len(events))
		}
		for _, e := range events {
			s, ok := e.(Submitted)
			if !ok || s.Runner != "fake" || len(s.Results) != 1 || s.Results[0].Err != nil ||
				s.Results[0].RunnerJobID != "id-"+s.Results[0].Ref.ID {
				t.Errorf("event %#v", e)
			}
		}
	})
}

// Calls are queued before Run starts, large batches are split, and every
// kind of call is made in the order it was asked for.
func TestPoolQueuesAndSplitsBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		events := make(chan Event, 10)
		p := NewPool(PoolConfig{Limit: 1, MaxBatch: 2, Sink: func(e Event) { events <- e }})
		r := &fakeRunner{}
		jobs := testJobs("a", "b", "c", "d", "e")
		p.Submit(r, jobs)
		jobs[0].ID = "changed by the caller after the call"
		p.Poll(r, []JobRef{jobs[1].JobRef})
		p.Kill(r, []JobRef{jobs[2].JobRef, jobs[3].JobRef})
		p.Submit(r, nil)
		stop := runPool(p)
		synctest.Wait()
		_, peak, calls := r.state()
		want := []string{"submit 1/a/01 1/b/01", "submit 1/c/01 1/d/01", "submit 1/e/01", "poll 1/b/01", "kill 1/c/01 1/d/01"}
		if peak != 1 || !slices.Equal(calls, want) {
			t.Errorf("peak %d, calls %q; want 1 and %q", peak, calls, want)
		}
		var kinds []string
		for range 5 {
			kinds = append(kinds, fmt.Sprintf("%T", <-events))
		}
		wantKinds := []string{"runner.Submitted", "runner.Submitted", "runner.Submitted", "runner.Polled", "runner.Killed"}
		if !slices.Equal(kinds, wantKinds) {
			t.Errorf("events %v, want %v", kinds, wantKinds)
		}
		stop()
	})
}

func TestPoolStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		events := make(chan Event, 10)
		p := NewPool(PoolConfig{Limit: 1, Sink: func(e Event) { events <- e }})
		r := &fakeRunner{gate: make(chan struct{})}
		stop := runPool(p)
		p.Submit(r, testJobs("a"))
		p.Poll(r, []JobRef{{ID: "1/b/01"}})
		p.Kill(r, []JobRef{{ID: "1/c/01"}})
		synctest.Wait() // "a" is under way, the others wait
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if p.Submit(r, testJobs("d")) || p.Poll(r, nil) {
			t.Error("a stopped pool took a call")
		}
		s := (<-events).(Submitted)
		if !errors.Is(s.Results[0].Err, context.Canceled) {
			t.Errorf("call under way: %v, want its context cancelled", s.Results[0].Err)
		}
		if pr := (<-events).(Polled); !errors.Is(pr.Results[0].Err, ErrClosed) || pr.Results[0].Ref.ID != "1/b/01" {
			t.Errorf("queued poll: %+v, want ErrClosed", pr)
		}
		if k := (<-events).(Killed); !errors.Is(k.Results[0].Err, ErrClosed) {
			t.Errorf("queued kill: %+v, want ErrClosed", k)
		}
		if _, _, calls := r.state(); len(calls) != 1 {
			t.Errorf("calls %q, want only the first", calls)
		}
	})
}

func TestPoolTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		events := make(chan Event, 1)
		p := NewPool(PoolConfig{Timeout: time.Minute, Sink: func(e Event) { events <- e }})
		r := &fakeRunner{gate: make(chan struct{})} // never opened
		stop := runPool(p)
		defer stop()
		start := time.Now()
		p.Kill(r, []JobRef{{ID: "1/a/01"}})
		k := (<-events).(Killed)
		if !errors.Is(k.Results[0].Err, context.DeadlineExceeded) || time.Since(start) != time.Minute {
			t.Errorf("after %v: %v, want the call cut off after a minute", time.Since(start), k.Results[0].Err)
		}
	})
}

// The pool drives a real runner as the scheduler would.
func TestPoolWithBackgroundRunner(t *testing.T) {
	f := newFixture(t)
	r := mustRunner(t, Background, f.options())
	p := NewPool(PoolConfig{Limit: 2, Sink: func(e Event) { f.events <- e }})
	stop := runPool(p)
	defer stop()
	j := f.job("foo", waitGate, nil)
	p.Submit(r, []Job{j})
	var sub Submitted
	select {
	case e := <-f.events:
		sub = e.(Submitted)
	case <-time.After(patience):
		t.Fatal("no Submitted event")
	}
	if sub.Runner != Background || len(sub.Results) != 1 || sub.Results[0].Err != nil {
		t.Fatalf("Submitted %+v", sub)
	}
	f.track(mustAtoi(t, sub.Results[0].RunnerJobID))
	f.expect("started")
	p.Kill(r, []JobRef{j.JobRef})
	// The kill's result and the job's exit may come in either order.
	var killed, exited bool
	for !killed || !exited {
		select {
		case e := <-f.events:
			switch e := e.(type) {
			case Killed:
				if err := e.Results[0].Err; err != nil {
					t.Fatalf("kill: %v", err)
				}
				killed = true
			case Exited:
				if v := Judge(e.Status); v.Message != "failed/TERM" {
					t.Fatalf("Exited %+v: %s, want failed/TERM", e, v.Message)
				}
				exited = true
			default:
				t.Fatalf("unexpected event %#v", e)
			}
		case <-time.After(patience):
			t.Fatalf("killed %t, exited %t", killed, exited)
		}
	}
}
