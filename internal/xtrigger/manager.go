package xtrigger

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pyformat"
)

// Options configure a Manager.
type Options struct {
	// Clock times the retries (and is Env's clock if that has none); nil
	// means the real clock.
	Clock clock.Clock
	// Env is passed to every evaluation.
	Env Env
	// Workers bounds the evaluations running at once (default 4, the size
	// of Cylc's subprocess pool): a slow database or a long xrandom delay
	// holds one worker, not the manager.
	Workers int
	// Log, if set, receives Cylc's xtrigger log lines: the first call of
	// each signature, successes, and errors (as warnings).
	Log func(level slog.Level, msg string)

	// eval replaces Eval in tests.
	eval func(context.Context, Call, Env) (Result, error)
}

// minInterval is the shortest retry interval: Cylc retries no faster than
// its main loop runs (about once a second), and an interval of zero must
// not become a busy loop.
const minInterval = time.Second

// Manager evaluates xtrigger calls for the scheduler. Each signature is
// evaluated by at most one worker at a time, however many tasks asked for
// it; an unsatisfied call is made again Interval seconds after the last
// attempt began (as Cylc times it); a satisfied one is reported once to
// each task that asked, and its result is remembered so that later
// requests are answered at once, until Cancel forgets it (Cylc's
// housekeeping: cancel signatures no waiting task needs).
//
// Request and Cancel never block and are safe from any goroutine; the
// done callbacks run on the manager's goroutine, one at a time, and must
// not block either (post to a mailbox). Nothing is evaluated or reported
// before Run starts, or after it returns.
type Manager struct {
	opts   Options
	timers *clock.Timers[string]

	mu     sync.Mutex
	inbox  []any
	signal chan struct{}

	// Owned by Run's goroutine.
	entries map[string]*entry
	queue   []*entry
	running int
	gen     uint64
	wg      sync.WaitGroup
	ctx     context.Context
}

// entry is one signature's evaluation state.
type entry struct {
	sig      string
	label    string
	call     Call
	interval time.Duration
	waiters  []func(Result)
	state    entryState
	gen      uint64 // of the evaluation running, to drop stale answers
	cancel   context.CancelFunc
	started  time.Time
	retryAt  time.Time
	result   Result
}

type entryState uint8

const (
	queued    entryState = iota // waiting for a worker
	running                     // being evaluated
	resting                     // unsatisfied, waiting for its interval
	satisfied                   // result remembered
)

// Mailbox messages.
type (
	requestMsg struct {
		call Call
		done func(Result)
	}
	cancelMsg struct{ sig string }
	answerMsg struct {
		sig string
		gen uint64
		res Result
		err error
	}
	dueMsg []clock.Due[string]
)

// NewManager returns a manager; start it with Run.
func NewManager(opts Options) *Manager {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Env.Clock == nil {
		opts.Env.Clock = opts.Clock
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.eval == nil {
		opts.eval = Eval
	}
	if opts.Log == nil {
		opts.Log = func(slog.Level, string) {}
	}
	m := &Manager{opts: opts, signal: make(chan struct{}, 1), entries: map[string]*entry{}}
	m.timers = clock.NewTimers(opts.Clock, func(due []clock.Due[string]) { m.post(dueMsg(due)) })
	return m
}

// Request asks for call to be evaluated until it is satisfied, then done
// is called once with the result. A call that can never succeed (unknown
// function, bad arguments) is reported once with Result.Err set.
func (m *Manager) Request(call Call, done func(Result)) {
	m.post(requestMsg{call: call, done: done})
}

// Cancel forgets the call with this signature (see Signature): its
// retries stop, an evaluation under way is cancelled, its waiters are
// never called, and a remembered result is dropped.
func (m *Manager) Cancel(sig string) { m.post(cancelMsg{sig: sig}) }

func (m *Manager) post(msg any) {
	m.mu.Lock()
	m.inbox = append(m.inbox, msg)
	m.mu.Unlock()
	select {
	case m.signal <- struct{}{}:
	default:
	}
}

// Run processes requests until ctx is done, then cancels the evaluations
// under way and waits for them. It returns nil: stopping is not an error.
func (m *Manager) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	m.ctx = ctx
	timersDone := make(chan struct{})
	go func() {
		defer close(timersDone)
		m.timers.Run(ctx)
	}()
	defer func() {
		cancel()
		m.wg.Wait()
		<-timersDone
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.signal:
		}
		m.mu.Lock()
		batch := m.inbox
		m.inbox = nil
		m.mu.Unlock()
		for _, msg := range batch {
			if ctx.Err() != nil {
				return nil
			}
			m.handle(msg)
		}
	}
}

func (m *Manager) handle(msg any) {
	switch msg := msg.(type) {
	case requestMsg:
		m.request(msg.call, msg.done)
	case cancelMsg:
		m.cancelSig(msg.sig)
	case answerMsg:
		m.answer(msg)
	case dueMsg:
		for _, d := range msg {
			if e := m.entries[d.Key]; e != nil && e.state == resting && d.At.Equal(e.retryAt) {
				m.enqueue(e)
			}
		}
	}
}

func (m *Manager) request(call Call, done func(Result)) {
	sig, err := Signature(call)
	if err != nil {
		m.opts.Log(slog.LevelWarn, err.Error())
		done(Result{Signature: call.Xtrigger.Signature(), Err: err})
		return
	}
	if e := m.entries[sig]; e != nil {
		if e.state == satisfied {
			done(e.result)
			return
		}
		e.waiters = append(e.waiters, done)
		return
	}
	iv := time.Duration(call.Xtrigger.Interval * float64(time.Second))
	e := &entry{sig: sig, label: call.Xtrigger.Label, call: call, interval: max(iv, minInterval), waiters: []func(Result){done}}
	m.entries[sig] = e
	m.opts.Log(slog.LevelInfo, fmt.Sprintf("Commencing xtrigger, call interval %ss: %s = %s",
		pyformat.FloatRepr(call.Xtrigger.Interval), e.label, sig))
	m.enqueue(e)
}

// enqueue starts e's evaluation, or queues it until a worker is free.
func (m *Manager) enqueue(e *entry) {
	e.state = queued
	if m.running >= m.opts.Workers {
		m.queue = append(m.queue, e)
		return
	}
	m.start(e)
}

func (m *Manager) start(e *entry) {
	m.gen++
	e.state, e.gen, e.started = running, m.gen, m.opts.Clock.Now()
	ctx, cancel := context.WithCancel(m.ctx)
	e.cancel = cancel
	m.running++
	m.wg.Add(1)
	go func(call Call, sig string, gen uint64) {
		defer m.wg.Done()
		defer cancel()
		res, err := m.opts.eval(ctx, call, m.opts.Env)
		m.post(answerMsg{sig: sig, gen: gen, res: res, err: err})
	}(e.call, e.sig, e.gen)
}

// startQueued hands free workers to queued entries still wanting one.
func (m *Manager) startQueued() {
	for m.running < m.opts.Workers && len(m.queue) > 0 {
		e := m.queue[0]
		m.queue = m.queue[1:]
		if m.entries[e.sig] == e && e.state == queued {
			m.start(e)
		}
	}
}

func (m *Manager) answer(a answerMsg) {
	m.running--
	defer m.startQueued()
	e := m.entries[a.sig]
	if e == nil || e.gen != a.gen || e.state != running {
		return // cancelled meanwhile
	}
	e.cancel = nil
	switch {
	case a.err != nil && isPermanent(a.err):
		m.opts.Log(slog.LevelWarn, "ERROR in xtrigger "+e.sig+"\n"+a.err.Error())
		delete(m.entries, e.sig)
		m.report(e, Result{Signature: e.sig, Err: a.err})
	case a.err != nil:
		m.opts.Log(slog.LevelWarn, "ERROR in xtrigger "+e.sig+"\n"+a.err.Error())
		m.rest(e)
	case a.res.Satisfied:
		m.opts.Log(slog.LevelInfo, fmt.Sprintf("xtrigger succeeded: %s = %s", e.label, e.sig))
		a.res.Signature = e.sig
		e.state, e.result = satisfied, a.res
		m.report(e, a.res)
	default:
		m.rest(e)
	}
}

// rest arms e's next attempt, interval after the last one began.
func (m *Manager) rest(e *entry) {
	e.state, e.retryAt = resting, e.started.Add(e.interval)
	m.timers.Arm(e.sig, e.retryAt)
}

func (m *Manager) report(e *entry, r Result) {
	waiters := e.waiters
	e.waiters = nil
	for _, done := range waiters {
		done(r)
	}
}

func (m *Manager) cancelSig(sig string) {
	e := m.entries[sig]
	if e == nil {
		return
	}
	delete(m.entries, sig)
	m.timers.Cancel(sig)
	if e.cancel != nil {
		e.cancel()
	}
}
