package workflow

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gyre/internal/cycle"
	"gyre/internal/graph"
)

// This file expands the per-recurrence edge templates of the parsed graph
// over concrete cycle points, which is what `cylc graph` draws (Cylc's
// WorkflowConfig.get_graph_raw). The rules that decide the output:
//
//   - every recurrence is walked from its first point at or after START;
//     with a STOP, up to STOP (and the final cycle point); without one,
//     three points of each recurrence, then only the first three points
//     overall that produced edges are kept;
//   - a left node at an offset is placed relative to the right node's
//     point, or to START for "^" offsets (not to the initial point: Cylc
//     resolves them against the start of the drawing);
//   - a left node before the first point any recurrence has at or after
//     START is dropped, leaving the right node alone, unless the right node
//     is itself before it, when the whole edge goes;
//   - members of a grouped family are drawn as the family.

// visPoints is how many cycle points a drawing without a STOP shows
// (Cylc's VIS_N_POINTS).
const visPoints = 3

// DrawOptions choose the part of the graph to draw, as the positional
// arguments and options of `cylc graph` do.
type DrawOptions struct {
	// Start is the first cycle point; "" means the initial cycle point.
	Start string
	// Stop is the last cycle point, or an interval from Start when it
	// contains "P" ("P2D", "+P3"); "" means three points from Start.
	Stop string
	// Group lists families whose members are drawn as one node per cycle
	// point; "<all>" groups every family (nested ones inside the outer).
	Group []string
	// ShowSuicide draws suicide triggers, which are left out by default.
	ShowSuicide bool
}

// Drawing is a graph ready to print: nodes and edges, deduplicated and in
// the order `cylc graph --reference` lists them.
type Drawing struct {
	Nodes []DrawnNode
	Edges []DrawnEdge
	// Points are the cycle points of the nodes, earliest first.
	Points []string
	// Warnings are non-fatal findings (families to group that do not exist).
	Warnings []string
}

// DrawnNode is a task (or xtrigger "@label", or grouped family) at a cycle
// point; in an inheritance drawing Point is "".
type DrawnNode struct {
	Task  string
	Point string
	id    string
	// ord sorts integer points numerically and date-time points by
	// instant; it is the point's index in Drawing.Points.
	ord int
}

// ID is the node's name in Cylc's relative ID form, "POINT/TASK".
func (n DrawnNode) ID() string {
	switch {
	case n.id != "":
		return n.id
	case n.Point == "":
		return n.Task
	}
	return n.Point + "/" + n.Task
}

// DrawnEdge is a dependency between two nodes. An edge that appears both
// plain and conditional (or as a suicide trigger) in different triggers is
// drawn once: conditional if any is, suicide only if all are.
type DrawnEdge struct {
	Left, Right DrawnNode
	Suicide     bool
	Conditional bool
}

// rawEdge is one concrete edge before deduplication; right is absent (the
// zero Point) for a lone node.
type rawEdge struct {
	left, right         string
	lpoint, rpoint      cycle.Point
	suicide, cond, lone bool
}

// drawEdge is a template edge with its offset classified once.
type drawEdge struct {
	graph.Edge
	fromStart bool   // "^" offsets: relative to START
	offset    string // the offset without "^"; "" for the node's own point
}

// Draw expands the graph over cycle points as `cylc graph` does.
func (w *Workflow) Draw(opts DrawOptions) (*Drawing, error) {
	if w.Cycle == nil {
		return nil, fmt.Errorf("the workflow has no cycling context to draw")
	}
	ctx := w.Cycle
	start := ctx.Initial()
	if opts.Start != "" {
		p, err := ctx.ParsePoint(opts.Start)
		if err != nil {
			return nil, fmt.Errorf("graph start point: %w", err)
		}
		start = p
	}
	var stop cycle.Point
	if opts.Stop != "" {
		var err error
		if strings.Contains(opts.Stop, "P") {
			stop, err = ctx.PointRelative(opts.Stop, start)
		} else {
			stop, err = ctx.ParsePoint(opts.Stop)
		}
		if err != nil {
			hint := "give a cycle point, or an interval from the start point such as P2D"
			if ctx.Integer() {
				hint = "give a cycle point, or an interval from the start point such as +P2"
			}
			return nil, fmt.Errorf("graph stop point: %w\n  hint: %s", err, hint)
		}
	}
	d := &Drawing{}
	groups, warnings := w.drawGroups(opts.Group)
	d.Warnings = warnings
	raw, err := w.expandEdges(start, stop)
	if err != nil {
		return nil, err
	}
	d.collect(raw, groups, opts.ShowSuicide, ctx.Integer())
	return d, nil
}

// firstDrawnPoint is the earliest point any recurrence has at or after
// start (Cylc's get_actual_first_point): left nodes before it are not drawn.
func (w *Workflow) firstDrawnPoint(start cycle.Point) cycle.Point {
	var first cycle.Point
	for _, key := range w.SeqOrder {
		if p, ok := w.Sequences[key].FirstOnOrAfter(start); ok && (first.IsZero() || p.Before(first)) {
			first = p
		}
	}
	if first.IsZero() {
		return start
	}
	return first
}

// templates gathers each recurrence's edge templates (a recurrence may head
// several graph sections).
func (w *Workflow) templates() map[string][]drawEdge {
	out := map[string][]drawEdge{}
	for _, g := range w.Graphs {
		for _, e := range g.Edges {
			de := drawEdge{Edge: e, offset: e.LeftOffset}
			if rest, ok := strings.CutPrefix(e.LeftOffset, "^"); ok {
				de.fromStart, de.offset = true, rest
			}
			out[g.Key] = append(out[g.Key], de)
		}
	}
	return out
}

// expandEdges walks every recurrence over the drawn points and returns the
// concrete edges grouped by the point of the recurrence that made them.
// Suicide edges are kept here, as in Cylc, so that a point with only
// suicide edges still counts towards the three drawn points.
func (w *Workflow) expandEdges(start, stop cycle.Point) ([][]rawEdge, error) {
	ctx := w.Cycle
	final, hasFinal := ctx.Final()
	first := w.firstDrawnPoint(start)
	tmpl := w.templates()
	startCache := map[string]cycle.Point{}
	byPoint := map[cycle.Point][]rawEdge{}
	var order []cycle.Point
	for _, key := range w.SeqOrder {
		seq, edges := w.Sequences[key], tmpl[key]
		n := 0
		for point, ok := seq.FirstOnOrAfter(start); ok; point, ok = seq.Next(point) {
			n++
			if stop.IsZero() && n > visPoints || !stop.IsZero() && point.After(stop) ||
				hasFinal && point.After(final) {
				break
			}
			pointCache := map[string]cycle.Point{}
			for i := range edges {
				e := &edges[i]
				lpoint := point
				if e.fromStart || e.offset != "" {
					base, cache := point, pointCache
					if e.fromStart {
						base, cache = start, startCache
					}
					p, ok := cache[e.offset]
					if !ok {
						var err error
						p, err = drawOffset(ctx, e.offset, base)
						if err != nil {
							return nil, fmt.Errorf("graph [%s]: %s[%s] => %s at %s: %w",
								key, e.Left, e.LeftOffset, e.Right, point, err)
						}
						cache[e.offset] = p
					}
					lpoint = p
				}
				re := rawEdge{left: e.Left, lpoint: lpoint, right: e.Right, rpoint: point,
					suicide: e.Suicide, cond: e.Conditional, lone: e.Right == ""}
				if re.lone {
					re.rpoint = cycle.Point{}
				}
				if lpoint.Before(first) {
					if re.lone || point.Before(first) {
						continue
					}
					// pre-initial dependency: keep the right node alone
					re.left, re.lpoint, re.right, re.rpoint, re.lone = e.Right, point, "", cycle.Point{}, true
				}
				if _, seen := byPoint[point]; !seen {
					order = append(order, point)
				}
				byPoint[point] = append(byPoint[point], re)
			}
		}
	}
	slices.SortFunc(order, cycle.Point.Compare)
	if stop.IsZero() && len(order) > visPoints {
		order = order[:visPoints]
	}
	out := make([][]rawEdge, len(order))
	for i, p := range order {
		out[i] = byPoint[p]
	}
	return out, nil
}

// drawOffset places a left node: an interval from base ("-P1D", "+P1",
// "" for base itself) or an absolute or truncated point ("2010", "T06").
func drawOffset(ctx *cycle.Context, offset string, base cycle.Point) (cycle.Point, error) {
	if offset == "" {
		return base, nil
	}
	return ctx.PointRelative(offset, base)
}

// collect deduplicates the raw edges into nodes and edges, applying the
// family grouping and the suicide filter, and sorts them as Cylc does.
func (d *Drawing) collect(raw [][]rawEdge, groups *drawGroups, showSuicide, integer bool) {
	type key struct{ l, r string }
	nodeIdx := map[string]int{}
	var nodes []DrawnNode
	var points []cycle.Point
	pointIdx := map[cycle.Point]int{}
	addNode := func(task string, p cycle.Point) string {
		s := p.String()
		id := s + "/" + task
		if _, ok := nodeIdx[id]; !ok {
			pi, ok := pointIdx[p]
			if !ok {
				pi = len(points)
				pointIdx[p] = pi
				points = append(points, p)
			}
			nodeIdx[id] = len(nodes)
			nodes = append(nodes, DrawnNode{Task: task, Point: s, id: id, ord: pi})
		}
		return id
	}
	edgeIdx := map[key]int{}
	var edges []DrawnEdge
	for _, list := range raw {
		for _, re := range list {
			if re.suicide && !showSuicide {
				continue
			}
			l, r := groups.close(re.left), ""
			lid := addNode(l, re.lpoint)
			if re.lone {
				continue
			}
			r = groups.close(re.right)
			rid := addNode(r, re.rpoint)
			k := key{lid, rid}
			if i, ok := edgeIdx[k]; ok {
				edges[i].Conditional = edges[i].Conditional || re.cond
				edges[i].Suicide = edges[i].Suicide && re.suicide
				continue
			}
			edgeIdx[k] = len(edges)
			edges = append(edges, DrawnEdge{
				Left: nodes[nodeIdx[lid]], Right: nodes[nodeIdx[rid]],
				Suicide: re.suicide, Conditional: re.cond,
			})
		}
	}
	// Renumber points chronologically so that ord sorts by instant.
	perm := make([]int, len(points))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int { return points[a].Compare(points[b]) })
	rank := make([]int, len(points))
	for r, i := range perm {
		rank[i] = r
		d.Points = append(d.Points, points[i].String())
	}
	for i := range nodes {
		nodes[i].ord = rank[nodes[i].ord]
	}
	for i := range edges {
		edges[i].Left.ord = rank[edges[i].Left.ord]
		edges[i].Right.ord = rank[edges[i].Right.ord]
	}
	cmpNode := compareNodeID
	if integer {
		cmpNode = compareNodeInt
	}
	slices.SortFunc(nodes, cmpNode)
	slices.SortFunc(edges, func(a, b DrawnEdge) int {
		return cmp.Or(cmpNode(a.Left, b.Left), cmpNode(a.Right, b.Right))
	})
	d.Nodes, d.Edges = nodes, edges
}

// compareNodeID orders date-time nodes as Cylc does: by their ID string
// (which sorts by point, as all points share one format).
func compareNodeID(a, b DrawnNode) int { return strings.Compare(a.ID(), b.ID()) }

// compareNodeInt orders integer nodes as Cylc does: by task name, then
// numerically by point.
func compareNodeInt(a, b DrawnNode) int {
	return cmp.Or(strings.Compare(a.Task, b.Task), cmp.Compare(a.ord, b.ord))
}
