package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"gyre/internal/config"
	"gyre/internal/flowfile"
)

// checkCustomOutputs makes sure every task:output the graph names is a
// standard output or one the task defines under [outputs] (Cylc's
// "Undefined custom output").
func (w *Workflow) checkCustomOutputs(errs *checkErrors) {
	for i, g := range w.Graphs {
		for _, ref := range g.CustomOutputs {
			ns := w.Config.Namespaces[ref.Task]
			if ns == nil || ns.IsFamily {
				continue
			}
			if out := ns.Settings.Lookup("outputs", ref.Output); out != nil {
				continue
			}
			errs.add(flowfile.Pos{File: w.sources[i].item.Pos.File, Line: ref.Line},
				w.outputHint(ref.Task, ref.Output),
				"Undefined custom output: %s:%s", ref.Task, ref.Output)
		}
	}
}

// outputHint suggests a defined output of task close to a misspelt one,
// or says where to define it.
func (w *Workflow) outputHint(task, output string) string {
	var names []string
	if out := w.Config.Namespaces[task].Settings.Lookup("outputs"); out != nil {
		for _, it := range out.Items() {
			names = append(names, it.Name())
		}
	}
	names = append(names, "succeeded", "failed", "started", "submitted", "submit-failed", "expired", "finished")
	if s := closest(output, names); s != "" {
		return fmt.Sprintf("did you mean %s:%s?", task, s)
	}
	return fmt.Sprintf("define it under [runtime][%s][outputs], e.g. %s = \"message\"", task, output)
}

var (
	// reOutputName is Cylc's TaskOutputValidator character rule.
	reOutputName = regexp.MustCompile(`^[\w\d\-]+$`)
	// reMessage is TaskMessageValidator's rule for ':' in messages: only
	// after a first word ("WARNING: ...", a severity prefix).
	reMessage = regexp.MustCompile(`(?s)^(\w+:.*|[^:]+)$`)
	// outputKeywords and outputBuiltins may not name custom outputs:
	// keywords of completion expressions, the run mode "skip", and the
	// built-in qualifiers and task statuses (Cylc's TaskOutputValidator).
	outputKeywords = []string{"required", "optional", "all", "and", "or"}
	outputBuiltins = []string{"expire", "expired", "fail", "fail-all", "fail-any", "failed",
		"finish", "finish-all", "finish-any", "finished", "preparing", "running",
		"start", "start-all", "start-any", "started", "submit", "submit-all", "submit-any",
		"submit-fail", "submit-fail-all", "submit-fail-any", "submit-failed", "submitted",
		"succeed", "succeed-all", "succeed-any", "succeeded", "waiting"}
	// taskQualifiers are the built-in qualifiers, which task messages may
	// not be.
	taskQualifiers = []string{"expired", "submitted", "submit-failed", "started", "succeeded", "failed", "finished",
		"expire", "submit", "submit-fail", "start", "succeed", "fail", "finish",
		"succeed-all", "succeed-any", "fail-all", "fail-any", "finish-all", "finish-any",
		"start-all", "start-any", "submit-all", "submit-any", "submit-fail-all", "submit-fail-any"}
)

// cannotBe lists names as Cylc's "cannot be:" rule does: `a`, `b` or `c`.
func cannotBe(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func listSet(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// checkTaskOutputs validates the [outputs] of every graph task as Cylc's
// get_taskdef does: valid output names and messages, and no message used
// twice. An inherited output is reported once, for the first task.
func (w *Workflow) checkTaskOutputs(errs *checkErrors) {
	reported := map[flowfile.Pos]bool{}
	for _, t := range w.defined {
		ns := w.Config.Namespaces[t]
		if ns == nil {
			continue
		}
		outs := ns.Settings.Lookup("outputs")
		if outs == nil {
			continue
		}
		seen := map[string]bool{}
		for _, it := range outs.Items() {
			name, msg := it.Name(), it.String()
			where := fmt.Sprintf("[runtime][%s][outputs]%s = %s", t, name, msg)
			bad, hint := "", ""
			switch {
			case seen[msg]:
				bad = fmt.Sprintf("Duplicate task message in %q - messages must be unique", where)
				hint = "give each output its own message"
			case !reOutputName.MatchString(name):
				bad = fmt.Sprintf("Invalid task output %q - can only contain: alphanumeric (regex word characters - `\\w`), numbers, `-`", where)
			case strings.HasPrefix(name, "_cylc"):
				bad = fmt.Sprintf("Invalid task output %q - cannot start with: `_cylc`", where)
			case contains(outputKeywords, name):
				bad = fmt.Sprintf("Invalid task output %q - cannot be: %s", where, cannotBe(outputKeywords))
			case name == "skip":
				bad = fmt.Sprintf("Invalid task output %q - cannot be: `skip`", where)
			case contains(outputBuiltins, name):
				bad = fmt.Sprintf("Invalid task output %q - cannot be: %s", where, cannotBe(outputBuiltins))
				hint = "a custom output needs a name of its own; built-in outputs need no definition"
			case !reMessage.MatchString(msg):
				bad = fmt.Sprintf("Invalid task message %q - cannot contain `:` unless it occurs at the end of the first word", where)
			case contains(taskQualifiers, msg):
				bad = fmt.Sprintf("Invalid task message %q - cannot be: %s", where, cannotBe(taskQualifiers))
			case strings.HasPrefix(msg, "_cylc"):
				bad = fmt.Sprintf("Invalid task message %q - cannot start with: `_cylc`", where)
			}
			seen[msg] = true
			if bad != "" && !reported[it.Pos()] {
				reported[it.Pos()] = true
				errs.add(w.settingPos(it, t), hint, "%s", bad)
			}
		}
	}
}

// settingPos is where a namespace setting was written, or the namespace
// heading when the setting has no position (implicit tasks copy root's).
func (w *Workflow) settingPos(n *config.Node, task string) flowfile.Pos {
	if n != nil && n.Pos().Line > 0 {
		return n.Pos()
	}
	if ns := w.Config.Namespaces[task]; ns != nil && ns.Pos.Line > 0 {
		return ns.Pos
	}
	return w.taskPos(task)
}
