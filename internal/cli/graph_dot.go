package cli

import (
	"io"
	"strings"

	"gyre/internal/workflow"
)

// dotStyle holds the drawing choices of `gyre graph` in dot output.
type dotStyle struct {
	cycles     bool // one dashed cluster per cycle point
	transpose  bool // left to right
	namespaces bool // an inheritance graph: boxes, no points
}

// writeDot writes a drawing as Graphviz dot. The layout follows Cylc's
// (same graph and node attributes, node IDs "POINT/TASK" labelled
// "TASK\nPOINT"), and adds what Cylc's reference format cannot say:
// conditional triggers are dashed, suicide triggers red with a bar head.
func writeDot(out io.Writer, d *workflow.Drawing, st dotStyle) {
	var b strings.Builder
	b.WriteString("digraph {\n")
	b.WriteString("  graph [fontname=\"sans\" fontsize=\"25\"]\n")
	b.WriteString("  node [fontname=\"sans\"]\n")
	if st.transpose {
		b.WriteString("  rankdir=\"LR\"\n")
	}
	if st.namespaces {
		b.WriteString("  node [shape=\"rect\"]\n")
	}
	b.WriteString("\n")
	if st.namespaces {
		for _, n := range d.Nodes {
			b.WriteString("  " + dotQuote(n.Task) + "\n")
		}
		b.WriteString("\n")
	} else {
		byPoint := map[string][]workflow.DrawnNode{}
		for _, n := range d.Nodes {
			byPoint[n.Point] = append(byPoint[n.Point], n)
		}
		indent := "  "
		if st.cycles {
			indent = "    "
		}
		for _, p := range d.Points {
			if st.cycles {
				b.WriteString("  subgraph " + dotQuote("cluster_"+p) + " {\n")
				b.WriteString("    label=" + dotQuote(p) + "\n")
				b.WriteString("    style=\"dashed\"\n")
			}
			for _, n := range byPoint[p] {
				b.WriteString(indent + dotQuote(n.ID()) + " [label=" + dotQuote(n.Task+"\n"+n.Point) + "]\n")
			}
			if st.cycles {
				b.WriteString("  }\n")
			}
			b.WriteString("\n")
		}
	}
	for _, e := range d.Edges {
		b.WriteString("  " + dotQuote(e.Left.ID()) + " -> " + dotQuote(e.Right.ID()))
		switch {
		case e.Suicide:
			b.WriteString(" [style=\"dashed\" color=\"red\" arrowhead=\"tee\"]")
		case e.Conditional:
			b.WriteString(" [style=\"dashed\"]")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	io.WriteString(out, b.String())
}

// dotQuote makes a Graphviz double-quoted string; a newline becomes the
// "\n" escape that centres the next label line.
func dotQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
