package workflow

import (
	"cmp"
	"slices"
	"strings"

	"gyre/internal/cycle"
)

// collect deduplicates the raw edges into nodes and edges, applying the
// family grouping and the suicide filter, and sorts them as Cylc does.
// Nodes are keyed by (name, point index) and edges by node indices, so a
// graph of a hundred thousand edges costs no string building per edge.
func (d *Drawing) collect(points []cycle.Point, raw [][]pointEdge, groups *drawGroups, showSuicide, integer bool) {
	type nodeKey struct {
		task  string
		point int32
	}
	type edgeRef struct {
		l, r          int32
		suicide, cond bool
	}
	n := 0
	for _, list := range raw {
		n += len(list)
	}
	used := make([]bool, len(points))
	nodeIdx := make(map[nodeKey]int32, n)
	nodes := make([]DrawnNode, 0, n)
	addNode := func(task string, pi int32) int32 {
		used[pi] = true
		k := nodeKey{task, pi}
		i, ok := nodeIdx[k]
		if !ok {
			i = int32(len(nodes))
			nodeIdx[k] = i
			nodes = append(nodes, DrawnNode{Task: task, ord: int(pi)})
		}
		return i
	}
	edgeIdx := make(map[[2]int32]int, n)
	edges := make([]edgeRef, 0, n)
	for _, list := range raw {
		for _, re := range list {
			if re.suicide && !showSuicide {
				continue
			}
			l := addNode(groups.close(re.left), re.lp)
			if re.lone {
				continue
			}
			r := addNode(groups.close(re.right), re.rp)
			if i, ok := edgeIdx[[2]int32{l, r}]; ok {
				edges[i].cond = edges[i].cond || re.cond
				edges[i].suicide = edges[i].suicide && re.suicide
				continue
			}
			edgeIdx[[2]int32{l, r}] = len(edges)
			edges = append(edges, edgeRef{l, r, re.suicide, re.cond})
		}
	}
	// Number points chronologically so that ord sorts by instant, and
	// give each node its point string and ID. Points met only by dropped
	// edges are not listed.
	var byTime []int
	for i := range points {
		if used[i] {
			byTime = append(byTime, i)
		}
	}
	slices.SortFunc(byTime, func(a, b int) int { return points[a].Compare(points[b]) })
	rank := make([]int, len(points))
	strs := make([]string, len(points))
	for r, i := range byTime {
		rank[i] = r
		strs[i] = points[i].String()
		d.Points = append(d.Points, strs[i])
	}
	for i := range nodes {
		pi := nodes[i].ord
		nodes[i].Point, nodes[i].ord = strs[pi], rank[pi]
		nodes[i].id = nodes[i].Point + "/" + nodes[i].Task
	}
	// Sort the nodes; edges sort by their nodes' places in that order,
	// which is how Cylc's edge keys compare.
	cmpNode := compareNodeID
	if integer {
		cmpNode = compareNodeInt
	}
	order := make([]int32, len(nodes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmpNode(nodes[a], nodes[b]) })
	place := make([]int32, len(nodes))
	d.Nodes = make([]DrawnNode, len(nodes))
	for p, i := range order {
		place[i] = int32(p)
		d.Nodes[p] = nodes[i]
	}
	slices.SortFunc(edges, func(a, b edgeRef) int {
		return cmp.Or(cmp.Compare(place[a.l], place[b.l]), cmp.Compare(place[a.r], place[b.r]))
	})
	d.Edges = make([]DrawnEdge, len(edges))
	for i, e := range edges {
		d.Edges[i] = DrawnEdge{Left: nodes[e.l], Right: nodes[e.r], Suicide: e.suicide, Conditional: e.cond}
	}
}

// compareNodeID orders date-time nodes as Cylc does: by their ID string
// (which sorts by point, as all points share one format).
func compareNodeID(a, b DrawnNode) int { return strings.Compare(a.ID(), b.ID()) }

// compareNodeInt orders integer nodes as Cylc does: by task name, then
// numerically by point.
func compareNodeInt(a, b DrawnNode) int {
	return cmp.Or(strings.Compare(a.Task, b.Task), cmp.Compare(a.ord, b.ord))
}
