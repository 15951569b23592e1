package xtrigger

import (
	"fmt"
	"strings"
)

// taskID is a Cylc universal ID, WORKFLOW[:SEL][//CYCLE[:SEL][/TASK[:SEL][/JOB]]],
// split as Cylc's tokenise does. Fields not given are empty.
type taskID struct {
	Workflow, WorkflowSel string
	Cycle, CycleSel       string
	Task, TaskSel         string
	Job                   string
}

// selector is what a workflow-state query matches: the cycle's selector,
// else the task's.
func (t taskID) selector() string {
	if t.CycleSel != "" {
		return t.CycleSel
	}
	return t.TaskSel
}

// parseID splits a universal ID. It follows the grammar of Cylc's
// UNIVERSAL_ID pattern (written out by hand, since Go's regexp has no
// look-ahead or lazy matching with back-tracking of that kind): names
// cannot hold newlines, the workflow cannot hold ":" or "~", a cycle may
// hold ":" after its first character (its selector is what follows the
// last ":"), tasks and selectors hold no "/" or ":". Each part has
// surrounding white space removed.
func parseID(s string) (taskID, error) {
	var t taskID
	bad := func(why string) (taskID, error) {
		return taskID{}, fmt.Errorf("invalid Cylc identifier %q: %s; write WORKFLOW//CYCLE/TASK:SELECTOR", s, why)
	}
	if strings.TrimSpace(s) == "" {
		return bad("it is empty")
	}
	if strings.Contains(s, "\n") {
		return bad("it holds a newline")
	}
	if strings.HasPrefix(s, "~") {
		return bad("other users' workflows (~USER/...) are not supported; give their run root with --run-dir or alt_cylc_run_dir")
	}
	if strings.HasPrefix(s, "//") {
		return bad("no workflow given before //")
	}
	left, right, hasRel := strings.Cut(s, "//")
	wf, wsel, hasSel := strings.Cut(left, ":")
	if hasSel && (wsel == "" || strings.ContainsAny(wsel, "/:")) {
		return bad(fmt.Sprintf("bad workflow selector %q", wsel))
	}
	for _, seg := range strings.Split(wf, "/") {
		switch strings.TrimSpace(seg) {
		case "", ".", "..":
			// ".." would reach outside the run root.
			return bad(fmt.Sprintf("bad workflow name %q", wf))
		}
		if strings.Contains(seg, "~") {
			return bad(fmt.Sprintf("bad workflow name %q", wf))
		}
	}
	t.Workflow, t.WorkflowSel = strings.TrimSpace(wf), strings.TrimSpace(wsel)
	if !hasRel || right == "" {
		return t, nil
	}
	parts := strings.Split(right, "/")
	if len(parts) > 3 {
		return bad("too many parts after the cycle: use CYCLE/TASK[/JOB]")
	}
	cyc := parts[0]
	if cyc == "" || strings.ContainsAny(cyc[:1], "~:") || strings.Contains(cyc, "~") {
		return bad(fmt.Sprintf("bad cycle point %q", cyc))
	}
	if i := strings.LastIndexByte(cyc, ':'); i > 0 && i < len(cyc)-1 {
		t.Cycle, t.CycleSel = cyc[:i], cyc[i+1:]
	} else {
		t.Cycle = cyc
	}
	names := []*[2]string{{}, {}}
	for i, p := range parts[1:] {
		if p == "" && i == len(parts)-2 {
			break // a trailing "/"
		}
		name, sel, hasSel := strings.Cut(p, ":")
		if name == "" || (hasSel && (sel == "" || strings.Contains(sel, ":"))) {
			return bad(fmt.Sprintf("bad name or selector %q", p))
		}
		names[i][0], names[i][1] = name, sel
	}
	t.Cycle, t.CycleSel = strings.TrimSpace(t.Cycle), strings.TrimSpace(t.CycleSel)
	t.Task, t.TaskSel = strings.TrimSpace(names[0][0]), strings.TrimSpace(names[0][1])
	t.Job = strings.TrimSpace(names[1][0])
	if t.Cycle == "" || (names[0][0] != "" && t.Task == "") || (names[1][0] != "" && t.Job == "") {
		return bad("a cycle point or name is blank")
	}
	return t, nil
}

// unquote removes one pair of matching quotes around a selector, so that
// a message with spaces can be written foo:"the quick brown" as in Cylc.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
