package config

import (
	"path/filepath"
	"regexp"
	"strings"

	"gyre/internal/flowfile"
)

// Checks and adjustments of [scheduler] and [scheduling] that Cylc makes
// after validation and that need neither the graph nor cycle arithmetic.

// checkInstall rejects [scheduler]install entries that are not top-level
// relative paths.
func (w *Workflow) checkInstall(errs *ErrorList) {
	it := w.Tree.Get("scheduler", "install")
	for _, inc := range it.Strings() {
		switch {
		case filepath.IsAbs(inc):
			errs.add(it.pos, "list files and directories relative to the workflow directory",
				"error in [scheduler]install: %q - Paths cannot be absolute", inc)
		case len(strings.Split(strings.Trim(filepath.Clean(inc), "/"), "/")) > 1:
			errs.add(it.pos, "list the top-level directory instead",
				"error in [scheduler]install: %q - Only top-level files/directories can be configured", inc)
		}
	}
}

// prelimProcessGraph rejects an empty graph and, for a graph with only R1
// sections and no cycling settings, switches to integer cycling with
// initial and final cycle point 1, as Cylc does.
func (w *Workflow) prelimProcessGraph(sched *Node, errs *ErrorList) bool {
	graph := sched.lookup("graph")
	nonEmpty := false
	for _, it := range graph.items {
		if s, _ := it.value.(string); s != "" {
			nonEmpty = true
		}
	}
	if !nonEmpty {
		errs.add(graph.pos, "add graph strings, e.g. R1 = foo => bar", "no workflow dependency graph defined")
		return false
	}
	if sched.lookup("cycling mode") != nil {
		return true
	}
	if icp := sched.lookup("initial cycle point"); icp != nil && icp.value != "1" {
		return true
	}
	for _, it := range graph.items {
		if it.name != "graph" && it.name != "1" && it.name != "R1" {
			return true
		}
	}
	for _, key := range []string{"initial cycle point", "final cycle point"} {
		if sched.lookup(key) == nil {
			sched.put(newItem(key, schedulingSpec.byName[key], flowfile.Pos{}, "1"))
		}
	}
	sched.put(newItem("cycling mode", schedulingSpec.byName["cycling mode"], flowfile.Pos{}, "integer"))
	return true
}

// expandSpecialTasksAndQueues expands parameterised names in [special
// tasks] lists and queue members.
func (w *Workflow) expandSpecialTasksAndQueues(sched *Node, errs *ErrorList) {
	expandList := func(it *Node) {
		var out []string
		for _, name := range it.Strings() {
			exp, err := w.expandName(name)
			if err != nil {
				errs.add(it.pos, "", "%v", err)
				return
			}
			for _, e := range exp {
				out = append(out, e.name)
			}
		}
		if out == nil {
			out = []string{}
		}
		it.value = out
	}
	if st := sched.lookup("special tasks"); st != nil {
		for _, it := range st.items {
			expandList(it)
		}
	}
	if qs := sched.lookup("queues"); qs != nil {
		for _, q := range qs.subs {
			if m := q.lookup("members"); m != nil && !m.section {
				expandList(m)
			}
		}
	}
}

var (
	reClockOffset = regexp.MustCompile(`^\s*(\w[\w\-+%@]*)(?:\(\s*(.+)\s*\))?\s*$`)
	reExtTrigger  = regexp.MustCompile(`^\s*(.*)\s*\(\s*(.+)\s*\)\s*$`)
)

// checkSpecialTasks checks the syntax of clock and external trigger specs.
func (w *Workflow) checkSpecialTasks(errs *ErrorList) {
	st := w.Tree.Get("scheduling", "special tasks")
	mode := w.Tree.Get("scheduling", "cycling mode").String()
	for _, kind := range []string{"external-trigger", "clock-trigger", "clock-expire"} {
		it := st.Get(kind)
		for _, item := range it.Strings() {
			if kind == "external-trigger" {
				if !reExtTrigger.MatchString(item) {
					errs.add(it.pos, "write NAME(MESSAGE)", "illegal %s spec: %s", kind, item)
				}
				continue
			}
			m := reClockOffset.FindStringSubmatch(item)
			if m == nil {
				errs.add(it.pos, "write NAME or NAME(OFFSET), e.g. foo(PT1H)", "illegal %s spec: %s", kind, item)
				continue
			}
			if mode != "gregorian" {
				errs.add(it.pos, "", "%s tasks require [scheduling]cycling mode=gregorian", kind)
				continue
			}
			if m[2] != "" {
				if _, err := parseDuration(pyStrip(m[2])); err != nil {
					errs.add(it.pos, "the offset is an ISO 8601 duration, e.g. PT1H", "illegal %s spec: %s", kind, m[2])
				}
			}
		}
	}
}

var reRunaheadCount = regexp.MustCompile(`^P\d+$`)

// checkRunaheadLimit accepts a count of cycles (P3), or a duration for
// date-time cycling; a bare number of hours is upgraded with a warning.
func (w *Workflow) checkRunaheadLimit(errs *ErrorList) {
	it := w.Tree.Get("scheduling", "runahead limit")
	limit := it.String()
	if limit != "" && strings.Trim(limit, "0123456789") == "" {
		limit = "PT" + limit + "H"
		w.Warnings = append(w.Warnings, Warning{Pos: it.pos, Msg: `Use of a raw number of hours for the runahead limit is deprecated. Use "` + limit + `" instead`, Kind: WarnDeprecated})
	}
	integer := w.Tree.Get("scheduling", "cycling mode").String() == "integer"
	if reRunaheadCount.MatchString(limit) {
		return
	}
	if !integer && (reDurDate.MatchString(limit) || reDurTime.MatchString(limit) || reDurWeek.MatchString(limit)) {
		return
	}
	ctype := "iso8601"
	if integer {
		ctype = "integer"
	}
	errs.add(it.pos, "use a number of cycles, e.g. P4, or (for date-time cycling) a duration, e.g. PT12H",
		"bad runahead limit %q for %s cycling type", limit, ctype)
}

// deriveDefaults records the values Cylc fills in after loading that only
// `cylc config --defaults` shows: UTC mode from the (default) global
// configuration and the cycle point time zone.
func (w *Workflow) deriveDefaults() {
	utc, set := w.Tree.Get("scheduler", "UTC mode").Bool()
	if !set {
		w.derived["[scheduler]UTC mode"] = false
	}
	if w.Tree.Get("scheduler", "cycle point time zone").String() == "" {
		if !w.Cylc7 || utc {
			w.derived["[scheduler]cycle point time zone"] = "Z"
		}
	}
}

// upgradeWorkflowEventNames replaces Cylc 7 workflow event names (stalled,
// inactivity, ...) in the handler and mail event lists.
func (w *Workflow) upgradeWorkflowEventNames() {
	for _, setting := range []string{"handler events", "mail events"} {
		it := w.Tree.Get("scheduler", "events", setting)
		names := it.Strings()
		var upgraded []string
		seen := map[string]bool{}
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = n
			if nn, ok := deprecatedWorkflowEvents[n]; ok {
				out[i] = nn
				if !seen[n] {
					seen[n] = true
					upgraded = append(upgraded, n+" -> "+nn)
				}
			}
		}
		if upgraded == nil {
			continue
		}
		w.derived["[scheduler][events]"+setting] = out
		if !w.Cylc7 {
			w.Warnings = append(w.Warnings, Warning{
				Pos: it.pos, Kind: WarnDeprecated,
				Msg: "(8.0.0) [scheduler][events][" + setting + "] " + strings.Join(upgraded, ", "),
			})
		}
	}
}

var reXtriggerLabel = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)

// checkXtriggerNames applies Cylc's rules for xtrigger labels.
func (w *Workflow) checkXtriggerNames(errs *ErrorList) {
	for _, x := range w.Tree.Get("scheduling", "xtriggers").Items() {
		switch {
		case !reXtriggerLabel.MatchString(x.name):
			errs.add(x.pos, "", "invalid xtrigger name %q - can only contain: latin letters and numbers, `_`", x.name)
		case strings.HasPrefix(x.name, "_cylc"):
			errs.add(x.pos, "", "invalid xtrigger name %q - cannot start with: `_cylc`", x.name)
		}
	}
}
