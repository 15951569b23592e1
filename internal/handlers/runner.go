package handlers

import (
	"context"
	"sync"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pool"
)

// Options configures a Runner.
type Options struct {
	// Limit is how many handlers may run at once; 0 means 4, Cylc's
	// default "process pool size".
	Limit int
	// Timeout bounds each attempt: its process group is killed after it.
	// 0 means 10 minutes, Cylc's default "process pool timeout".
	Timeout time.Duration
	// Env is the handlers' environment; nil means the scheduler's own, as
	// Cylc passes os.environ.
	Env []string
	// Dir is the handlers' working directory; "" means the scheduler's.
	Dir string
	// Clock times retry delays and timeouts; nil means the wall clock.
	Clock clock.Clock
	// Log receives Cylc's log lines about handlers; nil discards them.
	// It is called from Run's goroutine and must not block.
	Log func(level pool.Level, msg string)
	// Done receives the outcome of every attempt, and of every handler
	// abandoned at shutdown. It is called from Run's goroutine, in order,
	// and must not block. For a task handler Result.String is the entry
	// Cylc writes to the job's job-activity.log.
	Done func(Result)
}

// Runner runs event handlers off the scheduler's goroutine. Enqueue only
// queues; Run does everything else: it waits out delays on the clock,
// starts processes (at most Limit), kills them at the timeout, retries task
// handlers and reports. No goroutine it starts outlives it.
type Runner struct {
	opts   Options
	clk    clock.Clock
	timers *clock.Timers[timerKey]
	nextID uint64 // touched only under mu

	mu       sync.Mutex
	inbox    []*entry              // enqueued, not yet seen by Run
	due      []clock.Due[timerKey] // delivered by timers
	exited   []*proc               // processes that have finished
	closed   bool                  // Enqueue refuses
	draining bool                  // Close was called
	wake     chan struct{}         // one pending wake-up for Run
}

// entry is a handler on its way through its attempts.
type entry struct {
	id      uint64
	h       Handler
	attempt int       // the attempt waiting or running, 1-based
	dueAt   time.Time // when its delay ends, while waiting
}

type timerKind uint8

const (
	delayDone timerKind = iota // an attempt's delay is over
	timedOut                   // a running attempt hit the timeout
)

type timerKey struct {
	id   uint64
	kind timerKind
}

// New returns a Runner; nothing runs until Run is called.
func New(opts Options) *Runner {
	if opts.Limit <= 0 {
		opts.Limit = 4
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = func(pool.Level, string) {}
	}
	if opts.Done == nil {
		opts.Done = func(Result) {}
	}
	r := &Runner{opts: opts, clk: opts.Clock, wake: make(chan struct{}, 1)}
	if r.clk == nil {
		r.clk = clock.Real{}
	}
	r.timers = clock.NewTimers(r.clk, r.deliver)
	return r
}

// Enqueue queues a handler and reports whether it was taken: false once
// Close was called or Run has begun shutting down. It never blocks, and
// the queue has no bound.
func (r *Runner) Enqueue(h Handler) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.nextID++
	r.inbox = append(r.inbox, &entry{id: r.nextID, h: h, attempt: 1})
	r.poke()
	return true
}

// Close stops Enqueue and lets Run finish: attempts already queued or
// running complete (with their timeout), and Run returns once none is
// left. Handlers still waiting for a delay (a first delay or a retry) are
// abandoned, as Cylc does not wait for event timers at shutdown. Call it
// after enqueueing the shutdown event's handlers.
func (r *Runner) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed, r.draining = true, true
	r.poke()
}

// poke wakes Run; callers hold mu.
func (r *Runner) poke() {
	select {
	case r.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// deliver is the timers' callback: it only hands the keys over.
func (r *Runner) deliver(due []clock.Due[timerKey]) {
	r.mu.Lock()
	r.due = append(r.due, due...)
	r.poke()
	r.mu.Unlock()
}

// loop is Run's state, owned by its goroutine.
type loop struct {
	*Runner
	ready   []*entry          // delay over, waiting for a slot
	waiting map[uint64]*entry // delay timer armed
	running map[uint64]*proc  // started, not yet finished
	wg      sync.WaitGroup    // process goroutines
}

// Run runs handlers until ctx is done or, after Close, until no handler is
// queued or running. When ctx is done it refuses new handlers, abandons
// those not started, kills the process groups of those running and waits
// for them to finish. Run must be called once; it returns nil.
func (r *Runner) Run(ctx context.Context) error {
	tctx, stopTimers := context.WithCancel(context.Background())
	timersDone := make(chan struct{})
	go func() {
		defer close(timersDone)
		r.timers.Run(tctx)
	}()
	defer func() {
		stopTimers()
		<-timersDone
	}()

	l := &loop{Runner: r, waiting: map[uint64]*entry{}, running: map[uint64]*proc{}}
	for {
		if ctx.Err() != nil {
			l.shutdown()
			return nil
		}
		l.step()
		r.mu.Lock()
		idle := r.draining && len(r.inbox) == 0 && len(l.ready) == 0 && len(l.running) == 0
		r.mu.Unlock()
		if idle {
			l.abandonWaiting()
			l.wg.Wait()
			return nil
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		}
	}
}

// step handles everything that has happened since the last wake-up, then
// starts what the limit allows.
func (l *loop) step() {
	l.mu.Lock()
	inbox, due, exited, draining := l.inbox, l.due, l.exited, l.draining
	l.inbox, l.due, l.exited = nil, nil, nil
	l.mu.Unlock()

	for _, p := range exited {
		l.finish(p)
	}
	for _, d := range due {
		switch d.Key.kind {
		case delayDone:
			// A stale delivery (cancelled just as it came due) has
			// another time; ignore it.
			if e := l.waiting[d.Key.id]; e != nil && e.dueAt.Equal(d.At) {
				delete(l.waiting, d.Key.id)
				l.ready = append(l.ready, e)
			}
		case timedOut:
			if p := l.running[d.Key.id]; p != nil && p.deadline.Equal(d.At) {
				p.kill(true)
			}
		}
	}
	for _, e := range inbox {
		l.schedule(e)
	}
	if draining {
		l.abandonWaiting()
	}
	for len(l.running) < l.opts.Limit && len(l.ready) > 0 {
		e := l.ready[0]
		l.ready[0] = nil
		l.ready = l.ready[1:]
		l.start(e)
	}
}

// schedule queues e's next attempt, after its delay if it has one.
func (l *loop) schedule(e *entry) {
	d := e.h.delay(e.attempt)
	if d <= 0 {
		l.ready = append(l.ready, e)
		return
	}
	at := l.clk.Now().Add(d)
	e.dueAt = at
	l.waiting[e.id] = e
	l.timers.Arm(timerKey{e.id, delayDone}, at)
	if e.attempt == 1 {
		l.opts.Log(pool.Debug, taskNote(e, "will run after "+delayText(d, at)))
	} else {
		l.opts.Log(pool.Debug, taskNote(e, "failed, retrying in "+delayText(d, at)))
	}
}

// finish reports a finished attempt and retries a failed task handler.
// When the runner is stopping there is no retry, but a handler with
// attempts left has not finally failed either: Cylc keeps its timer for
// the restart, so the "failed" warning is not logged.
func (l *loop) finish(p *proc) {
	delete(l.running, p.e.id)
	l.timers.Cancel(timerKey{p.e.id, timedOut})
	e := p.e
	res := p.result(l.opts.Timeout)
	more := res.RetCode != 0 && e.attempt < e.h.attempts()
	retry := more && !l.isDraining()
	res.Final = !retry
	l.logAttempt(res)
	l.opts.Done(res)
	switch {
	case retry:
		e.attempt++
		l.schedule(e)
	case res.RetCode != 0 && !more && e.h.Job != nil:
		l.opts.Log(pool.Warning, taskNote(e, "failed"))
	}
}

func (l *loop) isDraining() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.draining
}

// logAttempt writes Cylc's log lines for an attempt that has finished:
// the command context (SubProcContext's rendering) at ERROR on failure,
// for a workflow handler at INFO on success followed on failure by
// "EVENT HANDLER FAILED".
func (l *loop) logAttempt(res Result) {
	text := res.String()
	switch {
	case res.RetCode != 0:
		l.opts.Log(pool.Error, text)
		if res.Handler.Job == nil {
			l.opts.Log(pool.Error, res.Handler.Event+" EVENT HANDLER FAILED")
		}
	case res.Handler.Job == nil:
		l.opts.Log(pool.Info, text)
	default:
		l.opts.Log(pool.Debug, text)
	}
}

// abandonWaiting gives up the handlers waiting for a delay.
func (l *loop) abandonWaiting() {
	for id, e := range l.waiting {
		delete(l.waiting, id)
		l.timers.Cancel(timerKey{id, delayDone})
		l.opts.Done(Result{Handler: e.h, Attempt: e.attempt, Final: true, Abandoned: true})
	}
}

// shutdown refuses new handlers, abandons those not started, kills those
// running and reports them when they have died.
func (l *loop) shutdown() {
	l.mu.Lock()
	l.closed = true
	inbox := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	l.abandonWaiting()
	for _, e := range append(l.ready, inbox...) {
		l.opts.Done(Result{Handler: e.h, Attempt: e.attempt, Final: true, Abandoned: true})
	}
	l.ready = nil
	for _, p := range l.running {
		p.kill(false)
	}
	l.wg.Wait()
	l.mu.Lock()
	exited := l.exited
	l.exited = nil
	l.draining = true // no retries now
	l.mu.Unlock()
	for _, p := range exited {
		l.finish(p)
	}
}
