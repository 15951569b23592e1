package graph

import (
	"fmt"
	"strings"
	"testing"
)

// bigGraph writes a graph string of n tasks in the shapes real workflows
// use: a chain with inter-cycle dependence, conditionals, optional outputs
// and a family trigger every 100 tasks.
func bigGraph(n int) (string, map[string][]string) {
	var b strings.Builder
	fams := map[string][]string{}
	for i := 1; i < n; i++ {
		switch {
		case i%100 == 0:
			fam := fmt.Sprintf("FAM%d", i)
			fams[fam] = []string{fmt.Sprintf("t%d", i-1), fmt.Sprintf("t%d", i-2)}
			fmt.Fprintf(&b, "%s:succeed-all => t%d\n", fam, i)
		case i%10 == 0:
			fmt.Fprintf(&b, "(t%d | t%d:x?) & t%d[-P1D] => t%d\n", i-1, i-2, i, i)
		default:
			fmt.Fprintf(&b, "t%d => t%d  # step %d\n", i-1, i, i)
		}
	}
	return b.String(), fams
}

func TestBigGraph(t *testing.T) {
	src, fams := bigGraph(10000)
	g, err := Parse(src, Options{Families: fams, Key: "P1D"})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Tasks) != 10000 {
		t.Errorf("%d tasks, want 10000", len(g.Tasks))
	}
	checkIndex(t, []*Graph{g})
}

func BenchmarkParse10000(b *testing.B) {
	src, fams := bigGraph(10000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		g, err := Parse(src, Options{Families: fams, Key: "P1D"})
		if err != nil {
			b.Fatal(err)
		}
		_ = NewIndex(g)
	}
}
