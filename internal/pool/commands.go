package pool

import (
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// Pause stops new job submissions (manually triggered tasks still run);
// Resume lets them go again.
type Pause struct{}

// Resume resumes a paused workflow.
type Resume struct{}

// StopMode says how a stop request ends the run.
type StopMode uint8

// Cylc's stop modes.
const (
	// StopClean submits nothing more and shuts down once the active
	// jobs have finished.
	StopClean StopMode = iota
	// StopNow shuts down at once, leaving active jobs to run on.
	StopNow
	// StopNowNow is StopNow without waiting for anything at all.
	StopNowNow
	// StopKill kills the active jobs, then stops as StopClean.
	StopKill
)

// Stop asks the workflow to shut down: now (Mode), or after a cycle point
// (AfterPoint) or a task (AfterTask) has been reached, or cleanly once the
// wall clock reaches ClockTime; or it stops one flow (Flow), leaving the
// others to run on.
type Stop struct {
	Mode       StopMode
	AfterPoint string
	AfterTask  *ID
	ClockTime  time.Time
	Flow       int
}

// SetOutputs completes outputs of tasks (Cylc's "cylc set --out"),
// spawning their children; an empty Outputs means the required ones.
// "skip" completes the required outputs as if the task ran and
// succeeded; "expired" expires it. Flow, Meta and Wait are as Trigger's,
// for the tasks it spawns (Wait: their children wait for the flow).
type SetOutputs struct {
	IDs     []ID
	Outputs []string
	Flow    string
	Meta    string
	Wait    bool
}

// SetPrereqs satisfies prerequisites of tasks ("cylc set --pre"): each is
// "point/task:output", or "all". Flow, Meta and Wait are as SetOutputs'.
type SetPrereqs struct {
	IDs     []ID
	Prereqs []string
	Flow    string
	Meta    string
	Wait    bool
}

// Remove removes tasks from the pool ("cylc remove").
type Remove struct{ IDs []ID }

func (Pause) isEvent()      {}
func (Resume) isEvent()     {}
func (Stop) isEvent()       {}
func (SetOutputs) isEvent() {}
func (SetPrereqs) isEvent() {}
func (Remove) isEvent()     {}

// Paused reports whether the workflow is paused.
func (p *Pool) Paused() bool { return p.paused }

// Stopping is the reason the workflow is shutting down ("REQUEST(CLEAN)",
// "AUTOMATIC", ...), or "" while it runs on.
func (p *Pool) Stopping() string { return p.stopping }

func (p *Pool) pause(on bool) {
	if p.paused == on {
		return
	}
	p.paused = on
	if on {
		p.logf(Info, "PAUSING the workflow now: Paused on request")
	} else {
		p.logf(Info, "RESUMING the workflow now")
		p.queuesDirty = true
	}
	p.emit(WorkflowPaused{Paused: on})
}

// WorkflowPaused records that the workflow was paused or resumed.
type WorkflowPaused struct{ Paused bool }

func (WorkflowPaused) isEffect() {}

func (p *Pool) stop(e Stop) {
	switch {
	case e.Flow != 0:
		p.stopFlow(e.Flow)
		return
	case !e.ClockTime.IsZero():
		p.setStopClock(e.ClockTime)
		return
	case e.AfterTask != nil:
		p.stopTask = *e.AfterTask
		p.hasStopTask = true
		p.logf(Info, "Setting stop task: %s", e.AfterTask)
		// Cylc records it as NAME.POINT.
		p.emit(WorkflowParam{Key: "stop_task", Value: e.AfterTask.Name + "." + e.AfterTask.Point})
		return
	case e.AfterPoint != "":
		pt, ok := p.pointFor(ID{Point: e.AfterPoint})
		if !ok {
			p.logf(Error, "stop: %q is not a cycle point of this workflow", e.AfterPoint)
			return
		}
		p.setStopPoint(pt)
		return
	}
	switch e.Mode {
	case StopNow, StopNowNow:
		reason := "REQUEST(NOW)"
		if e.Mode == StopNowNow {
			reason = "REQUEST(NOW-NOW)"
		}
		p.finished = true
		p.emit(Shutdown{Reason: reason})
	case StopKill:
		var ids []ID
		for id, t := range p.tasks {
			if t.Status.Active() {
				ids = append(ids, id)
			}
		}
		sortIDs(ids)
		p.kill(Kill{IDs: ids})
		p.stopping = "REQUEST(KILL)"
	default:
		p.stopping = "REQUEST(CLEAN)"
	}
}

// stopDue shuts down a stopping workflow once no job is active.
func (p *Pool) stopDue() bool {
	if p.stopping == "" || p.finished || p.nActive > 0 {
		return false
	}
	p.finished = true
	p.emit(Shutdown{Reason: p.stopping})
	return true
}

func (p *Pool) setOutputs(e SetOutputs) {
	flows, none, ok := p.setFlows(e.Flow, e.Meta, e.Wait)
	if !ok {
		return
	}
	var noFlow []string
	for _, id := range e.IDs {
		t := p.setTask(id, flows, none, e.Wait, &noFlow)
		if t == nil {
			continue
		}
		outs := e.Outputs
		if len(outs) == 0 || len(outs) == 1 && outs[0] == "skip" {
			outs = nil
			for _, o := range t.Def.Outputs {
				if o.Need == task.Required {
					outs = append(outs, o.Trigger)
				}
			}
			if len(outs) == 0 {
				outs = []string{task.OutSucceeded}
			}
		}
		for _, o := range outs {
			if o == task.OutExpired {
				p.forceExpire(t)
				continue
			}
			if _, ok := t.Def.outByTrig[o]; !ok {
				p.logf(Warning, "[%s] set: no output %q (it has %s)", t.LogID(), o, t.outputNames())
				continue
			}
			p.setImplied(t, o)
			p.logf(Info, "[%s] setting output: %s", t.LogID(), o)
			switch o {
			case task.OutSucceeded:
				p.forceFinal(t, task.Succeeded)
			case task.OutFailed:
				p.forceFinal(t, task.Failed)
			case task.OutSubmitFailed:
				p.forceFinal(t, task.SubmitFailed)
			}
			p.complete(t, o)
		}
		p.removeIfComplete(t, "")
	}
	warnNoFlowSet(p, noFlow)
}

// setImplied completes the outputs that setting o implies and that are
// not done yet: a finished job was submitted and started, a started one
// submitted (custom outputs imply nothing).
func (p *Pool) setImplied(t *Proxy, o string) {
	var implied []string
	switch o {
	case task.OutStarted:
		implied = []string{task.OutSubmitted}
	case task.OutSucceeded, task.OutFailed:
		implied = []string{task.OutSubmitted, task.OutStarted}
	}
	for _, im := range implied {
		if !t.Done(im) {
			p.logf(Info, "[%s] setting implied output: %s", t.LogID(), im)
			p.complete(t, im)
		}
	}
}

// setFlows resolves a set command's flow options.
func (p *Pool) setFlows(flow, meta string, wait bool) (Flows, bool, bool) {
	if err := ValidateFlow(flow, wait); err != nil {
		p.logf(Error, "set: %v", err)
		return nil, false, false
	}
	flows, none, err := p.resolveFlows(flow, meta)
	if err != nil {
		p.logf(Error, "set: %v", err)
		return nil, false, false
	}
	if !none && len(flows) == 0 {
		flows = p.activeFlows()
	}
	return flows, none, true
}

// setTask is the task a set command acts on: one in the pool takes on
// the command's flows (unless it is --flow=none, which is only for tasks
// not in the pool: those are noted in noFlow); one not in the pool is
// spawned in them.
func (p *Pool) setTask(id ID, flows Flows, none, wait bool, noFlow *[]string) *Proxy {
	if t := p.tasks[id]; t != nil {
		if none && len(t.Flows) > 0 {
			*noFlow = append(*noFlow, t.ID.String()+": (flows="+t.Flows.String()+")")
			return nil
		}
		p.mergeFlows(t, flows)
		return t
	}
	return p.commandTask(id, "set", flows, wait)
}

func warnNoFlowSet(p *Pool, noFlow []string) {
	if len(noFlow) > 0 {
		p.logf(Warning, "Already active - ignoring no-flow set: \n  * %s", strings.Join(noFlow, "\n  * "))
	}
}

// forceFinal puts a task that is not active into a final status, as
// setting its final output implies.
func (p *Pool) forceFinal(t *Proxy, s task.Status) {
	if t.Status.Active() {
		return // the job's own end will be taken as it comes
	}
	if t.Queued {
		p.queueOf(t).remove(t)
		t.Queued = false
	}
	p.setStatus(t, s)
}

func (p *Pool) forceExpire(t *Proxy) {
	if t.Status.Active() {
		p.logf(Warning, "[%s] set: an active task cannot be expired", t.LogID())
		return
	}
	if t.Queued {
		p.queueOf(t).remove(t)
		t.Queued = false
	}
	p.setStatus(t, task.Expired)
	p.complete(t, task.OutExpired)
}

func (p *Pool) setPrereqs(e SetPrereqs) {
	flows, none, ok := p.setFlows(e.Flow, e.Meta, e.Wait)
	if !ok {
		return
	}
	var noFlow []string
	defer func() { warnNoFlowSet(p, noFlow) }()
	for _, id := range e.IDs {
		t := p.setTask(id, flows, none, e.Wait, &noFlow)
		if t == nil {
			continue
		}
		all := len(e.Prereqs) == 1 && e.Prereqs[0] == "all"
		for _, pre := range e.Prereqs {
			if all {
				break
			}
			k, ok := parsePrereq(pre)
			if !ok {
				p.logf(Warning, "[%s] set: bad prerequisite %q (want POINT/TASK:OUTPUT)", t.LogID(), pre)
				continue
			}
			if !t.satisfy(k) {
				p.logf(Warning, "[%s] set: %s is not an unsatisfied prerequisite of it", t.LogID(), pre)
				continue
			}
			p.emit(PrereqSatisfied{ID: t.ID, Flows: t.Flows, Atom: PrereqAtom{Point: k.point, Task: k.task, Output: k.output, How: "force satisfied"}})
		}
		if all {
			p.forceSatisfy(t)
			t.xtrigs = nil
			p.emitPrereqs(t)
		}
		p.logf(Info, "[%s] prerequisites set", t.LogID())
		p.touch(t)
	}
}

// parsePrereq reads "point/task:output" (output defaults to succeeded).
func parsePrereq(s string) (atomKey, bool) {
	id, out, _ := strings.Cut(s, ":")
	pt, name, ok := strings.Cut(id, "/")
	if !ok || pt == "" || name == "" {
		return atomKey{}, false
	}
	if out == "" {
		out = task.OutSucceeded
	}
	return atomKey{point: pt, task: name, output: out}, true
}

func (p *Pool) removeTasks(e Remove) {
	for _, id := range e.IDs {
		if t := p.tasks[id]; t != nil {
			p.remove(t, "request")
			p.logf(Info, "Removed task: %s", id)
		}
	}
}

// commandTask returns the task a command names, spawning it in flows
// (with flow-wait if wait) if it is a valid future or past instance not
// in the pool.
func (p *Pool) commandTask(id ID, cmd string, flows Flows, wait bool) *Proxy {
	if t := p.tasks[id]; t != nil {
		return t
	}
	td := p.def.Tasks[id.Name]
	if td == nil {
		p.logf(Warning, "%s: no such task %s", cmd, id)
		return nil
	}
	pt, ok := p.pointFor(id)
	if !ok || !td.IsOn(pt) {
		p.logf(Warning, "%s: %s is not a point of %s's recurrences", cmd, id.Point, id.Name)
		return nil
	}
	delete(p.history, id)
	t := p.spawn(pt, td, flows)
	if t == nil {
		return nil
	}
	t.flowWait = wait
	p.add(t)
	return t
}

func (t *Proxy) outputNames() string {
	names := make([]string, len(t.Def.Outputs))
	for i, o := range t.Def.Outputs {
		names[i] = o.Trigger
	}
	return strings.Join(names, ", ")
}

func sortIDs(ids []ID) {
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
}

// Match resolves task IDs as commands give them — "POINT/NAME" with
// globs in either part, a family name for its member tasks, "POINT" or
// "POINT/*" for every task at a point — against the tasks in the pool.
// An ID without globs that names a real task at a valid point matches
// even if that task is not in the pool (future tasks can be triggered).
// A status selector ("1/foo*:failed", "1:failed") matches only tasks in
// the pool with that status. It returns the matches (sorted) and the
// patterns that matched nothing.
func (p *Pool) Match(patterns []string) (ids []ID, unmatched []string) {
	seen := map[ID]bool{}
	add := func(id ID) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, pat := range patterns {
		pat = strings.TrimSuffix(pat, "/")
		point, name, _ := strings.Cut(pat, "/")
		name, _, _ = strings.Cut(name, "/") // a job number is ignored
		point, pointSel, _ := strings.Cut(point, ":")
		name, sel, _ := strings.Cut(name, ":")
		if sel == "" {
			sel = pointSel
		}
		if name == "" {
			name = "*"
		}
		members := p.def.Families[name]
		n := len(ids)
		for id, t := range p.tasks {
			if !globMatch(point, id.Point) && !samePoint(p, point, t.Point) {
				continue
			}
			if sel != "" && t.Status.String() != sel {
				continue
			}
			if globMatch(name, id.Name) || slices.Contains(members, id.Name) {
				add(id)
			}
		}
		if len(ids) == n && !hasGlob(pat) && sel == "" {
			// A task or family named outright: its instances at that
			// point, in the pool or not.
			names := members
			if p.def.Tasks[name] != nil {
				names = []string{name}
			}
			if pt, ok := p.pointFor(ID{Point: point}); ok {
				for _, nm := range names {
					if td := p.def.Tasks[nm]; td != nil && td.IsOn(pt) {
						add(ID{Point: pt.String(), Name: nm})
					}
				}
			}
		}
		if len(ids) == n {
			unmatched = append(unmatched, pat)
		}
	}
	sortIDs(ids)
	return ids, unmatched
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

func globMatch(pattern, s string) bool {
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}

// samePoint matches a point written differently from the pool's format
// ("2020" for "20200101T0000Z").
func samePoint(p *Pool, s string, pt cycle.Point) bool {
	if hasGlob(s) {
		return false
	}
	q, ok := p.pointFor(ID{Point: s})
	return ok && q.Compare(pt) == 0
}
