package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchFlow generates a workflow of chains×length tasks on an integer P1
// cycle: each chain runs its tasks in order and waits for its own last task
// of the previous cycle.
func benchFlow(chains, length, cycles int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[scheduler]\n    allow implicit tasks = True\n[scheduling]\n")
	fmt.Fprintf(&b, "    cycling mode = integer\n    initial cycle point = 1\n    final cycle point = %d\n", cycles)
	b.WriteString("    [[graph]]\n        P1 = \"\"\"\n")
	for c := 0; c < chains; c++ {
		b.WriteString("            ")
		for j := 0; j < length; j++ {
			if j > 0 {
				b.WriteString(" => ")
			}
			fmt.Fprintf(&b, "c%d_%d", c, j)
		}
		fmt.Fprintf(&b, "\n            c%d_%d[-P1] => c%d_0\n", c, length-1, c)
	}
	b.WriteString("        \"\"\"\n[runtime]\n    [[root]]\n        script = true\n")
	return b.String()
}

// TestBenchFlowSize checks the benchmark's workflow is what its name says.
func TestBenchFlowSize(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(benchFlow(10, 10, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.Draw(DrawOptions{Start: "1", Stop: "3"})
	if err != nil {
		t.Fatal(err)
	}
	// 100 tasks × 3 points; 90 chain edges and 10 inter-cycle edges per
	// point, less the 10 inter-cycle edges into the first point.
	if len(w.GraphTasks) != 100 || len(d.Nodes) != 300 || len(d.Edges) != 290 {
		t.Errorf("%d tasks, %d nodes, %d edges; want 100, 300, 290", len(w.GraphTasks), len(d.Nodes), len(d.Edges))
	}
}

// BenchmarkGraph10000Tasks10Cycles loads (parses and checks) a generated
// 10 000-task workflow and expands its graph over 10 cycle points: what
// `gyre graph PATH 1 10` does before printing.
func BenchmarkGraph10000Tasks10Cycles(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(benchFlow(100, 100, 10)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var nodes, edges int
	for b.Loop() {
		w, err := Load(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		d, err := w.Draw(DrawOptions{Start: "1", Stop: "10"})
		if err != nil {
			b.Fatal(err)
		}
		nodes, edges = len(d.Nodes), len(d.Edges)
	}
	if nodes != 100_000 || edges != 99_900 {
		b.Fatalf("%d nodes, %d edges; want 100000, 99900", nodes, edges)
	}
	b.ReportMetric(float64(nodes), "nodes")
}

// BenchmarkDraw10000Tasks10Cycles is the expansion alone.
func BenchmarkDraw10000Tasks10Cycles(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(benchFlow(100, 100, 10)), 0o644); err != nil {
		b.Fatal(err)
	}
	w, err := Load(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Draw(DrawOptions{Start: "1", Stop: "10"}); err != nil {
			b.Fatal(err)
		}
	}
}
