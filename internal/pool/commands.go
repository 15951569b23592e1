package pool

import (
	"path"
	"slices"
	"sort"
	"strings"

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
// (AfterPoint) or a task (AfterTask) has been reached.
type Stop struct {
	Mode       StopMode
	AfterPoint string
	AfterTask  *ID
}

// SetOutputs completes outputs of tasks (Cylc's "cylc set --out"),
// spawning their children; an empty Outputs means the required ones.
// "skip" completes the required outputs as if the task ran and
// succeeded; "expired" expires it.
type SetOutputs struct {
	IDs     []ID
	Outputs []string
}

// SetPrereqs satisfies prerequisites of tasks ("cylc set --pre"): each is
// "point/task:output", or "all".
type SetPrereqs struct {
	IDs     []ID
	Prereqs []string
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
	case e.AfterTask != nil:
		p.stopTask = *e.AfterTask
		p.hasStopTask = true
		p.logf(Info, "Setting stop task: %s", e.AfterTask)
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
	for _, id := range e.IDs {
		t := p.commandTask(id, "set")
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
	for _, id := range e.IDs {
		t := p.commandTask(id, "set")
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

// commandTask returns the task a command names, spawning it (in the
// active flows) if it is a valid future or past instance not in the pool.
func (p *Pool) commandTask(id ID, cmd string) *Proxy {
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
	t := p.spawn(pt, td, p.activeFlows())
	if t == nil {
		return nil
	}
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
// It returns the matches (sorted) and the patterns that matched nothing.
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
		if name == "" {
			name = "*"
		}
		members := p.def.Families[name]
		n := len(ids)
		for id, t := range p.tasks {
			if !globMatch(point, id.Point) && !samePoint(p, point, t.Point) {
				continue
			}
			if globMatch(name, id.Name) || slices.Contains(members, id.Name) {
				add(id)
			}
		}
		if len(ids) == n && !hasGlob(pat) {
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
