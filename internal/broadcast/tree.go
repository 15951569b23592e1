package broadcast

// node is a nested, insertion-ordered map, the shape of Cylc's broadcast
// store (point → namespace → section → ... → value). Order is kept, not
// just contents, because it decides the order in which merged overrides
// are applied, and so where new environment variables land in a job.
// Keys are few per level, so children are searched linearly.
type node struct {
	key      string
	value    string
	leaf     bool
	children []*node
}

func (n *node) child(key string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.key == key {
			return c
		}
	}
	return nil
}

// ensure returns the child section key, adding it at the end if missing
// (or replacing a leaf of that name, which validation makes impossible).
func (n *node) ensure(key string) *node {
	if c := n.child(key); c != nil && !c.leaf {
		return c
	}
	n.remove(key)
	c := &node{key: key}
	n.children = append(n.children, c)
	return c
}

// set stores value at path below n: an existing key keeps its place, as in
// a Python dict assignment.
func (n *node) set(path []string, value string) {
	cur := n
	for _, k := range path[:len(path)-1] {
		cur = cur.ensure(k)
	}
	key := path[len(path)-1]
	if c := cur.child(key); c != nil && c.leaf {
		c.value = value
		return
	}
	cur.remove(key)
	cur.children = append(cur.children, &node{key: key, value: value, leaf: true})
}

// get finds the node at path.
func (n *node) get(path ...string) *node {
	cur := n
	for _, k := range path {
		cur = cur.child(k)
	}
	return cur
}

// remove deletes the child key.
func (n *node) remove(key string) {
	for i, c := range n.children {
		if c.key == key {
			n.children = append(n.children[:i:i], n.children[i+1:]...)
			return
		}
	}
}

// merge adds src's leaves into n (Cylc's addict): later values win, keys
// keep the place where they first appeared.
func (n *node) merge(src *node) {
	for _, c := range src.children {
		if c.leaf {
			n.set([]string{c.key}, c.value)
			continue
		}
		n.ensure(c.key).merge(c)
	}
}

// walk calls fn for every leaf below n in order, with its path relative
// to n. fn must not keep path.
func (n *node) walk(fn func(path []string, value string)) {
	var rec func(n *node, path []string)
	rec = func(n *node, path []string) {
		for _, c := range n.children {
			p := append(path, c.key)
			if c.leaf {
				fn(p, c.value)
			} else {
				rec(c, p)
			}
		}
	}
	rec(n, nil)
}

// prune deletes leaves for which drop is true and then any section left
// empty, and calls removed for each deleted leaf, in order.
func (n *node) prune(drop func(path []string) bool, removed func(path []string, value string)) {
	var rec func(n *node, path []string)
	rec = func(n *node, path []string) {
		kept := n.children[:0:0]
		for _, c := range n.children {
			p := append(path, c.key)
			if c.leaf {
				if drop(p) {
					removed(p, c.value)
					continue
				}
			} else {
				rec(c, p)
				if len(c.children) == 0 {
					continue
				}
			}
			kept = append(kept, c)
		}
		n.children = kept
	}
	rec(n, nil)
}
