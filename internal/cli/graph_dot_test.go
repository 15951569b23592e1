package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dotGraph is what parseDot reads back from gyre's dot output.
type dotGraph struct {
	attrs    []string            // top-level graph/node attribute lines
	clusters map[string][]string // cluster label -> node IDs
	labels   map[string]string   // node ID -> label (unescaped)
	edges    map[string]string   // "L -> R" -> attribute list ("" if none)
}

var (
	reDotQuoted  = `"((?:[^"\\]|\\.)*)"`
	reDotNode    = regexp.MustCompile(`^` + reDotQuoted + `(?: \[label=` + reDotQuoted + `\])?$`)
	reDotEdge    = regexp.MustCompile(`^` + reDotQuoted + ` -> ` + reDotQuoted + `(?: \[(.*)\])?$`)
	reDotCluster = regexp.MustCompile(`^subgraph "cluster_([^"]*)" \{$`)
	reDotAttr    = regexp.MustCompile(`^(?:(?:graph|node) \[.*\]|rankdir="LR"|label=` + reDotQuoted + `|style="dashed")$`)
)

// unquoteDot undoes a Graphviz double-quoted string's escapes.
func unquoteDot(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' {
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseDot checks the structure of a dot document line by line: one
// digraph, balanced clusters, every statement well formed, every edge
// between declared nodes.
func parseDot(src string) (*dotGraph, error) {
	g := &dotGraph{clusters: map[string][]string{}, labels: map[string]string{}, edges: map[string]string{}}
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "digraph {" || lines[len(lines)-1] != "}" {
		return nil, fmt.Errorf("not one digraph { ... }")
	}
	cluster, inCluster := "", false
	for i, raw := range lines[1 : len(lines)-1] {
		line := strings.TrimSpace(raw)
		errorf := func(msg string) error { return fmt.Errorf("line %d %q: %s", i+2, raw, msg) }
		switch m := reDotCluster.FindStringSubmatch(line); {
		case line == "":
		case m != nil:
			if inCluster {
				return nil, errorf("nested cluster")
			}
			cluster, inCluster = m[1], true
			g.clusters[cluster] = []string{}
		case line == "}":
			if !inCluster {
				return nil, errorf("unbalanced }")
			}
			inCluster = false
		case reDotAttr.MatchString(line):
			if !inCluster {
				g.attrs = append(g.attrs, line)
			} else if strings.HasPrefix(line, "label=") && unquoteDot(line[7:len(line)-1]) != cluster {
				return nil, errorf("cluster label is not its point")
			}
		case reDotEdge.MatchString(line):
			m := reDotEdge.FindStringSubmatch(line)
			l, r := unquoteDot(m[1]), unquoteDot(m[2])
			if _, ok := g.labels[l]; !ok {
				return nil, errorf("edge from undeclared node " + l)
			}
			if _, ok := g.labels[r]; !ok {
				return nil, errorf("edge to undeclared node " + r)
			}
			g.edges[l+" -> "+r] = m[3]
		case reDotNode.MatchString(line):
			m := reDotNode.FindStringSubmatch(line)
			id := unquoteDot(m[1])
			if _, dup := g.labels[id]; dup {
				return nil, errorf("node declared twice")
			}
			g.labels[id] = unquoteDot(m[2])
			if inCluster {
				g.clusters[cluster] = append(g.clusters[cluster], id)
			}
		default:
			return nil, errorf("not a statement gyre writes")
		}
	}
	if inCluster {
		return nil, fmt.Errorf("cluster %s not closed", cluster)
	}
	return g, nil
}

// referenceEdges reads the edge lines of reference output.
func referenceEdges(ref string) []string {
	var out []string
	for _, line := range strings.Split(ref, "\n") {
		if rest, ok := strings.CutPrefix(line, "edge "); ok {
			l, r, _ := strings.Cut(rest, " ")
			out = append(out, strings.Trim(l, `"`)+" -> "+strings.Trim(r, `"`))
		}
	}
	return out
}

// TestGraphDot: the dot output is well formed and draws exactly the
// reference graph: same edges, node labels TASK\nPOINT, one cluster per
// point holding that point's nodes, and edge styles for triggers.
func TestGraphDot(t *testing.T) {
	const wf = "testdata/graph/integer-mix"
	for _, args := range [][]string{
		{wf, "5", "+P2", "--show-suicide"},
		{wf, "5", "+P2", "-g", "SUB", "--show-suicide"},
		{wf},
		{"testdata/graph/calendar360", "-t"},
		{"../../examples/datetime-cycling", "--cycles=false"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			dot, errOut, code := runGyre(append([]string{"graph"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			ref, _, _ := runGyre(append([]string{"graph", "--reference"}, args...)...)
			g, err := parseDot(dot)
			if err != nil {
				t.Fatalf("%v\n%s", err, dot)
			}
			var got []string
			for e := range g.edges {
				got = append(got, e)
			}
			slices.Sort(got)
			want := referenceEdges(ref)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("dot edges\n%q\nreference edges\n%q", got, want)
			}
			clustered := !slices.Contains(args, "--cycles=false")
			nodes := 0
			for id, label := range g.labels {
				nodes++
				point, task, _ := strings.Cut(id, "/")
				if label != task+"\n"+point {
					t.Errorf("node %s labelled %q", id, label)
				}
				if clustered && !slices.Contains(g.clusters[point], id) {
					t.Errorf("node %s not in cluster %s", id, point)
				}
			}
			if want := strings.Count(ref, "\nnode "); nodes != want {
				t.Errorf("%d nodes, reference has %d", nodes, want)
			}
			if clustered != (len(g.clusters) > 0) {
				t.Errorf("clusters %v with --cycles %v", g.clusters, clustered)
			}
			if slices.Contains(args, "-t") != slices.Contains(g.attrs, `rankdir="LR"`) {
				t.Errorf("attributes %q", g.attrs)
			}
		})
	}
}

// TestGraphDotStyles: conditional triggers are dashed, suicide triggers red
// with a bar, plain ones unstyled.
func TestGraphDotStyles(t *testing.T) {
	dot, errOut, code := runGyre("graph", "testdata/graph/integer-mix", "5", "+P0", "--show-suicide")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	g, err := parseDot(dot)
	if err != nil {
		t.Fatal(err)
	}
	for edge, want := range map[string]string{
		"5/fetch -> 5/m1":    "",
		"5/m1 -> 5/merge":    `style="dashed"`,
		"5/m1 -> 5/m2":       `style="dashed" color="red" arrowhead="tee"`,
		"5/@tick -> 5/fetch": "",
	} {
		if got, ok := g.edges[edge]; !ok || got != want {
			t.Errorf("%s: attributes %q (present %v), want %q", edge, got, ok, want)
		}
	}
}

// TestGraphDotNamespaces: -n draws boxes named by namespace.
func TestGraphDotNamespaces(t *testing.T) {
	dot, errOut, code := runGyre("graph", "-n", "../../examples/families-params")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	g, err := parseDot(dot)
	if err != nil {
		t.Fatalf("%v\n%s", err, dot)
	}
	if !slices.Contains(g.attrs, `node [shape="rect"]`) || len(g.clusters) != 0 {
		t.Errorf("attributes %q, clusters %v", g.attrs, g.clusters)
	}
	for _, e := range []string{"root -> MODELS", "MODELS -> model_member1", "POST -> post_member3", "root -> prep"} {
		if _, ok := g.edges[e]; !ok {
			t.Errorf("missing edge %s in\n%s", e, dot)
		}
	}
}

// FuzzDotQuote: any name survives quoting for Graphviz.
func FuzzDotQuote(f *testing.F) {
	for _, s := range []string{"", "a", `a"b`, `back\slash`, "two\nlines", "20200101T0000Z/foo", "ünï", `\n`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := dotQuote(s)
		m := regexp.MustCompile(`^` + reDotQuoted + `$`).FindStringSubmatch(q)
		if m == nil {
			t.Fatalf("dotQuote(%q) = %s: not one quoted string", s, q)
		}
		if got := unquoteDot(m[1]); got != s {
			t.Fatalf("round trip %q -> %s -> %q", s, q, got)
		}
	})
}
