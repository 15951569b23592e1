package graph

import (
	"cmp"
	"slices"
	"strings"
)

// Edge is a dependency edge of one recurrence, in the form Cylc's
// `cylc graph` expands over cycle points: Left at LeftOffset (relative to
// the right node's point, or absolute, or from the initial point, as the
// offset string says) points to Right at the recurrence's point. A node with
// no dependencies of its own is an edge with Right == "". Left is a task
// name or an xtrigger written "@label".
type Edge struct {
	Left        string
	LeftOffset  string
	Right       string
	Suicide     bool
	Conditional bool // the trigger has a | in it
}

// checkOffsetTerminals rejects an offset node at the end of a chain, where
// it could never trigger anything ("foo => bar[-P1D]").
func (p *parser) checkOffsetTerminals() error {
	var texts []string
	for text := range p.checkTerminals {
		if p.rightNodes[text] && !p.leftNodes[text] {
			texts = append(texts, text)
		}
	}
	if len(texts) == 0 {
		return nil
	}
	slices.Sort(texts)
	pr := p.checkTerminals[texts[0]]
	return p.errorf(pr.line, pr.leftText+" => "+texts[0],
		"an offset says which cycle point a dependency is at, so it belongs on the left",
		"Invalid cycle point offsets only on right hand side of dependency (must be on left hand side):%s => %s",
		pr.leftText, texts[0])
}

// finish makes the checks Cylc makes when it loads the parsed triggers
// (self-edges, xtriggers in conditional expressions) and fills in the
// derived parts of the Graph.
func (p *parser) finish() error {
	g := p.g
	cycling := map[string]bool{}
	var edges []Edge
	for _, task := range g.Tasks {
		if p.lone[task] {
			cycling[task] = true
			edges = append(edges, Edge{Left: task})
		}
		for _, t := range g.Triggers[task] {
			cond := strings.Contains(t.Text, "|")
			for _, a := range t.Atoms {
				if a.Task == task && a.Offset == "" {
					if t.Suicide {
						continue
					}
					return p.errorf(t.Line, a.String()+" => "+task, "a task cannot depend on itself at the same cycle point",
						"self-edge detected: %s => %s", a, task)
				}
				edges = append(edges, Edge{Left: a.Task, LeftOffset: a.Offset, Right: task, Suicide: t.Suicide, Conditional: cond})
				if a.Offset == "" && !t.Suicide {
					cycling[a.Task] = true
				}
			}
			for _, x := range t.Xtriggers {
				if cond {
					return p.errorf(t.Line, t.Text+" => "+task, "xtriggers can only be combined with &",
						"Xtriggers cannot be used in conditional graph expressions: %s => %s", t.Text, task)
				}
				edges = append(edges, Edge{Left: "@" + x, Right: task, Suicide: t.Suicide})
			}
			if !t.Suicide {
				cycling[task] = true
			}
		}
	}
	g.Defined = slices.Clone(g.Tasks)
	slices.Sort(g.Tasks)
	for _, task := range g.Tasks {
		if cycling[task] {
			g.Cycling = append(g.Cycling, task)
		}
	}
	slices.SortFunc(edges, compareEdges)
	g.Edges = slices.Compact(edges)
	for k, line := range p.custom {
		g.CustomOutputs = append(g.CustomOutputs, OutputRef{k.Task, k.Output, line})
	}
	slices.SortFunc(g.CustomOutputs, func(a, b OutputRef) int {
		return cmp.Or(strings.Compare(a.Task, b.Task), strings.Compare(a.Output, b.Output))
	})
	return nil
}

func compareEdges(a, b Edge) int {
	return cmp.Or(
		strings.Compare(a.Left, b.Left),
		strings.Compare(a.Right, b.Right),
		strings.Compare(a.LeftOffset, b.LeftOffset),
		boolCmp(a.Suicide, b.Suicide),
		boolCmp(a.Conditional, b.Conditional),
	)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
