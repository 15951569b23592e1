package graph

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; errors are located *Errors within the
// source; accepted graphs are internally consistent and parse the same way
// every time.
func FuzzParse(f *testing.F) {
	for _, c := range loadCylcCases(f) {
		for _, g := range c.Graphs {
			f.Add(g)
		}
	}
	for _, s := range []string{
		"a => b", "a[-P1D]:fail? | FAM:succeed-all => b & !c", "@x & a => b<m>",
		"a<w::t:fail> => b", "(a|(b&c)) => d =>\n e", "FAM:finish-any => BAM",
		"x<m-1> & y => z<m>", "a => b\n  => c # c\n\n", "a:x? => b:y => c", "\u00e9 => b",
	} {
		f.Add(s)
	}
	expand := testExpander(map[string][]string{"m": {"0", "1"}}, map[string]string{"m": "_m%(m)s"})
	f.Fuzz(func(t *testing.T, src string) {
		opts := Options{Families: testFams, ExpandParams: expand, File: "f", Line: 7}
		g, err := Parse(src, opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.Line < 7 || e.Line > 7+strings.Count(src, "\n") || e.File != "f" {
				t.Fatalf("error at %s:%d outside the source: %v", e.File, e.Line, err)
			}
			return
		}
		for task, trigs := range g.Triggers {
			if !slices.Contains(g.Tasks, task) {
				t.Fatalf("triggers for %s, which is not in Tasks", task)
			}
			for _, tr := range trigs {
				if tr.Text == "" || (tr.Expr == nil && len(tr.Xtriggers) == 0) {
					t.Fatalf("empty trigger of %s: %+v", task, tr)
				}
				if tr.Expr != nil {
					checkExpr(t, tr.Expr, len(tr.Atoms))
				}
			}
		}
		if !slices.IsSortedFunc(g.Edges, compareEdges) {
			t.Fatalf("edges not sorted: %v", g.Edges)
		}
		checkIndex(t, []*Graph{g})
		g2, err := Parse(src, opts)
		if err != nil {
			t.Fatalf("second parse failed: %v", err)
		}
		if fmt.Sprint(describe(g)) != fmt.Sprint(describe(g2)) || fmt.Sprint(g.Outputs.All()) != fmt.Sprint(g2.Outputs.All()) {
			t.Fatalf("parse is not deterministic")
		}
	})
}

func checkExpr(t *testing.T, e *Expr, atoms int) {
	t.Helper()
	switch e.Op {
	case OpAtom:
		if e.Atom < 0 || e.Atom >= atoms {
			t.Fatalf("atom %d out of range %d", e.Atom, atoms)
		}
	case OpAnd, OpOr:
		if len(e.Args) < 2 {
			t.Fatalf("operation with %d operands", len(e.Args))
		}
		for _, a := range e.Args {
			if a.Op == e.Op {
				t.Fatalf("nested %v not flattened", e.Op)
			}
			checkExpr(t, a, atoms)
		}
	default:
		t.Fatalf("bad op %d", e.Op)
	}
}
