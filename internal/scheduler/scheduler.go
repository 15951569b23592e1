// Package scheduler is the actor that owns the task pool. It feeds the
// pool one event at a time, carries out the effects it returns — journal
// the state, arm deadlines, hand jobs to a runner, write the logs — and
// goes back to waiting on its mailbox. There is no loop that looks for
// work and nothing sleeps: the scheduler wakes when an event arrives (a
// job message, a deadline, a command, a commit) and at no other time.
//
// A job submission is released only once the state change that precedes
// it has been committed by the journal, so a restart always knows which
// jobs may exist.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gyre/internal/actor"
	"gyre/internal/clock"
	"gyre/internal/pool"
)

// Journal persists pool effects (TaskChanged, OutputCompleted) in order;
// done is called once the batch is committed, from any goroutine.
type Journal interface {
	Write(batch []pool.Effect, done func(error))
}

// Runner submits jobs. It reports what happens to them by posting events
// (JobSubmitted, JobSubmitFailed, JobMessage) through the Post function
// the scheduler gives it. Submit must not block.
type Runner interface {
	Submit(job pool.SubmitJob, post func(pool.Event))
	// Poll finds out what became of a job (at a restart, or on demand)
	// and posts what it finds: the job events it missed, or JobNotFound
	// for a job that was never handed to its runner.
	Poll(job pool.PollJob, post func(pool.Event))
	// Kill ends a job; its end is reported as for any job.
	Kill(job pool.KillJob, post func(pool.Event))
}

// Xtriggers evaluates xtrigger calls off the scheduler's goroutine and
// posts XtriggerSatisfied when one is satisfied. Call must not block.
type Xtriggers interface {
	Call(c pool.CallXtrigger, post func(pool.Event))
}

// Logger receives the scheduler log and the reference-test lines.
type Logger interface {
	Log(t time.Time, level pool.Level, msg string)
	Ref(line string)
}

// Options configure a scheduler.
type Options struct {
	Pool  *pool.Pool
	Clock clock.Clock
	// Virtual, when set (and Clock is it), makes time jump to the next
	// deadline whenever the scheduler has nothing else to do: simulation
	// mode runs as fast as the machine allows.
	Virtual *clock.Virtual
	// Simulate runs jobs in-process as Cylc's simulation mode does;
	// otherwise Runner gets them.
	Simulate bool
	Runner   Runner
	// Xtriggers evaluates xtriggers other than wall_clock (which the pool
	// handles itself); nil leaves them unsatisfied, with a warning.
	Xtriggers Xtriggers
	Journal   Journal // nil: no persistence
	// Events receives task state changes and task and workflow events
	// (TaskChanged, TaskEvent, WorkflowEvent), for event handlers and
	// the state stream; nil drops them. It must not block.
	Events func(pool.Effect)
	// Restart, if set, is the state a restart loads instead of a cold
	// start.
	Restart *pool.Saved
	// Pipelined lets submissions go ahead without waiting for the journal
	// to commit the state before them. Only simulation mode may use it:
	// its jobs are in-process and are simulated again after a restart, so
	// nothing outside the process can get ahead of the database.
	Pipelined bool
	Log       Logger
}

// Scheduler is the actor owning one workflow's pool.
type Scheduler struct {
	opts   Options
	pool   *pool.Pool
	inbox  *actor.Mailbox[any]
	timers *clock.Timers[timerKey]

	// deferred holds effects waiting for a journal commit, by batch.
	deferred   map[uint64][]pool.Effect
	batchSeq   uint64
	pendingOps []pool.Effect
	waiting    []pool.Effect
	inflight   int

	simJobs map[simJob]pool.SubmitJob

	// stopped is closed when Run returns.
	stopped chan struct{}

	done   bool
	result error

	// Events counts the events applied, for benchmarks and tests.
	Events uint64
}

// timerKey is a deadline of the pool's or of a simulated job.
type timerKey struct {
	pool pool.TimerKey
	sim  simJob
}

type simJob struct {
	id        pool.ID
	submitNum int
}

// doMsg runs a command on the scheduler's goroutine.
type doMsg struct {
	fn    func(p *pool.Pool) ([]pool.Event, any, error)
	reply chan doReply
}

type doReply struct {
	v   any
	err error
}

// Do runs fn on the scheduler's goroutine, where it may read the pool
// (to match task IDs, say), and applies the events it returns in order:
// how commands reach the pool without sharing it. It returns fn's answer,
// or an error if the scheduler has stopped.
func (s *Scheduler) Do(ctx context.Context, fn func(p *pool.Pool) ([]pool.Event, any, error)) (any, error) {
	m := doMsg{fn: fn, reply: make(chan doReply, 1)}
	s.inbox.Send(m)
	select {
	case r := <-m.reply:
		return r.v, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.stopped:
		return nil, ErrStopped
	}
}

// ErrStopped is returned by Do once the scheduler has stopped.
var ErrStopped = errors.New("the scheduler has stopped")

type committed struct {
	seq       uint64
	err       error
	pipelined bool
}

// ErrAborted is returned by Run when the workflow shut down abnormally.
var ErrAborted = errors.New("workflow aborted")

// New makes a scheduler; Run starts it.
func New(opts Options) *Scheduler {
	s := &Scheduler{
		opts:     opts,
		pool:     opts.Pool,
		inbox:    actor.NewMailbox[any](),
		deferred: map[uint64][]pool.Effect{},
		simJobs:  map[simJob]pool.SubmitJob{},
		stopped:  make(chan struct{}),
	}
	s.timers = clock.NewTimers(opts.Clock, func(due []clock.Due[timerKey]) {
		for _, d := range due {
			s.inbox.Send(d.Key)
		}
	})
	return s
}

// Post delivers an event to the scheduler; it never blocks.
func (s *Scheduler) Post(ev pool.Event) { s.inbox.Send(ev) }

// Run starts the workflow and returns when it shuts down: nil for a clean
// shutdown, an error wrapping ErrAborted otherwise.
func (s *Scheduler) Run(ctx context.Context) error {
	tctx, cancel := context.WithCancel(ctx)
	timersDone := make(chan error, 1)
	go func() { timersDone <- s.timers.Run(tctx) }()
	defer func() {
		cancel()
		<-timersDone
		close(s.stopped)
	}()

	s.event(pool.WorkflowEvent{Event: "startup", Message: "workflow starting"})
	if s.opts.Restart != nil {
		s.apply(pool.Restarted{State: s.opts.Restart})
	} else {
		s.apply(pool.Started{})
	}
	s.flush()
	for !s.done {
		if s.opts.Virtual != nil && s.idle() {
			if _, ok := s.opts.Virtual.AdvanceToNext(); !ok {
				return fmt.Errorf("%w: nothing left to wait for, but the workflow has not finished", ErrAborted)
			}
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.inbox.Ready():
			for _, m := range s.inbox.Drain() {
				s.handle(m)
				if s.done {
					break
				}
			}
			s.flush()
		}
	}
	return s.result
}

// idle is true when no event can arrive except from a deadline.
func (s *Scheduler) idle() bool {
	return s.inbox.Len() == 0 && s.inflight == 0
}

func (s *Scheduler) handle(m any) {
	switch m := m.(type) {
	case pool.Event:
		s.apply(m)
	case doMsg:
		evs, v, err := m.fn(s.pool)
		for _, ev := range evs {
			s.apply(ev)
		}
		m.reply <- doReply{v, err}
	case timerKey:
		if m.sim.id.Name != "" {
			s.simFinish(m.sim)
			return
		}
		s.apply(pool.TimerFired{Key: m.pool})
	case committed:
		if !m.pipelined {
			s.inflight--
		}
		effs := s.deferred[m.seq]
		delete(s.deferred, m.seq)
		if m.err != nil {
			s.fail(fmt.Errorf("%w: the journal failed: %v", ErrAborted, m.err))
			return
		}
		for _, e := range effs {
			s.dispatch(e)
		}
	}
}

func (s *Scheduler) apply(ev pool.Event) {
	s.Events++
	now := s.opts.Clock.Now()
	for _, e := range s.pool.Apply(ev, now) {
		s.effect(e, now)
	}
}

// effect routes one pool effect: journal records are batched, effects that
// depend on them wait for the batch's commit, the rest happen now.
func (s *Scheduler) effect(e pool.Effect, now time.Time) {
	switch e := e.(type) {
	case pool.TaskChanged, pool.OutputCompleted, pool.PrereqsSet, pool.PrereqSatisfied, pool.BroadcastChanged,
		pool.WorkflowParam, pool.FlowStarted, pool.FutureHold:
		if s.opts.Journal != nil {
			s.pendingOps = append(s.pendingOps, e)
		}
		if tc, ok := e.(pool.TaskChanged); ok {
			s.event(tc)
		}
	case pool.TaskEvent, pool.WorkflowEvent, pool.ExpireBefore:
		s.event(e)
	case pool.PollJob, pool.KillJob:
		// Nothing they lead to can get ahead of the database: what they
		// find comes back as events.
		s.dispatch(e)
	case pool.SubmitJob:
		if s.opts.Journal != nil && !s.opts.Pipelined && len(s.pendingOps) > 0 {
			s.waiting = append(s.waiting, e)
			return
		}
		s.dispatch(e)
	case pool.Log:
		s.opts.Log.Log(now, e.Level, e.Msg)
	case pool.RefLog:
		s.opts.Log.Ref(e.Line)
		s.opts.Log.Log(now, pool.Info, e.Line)
	case pool.CallXtrigger:
		if s.opts.Xtriggers == nil {
			s.opts.Log.Log(now, pool.Warning, fmt.Sprintf("[%s] xtrigger %s: xtriggers other than wall_clock are evaluated only in live mode; the task will wait", e.ID, e.Label))
			return
		}
		s.opts.Xtriggers.Call(e, s.Post)
	case pool.ArmTimer:
		s.timers.Arm(timerKey{pool: e.Key}, e.At)
	case pool.CancelTimer:
		s.timers.Cancel(timerKey{pool: e.Key})
	case pool.Shutdown:
		if e.Abort {
			s.fail(fmt.Errorf("%w: %s", ErrAborted, e.Reason))
			return
		}
		s.opts.Log.Log(now, pool.Info, "Workflow shutting down - "+e.Reason)
		s.event(pool.WorkflowEvent{Event: "shutdown", Message: e.Reason})
		s.done = true
	}
}

// flush sends the batch of journal records gathered while handling the
// last drained events, with the effects that must wait for it.
func (s *Scheduler) flush() {
	if len(s.pendingOps) == 0 {
		for _, e := range s.waiting {
			s.dispatch(e)
		}
		s.waiting = s.waiting[:0]
		return
	}
	s.batchSeq++
	seq := s.batchSeq
	s.deferred[seq] = s.waiting
	s.waiting = nil
	ops := s.pendingOps
	s.pendingOps = nil
	if s.opts.Pipelined {
		// Nothing waits on this commit: it does not hold back time.
		s.opts.Journal.Write(ops, func(err error) {
			if err != nil {
				s.inbox.Send(committed{seq: seq, err: err, pipelined: true})
			}
		})
		return
	}
	s.inflight++
	s.opts.Journal.Write(ops, func(err error) { s.inbox.Send(committed{seq: seq, err: err}) })
}

func (s *Scheduler) dispatch(e pool.Effect) {
	switch e := e.(type) {
	case pool.SubmitJob:
		if s.opts.Simulate {
			s.simSubmit(e)
			return
		}
		s.opts.Runner.Submit(e, s.Post)
	case pool.PollJob:
		if s.opts.Simulate {
			s.simPoll(e)
			return
		}
		s.opts.Runner.Poll(e, s.Post)
	case pool.KillJob:
		if s.opts.Simulate {
			s.simKill(e)
			return
		}
		s.opts.Runner.Kill(e, s.Post)
	}
}

func (s *Scheduler) event(e pool.Effect) {
	if s.opts.Events != nil {
		s.opts.Events(e)
	}
}

func (s *Scheduler) fail(err error) {
	s.opts.Log.Log(s.opts.Clock.Now(), pool.Critical, err.Error())
	s.event(pool.WorkflowEvent{Event: "abort", Message: err.Error()})
	s.done = true
	s.result = err
}
