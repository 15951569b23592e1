package config

import "gyre/internal/flowfile"

// rawNode is the unvalidated tree that upgrades work on: Cylc upgrades the
// raw nested dict before validating it, so values here are still raw text.
// Children keep one definition order, as a Python dict does.
type rawNode struct {
	name     string
	pos      flowfile.Pos
	section  bool
	values   []flowfile.Value // a setting's raw values (several for graph strings)
	children []*rawNode
}

// rawFromSection converts a flowfile section. Within a section Cylc's
// syntax puts settings before subsections (a setting after a heading
// belongs to that heading), so items come first, then subsections in the
// order flowfile first saw them.
func rawFromSection(s *flowfile.Section) *rawNode {
	n := &rawNode{name: s.Name, pos: s.Pos, section: true}
	for _, it := range s.Items {
		if len(it.Values) == 0 {
			continue
		}
		n.children = append(n.children, &rawNode{
			name: it.Key, pos: it.Values[0].Pos,
			values: append([]flowfile.Value(nil), it.Values...),
		})
	}
	for _, sub := range s.Sections {
		n.children = append(n.children, rawFromSection(sub))
	}
	return n
}

// text is the effective raw value of a setting: the last one written.
func (n *rawNode) text() string {
	if len(n.values) == 0 {
		return ""
	}
	return n.values[len(n.values)-1].Text
}

func (n *rawNode) child(key string) *rawNode {
	for _, c := range n.children {
		if c.name == key {
			return c
		}
	}
	return nil
}

// get follows path; ok=false if a key is missing or a setting is in the
// way.
func (n *rawNode) get(path []string) (*rawNode, bool) {
	cur := n
	for _, k := range path {
		if !cur.section {
			return nil, false
		}
		if cur = cur.child(k); cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// del removes the node at path (which must exist).
func (n *rawNode) del(path []string) {
	parent, ok := n.get(path[:len(path)-1])
	if !ok {
		return
	}
	key := path[len(path)-1]
	for i, c := range parent.children {
		if c.name == key {
			parent.children = append(parent.children[:i:i], parent.children[i+1:]...)
			return
		}
	}
}

// put stores v at path, creating sections on the way (at the end), and
// replacing an existing key in place.
func (n *rawNode) put(path []string, v *rawNode) {
	cur := n
	for _, k := range path[:len(path)-1] {
		next := cur.child(k)
		if next == nil || !next.section {
			next = &rawNode{name: k, section: true, pos: v.pos}
			cur.putChild(next)
		}
		cur = next
	}
	v.name = path[len(path)-1]
	cur.putChild(v)
}

func (n *rawNode) putChild(v *rawNode) {
	for i, c := range n.children {
		if c.name == v.name {
			n.children[i] = v
			return
		}
	}
	n.children = append(n.children, v)
}

// prepend puts v first (Cylc prepends parameter environment templates).
func (n *rawNode) prepend(v *rawNode) {
	n.children = append([]*rawNode{v}, n.children...)
}

// truthy is Python truthiness of a raw value: a non-empty string or a
// non-empty section.
func (n *rawNode) truthy() bool {
	if n.section {
		return len(n.children) > 0
	}
	return n.text() != ""
}
