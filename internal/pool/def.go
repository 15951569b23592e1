// Package pool is Gyre's functional core: the task pool as a deterministic
// state machine. Apply takes one event and the current time and returns the
// effects to carry out; it does no I/O, starts no goroutines and never reads
// the clock. Replaying the same events gives the same effects.
//
// The pool follows Cylc 8's spawn-on-demand model: a task instance exists
// only once something needs it (it is parentless and its point has come
// within the runahead limit, or an upstream output it depends on has been
// completed). Every event touches only what it concerns: an output looks up
// its dependents in the graph's index, satisfies just those prerequisites and
// checks just those tasks. Nothing iterates the whole pool per event; the
// only whole-pool walks are the stall report and explicit queries.
package pool

import (
	"time"

	"gyre/internal/cycle"
	"gyre/internal/graph"
	"gyre/internal/task"
)

// Sequence is what the pool needs of a recurrence.
type Sequence interface {
	// IsOn reports whether p is a point of the sequence within its bounds.
	IsOn(p cycle.Point) bool
	// FirstOnOrAfter returns the first sequence point >= p.
	FirstOnOrAfter(p cycle.Point) (cycle.Point, bool)
	// Next returns the first sequence point > p.
	Next(p cycle.Point) (cycle.Point, bool)
	// Prev returns the point one interval before p (p on the sequence).
	Prev(p cycle.Point) (cycle.Point, bool)
	// NearestPrev returns the last sequence point < p, for any p.
	NearestPrev(p cycle.Point) (cycle.Point, bool)
	// Start returns the sequence's first point.
	Start() (cycle.Point, bool)
}

// Def is a compiled workflow: everything the pool needs, built once from
// the configuration, the graph and the cycling settings.
type Def struct {
	Initial  cycle.Point
	Final    cycle.Point
	HasFinal bool
	// Start is where this run starts: the initial point, or the warm-start
	// point (--startcp).
	Start cycle.Point
	// Stop is an early stop point (--stopcp or [scheduling]stop after cycle point).
	Stop    cycle.Point
	HasStop bool
	// Hold is the hold-after point; tasks beyond it are held as they spawn.
	Hold    cycle.Point
	HasHold bool

	Runahead Runahead
	// Sequences are every recurrence of the workflow, for the runahead
	// base when the pool is empty.
	Sequences []Sequence

	Tasks map[string]*TaskDef
	// Families maps each family to its member tasks, for commands.
	Families map[string][]string
	// Names are the task names, sorted: the start-up spawn order.
	Names []string
	Index *graph.Index

	Queues []*QueueDef
	// Simulation is simulation mode, where Cylc's reference lines for
	// manually triggered tasks list no dependencies.
	Simulation bool
	// DropDebug leaves out DEBUG log lines, which a run without --debug
	// would only throw away.
	DropDebug bool
	// Cylc7 is back-compat mode: failed tasks are kept but do not hold
	// back the runahead limit, and only succeeded tasks are removed.
	Cylc7 bool
	// ExpectedFailures, when non-nil, lists the task IDs ("point/name")
	// allowed to fail; any other failure aborts the run (reference tests).
	ExpectedFailures map[string]bool
	// WallClock maps the labels of wall_clock xtriggers to their offsets:
	// such a trigger is satisfied once the wall clock reaches the task's
	// point plus the offset, which the pool handles with a deadline.
	WallClock map[string]cycle.Duration
	// StartTasks, for a cold start from given tasks (--start-task), are
	// spawned with every prerequisite satisfied instead of the parentless
	// tasks at the start point.
	StartTasks []StartTask
	// WorkflowTimeout and InactivityTimeout raise the workflow timeout and
	// inactivity timeout events (and abort, if so configured): the first
	// from start-up, the second after the last task state change.
	WorkflowTimeout   Timeout
	InactivityTimeout Timeout
	// StallTimeout is how long a stalled workflow waits before the stall
	// timeout event; AbortOnStall shuts it down then.
	StallTimeout    time.Duration
	HasStallTimeout bool
	AbortOnStall    bool
	// RestartTimeout is how long a restarted workflow that has nothing
	// left to do waits for a command before it shuts down.
	RestartTimeout time.Duration
	// ParsePoint reads a cycle point as users write it (for commands).
	ParsePoint func(string) (cycle.Point, error)
	// ToWallClock converts a cycle point to the wall-clock time it stands
	// for, for clock triggers and clock expiry; nil in integer cycling.
	ToWallClock func(cycle.Point) time.Time
}

// StartTask names a task instance to start from.
type StartTask struct {
	Point cycle.Point
	Name  string
}

// Timeout is a workflow event timeout.
type Timeout struct {
	After time.Duration
	Set   bool
	Abort bool
}

// Runahead is the runahead limit: a number of cycles or an interval.
type Runahead struct {
	Cycles   int
	Interval cycle.Duration
	IsCycles bool
}

// QueueDef is an internal queue: at most Limit active member tasks.
type QueueDef struct {
	Name  string
	Limit int // 0: unlimited
}

// TaskDef is one task's definition.
type TaskDef struct {
	Name string
	Seqs []*SeqDef
	// Outputs are the standard outputs followed by custom ones.
	Outputs    []task.Output
	outByTrig  map[string]int
	outByMsg   map[string]int
	Completion *task.Completion
	Sequential bool
	// HasParents is whether the graph gives the task any parent anywhere.
	HasParents bool
	Queue      int // index into Def.Queues

	ExecRetryDelays   []time.Duration
	SubmitRetryDelays []time.Duration

	// SubmitPolls and ExecPolls are the submission and execution polling
	// intervals (the last repeats); TimeLimit, if set, is the execution
	// time limit, after which the job is polled at TimeLimitPolls.
	SubmitPolls, ExecPolls []time.Duration
	TimeLimit              time.Duration
	TimeLimitPolls         []time.Duration
	// SubmitTimeout and ExecTimeout raise the submission and execution
	// timeout events (zero: not set).
	SubmitTimeout, ExecTimeout time.Duration

	// ClockTrigger delays submission until the wall clock reaches the
	// point plus ClockOffset.
	ClockTrigger bool
	ClockOffset  cycle.Duration
	// ClockExpire expires a waiting task once the wall clock passes the
	// point plus ExpireOffset.
	ClockExpire  bool
	ExpireOffset cycle.Duration

	// ExtTriggers are the labels (ExtTriggerLabel) of its external
	// triggers: it waits for each, as for an xtrigger.
	ExtTriggers []string

	Sim SimDef
	// maxFuture is the largest offset by which a prerequisite of this task
	// lies after the task's own point; it raises the runahead limit.
	maxFuture    cycle.Duration
	hasMaxFuture bool
}

// SimDef is [runtime][task][simulation].
type SimDef struct {
	RunLength time.Duration
	// FailAll fails every instance; otherwise FailPoints lists the points
	// (as strings) that fail.
	FailAll      bool
	FailPoints   map[string]bool
	FailTry1Only bool
}

// SeqDef is the task on one recurrence: its triggers there, in the order
// of the graph index (suicide triggers included).
type SeqDef struct {
	Key      string
	Seq      Sequence
	Triggers []*TrigDef
}

// TrigDef is a compiled graph trigger.
type TrigDef struct {
	// Text is the trigger as the graph keys it; with the resolved points
	// it identifies duplicate prerequisites from coinciding sequences.
	Text      string
	Expr      *graph.Expr // nil if only xtriggers
	Atoms     []AtomDef
	Xtriggers []string
	Suicide   bool
}

// OffsetKind says how an atom's point relates to the dependent's point.
type OffsetKind uint8

// The kinds of inter-cycle offset.
const (
	SamePoint   OffsetKind = iota // foo => bar
	Relative                      // foo[-P1D] => bar
	Absolute                      // foo[20100101T06] => bar
	FromInitial                   // foo[^+P1D] => bar
)

// AtomDef is one task output in a trigger, with its offset compiled.
type AtomDef struct {
	Task   string
	Output string
	Kind   OffsetKind
	// Offsets apply in order (Cylc allows "-P1D+PT18H").
	Offsets []cycle.Duration
	// Point is the absolute point for Absolute atoms.
	Point cycle.Point
}

// parentPoint is the point of the output this atom refers to, for a
// dependent at p.
func (a *AtomDef) parentPoint(d *Def, p cycle.Point) cycle.Point {
	switch a.Kind {
	case Absolute:
		return a.Point
	case FromInitial:
		return applyOffsets(d.Initial, a.Offsets, false)
	case Relative:
		return applyOffsets(p, a.Offsets, false)
	}
	return p
}

// wallClock is when a task at p with a clock offset off becomes due:
// exact offsets are added to the time itself, so seconds survive even
// when the cycle point format does not show them.
func (d *Def) wallClock(p cycle.Point, off cycle.Duration) time.Time {
	if exact, ok := off.Exact(); ok {
		return d.ToWallClock(p).Add(exact)
	}
	return d.ToWallClock(p.Add(off))
}

func applyOffsets(p cycle.Point, offs []cycle.Duration, negate bool) cycle.Point {
	for _, o := range offs {
		if negate {
			o = o.Neg()
		}
		p = p.Add(o)
	}
	return p
}

// OutputIndex returns the index of the output with trigger name trig.
func (t *TaskDef) OutputIndex(trig string) (int, bool) {
	i, ok := t.outByTrig[trig]
	return i, ok
}

// Prepare builds the lookup tables; the builder calls it once per task,
// after setting Outputs.
func (t *TaskDef) Prepare() {
	t.outByTrig = make(map[string]int, len(t.Outputs))
	t.outByMsg = make(map[string]int, len(t.Outputs))
	for i, o := range t.Outputs {
		t.outByTrig[o.Trigger] = i
		t.outByMsg[o.Message] = i
	}
}

func (t *TaskDef) seq(key string) *SeqDef {
	for _, s := range t.Seqs {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// IsOn reports whether the task runs at p on any of its recurrences.
func (t *TaskDef) IsOn(p cycle.Point) bool {
	for _, s := range t.Seqs {
		if s.Seq.IsOn(p) {
			return true
		}
	}
	return false
}
