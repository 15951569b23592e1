package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"gyre/internal/flowfile"
	"gyre/internal/task"
)

// setCompletions gives every task its completion expression, as Cylc's
// _set_completion_expressions does: the one [runtime] sets, checked
// against the graph, or the one derived from the outputs the graph
// requires. The config records them in task definition order, which is
// where `cylc config` lists implicit tasks.
func (w *Workflow) setCompletions(errs *checkErrors) {
	reported := map[flowfile.Pos]bool{}
	for _, t := range w.defined {
		ns := w.Config.Namespaces[t]
		if ns == nil || ns.IsFamily {
			continue
		}
		outs := w.taskOutputs(t)
		expr := ns.Settings.Lookup("completion").String()
		if expr != "" {
			if msg, hint := w.checkCompletion(t, expr, outs); msg != "" {
				// An inherited expression is reported for its first task.
				pos := w.settingPos(ns.Settings.Lookup("completion"), t)
				if !reported[pos] {
					reported[pos] = true
					errs.add(pos, hint, "%s", msg)
				}
				continue
			}
		} else {
			expr = task.DefaultCompletion(outs)
		}
		if err := w.Config.SetCompletion(t, expr); err != nil {
			errs.add(w.taskPos(t), "", "%v", err)
		}
	}
}

// taskOutputs are a task's outputs (standard, then its [outputs]) with
// the need the graph gives each, settled by Cylc's defaults.
func (w *Workflow) taskOutputs(t string) []task.Output {
	outs := task.StandardOutputDefs()
	if o := w.Config.Namespaces[t].Settings.Lookup("outputs"); o != nil {
		for _, it := range o.Items() {
			outs = append(outs, task.Output{Trigger: it.Name(), Message: it.String()})
		}
	}
	for i := range outs {
		if opt, ok := w.outputs.Optional(t, outs[i].Trigger); ok {
			outs[i].Need = task.Required
			if opt {
				outs[i].Need = task.Optional
			}
		}
	}
	task.SettleNeeds(outs, w.Config.Cylc7)
	return outs
}

// altCompletionVars are the qualifier spellings that are not output names
// (succeed for succeeded...), as completion variables.
var altCompletionVars = []struct{ alt, real string }{
	{"expire", "expired"}, {"submit", "submitted"}, {"submit_fail", "submit_failed"},
	{"start", "started"}, {"succeed", "succeeded"}, {"fail", "failed"},
}

var reCompletionName = regexp.MustCompile(`[A-Za-z_]\w*`)

// checkCompletion checks a completion expression written in [runtime]
// against the task's outputs and the graph, as Cylc's
// _check_completion_expression does; it returns Cylc's message and a hint,
// or "" if the expression is fine.
func (w *Workflow) checkCompletion(t, expr string, outs []task.Output) (msg, hint string) {
	where := fmt.Sprintf("Error in [runtime][%s]completion:", t)
	switch {
	case w.Config.Cylc7:
		return "[runtime][<namespace>]completion cannot be used in Cylc 7 compatibility mode.",
			"rename suite.rc to flow.cylc to use Cylc 8 features"
	case strings.Contains(expr, "submit-failed"):
		return where + "\nUse \"submit_failed\" rather than \"submit-failed\" in completion expressions.", ""
	case strings.Contains(expr, "-"):
		return where + "\n  " + expr + "\nReplace hyphens with underscores in task outputs when used in completion expressions.", ""
	}
	c, err := task.ParseCompletion(expr)
	if err != nil {
		return where + "\n" + err.Error(), "write outputs joined by and, or and parentheses, e.g. succeeded or (failed and recovered)"
	}
	vars := map[string]task.Need{}
	names := make([]string, 0, len(outs))
	for _, o := range outs {
		v := task.CompletionVar(o.Trigger)
		vars[v] = o.Need
		names = append(names, v)
	}
	for _, v := range reCompletionName.FindAllString(expr, -1) {
		if v == "and" || v == "or" {
			continue
		}
		if _, ok := vars[v]; ok {
			continue
		}
		if v == "finished" {
			return where + "\n  " + expr + "\nThe \"finished\" output cannot be used in completion expressions, use \"succeeded or failed\".", ""
		}
		for _, a := range altCompletionVars {
			if v == a.alt {
				return fmt.Sprintf("%s\n  %s\nUse %q not %q in completion expressions.", where, expr, a.real, a.alt), ""
			}
		}
		hint := fmt.Sprintf("define the output under [runtime][%s][outputs]", t)
		if s := closest(v, names); s != "" {
			hint = "did you mean " + s + "?"
		}
		return fmt.Sprintf("%s\n'%s' is not defined", where, v), hint
	}
	return completionConsistency(t, expr, c, outs)
}

// completionConsistency compares the optionality of each output in the
// graph and in the expression (Cylc's table: an output required in the
// graph must be required in the expression, one optional in the graph
// must not be required there, and optional submit-failed or expired
// outputs must be mentioned).
func completionConsistency(t, expr string, c *task.Completion, outs []task.Output) (string, string) {
	graphOpt := map[string]int{} // -1 not referenced, 0 required, 1 optional
	var order []string
	for _, o := range outs {
		v := task.CompletionVar(o.Trigger)
		order = append(order, v)
		switch o.Need {
		case task.Required:
			graphOpt[v] = 0
		case task.Optional:
			graphOpt[v] = 1
		default:
			graphOpt[v] = -1
		}
	}
	if graphOpt["succeeded"] == 1 && graphOpt["failed"] == -1 {
		graphOpt["failed"] = 1 // failure is implicitly optional with success
	}
	exprOpt := c.OptionalIn()
	for _, v := range order {
		trigger := outs[indexVar(outs, v)].Trigger
		g := graphOpt[v]
		e, used := exprOpt[v]
		switch {
		case g == 1 && used && !e:
			return fmt.Sprintf("%s:%s is optional in the graph (? symbol), but required in the completion expression:\n%s", t, trigger, expr), ""
		case g == 0 && !used:
			return fmt.Sprintf("%s:%s is required in the graph, but not referenced in the completion expression\n%s", t, trigger, expr),
				"mark it optional in the graph (" + t + ":" + trigger + "?) or add it to the expression"
		case g == 1 && !used && (v == "submit_failed" || v == "expired"):
			return fmt.Sprintf("%s:%s is permitted in the graph but is not referenced in the completion.\nTry: completion = \"%s or %s\"", t, trigger, expr, v), ""
		case g == 0 && used && e && v != "submit_failed" && v != "expired":
			return fmt.Sprintf("%s:%s is required in the graph, but optional in the completion expression\n%s", t, trigger, expr), ""
		}
	}
	return "", ""
}

func indexVar(outs []task.Output, v string) int {
	for i, o := range outs {
		if task.CompletionVar(o.Trigger) == v {
			return i
		}
	}
	return 0
}
