package workflow

import (
	"sort"
	"strings"
)

// circularLimit is the number of tasks above which `cylc validate` skips
// the circular dependency check unless asked (--check-circular).
const circularLimit = 100

// checkCircular looks for dependency cycles in the graph expanded over the
// first cycle points, as `cylc validate` does: edges into and out of
// nodes that are not part of a cycle are peeled off (Kahn's algorithm)
// from both ends, and whatever remains is reported.
func (w *Workflow) checkCircular(errs *checkErrors) {
	if len(w.defined) > circularLimit && !w.opts.CheckCircular {
		return
	}
	// The drawing of the first cycle points is the graph Cylc checks:
	// suicide triggers and dependencies before the initial point left out.
	d, err := w.Draw(DrawOptions{})
	if err != nil {
		return // an offset that cannot be placed; nothing to check
	}
	type node struct {
		task  string
		point string
	}
	succ := map[node]map[node]bool{}
	pred := map[node]map[node]bool{}
	for _, e := range d.Edges {
		if e.Suicide || e.Left.Task == "" || e.Right.Task == "" {
			continue
		}
		l := node{e.Left.Task, e.Left.Point}
		r := node{e.Right.Task, e.Right.Point}
		if succ[l] == nil {
			succ[l] = map[node]bool{}
		}
		succ[l][r] = true
		if pred[r] == nil {
			pred[r] = map[node]bool{}
		}
		pred[r][l] = true
	}
	peel := func(out, in map[node]map[node]bool) {
		var start []node
		for x := range out {
			if len(in[x]) == 0 {
				start = append(start, x)
			}
		}
		for len(start) > 0 {
			x := start[len(start)-1]
			start = start[:len(start)-1]
			for y := range out[x] {
				delete(in[y], x)
				if len(in[y]) == 0 {
					delete(in, y)
					if _, ok := out[y]; ok {
						start = append(start, y)
					}
				}
			}
			delete(out, x)
		}
	}
	peel(succ, pred)
	if len(pred) == 0 {
		return
	}
	peel(pred, succ)
	var edges []string
	for r, ls := range pred {
		for l := range ls {
			edges = append(edges, l.point+"/"+l.task+" => "+r.point+"/"+r.task)
		}
	}
	if len(edges) == 0 {
		return
	}
	sort.Strings(edges)
	first := strings.SplitN(strings.SplitN(edges[0], " => ", 2)[1], "/", 2)[1]
	errs.add(w.taskPos(first), "a task cannot depend, directly or through others, on itself at the same cycle point",
		"circular edges detected:\n  %s", strings.Join(edges, "\n  "))
}
