package flowfile

import (
	"fmt"
	"strings"
	"testing"
)

// bigWorkflow has n task sections under [runtime] (plus an environment
// subsection each) and an n-line graph: the shape of a large ensemble.
func bigWorkflow(n int) []byte {
	var b strings.Builder
	b.WriteString("[scheduling]\n    initial cycle point = 2000\n    [[graph]]\n        P1D = \"\"\"\n")
	for i := range n {
		fmt.Fprintf(&b, "            prep => member_%d => post\n", i)
	}
	b.WriteString("        \"\"\"\n[runtime]\n    [[root]]\n        script = run-model\n")
	for i := range n {
		fmt.Fprintf(&b, "    [[member_%d]]  # member %d\n        inherit = MEMBERS\n        execution time limit = PT1H\n", i, i)
		fmt.Fprintf(&b, "        [[[environment]]]\n            MEMBER = %d\n            SEED = \"%d\"\n", i, i*7)
	}
	return []byte(b.String())
}

// BenchmarkParse10000Sections parses 10 000 task sections with a setting
// each. Target: a few milliseconds.
func BenchmarkParse10000Sections(b *testing.B) {
	var w strings.Builder
	w.WriteString("[runtime]\n")
	for i := range 10000 {
		fmt.Fprintf(&w, "    [[task_%d]]\n        script = run %d\n", i, i)
	}
	benchmarkParse(b, []byte(w.String()))
}

// BenchmarkParseLargeEnsemble: about 20 000 sections, 40 000 settings and
// 80 000 lines (2 MB).
func BenchmarkParseLargeEnsemble(b *testing.B) {
	benchmarkParse(b, bigWorkflow(10000))
}

func benchmarkParse(b *testing.B, src []byte) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("flow.cylc", "", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBigWorkflow checks the benchmark input parses to the expected shape,
// including merged lookups at the far end of a large section.
func TestBigWorkflow(t *testing.T) {
	f, err := Parse("flow.cylc", "", bigWorkflow(10000), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := f.Root.Section("runtime")
	if len(rt.Sections) != 10001 {
		t.Fatalf("%d runtime sections, want 10001", len(rt.Sections))
	}
	env := f.Root.Lookup("runtime", "member_9999", "environment")
	if env == nil || env.Item("MEMBER").Value() != "9999" || env.Item("SEED").Value() != `"69993"` {
		t.Fatalf("member_9999 environment = %+v", env)
	}
	graph := f.Root.Lookup("scheduling", "graph").Item("P1D").Value()
	if n := strings.Count(graph, "\n"); n != 10001 {
		t.Errorf("graph has %d newlines, want 10001", n)
	}
}
