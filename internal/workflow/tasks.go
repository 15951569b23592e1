package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gyre/internal/config"
	"gyre/internal/flowfile"
)

// checkTasks makes the checks of Cylc's WorkflowConfig that need both the
// graph and [runtime], in Cylc's order, and hands back to the config what
// Cylc derives from them (implicit tasks, completion expressions) so that
// `gyre config` prints what `cylc config` does.
func (w *Workflow) checkTasks(errs *checkErrors) {
	w.defineTasks()
	sched := w.Config.Scheduling()
	var implicit []string
	for _, t := range w.defined {
		ns := w.Config.Namespaces[t]
		switch {
		case ns == nil:
			implicit = append(implicit, t)
			if err := w.Config.AddImplicitTask(t); err != nil {
				errs.add(w.taskPos(t), "", "%v", err)
			}
		case ns.IsFamily:
			errs.add(w.taskPos(t), fmt.Sprintf("use a family trigger such as %s:succeed-all on the left of =>", t),
				"family %s used as a task in the graph", t)
		}
	}
	w.checkOffsets(errs)
	w.checkTaskOutputs(errs)
	w.checkCustomOutputs(errs)
	w.checkXtriggers(sched, errs)
	if len(errs.list) > 0 {
		return
	}
	w.setCompletions(errs)
	w.checkPollingTasks(errs)
	w.checkTaskEvents(errs)
	implicit = w.checkSpecialTasks(sched, implicit)
	w.checkExplicitCycling(errs)
	w.warnQueues(sched)
	w.checkImplicitTasks(implicit, errs)
	w.warnSequenceBounds()
	w.checkExternalTriggers(sched, errs)
	w.upgradeClockTriggers(sched)
	w.GraphTasks = append([]string(nil), w.defined...)
	sort.Strings(w.GraphTasks)
}

// defineTasks lists the tasks of the graph in the order Cylc creates their
// definitions (_proc_triggers): for each graph string, each task on the
// right of its trigger table, then the tasks on the left of its triggers.
// Cylc's own order is partly that of a Python set, so where it is not
// determined this follows the order the graph is written in.
func (w *Workflow) defineTasks() {
	seen := map[string]bool{}
	define := func(t string) {
		if !seen[t] {
			seen[t] = true
			w.defined = append(w.defined, t)
		}
	}
	for _, g := range w.Graphs {
		for _, t := range g.Defined {
			define(t)
			for _, tr := range g.Triggers[t] {
				for _, a := range tr.Atoms {
					define(a.Task)
				}
			}
		}
	}
}

// nameChars are the characters of a task name (besides letters and
// digits): a match of a name must not be next to one of them.
const nameChars = "_-+%@"

// taskPos locates the first use of task in the graph strings: the line of
// the graph item where it is written, or the graph item itself when the
// name only appears after parameter expansion.
func (w *Workflow) taskPos(task string) flowfile.Pos {
	if w.taskLines == nil {
		w.taskLines = map[string]flowfile.Pos{}
	}
	if p, ok := w.taskLines[task]; ok {
		return p
	}
	pos := flowfile.Pos{File: w.File.Path}
	for i, src := range w.sources {
		if i == 0 {
			pos = flowfile.Pos{File: src.item.Pos.File, Line: src.item.Pos.Line}
		}
		if n, ok := findName(src.item.Graph, task); ok {
			pos = flowfile.Pos{File: src.item.Pos.File, Line: src.line + n}
			break
		}
	}
	w.taskLines[task] = pos
	return pos
}

// findName finds the first line (0-based) of text holding name as a whole
// word outside comments.
func findName(text, name string) (int, bool) {
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for off := 0; ; {
			i := strings.Index(line[off:], name)
			if i < 0 {
				break
			}
			i += off
			end := i + len(name)
			if (i == 0 || !isNameByte(line[i-1])) && (end == len(line) || !isNameByte(line[end])) {
				return n, true
			}
			off = i + 1
		}
	}
	return 0, false
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte(nameChars, c) >= 0 || c >= 0x80
}

// checkXtriggers makes sure every @xtrigger the graph uses is defined (or
// is the implicit @wall_clock), that clock xtriggers are used only with
// date-time cycling, and that no task shares a name with an xtrigger.
func (w *Workflow) checkXtriggers(sched *config.Scheduling, errs *checkErrors) {
	defs := map[string]*config.Xtrigger{}
	for _, x := range sched.Xtriggers {
		defs[x.Label] = x
	}
	reported := map[string]bool{}
	for i, g := range w.Graphs {
		for _, t := range g.Defined {
			for _, tr := range g.Triggers[t] {
				for _, label := range tr.Xtriggers {
					if reported[label] {
						continue
					}
					pos := flowfile.Pos{File: w.sources[i].item.Pos.File, Line: tr.Line}
					x, ok := defs[label]
					if !ok && label != "wall_clock" {
						reported[label] = true
						var names []string
						for l := range defs {
							names = append(names, l)
						}
						hint := "define it under [scheduling][xtriggers], e.g. " + label + " = wall_clock(offset=PT1H)"
						if s := closest(label, names); s != "" {
							hint = "did you mean @" + s + "?"
						}
						errs.add(pos, hint, "xtrigger not defined: %s", label)
						continue
					}
					sig := "wall_clock()"
					if ok {
						if x.Func != "wall_clock" {
							continue
						}
						sig = x.Signature()
					}
					if w.Cycle.Integer() {
						reported[label] = true
						errs.add(pos, "wall_clock compares cycle points with the clock, which integer cycle points cannot be",
							"Clock xtriggers require datetime cycling: %s = %s", label, sig)
					}
				}
			}
		}
	}
	var clash []string
	for _, t := range w.defined {
		if defs[t] != nil {
			clash = append(clash, t)
		}
	}
	if len(clash) > 0 {
		errs.add(w.taskPos(clash[0]), "rename the task or the xtrigger",
			"task and @xtrigger names clash: %s", strings.Join(clash, ", "))
	}
}

// checkOffsets makes sure every inter-cycle offset in the graph can be
// applied to a cycle point of the workflow's cycling mode (Cylc finds a
// bad one when `cylc validate` places each task's parents): an interval
// ("-P1D", "+P2" in integer cycling), "^" or "^+PT6H" (from the initial
// point), or a point ("20000101T00").
func (w *Workflow) checkOffsets(errs *checkErrors) {
	checked := map[string]bool{}
	for i, g := range w.Graphs {
		for _, t := range g.Defined {
			for _, tr := range g.Triggers[t] {
				for _, a := range tr.Atoms {
					if a.Offset == "" || checked[a.Offset] {
						continue
					}
					checked[a.Offset] = true
					off := strings.TrimPrefix(a.Offset, "^")
					if off == "" {
						continue
					}
					if _, err := w.Cycle.PointRelative(off, w.Cycle.Initial()); err != nil {
						hint := "write an ISO 8601 interval such as -P1D or -PT6H, or a cycle point"
						if w.Cycle.Integer() {
							hint = "in integer cycling an offset is a number of cycles such as -P1, or a cycle point"
						}
						errs.add(flowfile.Pos{File: w.sources[i].item.Pos.File, Line: tr.Line}, hint,
							"invalid cycle point offset %s[%s]: %v", a.Task, a.Offset, err)
					}
				}
			}
		}
	}
}

// checkExplicitCycling rejects tasks that the graph names only at an
// inter-cycle offset (foo[-P1D] => bar, with foo on no recurrence):
// they would never run.
func (w *Workflow) checkExplicitCycling(errs *checkErrors) {
	cycling := map[string]bool{}
	offset := map[string]int{}
	for i, g := range w.Graphs {
		for _, t := range g.Cycling {
			cycling[t] = true
		}
		for _, t := range g.Defined {
			for _, tr := range g.Triggers[t] {
				for _, a := range tr.Atoms {
					if a.Offset != "" {
						if _, ok := offset[a.Task]; !ok {
							offset[a.Task] = i<<32 | tr.Line
						}
					}
				}
			}
		}
	}
	for _, t := range w.defined {
		at, ok := offset[t]
		if !ok || cycling[t] {
			continue
		}
		pos := flowfile.Pos{File: w.sources[at>>32].item.Pos.File, Line: at & (1<<32 - 1)}
		errs.add(pos, fmt.Sprintf("add %s to the graph without an offset, on the recurrence(s) it should run on", t),
			"No cycling sequences defined for %s", t)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkImplicitTasks rejects tasks with no [runtime] entry unless the
// workflow allows them (Cylc's _check_implicit_tasks): allowed when
// [scheduler]allow implicit tasks is true, and in Cylc 7 compatibility
// mode when it is not set and there is no rose-suite.conf.
func (w *Workflow) checkImplicitTasks(implicit []string, errs *checkErrors) {
	if len(implicit) == 0 {
		return
	}
	sched := w.Config.Scheduler()
	if sched.AllowImplicitTasks {
		return
	}
	const limit = 10
	shown := implicit
	if len(shown) > limit {
		shown = shown[:limit]
	}
	msg := "implicit tasks detected (no entry under [runtime]):\n    * " + strings.Join(shown, "\n    * ")
	if len(implicit) > limit {
		msg += fmt.Sprintf("\n    and %d more", len(implicit))
	}
	if !sched.AllowImplicitTasksSet {
		if w.Config.Cylc7 {
			if _, err := os.Stat(filepath.Join(w.File.Dir, "rose-suite.conf")); err != nil {
				return
			}
		} else {
			msg += "\nTo allow implicit tasks, use '" + filepath.Base(w.File.Path) + "[scheduler]allow implicit tasks'"
		}
	}
	hint := "define each task under [runtime] (an empty [[" + implicit[0] + "]] will do)"
	if s := w.implicitTypoHint(implicit); s != "" {
		hint = s
	}
	errs.add(w.taskPos(implicit[0]), hint, "%s", msg)
}

// implicitTypoHint suggests the [runtime] namespace an implicit task name
// may be a misspelling of.
func (w *Workflow) implicitTypoHint(implicit []string) string {
	var tasks []string
	for _, n := range w.Config.NamespaceOrder {
		if ns := w.Config.Namespaces[n]; !ns.Implicit && n != "root" {
			tasks = append(tasks, n)
		}
	}
	for _, t := range implicit {
		if s := closest(t, tasks); s != "" && !contains(implicit, s) {
			return fmt.Sprintf("did you mean %s (defined under [runtime]) rather than %s?", s, t)
		}
	}
	return ""
}

// warnSequenceBounds warns about recurrences that have no point at or
// after the initial cycle point (Cylc's _check_sequence_bounds).
func (w *Workflow) warnSequenceBounds() {
	var out []string
	for _, g := range w.Graphs {
		seq := w.Sequences[g.Key]
		if _, ok := seq.First(); !ok {
			out = append(out, seq.String())
		}
	}
	switch {
	case len(out) == 1:
		w.Warnings = append(w.Warnings, fmt.Sprintf("%s: sequence out of bounds for initial cycle point %s", out[0], w.Cycle.Initial()))
	case len(out) > 1:
		w.Warnings = append(w.Warnings, fmt.Sprintf("multiple sequences out of bounds for initial cycle point %s:\n%s",
			w.Cycle.Initial(), wrap(strings.Join(out, ", "), 70)))
	}
}

// wrap breaks text into lines of at most width characters at spaces, as
// Python's textwrap.wrap does for simple text.
func wrap(text string, width int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
