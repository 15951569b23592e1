package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadDrawTest writes a flow.cylc and loads it.
func loadDrawTest(t testing.TB, src string) *Workflow {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// edgeList renders edges as "L -> R" with flags, in drawing order.
func edgeList(d *Drawing) []string {
	var out []string
	for _, e := range d.Edges {
		s := e.Left.ID() + " -> " + e.Right.ID()
		if e.Conditional {
			s += " cond"
		}
		if e.Suicide {
			s += " suicide"
		}
		out = append(out, s)
	}
	return out
}

func nodeList(d *Drawing) []string {
	var out []string
	for _, n := range d.Nodes {
		out = append(out, n.ID())
	}
	return out
}

const drawIntegerFlow = `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    [[graph]]
        P1 = """
            a | b? => c
            a => c
            a[-P1] => b?
            b:fail? => !d
            c => d
        """
        R1/9 = c[-P8] => z
`

func TestDrawIntegerOrderAndFlags(t *testing.T) {
	w := loadDrawTest(t, drawIntegerFlow)
	tests := []struct {
		opts  DrawOptions
		nodes []string
		edges []string
	}{
		{DrawOptions{Start: "8", Stop: "10"},
			[]string{"8/a", "9/a", "10/a", "8/b", "9/b", "10/b", "8/c", "9/c", "10/c", "8/d", "9/d", "10/d", "9/z"},
			[]string{
				// a => c and a | b => c: drawn once, conditional
				"8/a -> 9/b", "8/a -> 8/c cond", "9/a -> 10/b", "9/a -> 9/c cond", "10/a -> 10/c cond",
				"8/b -> 8/c cond", "9/b -> 9/c cond", "10/b -> 10/c cond",
				"8/c -> 8/d", "9/c -> 9/d", "10/c -> 10/d",
				// c[-P8] at 9 is 1, before the first drawn point (8): z alone
			}},
		{DrawOptions{Start: "9", Stop: "+P0", ShowSuicide: true},
			[]string{"9/a", "9/b", "9/c", "9/d", "9/z"},
			[]string{"9/a -> 9/c cond", "9/b -> 9/c cond", "9/b -> 9/d suicide", "9/c -> 9/d"}},
		{DrawOptions{Start: "1"},
			[]string{"1/a", "2/a", "3/a", "1/b", "2/b", "3/b", "1/c", "2/c", "3/c", "1/d", "2/d", "3/d"},
			[]string{
				"1/a -> 2/b", "1/a -> 1/c cond", "2/a -> 3/b", "2/a -> 2/c cond", "3/a -> 3/c cond",
				"1/b -> 1/c cond", "2/b -> 2/c cond", "3/b -> 3/c cond",
				"1/c -> 1/d", "2/c -> 2/d", "3/c -> 3/d",
			}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.opts), func(t *testing.T) {
			d, err := w.Draw(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := nodeList(d); strings.Join(got, " ") != strings.Join(tt.nodes, " ") {
				t.Errorf("nodes\n got %q\nwant %q", got, tt.nodes)
			}
			if got := edgeList(d); strings.Join(got, ", ") != strings.Join(tt.edges, ", ") {
				t.Errorf("edges\n got %q\nwant %q", got, tt.edges)
			}
		})
	}
}

// TestDrawPoints: Points are the distinct node points in time order (not
// string order), for clustering.
func TestDrawPoints(t *testing.T) {
	w := loadDrawTest(t, drawIntegerFlow)
	d, err := w.Draw(DrawOptions{Start: "8", Stop: "11"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Points, " "); got != "8 9 10 11" {
		t.Errorf("points %q, want 8 9 10 11", got)
	}
}

func TestDrawDateTime(t *testing.T) {
	w := loadDrawTest(t, `
[scheduler]
    UTC mode = True
    allow implicit tasks = True
[scheduling]
    initial cycle point = 2020-01-01T00
    final cycle point = 2020-01-02T00
    [[graph]]
        R1 = setup
        PT12H = """
            setup[^] => run
            run[-PT12H] => run
            run[2020-01-01T12] => after
        """
`)
	tests := []struct {
		opts  DrawOptions
		edges []string
	}{
		{DrawOptions{}, []string{
			"20200101T0000Z/run -> 20200101T1200Z/run",
			"20200101T0000Z/setup -> 20200101T0000Z/run",
			"20200101T0000Z/setup -> 20200101T1200Z/run",
			"20200101T0000Z/setup -> 20200102T0000Z/run",
			"20200101T1200Z/run -> 20200101T0000Z/after",
			"20200101T1200Z/run -> 20200101T1200Z/after",
			"20200101T1200Z/run -> 20200102T0000Z/after",
			"20200101T1200Z/run -> 20200102T0000Z/run",
		}},
		// ^ is the start of the drawing; the final point cuts the window.
		{DrawOptions{Start: "2020-01-01T12Z", Stop: "P5D"}, []string{
			"20200101T1200Z/run -> 20200101T1200Z/after",
			"20200101T1200Z/run -> 20200102T0000Z/after",
			"20200101T1200Z/run -> 20200102T0000Z/run",
			"20200101T1200Z/setup -> 20200101T1200Z/run",
			"20200101T1200Z/setup -> 20200102T0000Z/run",
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.opts), func(t *testing.T) {
			d, err := w.Draw(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeList(d); strings.Join(got, "\n") != strings.Join(tt.edges, "\n") {
				t.Errorf("edges\n got %q\nwant %q", got, tt.edges)
			}
		})
	}
}

const drawFamilyFlow = `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    [[graph]]
        R1 = """
            pre => OUTER
            OUTER:succeed-all => post
            m1 => m2
        """
[runtime]
    [[OUTER]]
    [[INNER]]
        inherit = OUTER
    [[SIDE]]
    [[m1]]
        inherit = INNER
    [[m2]]
        inherit = OUTER, SIDE
    [[m3]]
        inherit = SIDE
`

func TestDrawGroups(t *testing.T) {
	w := loadDrawTest(t, drawFamilyFlow)
	tests := []struct {
		group []string
		edges []string
		warn  string
	}{
		{nil, []string{"1/m1 -> 1/m2", "1/m1 -> 1/post", "1/m2 -> 1/post", "1/pre -> 1/m1", "1/pre -> 1/m2"}, ""},
		// members grouped: an edge inside the family is a self-loop
		{[]string{"OUTER"}, []string{"1/OUTER -> 1/OUTER", "1/OUTER -> 1/post", "1/pre -> 1/OUTER"}, ""},
		// INNER inside OUTER: the outer one wins
		{[]string{"INNER", "OUTER"}, []string{"1/OUTER -> 1/OUTER", "1/OUTER -> 1/post", "1/pre -> 1/OUTER"}, ""},
		{[]string{"INNER"}, []string{"1/INNER -> 1/m2", "1/INNER -> 1/post", "1/m2 -> 1/post", "1/pre -> 1/INNER", "1/pre -> 1/m2"}, ""},
		// SIDE is m2's second parent only, and m3 is not in the graph
		{[]string{"SIDE"}, []string{"1/m1 -> 1/m2", "1/m1 -> 1/post", "1/m2 -> 1/post", "1/pre -> 1/m1", "1/pre -> 1/m2"}, ""},
		{[]string{"<all>"}, []string{"1/OUTER -> 1/OUTER", "1/OUTER -> 1/post", "1/pre -> 1/OUTER"}, ""},
		{[]string{"INNR"}, []string{"1/m1 -> 1/m2", "1/m1 -> 1/post", "1/m2 -> 1/post", "1/pre -> 1/m1", "1/pre -> 1/m2"},
			"Ignoring undefined family INNR (did you mean INNER?)"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.group), func(t *testing.T) {
			d, err := w.Draw(DrawOptions{Group: tt.group})
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeList(d); strings.Join(got, ", ") != strings.Join(tt.edges, ", ") {
				t.Errorf("edges\n got %q\nwant %q", got, tt.edges)
			}
			if got := strings.Join(d.Warnings, "; "); got != tt.warn {
				t.Errorf("warnings %q, want %q", got, tt.warn)
			}
		})
	}
}

func TestDrawInheritance(t *testing.T) {
	w := loadDrawTest(t, drawFamilyFlow)
	d := w.DrawInheritance()
	wantNodes := "INNER OUTER SIDE m1 m2 m3 post pre root"
	if got := strings.Join(nodeList(d), " "); got != wantNodes {
		t.Errorf("nodes %q, want %q", got, wantNodes)
	}
	wantEdges := "INNER -> m1, OUTER -> INNER, OUTER -> m2, SIDE -> m2, SIDE -> m3, " +
		"root -> OUTER, root -> SIDE, root -> post, root -> pre"
	if got := strings.Join(edgeList(d), ", "); got != wantEdges {
		t.Errorf("edges\n got %q\nwant %q", got, wantEdges)
	}
}

func TestDrawErrors(t *testing.T) {
	w := loadDrawTest(t, drawIntegerFlow)
	tests := []struct {
		opts DrawOptions
		want string
	}{
		{DrawOptions{Start: "x"}, `graph start point: cycle point "x"`},
		{DrawOptions{Stop: "P1"}, "hint: give a cycle point, or an interval from the start point such as +P2"},
		{DrawOptions{Stop: "2020"}, ""}, // an absolute integer point is fine
	}
	for _, tt := range tests {
		_, err := w.Draw(tt.opts)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v", tt.opts, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%+v: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}

// FuzzDrawWindow: any START and STOP either fail cleanly or give a drawing
// whose edges join listed nodes, with no duplicates.
func FuzzDrawWindow(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"1", "5"}, {"3", "+P2"}, {"-5", "+P10"}, {"x", ""}, {"1", "P1"},
		{"9999", ""}, {"1", "-P3"}, {"10", "2"}, {"2020", "P1D"}, {"+P1", "+P1"}, {"-1", "1"},
	} {
		f.Add(s[0], s[1])
	}
	w := loadDrawTest(f, drawIntegerFlow)
	f.Fuzz(func(t *testing.T, start, stop string) {
		// Short strings keep integer windows to thousands of points: a
		// window of a billion points is valid, just slow to draw.
		if len(start) > 4 || len(stop) > 4 {
			return
		}
		d, err := w.Draw(DrawOptions{Start: start, Stop: stop, ShowSuicide: true})
		if err != nil {
			return
		}
		if len(d.Nodes) > 0 && len(d.Points) == 0 {
			t.Fatalf("nodes without points")
		}
		nodes := map[string]bool{}
		for _, n := range d.Nodes {
			if nodes[n.ID()] {
				t.Fatalf("duplicate node %s", n.ID())
			}
			nodes[n.ID()] = true
		}
		edges := map[string]bool{}
		for _, e := range d.Edges {
			k := e.Left.ID() + " " + e.Right.ID()
			if edges[k] || !nodes[e.Left.ID()] || !nodes[e.Right.ID()] {
				t.Fatalf("bad edge %s", k)
			}
			edges[k] = true
		}
	})
}
