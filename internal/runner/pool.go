package runner

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Pool makes runner calls for the scheduler without ever blocking it: a
// call is queued (mutex, slice and a one-slot wake-up channel) and returns
// at once, and Run makes the calls on goroutines of its own, at most Limit
// at a time, reporting each batch's results to the sink as a Submitted,
// Polled or Killed event. It plays the part of Cylc's subprocess pool.
type Pool struct {
	limit    int
	maxBatch int
	timeout  time.Duration
	sink     Sink

	mu     sync.Mutex
	queue  []request
	closed bool
	ready  chan struct{}
}

// PoolConfig configures a Pool.
type PoolConfig struct {
	// Limit is how many runner calls may run at once; 0 means 4, Cylc's
	// default "process pool size".
	Limit int
	// MaxBatch is the most jobs one call handles; larger batches are split.
	// 0 means 100, Cylc's default "max batch submit size".
	MaxBatch int
	// Timeout bounds each call (its commands are killed after it); 0 means
	// 10 minutes, Cylc's default "process pool timeout".
	Timeout time.Duration
	// Sink receives the results. It must not block.
	Sink Sink
}

type op uint8

const (
	opSubmit op = iota
	opPoll
	opKill
)

// request is one queued runner call.
type request struct {
	op     op
	runner Runner
	jobs   []Job
	refs   []JobRef
}

// NewPool returns a pool; nothing runs until Run is called.
func NewPool(cfg PoolConfig) *Pool {
	p := &Pool{
		limit:    cfg.Limit,
		maxBatch: cfg.MaxBatch,
		timeout:  cfg.Timeout,
		sink:     cfg.Sink,
		ready:    make(chan struct{}, 1),
	}
	if p.limit <= 0 {
		p.limit = 4
	}
	if p.maxBatch <= 0 {
		p.maxBatch = 100
	}
	if p.timeout <= 0 {
		p.timeout = 10 * time.Minute
	}
	if p.sink == nil {
		p.sink = func(Event) {}
	}
	return p
}

// Submit queues the submission of jobs to r and reports whether the pool
// took them (false once Run has returned). It never blocks.
func (p *Pool) Submit(r Runner, jobs []Job) bool {
	var reqs []request
	for c := range slices.Chunk(jobs, p.maxBatch) {
		reqs = append(reqs, request{op: opSubmit, runner: r, jobs: slices.Clone(c)})
	}
	return p.enqueue(reqs)
}

// Poll queues a poll of jobs of r, like Submit.
func (p *Pool) Poll(r Runner, refs []JobRef) bool { return p.enqueueRefs(opPoll, r, refs) }

// Kill queues the killing of jobs of r, like Submit.
func (p *Pool) Kill(r Runner, refs []JobRef) bool { return p.enqueueRefs(opKill, r, refs) }

func (p *Pool) enqueueRefs(o op, r Runner, refs []JobRef) bool {
	var reqs []request
	for c := range slices.Chunk(refs, p.maxBatch) {
		reqs = append(reqs, request{op: o, runner: r, refs: slices.Clone(c)})
	}
	return p.enqueue(reqs)
}

func (p *Pool) enqueue(reqs []request) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if len(reqs) == 0 {
		return true
	}
	p.queue = append(p.queue, reqs...)
	select {
	case p.ready <- struct{}{}:
	default: // a wake-up is already pending
	}
	return true
}

// take empties the queue.
func (p *Pool) take() []request {
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.queue
	p.queue = nil
	return q
}

// Run makes the queued calls, in order, at most Limit at a time, until ctx
// is cancelled. Calls under way then see their context cancelled and are
// waited for; calls not yet started are reported with ErrClosed, and later
// ones are refused. Run must be called once.
func (p *Pool) Run(ctx context.Context) error {
	done := make(chan struct{}, p.limit) // never blocks: at most limit in flight
	var wg sync.WaitGroup
	var pending []request
	inflight := 0
	for {
		for inflight < p.limit && len(pending) > 0 {
			req := pending[0]
			pending[0] = request{}
			pending = pending[1:]
			inflight++
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.do(ctx, req)
				done <- struct{}{}
			}()
		}
		select {
		case <-ctx.Done():
			p.mu.Lock()
			p.closed = true
			p.mu.Unlock()
			wg.Wait()
			for _, req := range append(pending, p.take()...) {
				p.sink(req.refused())
			}
			return nil
		case <-p.ready:
			pending = append(pending, p.take()...)
		case <-done:
			inflight--
		}
	}
}

// do makes one runner call and reports its results.
func (p *Pool) do(ctx context.Context, req request) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	name := req.runner.Name()
	switch req.op {
	case opSubmit:
		p.sink(Submitted{Runner: name, Results: req.runner.Submit(ctx, req.jobs)})
	case opPoll:
		p.sink(Polled{Runner: name, Results: req.runner.Poll(ctx, req.refs)})
	case opKill:
		p.sink(Killed{Runner: name, Results: req.runner.Kill(ctx, req.refs)})
	}
}

// refused is the event for a call that was never made.
func (req request) refused() Event {
	name := req.runner.Name()
	switch req.op {
	case opSubmit:
		res := make([]SubmitResult, len(req.jobs))
		for i, j := range req.jobs {
			res[i] = SubmitResult{Ref: j.JobRef, Err: ErrClosed}
		}
		return Submitted{Runner: name, Results: res}
	case opPoll:
		res := make([]PollResult, len(req.refs))
		for i, r := range req.refs {
			res[i] = PollResult{Ref: r, Err: ErrClosed}
		}
		return Polled{Runner: name, Results: res}
	default:
		res := make([]KillResult, len(req.refs))
		for i, r := range req.refs {
			res[i] = KillResult{Ref: r, Err: ErrClosed}
		}
		return Killed{Runner: name, Results: res}
	}
}
