package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleGolden runs each command of testdata/golden/cases.txt on each
// example workflow and compares stdout with Cylc 8.7's output for the
// same command (see testdata/golden/README.md).
func TestExampleGolden(t *testing.T) {
	f, err := os.Open("testdata/golden/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			cases = append(cases, strings.Split(line, "|"))
		}
	}
	examples, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ex := range examples {
		if st, err := os.Stat(ex); err != nil || !st.IsDir() {
			continue
		}
		name := filepath.Base(ex)
		for _, c := range cases {
			n++
			t.Run(name+"/"+c[0], func(t *testing.T) {
				want, err := os.ReadFile(filepath.Join(ex, c[0]))
				if err != nil {
					t.Fatal(err)
				}
				args := append(append([]string(nil), c[1:]...), filepath.Join("../../examples", name))
				var out, errOut bytes.Buffer
				if status := Run(context.Background(), args, &out, &errOut); status != 0 {
					t.Fatalf("gyre %s: exit %d\n%s", strings.Join(args, " "), status, errOut.String())
				}
				if got := out.String(); got != string(want) {
					t.Errorf("gyre %s differs from Cylc 8.7:\n%s", strings.Join(args, " "), goldenDiff(string(want), got))
				}
			})
		}
	}
	if n < 30 {
		t.Errorf("only %d golden cases", n)
	}
}

// goldenDiff shows the first lines that differ, with their numbers.
func goldenDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
