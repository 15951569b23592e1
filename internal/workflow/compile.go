package workflow

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gyre/internal/config"
	"gyre/internal/cycle"
	"gyre/internal/graph"
	"gyre/internal/pool"
	"gyre/internal/task"
)

// RunOptions are the start-up choices that shape a run's pool.
type RunOptions struct {
	// StartCyclePoint is a warm-start point (--startcp).
	StartCyclePoint string
	// StopCyclePoint overrides [scheduling]stop after cycle point.
	StopCyclePoint string
	// HoldAfter overrides [scheduling]hold after cycle point.
	HoldAfter string
	// ReferenceTest enforces [scheduler][events]expected task failures
	// and, as Cylc does, aborts on inactivity (180 s unless configured).
	ReferenceTest bool
	// StartTasks ("point/name") cold-start from these tasks.
	StartTasks []string
	// Simulation compiles for simulation mode: simulated jobs are never
	// polled and have no submission or execution timeouts.
	Simulation bool
	// PlatformSettings, if set, gives the settings of a task's platform
	// (from the global configuration) that apply where the task's runtime
	// sets none, as in Cylc 8.
	PlatformSettings func(rt *config.Runtime) PlatformSettings
}

// PlatformSettings are the settings a platform gives its tasks' jobs: its
// polling intervals and submission retry delays. A nil list leaves Cylc's
// defaults.
type PlatformSettings struct {
	Submission, Execution, ExecutionTimeLimit []time.Duration
	SubmissionRetryDelays                     []time.Duration
}

// PoolDef compiles the workflow into the pool's definition.
func (w *Workflow) PoolDef(opts RunOptions) (*pool.Def, error) {
	ctx := w.Cycle
	sch := w.Config.Scheduling()
	d := &pool.Def{
		Initial:  ctx.Initial(),
		Tasks:    map[string]*pool.TaskDef{},
		Index:    w.Index,
		Cylc7:    w.Config.Cylc7,
		Families: w.Families,
	}
	d.Final, d.HasFinal = ctx.Final()
	d.Start = d.Initial
	var err error
	point := func(what, s string) (cycle.Point, bool, error) {
		if s == "" {
			return cycle.Point{}, false, nil
		}
		p, err := ctx.ParsePoint(s)
		if err != nil {
			return p, false, fmt.Errorf("%s %q: %w", what, s, err)
		}
		return p, true, nil
	}
	if p, ok, e := point("start cycle point", opts.StartCyclePoint); e != nil {
		return nil, e
	} else if ok {
		d.Start = p
	}
	for i, id := range opts.StartTasks {
		pt, name, ok := strings.Cut(id, "/")
		if !ok {
			return nil, fmt.Errorf("--start-task %q: give the task as POINT/NAME", id)
		}
		p, err := ctx.ParsePoint(pt)
		if err != nil {
			return nil, fmt.Errorf("--start-task %q: %w", id, err)
		}
		d.StartTasks = append(d.StartTasks, pool.StartTask{Point: p, Name: name})
		if i == 0 || p.Compare(d.Start) < 0 {
			d.Start = p
		}
	}
	stop := sch.StopAfterCyclePoint
	if opts.StopCyclePoint != "" {
		stop = opts.StopCyclePoint
	}
	if d.Stop, d.HasStop, err = point("stop cycle point", stop); err != nil {
		return nil, err
	}
	hold := sch.HoldAfterCyclePoint
	if opts.HoldAfter != "" {
		hold = opts.HoldAfter
	}
	if d.Hold, d.HasHold, err = point("hold after cycle point", hold); err != nil {
		return nil, err
	}
	if err := w.compileRunahead(d, sch.RunaheadLimit); err != nil {
		return nil, err
	}
	for _, key := range w.SeqOrder {
		d.Sequences = append(d.Sequences, w.Sequences[key])
	}
	d.ParsePoint = ctx.ParsePoint
	d.Simulation = opts.Simulation
	if !ctx.Integer() {
		d.ToWallClock = func(p cycle.Point) time.Time {
			t, _ := p.Time()
			return t
		}
	}
	w.compileEvents(d, opts)
	if err := w.compileWallClock(d, sch); err != nil {
		return nil, err
	}
	queueOf := w.compileQueues(d, sch)
	special := specialTasks(sch)
	for _, name := range w.GraphTasks {
		td, err := w.compileTask(name, queueOf, special)
		if err == nil && opts.PlatformSettings != nil {
			w.platformSettings(td, name, opts.PlatformSettings)
		}
		if err == nil && opts.Simulation {
			td.SubmitPolls, td.ExecPolls, td.TimeLimit, td.SubmitTimeout, td.ExecTimeout = nil, nil, 0, 0, 0
		}
		if err != nil {
			return nil, err
		}
		d.Tasks[name] = td
		d.Names = append(d.Names, name)
	}
	sort.Strings(d.Names)
	return d, nil
}

// compileWallClock finds the wall_clock xtriggers (declared, or the bare
// @wall_clock Cylc allows undeclared) and their offsets.
func (w *Workflow) compileWallClock(d *pool.Def, sch *config.Scheduling) error {
	d.WallClock = map[string]cycle.Duration{}
	declared := map[string]bool{}
	for _, x := range sch.Xtriggers {
		declared[x.Label] = true
		if x.Func != "wall_clock" {
			continue
		}
		off := ""
		if v, ok := x.Kwargs["offset"]; ok {
			off = fmt.Sprint(v)
		} else if len(x.Args) > 0 {
			off = fmt.Sprint(x.Args[0])
		}
		dur, err := w.offset(off)
		if err != nil {
			return fmt.Errorf("[scheduling][xtriggers]%s: offset %q: %w", x.Label, off, err)
		}
		d.WallClock[x.Label] = dur
	}
	if !declared["wall_clock"] {
		zero, _ := w.offset("")
		d.WallClock["wall_clock"] = zero
	}
	return nil
}

func (w *Workflow) compileRunahead(d *pool.Def, limit string) error {
	if limit == "" {
		limit = "P4"
	}
	if n, ok := cyclesLimit(limit); ok {
		d.Runahead = pool.Runahead{Cycles: n, IsCycles: true}
		return nil
	}
	dur, err := w.Cycle.ParseDuration(limit)
	if err != nil {
		return fmt.Errorf("[scheduling]runahead limit %q: %w", limit, err)
	}
	d.Runahead = pool.Runahead{Interval: dur}
	return nil
}

// cyclesLimit reads "P<n>", Cylc's count-of-cycles runahead form.
func cyclesLimit(s string) (int, bool) {
	if len(s) < 2 || s[0] != 'P' {
		return 0, false
	}
	n := 0
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func (w *Workflow) compileEvents(d *pool.Def, opts RunOptions) {
	ev := w.Config.Scheduler().Events
	d.StallTimeout, d.HasStallTimeout = time.Hour, true
	if ev.StallTimeout != nil {
		d.StallTimeout = time.Duration(float64(*ev.StallTimeout) * float64(time.Second))
	}
	d.AbortOnStall = true
	if ev.AbortOnStallTimeout != nil {
		d.AbortOnStall = *ev.AbortOnStallTimeout
	}
	timeout := func(iv *config.Interval, abort *bool) pool.Timeout {
		t := pool.Timeout{}
		if iv != nil {
			t.After, t.Set = seconds(float64(*iv)), true
		}
		if abort != nil {
			t.Abort = *abort
		}
		return t
	}
	d.RestartTimeout = 2 * time.Minute
	if ev.RestartTimeout != nil {
		d.RestartTimeout = seconds(float64(*ev.RestartTimeout))
	}
	d.WorkflowTimeout = timeout(ev.WorkflowTimeout, ev.AbortOnWorkflowTimeout)
	d.InactivityTimeout = timeout(ev.InactivityTimeout, ev.AbortOnInactivityTimeout)
	if opts.ReferenceTest {
		d.InactivityTimeout.Abort = true
		if !d.InactivityTimeout.Set {
			d.InactivityTimeout.After, d.InactivityTimeout.Set = 180*time.Second, true
		}
		d.ExpectedFailures = map[string]bool{}
		for _, id := range ev.ExpectedTaskFailures {
			d.ExpectedFailures[normaliseID(id)] = true
		}
	}
}

// normaliseID accepts Cylc 7's "name.point" as well as "point/name".
func normaliseID(id string) string {
	id = strings.TrimSpace(id)
	if strings.Contains(id, "/") {
		return id
	}
	if name, point, ok := strings.Cut(id, "."); ok {
		return point + "/" + name
	}
	return id
}

func (w *Workflow) compileQueues(d *pool.Def, sch *config.Scheduling) map[string]int {
	queueOf := map[string]int{}
	for i, q := range sch.Queues {
		d.Queues = append(d.Queues, &pool.QueueDef{Name: q.Name, Limit: q.Limit})
		if i == 0 {
			continue
		}
		for _, m := range q.Members {
			if members, ok := w.Families[m]; ok {
				for _, t := range members {
					queueOf[t] = i
				}
			} else {
				queueOf[m] = i
			}
		}
	}
	return queueOf
}

type specials struct {
	sequential map[string]bool
	clock      map[string]string
	expire     map[string]string
	ext        map[string][]string // external trigger messages
}

func specialTasks(s *config.Scheduling) specials {
	sp := specials{sequential: map[string]bool{}, clock: map[string]string{}, expire: map[string]string{}, ext: map[string][]string{}}
	for _, n := range s.Sequential {
		sp.sequential[n] = true
	}
	split := func(item string) (string, string) {
		name, off, ok := strings.Cut(item, "(")
		if !ok {
			return strings.TrimSpace(item), ""
		}
		return strings.TrimSpace(name), strings.TrimSuffix(strings.TrimSpace(off), ")")
	}
	for _, it := range s.ClockTrigger {
		n, off := split(it)
		sp.clock[n] = off
	}
	for _, it := range s.ClockExpire {
		n, off := split(it)
		sp.expire[n] = off
	}
	for _, it := range s.ExternalTrigger {
		n, msg := split(it)
		sp.ext[n] = append(sp.ext[n], dequote(strings.TrimSpace(msg)))
	}
	return sp
}

// dequote strips one pair of matching quotes, as Cylc does from external
// trigger messages.
func dequote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func (w *Workflow) compileTask(name string, queueOf map[string]int, sp specials) (*pool.TaskDef, error) {
	rt, ok := w.Config.Runtime(name)
	if !ok {
		return nil, fmt.Errorf("task %s has no runtime definition", name)
	}
	td := &pool.TaskDef{Name: name, Sequential: sp.sequential[name], Queue: queueOf[name]}
	// Outputs: standard, then custom; needs from the graph's table.
	outs := task.StandardOutputDefs()
	for _, kv := range rt.Outputs {
		outs = append(outs, task.Output{Trigger: kv.Key, Message: kv.Value})
	}
	table := w.Graphs[0].Outputs
	for i := range outs {
		if opt, ok := table.Optional(name, outs[i].Trigger); ok {
			if opt {
				outs[i].Need = task.Optional
			} else {
				outs[i].Need = task.Required
			}
		}
	}
	task.SettleNeeds(outs, w.Config.Cylc7)
	td.Outputs = outs
	expr := rt.Completion
	if expr == "" {
		expr = task.DefaultCompletion(outs)
	}
	if expr == "" {
		expr = "succeeded or failed or submit_failed or expired"
	}
	c, err := task.ParseCompletion(expr)
	if err != nil {
		return nil, fmt.Errorf("[runtime][%s]completion: %w", name, err)
	}
	td.Completion = c
	for _, iv := range rt.ExecutionRetryDelays {
		td.ExecRetryDelays = append(td.ExecRetryDelays, seconds(float64(iv)))
	}
	for _, iv := range rt.SubmissionRetryDelays {
		td.SubmitRetryDelays = append(td.SubmitRetryDelays, seconds(float64(iv)))
	}
	w.compileSim(td, rt)
	compilePolling(td, rt)
	if off, ok := sp.clock[name]; ok {
		td.ClockTrigger = true
		td.ClockOffset, err = w.offset(off)
		if err != nil {
			return nil, fmt.Errorf("clock-trigger %s(%s): %w", name, off, err)
		}
	}
	for _, msg := range sp.ext[name] {
		td.ExtTriggers = append(td.ExtTriggers, pool.ExtTriggerLabel(msg))
	}
	if off, ok := sp.expire[name]; ok {
		td.ClockExpire = true
		td.ExpireOffset, err = w.offset(off)
		if err != nil {
			return nil, fmt.Errorf("clock-expire %s(%s): %w", name, off, err)
		}
	}
	for _, key := range w.Index.Recurrences(name) {
		sd := &pool.SeqDef{Key: key, Seq: w.Sequences[key]}
		for _, tr := range w.Index.Triggers(name, key) {
			ct, err := w.compileTrigger(tr)
			if err != nil {
				return nil, err
			}
			if !tr.Suicide && len(tr.Atoms) > 0 {
				td.HasParents = true
			}
			sd.Triggers = append(sd.Triggers, ct)
		}
		td.Seqs = append(td.Seqs, sd)
	}
	td.Prepare()
	return td, nil
}

func (w *Workflow) offset(s string) (cycle.Duration, error) {
	if s == "" {
		return w.Cycle.ParseDuration("PT0S")
	}
	return w.Cycle.ParseDuration(s)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func (w *Workflow) compileSim(td *pool.TaskDef, rt *config.Runtime) {
	sim := rt.Simulation
	run := seconds(float64(sim.DefaultRunLength))
	if rt.ExecutionTimeLimit != nil && sim.SpeedupFactor != nil && *sim.SpeedupFactor > 0 {
		run = seconds(float64(*rt.ExecutionTimeLimit) / *sim.SpeedupFactor)
	}
	td.Sim = pool.SimDef{RunLength: run, FailTry1Only: sim.FailTry1Only, FailPoints: map[string]bool{}}
	for _, p := range sim.FailCyclePoints {
		if p == "all" {
			td.Sim.FailAll = true
			continue
		}
		if pt, err := w.Cycle.ParsePoint(p); err == nil {
			td.Sim.FailPoints[pt.String()] = true
		}
	}
}

// compileTrigger turns a graph trigger's atoms into pool atoms with their
// offsets parsed: relative ("-P1D", "-P1D+PT18H"), from the initial point
// ("^", "^+P1D") or absolute ("20100101T06").
func (w *Workflow) compileTrigger(tr *graph.Trigger) (*pool.TrigDef, error) {
	ct := &pool.TrigDef{Text: tr.Text, Expr: tr.Expr, Xtriggers: tr.Xtriggers, Suicide: tr.Suicide}
	for _, a := range tr.Atoms {
		out, _ := task.NormaliseQualifier(a.Output)
		pa := pool.AtomDef{Task: a.Task, Output: out}
		off := strings.TrimSpace(a.Offset)
		switch {
		case off == "":
		case strings.HasPrefix(off, "^"):
			pa.Kind = pool.FromInitial
			ds, err := w.offsets(off[1:])
			if err != nil {
				return nil, fmt.Errorf("offset [%s] in %q: %w", a.Offset, tr.Text, err)
			}
			pa.Offsets = ds
		case off[0] == '+' || off[0] == '-' || off[0] == 'P':
			pa.Kind = pool.Relative
			ds, err := w.offsets(off)
			if err != nil {
				return nil, fmt.Errorf("offset [%s] in %q: %w", a.Offset, tr.Text, err)
			}
			pa.Offsets = ds
		default:
			p, err := w.Cycle.ParsePoint(off)
			if err != nil {
				return nil, fmt.Errorf("offset [%s] in %q: %w", a.Offset, tr.Text, err)
			}
			pa.Kind, pa.Point = pool.Absolute, p
		}
		ct.Atoms = append(ct.Atoms, pa)
	}
	return ct, nil
}

// offsets splits "-P1D+PT18H" into durations applied in order.
func (w *Workflow) offsets(s string) ([]cycle.Duration, error) {
	var out []cycle.Duration
	start := 0
	for i := 1; i <= len(s); i++ {
		if i < len(s) && s[i] != '+' && s[i] != '-' {
			continue
		}
		part := s[start:i]
		start = i
		if part == "" {
			continue
		}
		neg := false
		switch part[0] {
		case '+':
			part = part[1:]
		case '-':
			neg, part = true, part[1:]
		}
		d, err := w.Cycle.ParseDuration(part)
		if err != nil {
			return nil, err
		}
		if neg {
			d = d.Neg()
		}
		out = append(out, d)
	}
	return out, nil
}

// Cylc's platform defaults for polling (the localhost platform's).
var (
	defaultPolls          = []time.Duration{15 * time.Minute}
	defaultTimeLimitPolls = []time.Duration{time.Minute, 2 * time.Minute, 7 * time.Minute}
)

// platformSettings applies a platform's polling intervals and submission
// retry delays to the lists the task's runtime leaves unset.
func (w *Workflow) platformSettings(td *pool.TaskDef, name string, of func(*config.Runtime) PlatformSettings) {
	rt, ok := w.Config.Runtime(name)
	if !ok {
		return
	}
	pi := of(rt)
	if len(rt.SubmissionPollingIntervals) == 0 && pi.Submission != nil {
		td.SubmitPolls = pi.Submission
	}
	if len(rt.ExecutionPollingIntervals) == 0 && pi.Execution != nil {
		td.ExecPolls = pi.Execution
	}
	if pi.ExecutionTimeLimit != nil {
		td.TimeLimitPolls = pi.ExecutionTimeLimit
	}
	if len(rt.SubmissionRetryDelays) == 0 && pi.SubmissionRetryDelays != nil {
		td.SubmitRetryDelays = pi.SubmissionRetryDelays
	}
}

// compilePolling sets the task's polling intervals, execution time limit
// and submission and execution timeouts.
func compilePolling(td *pool.TaskDef, rt *config.Runtime) {
	durations := func(ivs []config.Interval, def []time.Duration) []time.Duration {
		if len(ivs) == 0 {
			return def
		}
		out := make([]time.Duration, len(ivs))
		for i, iv := range ivs {
			out[i] = seconds(float64(iv))
		}
		return out
	}
	td.SubmitPolls = durations(rt.SubmissionPollingIntervals, defaultPolls)
	td.ExecPolls = durations(rt.ExecutionPollingIntervals, defaultPolls)
	td.TimeLimitPolls = defaultTimeLimitPolls
	if rt.ExecutionTimeLimit != nil {
		td.TimeLimit = seconds(float64(*rt.ExecutionTimeLimit))
	}
	if iv := rt.Events.SubmissionTimeout; iv != nil {
		td.SubmitTimeout = seconds(float64(*iv))
	}
	if iv := rt.Events.ExecutionTimeout; iv != nil {
		td.ExecTimeout = seconds(float64(*iv))
	}
}
