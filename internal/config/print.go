package config

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Printing in flow.cylc syntax, exactly as `cylc config` does: settings
// before subsections, four spaces of indentation per level, lists joined
// with ", " (quoted where needed, integer runs compressed), multi-line
// strings in triple quotes and unset values as nothing after "= ".

// pnode is a section or setting ready to print.
type pnode struct {
	name    string
	section bool
	value   any
	items   []*pnode
	subs    []*pnode
}

var reItemSplit = regexp.MustCompile(`\]\[*`)

// Print writes the configuration. items selects parts as `cylc config -i`
// does ("[scheduling]initial cycle point", "[runtime][foo]", ...); a
// selected setting prints just its value. sparse prints only what the
// workflow set (the default of `cylc config`); otherwise every setting is
// shown with its default (`cylc config --defaults`).
func (w *Workflow) Print(out io.Writer, items []string, sparse bool) error {
	var top *pnode
	if sparse {
		top = sparseP(w.Tree)
	} else {
		top = w.denseP(workflowSpec, w.Tree, false, nil)
	}
	bw := bufio.NewWriter(out)
	if len(items) == 0 {
		items = []string{""}
	}
	for _, it := range items {
		var keys []string
		if it != "" {
			s := strings.TrimRight(strings.TrimLeft(it, "["), "]")
			keys = reItemSplit.Split(s, -1)
		}
		node, err := selectP(top, keys)
		if err != nil {
			return err
		}
		printP(bw, node, len(keys))
	}
	return bw.Flush()
}

// selectP follows keys, with Cylc's two errors for a missing key.
func selectP(top *pnode, keys []string) (*pnode, error) {
	cur := top
	sp := workflowSpec
	for i, k := range keys {
		var next *pnode
		if cur.section {
			for _, c := range cur.items {
				if c.name == k {
					next = c
				}
			}
			for _, c := range cur.subs {
				if c.name == k {
					next = c
				}
			}
		}
		if next == nil {
			parents := keys[:i]
			if sp != nil && sp.section && sp.child(k) != nil {
				return nil, fmt.Errorf(`You have not set "%s" in this config.`, itemPath(append(parents[:len(parents):len(parents)], k), false))
			}
			return nil, fmt.Errorf(`"%s" is not a valid configuration for flow.cylc.`, itemPath(append(parents[:len(parents):len(parents)], k), false))
		}
		cur = next
		if sp != nil && sp.section {
			sp = sp.child(k)
		}
	}
	return cur, nil
}

func sparseP(n *Node) *pnode {
	p := &pnode{name: n.name, section: n.section, value: n.value}
	for _, it := range n.items {
		p.items = append(p.items, sparseP(it))
	}
	for _, s := range n.subs {
		p.subs = append(p.subs, sparseP(s))
	}
	return p
}

// denseP merges the schema's defaults with what was set, in the order
// Cylc's dense configuration has: a section that exists in the schema
// keeps the schema's order (user-defined keys after it); a section created
// for a user-defined key (a namespace, a queue) lists what was set first
// and then the defaults.
func (w *Workflow) denseP(sp *spec, set *Node, created bool, path []string) *pnode {
	p := &pnode{section: true}
	if set != nil {
		p.name = set.name
	}
	if sp == nil {
		return sparseP(set)
	}
	sub := func(name string) []string { return append(path[:len(path):len(path)], name) }
	value := func(name string, v any) any {
		if d, ok := w.derived[itemPath(sub(name), false)]; ok {
			return d
		}
		return v
	}
	lookup := func(name string) *Node {
		if set == nil {
			return nil
		}
		return set.lookup(name)
	}
	addSetItems := func(onlyMany bool) {
		if set == nil {
			return
		}
		for _, it := range set.items {
			if onlyMany && sp.byName[it.name] != nil {
				continue
			}
			p.items = append(p.items, &pnode{name: it.name, value: value(it.name, it.value)})
		}
	}
	addSpecItems := func(skipSet bool) {
		for _, c := range sp.children {
			if c.section || c.name == manyName {
				continue
			}
			v := c.def
			if s := lookup(c.name); s != nil {
				if skipSet {
					continue
				}
				v = s.value
			}
			p.items = append(p.items, &pnode{name: c.name, value: value(c.name, v)})
		}
	}
	addSetSubs := func(onlyMany bool) {
		if set == nil {
			return
		}
		if len(path) == 1 && path[0] == "runtime" {
			// Namespaces in Cylc's definition order, implicit tasks
			// included.
			for _, name := range w.NamespaceOrder {
				ns := w.Namespaces[name]
				if ns.Implicit {
					p.subs = append(p.subs, w.denseImplicit(ns, sub(name)))
				} else {
					p.subs = append(p.subs, w.denseP(sp.many, ns.Settings, true, sub(name)))
				}
			}
			return
		}
		for _, s := range set.subs {
			if onlyMany && sp.byName[s.name] != nil {
				continue
			}
			p.subs = append(p.subs, w.denseP(sp.child(s.name), s, true, sub(s.name)))
		}
	}
	addSpecSubs := func(skipSet bool) {
		for _, c := range sp.children {
			if !c.section || c.name == manyName {
				continue
			}
			s := lookup(c.name)
			if s != nil && skipSet {
				continue
			}
			d := w.denseP(c, s, false, sub(c.name))
			d.name = c.name
			p.subs = append(p.subs, d)
		}
	}
	if equalKeys(path, "scheduling", "graph") {
		defer renameBareGraph(p)
	}
	if created {
		addSetItems(false)
		if len(path) == 3 && path[0] == "runtime" && path[2] == "meta" && set.lookup("URL") == nil {
			// Cylc assigns every namespace's URL (expanding templates)
			// after the dense copy is made, which appends it to the keys
			// set in a [[[meta]]] section.
			p.items = append(p.items, &pnode{name: "URL", value: value("URL", sp.byName["URL"].def)})
			set = set.clone()
			set.put(newItem("URL", sp.byName["URL"], set.pos, nil))
		}
		addSpecItems(true)
		addSetSubs(false)
		addSpecSubs(true)
	} else {
		addSpecItems(false)
		addSetItems(true)
		addSpecSubs(false)
		addSetSubs(true)
	}
	return p
}

// renameBareGraph shows a Cylc 7 bare "graph" string under its cycling
// section "R1", where Cylc moves it while loading the graph.
func renameBareGraph(p *pnode) {
	var bare *pnode
	for i, it := range p.items {
		if it.name == "graph" {
			bare = it
			p.items = append(p.items[:i:i], p.items[i+1:]...)
			break
		}
	}
	if bare == nil {
		return
	}
	for _, it := range p.items {
		if it.name == "R1" {
			it.value = bare.value
			return
		}
	}
	p.items = append(p.items, &pnode{name: "R1", value: bare.value})
}

// denseImplicit is the dense layout of an implicit task: Cylc copies
// root's dense settings into it, so settings follow root's order while
// subsections stay in the schema's order.
func (w *Workflow) denseImplicit(ns *Namespace, path []string) *pnode {
	sp := runtimeSpec.many
	p := w.denseP(sp, ns.Settings, true, path)
	p.subs = nil
	for _, c := range sp.children {
		if c.section && c.name != manyName {
			d := w.denseP(c, ns.Settings.lookup(c.name), false, append(path[:len(path):len(path)], c.name))
			d.name = c.name
			p.subs = append(p.subs, d)
		}
	}
	return p
}

// printP is parsec's printcfg.
func printP(out *bufio.Writer, n *pnode, level int) {
	var rec func(n *pnode, key string, level, indent int)
	rec = func(n *pnode, key string, level, indent int) {
		spacer := strings.Repeat(" ", max(0, 4*(indent-1)))
		if n.section {
			if key != "" && level > 0 {
				out.WriteString(spacer + strings.Repeat("[", level) + key + strings.Repeat("]", level) + "\n")
			}
			for _, it := range n.items {
				rec(it, it.name, level+1, indent+1)
			}
			for _, s := range n.subs {
				rec(s, s.name, level+1, indent+1)
			}
			return
		}
		prefix := ""
		if key != "" {
			prefix = key + " = "
		}
		out.WriteString(spacer + prefix + formatValue(n.value, key != "", spacer) + "\n")
	}
	rec(n, "", level, 0)
}

// formatValue is str() of a value as printcfg shows it; a multi-line
// string after a key goes in triple quotes, indented one level deeper.
func formatValue(v any, keyed bool, spacer string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = s
			if strings.ContainsAny(s, `,#"'`) {
				items[i] = pyStrRepr(s)
			}
		}
		return strings.Join(items, ", ")
	case []int:
		if len(v) > 2 {
			return intListJoin(v)
		}
		items := make([]string, len(v))
		for i, n := range v {
			items[i] = strconv.Itoa(n)
		}
		return strings.Join(items, ", ")
	case []Interval:
		items := make([]string, len(v))
		for i, iv := range v {
			items[i] = iv.String()
			if strings.ContainsAny(items[i], `,#"'`) {
				items[i] = pyFloatRepr(float64(iv)) // Python's repr of the float
			}
		}
		return strings.Join(items, ", ")
	case string:
		if keyed && strings.Contains(v, "\n") {
			var b strings.Builder
			b.WriteString(`"""` + "\n")
			for _, line := range splitLinesKeepEnds(v) {
				b.WriteString(spacer + "    " + line)
			}
			b.WriteString("\n" + spacer + `"""`)
			return b.String()
		}
		return v
	}
	return pyStr(v)
}

// splitLinesKeepEnds is Python's str.splitlines(True) for \n, \r\n and \r.
func splitLinesKeepEnds(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			out = append(out, s)
			break
		}
		j := i + 1
		if s[i] == '\r' && j < len(s) && s[j] == '\n' {
			j++
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}
