package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// graphCase is one line of testdata/graph/cases.tsv.
type graphCase struct {
	name, workflow string
	args           []string
}

func readGraphCases(t *testing.T) []graphCase {
	t.Helper()
	f, err := os.Open("testdata/graph/cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []graphCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			t.Fatalf("cases.tsv: bad line %q", line)
		}
		cases = append(cases, graphCase{fields[0], fields[1], fields[2:]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// runGyre runs the CLI in-process and returns stdout, stderr and status.
func runGyre(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestGraphGolden holds `gyre graph --reference` to the output of the real
// `cylc graph --reference` for the examples and the workflows in
// testdata/graph (see cases.tsv and scripts/regen-graph-golden).
func TestGraphGolden(t *testing.T) {
	cases := readGraphCases(t)
	if len(cases) < 20 {
		t.Fatalf("only %d golden cases read", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata/graph/golden", c.name+".ref"))
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"graph", "--reference", filepath.Join("..", "..", c.workflow)}, c.args...)
			out, errOut, code := runGyre(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out != string(want) {
				t.Errorf("gyre %s:\n%s", strings.Join(args, " "), lineDiff(string(want), out))
			}
		})
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if count[l] > 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if count[l] < 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	if b.Len() == 0 {
		b.WriteString("(same lines, different order)\n--- want\n" + want + "--- got\n" + got)
	}
	return b.String()
}

func TestGraphErrors(t *testing.T) {
	const dt = "../../examples/datetime-cycling"
	const in = "../../examples/families-params"
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"group and namespaces", []string{"graph", "-n", "-g", "POST", in}, "cannot combine --group and --namespaces"},
		{"cycles and namespaces", []string{"graph", "-n", "--cycles", in}, "cannot combine --cycles and --namespaces"},
		{"bad format", []string{"graph", "--format=svg", in}, `unknown --format "svg"`},
		{"reference and dot", []string{"graph", "-r", "--format=dot", in}, "contradict"},
		{"bad start", []string{"graph", "-r", dt, "2026-13-01"}, `graph start point: cycle point "2026-13-01"`},
		{"bad stop", []string{"graph", "-r", dt, "2026-01-01", "yesterday"}, `graph stop point: cycle point "yesterday"`},
		{"integer stop without sign", []string{"graph", "-r", in, "1", "P1"}, "hint: give a cycle point, or an interval from the start point such as +P2"},
		{"empty dot", []string{"graph", dt, "2030-01-01T00Z"}, "no tasks to display\n  hint: try changing the start and stop values"},
		{"no extension", []string{"graph", "-o", filepath.Join(t.TempDir(), "graph"), in}, "has no extension"},
		{"too many args", []string{"graph", in, "1", "2", "3"}, "accepts between 1 and 3 arg(s)"},
		{"missing workflow", []string{"graph", "-r", "testdata/graph/no-such-workflow"}, "no-such-workflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runGyre(tt.args...)
			if code == 0 {
				t.Fatalf("exit 0, stdout %q", out)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.want)
			}
		})
	}
}

// TestGraphGroupWarning: an unknown family to group is ignored with a
// warning and a suggestion, as Cylc ignores it.
func TestGraphGroupWarning(t *testing.T) {
	out, errOut, code := runGyre("graph", "-r", "-g", "MODLES", "../../examples/families-params")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "WARNING: Ignoring undefined family MODLES (did you mean MODELS?)\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	golden, err := os.ReadFile("testdata/graph/golden/families-params.ref")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(golden) {
		t.Errorf("output differs from the ungrouped graph:\n%s", lineDiff(string(golden), out))
	}
}

// TestGraphOutputFile: -o writes the format its extension names.
func TestGraphOutputFile(t *testing.T) {
	dir := t.TempDir()
	const wf = "../../examples/hello"
	for _, tt := range []struct {
		file, prefix string
	}{
		{"g.dot", "digraph {\n"},
		{"g.ref", "edge \"1/hello\" \"1/goodbye\"\n"},
	} {
		path := filepath.Join(dir, tt.file)
		if _, errOut, code := runGyre("graph", wf, "-o", path); code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.file, code, errOut)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), tt.prefix) {
			t.Errorf("%s starts %q, want %q", tt.file, firstLine(string(data)), tt.prefix)
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
