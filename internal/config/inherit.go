package config

import (
	"errors"
	"slices"
	"strings"
)

// Runtime inheritance. Each namespace inherits from the namespaces named in
// its "inherit" list (root when there is none); the first of them is its
// first parent, the one families are drawn under. Settings are inherited
// along the C3 linearisation of the hierarchy, as for Python classes, so
// that multiple inheritance is predictable: a namespace comes before its
// parents, and parents keep their declared order.

// errBadHierarchy is C3's failure: no linearisation keeps every parent
// list's order.
var errBadHierarchy = errors.New("bad runtime namespace inheritance hierarchy")

// c3 linearises a hierarchy given each name's parent list. Results are
// memoised because a workflow often has thousands of tasks under a few
// families.
type c3 struct {
	parents map[string][]string
	memo    map[string][]string
	stack   []string // names being linearised: a repeat is a cycle
	cycle   []string // the loop found, first name repeated at the end
}

func newC3(parents map[string][]string) *c3 {
	return &c3{parents: parents, memo: map[string][]string{}}
}

// errCircular reports inheritance that loops back on itself.
var errCircular = errors.New("circular [runtime] inheritance")

func (c *c3) mro(name string) ([]string, error) {
	if m, ok := c.memo[name]; ok {
		return m, nil
	}
	if i := slices.Index(c.stack, name); i >= 0 {
		c.cycle = append(slices.Clone(c.stack[i:]), name)
		return nil, errCircular
	}
	c.stack = append(c.stack, name)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	if ps := c.parents[name]; len(ps) <= 1 {
		// With one parent the merge is the name then the parent's
		// linearisation: the common case, done without merging.
		res := []string{name}
		if len(ps) == 1 {
			m, err := c.mro(ps[0])
			if err != nil {
				return nil, err
			}
			res = append(make([]string, 0, len(m)+1), name)
			res = append(res, m...)
		}
		c.memo[name] = res
		return res, nil
	}
	seqs := [][]string{{name}}
	for _, p := range c.parents[name] {
		m, err := c.mro(p)
		if err != nil {
			return nil, err
		}
		seqs = append(seqs, slices.Clone(m))
	}
	seqs = append(seqs, slices.Clone(c.parents[name]))
	res, err := c3merge(seqs)
	if err != nil {
		return nil, err
	}
	c.memo[name] = res
	return res, nil
}

// c3merge is the C3 merge: repeatedly take the first head that is not in
// the tail of any sequence.
func c3merge(seqs [][]string) ([]string, error) {
	var res []string
	for {
		var nonEmpty [][]string
		for _, s := range seqs {
			if len(s) > 0 {
				nonEmpty = append(nonEmpty, s)
			}
		}
		if len(nonEmpty) == 0 {
			return res, nil
		}
		cand := ""
		for _, s := range nonEmpty {
			head := s[0]
			inTail := false
			for _, t := range nonEmpty {
				if slices.Contains(t[1:], head) {
					inTail = true
					break
				}
			}
			if !inTail {
				cand = head
				break
			}
		}
		if cand == "" {
			return nil, errBadHierarchy
		}
		res = append(res, cand)
		for i, s := range seqs {
			if len(s) > 0 && s[0] == cand {
				seqs[i] = s[1:]
			}
		}
	}
}

// computeFamilyTree records each namespace's parents and linearisations.
// "inherit = None, FAM" inherits FAM without making it the first parent.
func (w *Workflow) computeFamilyTree(errs *ErrorList) bool {
	rt := w.Tree.lookup("runtime")
	parents := map[string][]string{}
	firstParents := map[string][]string{}
	ok := true
	for _, ns := range rt.subs {
		name := ns.name
		if name == "root" {
			parents[name], firstParents[name] = []string{}, []string{}
			if inh := ns.lookup("inherit"); inh != nil && len(inh.Strings()) > 0 {
				w.Warnings = append(w.Warnings, Warning{Pos: inh.pos, Msg: "[runtime][root]inherit is ignored: root is the top of the hierarchy"})
			}
			continue
		}
		inh := ns.lookup("inherit")
		pts := inh.Strings()
		if len(pts) == 0 {
			pts = []string{"root"}
		}
		pos := ns.pos
		if inh != nil {
			pos = inh.pos
		}
		for i, p := range pts {
			if p == "None" && i == 0 {
				continue
			}
			if rt.lookup(p) == nil {
				hint := ""
				others := slices.DeleteFunc(namesOf(rt.subs), func(s string) bool { return s == name })
				if dm := closest(p, others); len(dm) > 0 {
					hint = "did you mean " + quoteList(dm) + "?"
				}
				errs.add(pos, hint, "undefined parent for %s: %s", name, p)
				ok = false
			}
		}
		if pts[0] == "None" {
			if len(pts) < 2 {
				errs.add(pos, `"inherit = None, FAM" inherits FAM without making it the first parent`, "null parentage for %s", name)
				ok = false
				continue
			}
			pts = pts[1:]
			firstParents[name] = []string{"root"}
		} else {
			firstParents[name] = []string{pts[0]}
		}
		parents[name] = pts
	}
	if !ok {
		return false
	}
	full, single := newC3(parents), newC3(firstParents)
	descendants := map[string]bool{}
	circular := false
	for _, ns := range rt.subs {
		mro, err := full.mro(ns.name)
		var fpa []string
		if err == nil {
			fpa, err = single.mro(ns.name)
		}
		switch {
		case err == errCircular:
			if !circular {
				errs.add(ns.pos, "a namespace cannot inherit from itself or its descendants",
					"circular [runtime] inheritance: %s", strings.Join(full.cycle, " -> "))
			}
			circular, ok = true, false
			continue
		case err != nil:
			errs.add(ns.pos, "See the cylc documentation on multiple inheritance",
				"%s: bad runtime namespace inheritance hierarchy (no consistent order of its parents: %s)",
				ns.name, strings.Join(parents[ns.name], ", "))
			ok = false
			continue
		}
		for _, p := range mro[1:] {
			descendants[p] = true
		}
		first := ""
		if len(fpa) > 1 {
			first = fpa[1]
		}
		w.Namespaces[ns.name] = &Namespace{
			Name: ns.name, Parents: parents[ns.name], FirstParent: first,
			MRO: mro, FirstParentAncestors: fpa, Pos: ns.pos,
			ParamValues: w.taskParams[ns.name],
		}
	}
	for name := range descendants {
		if ns := w.Namespaces[name]; ns != nil {
			ns.IsFamily = true
		}
	}
	return ok
}

func namesOf(nodes []*Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.name
	}
	return out
}

// computeInheritance replaces each namespace's own settings by the merge
// of its ancestors' along the MRO, root first, so that nearer ancestors
// override further ones. Merged keys keep the position where they were
// first defined (an environment variable overridden by a child stays where
// the parent put it). Namespaces are listed root first, then in definition
// order.
func (w *Workflow) computeInheritance() {
	rt := w.Tree.lookup("runtime")
	own := map[string]*Node{}
	order := []string{"root"}
	for _, ns := range rt.subs {
		own[ns.name] = ns
		if ns.name != "root" {
			order = append(order, ns.name)
		}
	}
	results := make([]*Node, 0, len(order))
	for _, name := range order {
		ns := w.Namespaces[name]
		res := newSection(name, runtimeSpec.many, own[name].pos)
		for i := len(ns.MRO) - 1; i >= 0; i-- {
			replicate(res, own[ns.MRO[i]])
		}
		ns.Settings = res
		results = append(results, res)
	}
	rt.subs = results
	rt.reindex()
	w.NamespaceOrder = order
}

// filterEnv applies [environment filter] include/exclude lists after
// inheritance.
func (w *Workflow) filterEnv() {
	for _, ns := range w.Tree.lookup("runtime").subs {
		env := ns.lookup("environment")
		if env == nil {
			continue
		}
		var incl, excl []string
		if f := ns.lookup("environment filter"); f != nil {
			incl = f.lookup("include").Strings()
			excl = f.lookup("exclude").Strings()
		}
		if len(incl) == 0 && len(excl) == 0 {
			continue
		}
		kept := env.items[:0:0]
		for _, v := range env.items {
			if (len(incl) == 0 || slices.Contains(incl, v.name)) && !slices.Contains(excl, v.name) {
				kept = append(kept, v)
			}
		}
		env.items = kept
		env.reindex()
	}
}
