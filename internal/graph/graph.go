package graph

import (
	"strings"
)

// Graph is the parsed form of one graph string (one recurrence). It is
// read-only once parsed: tasks triggered by the same expression share its
// Atoms and Expr, and the Index shares the Triggers.
type Graph struct {
	Key string
	// Tasks are the tasks this graph string defines, sorted: every task
	// it names without an inter-cycle offset.
	Tasks []string
	// Defined lists Tasks in the order the graph defines them, which is
	// the order of Cylc's trigger table (pairs sorted by their left side,
	// then right-hand nodes in turn): Cylc creates task definitions, and
	// so lists implicit tasks, in this order.
	Defined []string
	// Cycling is the subset of Tasks that run on this recurrence: those
	// not referenced only as the target of suicide triggers.
	Cycling []string
	// Triggers holds each task's triggers, one per distinct left-hand
	// expression, in the order the graph defines them. A task whose
	// triggers are all satisfied (and whose xtriggers are) is ready.
	Triggers map[string][]*Trigger
	// Edges are the dependency edges for drawing the graph, sorted.
	Edges []Edge
	// Outputs is the optional/required table, shared with Options.Outputs.
	Outputs *Outputs
	// Polling records inter-workflow triggers, foo<workflow::task:status>,
	// by the local task name.
	Polling map[string]Polling
	// CustomOutputs are the task outputs the graph names that are not
	// built-in (a:x), for the caller to check against [runtime][a][outputs].
	CustomOutputs []OutputRef
}

// OutputRef is a task output named in the graph, and where.
type OutputRef struct {
	Task, Output string
	Line         int
}

// Trigger is one left-hand expression that triggers a task. Xtriggers on
// the left are kept apart from Expr: Cylc allows them only in plain "&"
// expressions, so they are simply further conditions on the task.
type Trigger struct {
	// Expr is over Atoms; nil when the left side is only xtriggers.
	Expr  *Expr
	Atoms []Atom
	// Xtriggers are the @labels on the left, without '@'.
	Xtriggers []string
	// Suicide triggers remove the task instead of running it.
	Suicide bool
	// Text is the expression as Cylc keys it: families expanded,
	// qualifiers standardised, ":finished" expanded, '?' dropped, e.g.
	// "(a:succeeded|b[-P1D]:failed)". Equal texts are the same trigger.
	Text string
	// Line is where the trigger was written.
	Line int
}

// Atom is one task output in a trigger expression.
type Atom struct {
	Task   string
	Output string // standard output name or custom output label
	Offset string // inter-cycle offset as written inside [...]; "" = same cycle point
}

func (a Atom) String() string {
	if a.Offset != "" {
		return a.Task + "[" + a.Offset + "]:" + a.Output
	}
	return a.Task + ":" + a.Output
}

// String renders the left-hand side as a graph expression, e.g.
// "@x & (a:succeeded | b[-P1D]:failed)".
func (t *Trigger) String() string {
	var parts []string
	for _, x := range t.Xtriggers {
		parts = append(parts, "@"+x)
	}
	if t.Expr != nil {
		var b strings.Builder
		t.Expr.format(&b, func(i int) string { return t.Atoms[i].String() }, len(parts) == 0)
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " & ")
}

// Polling is an inter-workflow trigger written foo<workflow::task:status>.
type Polling struct {
	Workflow string
	Task     string
	Status   string // standardised ("failed" for ":fail"); "" if not given
	Raw      string // the text between and including < and >
}
