package broadcast

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Display prints every broadcast as `cylc broadcast --display` does: a
// tree of points, namespaces, sections and settings, keys sorted at every
// level, values aligned in one column:
//
//	*
//	 `-root
//	   `-environment
//	     `-BCAST      ROOT
//
// Each line ends with a newline; there are none when there are no
// broadcasts.
func (s *Store) Display() string {
	return renderTree(&s.root)
}

// DisplayTask prints, in the same form, the broadcasts that reach a task at
// point whose inheritance is mro (`cylc broadcast --display-task`): those
// to AllPoints and to point, for the task and its ancestors.
func (s *Store) DisplayTask(point string, mro []string) string {
	var view node
	for _, p := range cyclesFor(point) {
		pn := s.root.child(p)
		for _, ns := range mro {
			if nn := pn.child(ns); nn != nil {
				view.ensure(p).ensure(ns).merge(nn)
			}
		}
	}
	return renderTree(&view)
}

// renderTree draws n's children. Each line is its tree prefix and key,
// padded so that values start one column after the longest
// "indent + key" (two columns per level), as Cylc's get_tree does.
func renderTree(n *node) string {
	if len(n.children) == 0 {
		return ""
	}
	width := 0
	var measure func(n *node, level int)
	measure = func(n *node, level int) {
		for _, c := range n.children {
			width = max(width, 2*level+utf8.RuneCountInString(c.key))
			measure(c, level+1)
		}
	}
	measure(n, 1)

	var lines []string
	// bars holds, for each open level below the top, whether more
	// siblings follow (draw "| ") or not ("  ").
	var rec func(n *node, depth int, bars []bool)
	rec = func(n *node, depth int, bars []bool) {
		kids := slices.Clone(n.children)
		slices.SortFunc(kids, func(a, b *node) int { return strings.Compare(a.key, b.key) })
		for i, c := range kids {
			last := i == len(kids)-1
			var b strings.Builder
			if depth > 0 {
				b.WriteString(" ")
				for _, more := range bars {
					if more {
						b.WriteString("| ")
					} else {
						b.WriteString("  ")
					}
				}
				if last {
					b.WriteString("`-")
				} else {
					b.WriteString("|-")
				}
			}
			b.WriteString(c.key)
			pad := max(0, width-utf8.RuneCountInString(b.String()))
			b.WriteString(" " + strings.Repeat(" ", pad))
			if c.leaf {
				b.WriteString(c.value)
				lines = append(lines, b.String())
				continue
			}
			lines = append(lines, b.String())
			next := bars
			if depth > 0 {
				next = append(slices.Clone(bars), !last)
			}
			rec(c, depth+1, next)
		}
	}
	rec(n, 0, nil)
	return strings.Join(lines, "\n") + "\n"
}
