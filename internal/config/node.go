package config

import (
	"gyre/internal/flowfile"
)

// Node is a section or a setting of a validated configuration. Sections
// keep their keys in definition order (items and subsections separately,
// which is how Cylc prints them). A Node only holds what the workflow set;
// Get falls back on the schema's defaults, so the tree reads as the full
// "dense" configuration without storing every default for every task.
type Node struct {
	name    string
	spec    *spec
	pos     flowfile.Pos
	section bool
	value   any // settings only; see the package doc for the Go types
	isSet   bool
	raw     []flowfile.Value // a setting's raw values, for graph positions

	items []*Node
	subs  []*Node
	index map[string]*Node // built once a section grows large
}

const indexThreshold = 16

func newSection(name string, sp *spec, pos flowfile.Pos) *Node {
	return &Node{name: name, spec: sp, pos: pos, section: true, isSet: true}
}

func newItem(name string, sp *spec, pos flowfile.Pos, value any) *Node {
	return &Node{name: name, spec: sp, pos: pos, value: value, isSet: true}
}

// Name is the key of the node (the task name for a [runtime] namespace).
func (n *Node) Name() string { return n.name }

// Pos is where the node was defined; zero for defaults and derived values.
func (n *Node) Pos() flowfile.Pos { return n.pos }

// IsSection tells a [section] from a setting.
func (n *Node) IsSection() bool { return n.section }

// IsSet is false for a default that Get filled in from the schema.
func (n *Node) IsSet() bool { return n.isSet }

// Value is the setting's value (nil when unset); nil for a section.
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	return n.value
}

// Raw is a setting's raw text(s) and positions as written: several for a
// graph recurrence written more than once. The graph parser uses them to
// locate errors inside multi-line graph strings.
func (n *Node) Raw() []flowfile.Value { return n.raw }

// Items lists the settings defined in a section, in definition order.
func (n *Node) Items() []*Node { return n.items }

// Sections lists the subsections defined in a section, in definition order.
func (n *Node) Sections() []*Node { return n.subs }

// lookup finds a direct child that is set.
func (n *Node) lookup(key string) *Node {
	if n.index != nil {
		return n.index[key]
	}
	for _, c := range n.items {
		if c.name == key {
			return c
		}
	}
	for _, c := range n.subs {
		if c.name == key {
			return c
		}
	}
	return nil
}

func (n *Node) reindex() {
	if len(n.items)+len(n.subs) < indexThreshold {
		n.index = nil
		return
	}
	n.index = make(map[string]*Node, len(n.items)+len(n.subs))
	for _, c := range n.items {
		n.index[c.name] = c
	}
	for _, c := range n.subs {
		n.index[c.name] = c
	}
}

// put adds child at the end, or replaces the existing child of that name in
// place (a Python dict assignment, which keeps the key's position).
func (n *Node) put(child *Node) {
	list := &n.items
	if child.section {
		list = &n.subs
	}
	if old := n.lookup(child.name); old != nil {
		if old.section == child.section {
			for i, c := range *list {
				if c == old {
					(*list)[i] = child
				}
			}
			if n.index != nil {
				n.index[child.name] = child
			}
			return
		}
		n.remove(child.name)
	}
	*list = append(*list, child)
	if n.index != nil {
		n.index[child.name] = child
	} else if len(n.items)+len(n.subs) >= indexThreshold {
		n.reindex()
	}
}

// remove deletes the child named key.
func (n *Node) remove(key string) {
	drop := func(list []*Node) []*Node {
		for i, c := range list {
			if c.name == key {
				return append(list[:i:i], list[i+1:]...)
			}
		}
		return list
	}
	n.items = drop(n.items)
	n.subs = drop(n.subs)
	if n.index != nil {
		delete(n.index, key)
	}
}

// section returns the subsection key, creating it (at the end) if needed.
func (n *Node) ensureSection(key string) *Node {
	if c := n.lookup(key); c != nil && c.section {
		return c
	}
	var sp *spec
	if n.spec != nil {
		sp = n.spec.child(key)
	}
	c := newSection(key, sp, flowfile.Pos{})
	n.put(c)
	return c
}

// Get follows path below n. A setting or section that the workflow did not
// set but the schema defines is returned with its default (IsSet false);
// nil means the path is not in the configuration or the schema.
func (n *Node) Get(path ...string) *Node {
	cur := n
	for _, key := range path {
		if cur == nil || !cur.section {
			return nil
		}
		next := cur.lookup(key)
		if next == nil {
			if cur.spec == nil {
				return nil
			}
			sp := cur.spec.byName[key]
			if sp == nil {
				return nil
			}
			if sp.section {
				next = &Node{name: key, spec: sp, section: true}
			} else {
				next = &Node{name: key, spec: sp, value: sp.def}
			}
		}
		cur = next
	}
	return cur
}

// Lookup follows path below n through what the workflow set (or Cylc
// derived) only: unlike Get it makes no default, so it is nil for a
// setting left at its default, and costs no allocation.
func (n *Node) Lookup(path ...string) *Node {
	cur := n
	for _, key := range path {
		if cur == nil || !cur.section {
			return nil
		}
		cur = cur.lookup(key)
	}
	return cur
}

// String is a string setting's value ("" when unset or not a string).
func (n *Node) String() string {
	s, _ := n.Value().(string)
	return s
}

// Bool is a boolean setting's value and whether it is set (a boolean with
// no default can be unset, which Cylc treats differently from False).
func (n *Node) Bool() (v, ok bool) {
	v, ok = n.Value().(bool)
	return v, ok
}

// Int is an integer setting's value and whether it is set.
func (n *Node) Int() (int, bool) {
	v, ok := n.Value().(int)
	return v, ok
}

// Float is a float setting's value and whether it is set.
func (n *Node) Float() (float64, bool) {
	v, ok := n.Value().(float64)
	return v, ok
}

// Interval is an interval setting's value and whether it is set.
func (n *Node) Interval() (Interval, bool) {
	v, ok := n.Value().(Interval)
	return v, ok
}

// Strings is a list setting's value (nil when unset).
func (n *Node) Strings() []string {
	v, _ := n.Value().([]string)
	return v
}

// Intervals is an interval list setting's value (nil when unset).
func (n *Node) Intervals() []Interval {
	v, _ := n.Value().([]Interval)
	return v
}

// clone deep-copies a subtree; values are immutable once built except
// lists, which are copied.
func (n *Node) clone() *Node {
	c := *n
	c.index = nil
	switch v := n.value.(type) {
	case []string:
		c.value = append([]string(nil), v...)
	case []Interval:
		c.value = append([]Interval(nil), v...)
	case []int:
		c.value = append([]int(nil), v...)
	}
	if n.section {
		c.items = make([]*Node, len(n.items))
		for i, it := range n.items {
			c.items[i] = it.clone()
		}
		c.subs = make([]*Node, len(n.subs))
		for i, s := range n.subs {
			c.subs[i] = s.clone()
		}
		c.reindex()
	}
	return &c
}

// replicate merges src into dst as parsec's replicate does: settings
// override in place or are appended, subsections merge recursively.
func replicate(dst, src *Node) {
	for _, it := range src.items {
		dst.put(it.clone())
	}
	for _, s := range src.subs {
		d := dst.lookup(s.name)
		if d == nil || !d.section {
			d = newSection(s.name, s.spec, s.pos)
			dst.put(d)
		}
		replicate(d, s)
	}
}
