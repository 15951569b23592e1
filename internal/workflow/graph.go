package workflow

import (
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

// pointEdge is one concrete edge before deduplication, its points
// numbered by a pointTable; right is "" for a lone node.
type pointEdge struct {
	left, right         string
	lp, rp              int32
	suicide, cond, lone bool
}

// rawEdge is a pointEdge with its points, for callers outside the drawing
// code (the circular dependency check).
type rawEdge struct {
	left, right         string
	lpoint, rpoint      cycle.Point // rpoint is zero for a lone node
	suicide, cond, lone bool
}

// pointTable numbers the cycle points a drawing meets, so that edges carry
// small integers rather than points to hash and format.
type pointTable struct {
	points []cycle.Point
	index  map[cycle.Point]int32
	early  []bool // before the first drawn point
	first  cycle.Point
}

func (t *pointTable) id(p cycle.Point) int32 {
	i, ok := t.index[p]
	if !ok {
		i = int32(len(t.points))
		t.index[p] = i
		t.points = append(t.points, p)
		t.early = append(t.early, p.Before(t.first))
	}
	return i
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
	pt, raw, err := w.expandPoints(start, stop)
	if err != nil {
		return nil, err
	}
	d.collect(pt.points, raw, groups, opts.ShowSuicide, ctx.Integer())
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

// expandEdges is expandPoints with the points themselves in the edges.
func (w *Workflow) expandEdges(start, stop cycle.Point) ([][]rawEdge, error) {
	pt, lists, err := w.expandPoints(start, stop)
	if err != nil {
		return nil, err
	}
	out := make([][]rawEdge, len(lists))
	for i, list := range lists {
		out[i] = make([]rawEdge, len(list))
		for j, e := range list {
			re := rawEdge{left: e.left, right: e.right, lpoint: pt.points[e.lp],
				suicide: e.suicide, cond: e.cond, lone: e.lone}
			if !e.lone {
				re.rpoint = pt.points[e.rp]
			}
			out[i][j] = re
		}
	}
	return out, nil
}

// expandPoints walks every recurrence over the drawn points and returns the
// concrete edges grouped by the point of the recurrence that made them.
// Suicide edges are kept here, as in Cylc, so that a point with only
// suicide edges still counts towards the three drawn points.
func (w *Workflow) expandPoints(start, stop cycle.Point) (*pointTable, [][]pointEdge, error) {
	ctx := w.Cycle
	final, hasFinal := ctx.Final()
	pt := &pointTable{index: map[cycle.Point]int32{}, first: w.firstDrawnPoint(start)}
	tmpl := w.templates()
	startCache := map[string]int32{}
	pointCache := map[string]int32{}
	byPoint := map[int32][]pointEdge{}
	var order []int32
	for _, key := range w.SeqOrder {
		seq, edges := w.Sequences[key], tmpl[key]
		n := 0
		for point, ok := seq.FirstOnOrAfter(start); ok; point, ok = seq.Next(point) {
			n++
			if stop.IsZero() && n > visPoints || !stop.IsZero() && point.After(stop) ||
				hasFinal && point.After(final) {
				break
			}
			rp := pt.id(point)
			clear(pointCache)
			for i := range edges {
				e := &edges[i]
				lp := rp
				if e.fromStart || e.offset != "" {
					base, cache := point, pointCache
					if e.fromStart {
						base, cache = start, startCache
					}
					var ok bool
					if lp, ok = cache[e.offset]; !ok {
						p, err := drawOffset(ctx, e.offset, base)
						if err != nil {
							return nil, nil, fmt.Errorf("graph [%s]: %s[%s] => %s at %s: %w",
								key, e.Left, e.LeftOffset, e.Right, point, err)
						}
						lp = pt.id(p)
						cache[e.offset] = lp
					}
				}
				re := pointEdge{left: e.Left, lp: lp, right: e.Right, rp: rp,
					suicide: e.Suicide, cond: e.Conditional, lone: e.Right == ""}
				if pt.early[lp] {
					if re.lone || pt.early[rp] {
						continue
					}
					// pre-initial dependency: keep the right node alone
					re.left, re.lp, re.right, re.lone = e.Right, rp, "", true
				}
				if _, seen := byPoint[rp]; !seen {
					order = append(order, rp)
				}
				byPoint[rp] = append(byPoint[rp], re)
			}
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return pt.points[a].Compare(pt.points[b]) })
	if stop.IsZero() && len(order) > visPoints {
		order = order[:visPoints]
	}
	out := make([][]pointEdge, len(order))
	for i, p := range order {
		out[i] = byPoint[p]
	}
	return pt, out, nil
}

// drawOffset places a left node: an interval from base ("-P1D", "+P1",
// "" for base itself) or an absolute or truncated point ("2010", "T06").
func drawOffset(ctx *cycle.Context, offset string, base cycle.Point) (cycle.Point, error) {
	if offset == "" {
		return base, nil
	}
	return ctx.PointRelative(offset, base)
}
