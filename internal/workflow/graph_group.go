package workflow

import (
	"cmp"
	"slices"
	"strings"
)

// drawGroups maps each member of a grouped family to the family it is
// drawn as. Grouping follows first parents only, as Cylc's family tree
// does, and a family grouped inside another grouped family is drawn as the
// outer one.
type drawGroups struct {
	member map[string]string
}

// close returns the node a task is drawn as.
func (g *drawGroups) close(task string) string {
	if fam, ok := g.member[task]; ok {
		return fam
	}
	return task
}

// firstParentDescendants maps each namespace that is some namespace's first
// parent to everything below it through first parents.
func (w *Workflow) firstParentDescendants() map[string][]string {
	fpd := map[string][]string{}
	for _, name := range w.Config.NamespaceOrder {
		ns := w.Config.Namespaces[name]
		if ns == nil || len(ns.FirstParentAncestors) == 0 {
			continue
		}
		for _, anc := range ns.FirstParentAncestors[1:] {
			fpd[anc] = append(fpd[anc], name)
		}
	}
	return fpd
}

// drawGroups resolves the families to group ("<all>" for every family but
// root); names that are not families are ignored with a warning, as in
// Cylc.
func (w *Workflow) drawGroups(names []string) (*drawGroups, []string) {
	g := &drawGroups{member: map[string]string{}}
	if len(names) == 0 {
		return g, nil
	}
	fpd := w.firstParentDescendants()
	var warnings []string
	var fams []string
	if len(names) == 1 && names[0] == "<all>" {
		for _, name := range w.Config.NamespaceOrder {
			if _, ok := fpd[name]; ok && name != "root" {
				fams = append(fams, name)
			}
		}
	} else {
		for _, name := range names {
			if _, ok := fpd[name]; !ok {
				msg := "Ignoring undefined family " + name
				if hint := familyHint(name, fpd); hint != "" {
					msg += " (did you mean " + hint + "?)"
				}
				warnings = append(warnings, msg)
				continue
			}
			fams = append(fams, name)
		}
	}
	inGrouped := map[string]bool{}
	for _, f := range fams {
		for _, d := range fpd[f] {
			inGrouped[d] = true
		}
	}
	for _, f := range fams {
		if inGrouped[f] {
			continue // drawn as the outer grouped family
		}
		for _, d := range fpd[f] {
			g.member[d] = f
		}
	}
	return g, warnings
}

// familyHint suggests the family nearest to a misspelt name.
func familyHint(name string, fpd map[string][]string) string {
	fams := make([]string, 0, len(fpd))
	for fam := range fpd {
		fams = append(fams, fam)
	}
	return closest(name, fams)
}

// DrawInheritance draws the runtime inheritance hierarchy (`cylc graph
// -n`): every namespace, with an edge from each declared parent to the
// child.
func (w *Workflow) DrawInheritance() *Drawing {
	d := &Drawing{}
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			d.Nodes = append(d.Nodes, DrawnNode{Task: name})
		}
	}
	for _, name := range w.Config.NamespaceOrder {
		ns := w.Config.Namespaces[name]
		add(name)
		if ns == nil {
			continue
		}
		for _, p := range ns.Parents {
			add(p)
			d.Edges = append(d.Edges, DrawnEdge{Left: DrawnNode{Task: p}, Right: DrawnNode{Task: name}})
		}
	}
	slices.SortFunc(d.Nodes, func(a, b DrawnNode) int { return strings.Compare(a.Task, b.Task) })
	slices.SortFunc(d.Edges, func(a, b DrawnEdge) int {
		return cmp.Or(strings.Compare(a.Left.Task, b.Left.Task), strings.Compare(a.Right.Task, b.Right.Task))
	})
	d.Edges = slices.CompactFunc(d.Edges, func(a, b DrawnEdge) bool {
		return a.Left.Task == b.Left.Task && a.Right.Task == b.Right.Task
	})
	return d
}
