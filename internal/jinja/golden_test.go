package jinja

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// conformanceDir holds workflows from Cylc's functional tests, shared by
// the gyre repository's helpers; it is not part of this module.
const conformanceDir = "../../../shared/conformance/cylc"

// TestGoldenConformance renders every Jinja2 workflow of the conformance
// suite and compares it with testdata/golden/<name>.txt, which holds the
// output of Python Jinja2 run as Cylc runs it. Template variables come
// from the workflow's vars.txt (its --set-file), read with ParseSetFile.
func TestGoldenConformance(t *testing.T) {
	goldens, err := filepath.Glob("testdata/golden/*.txt")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	if _, err := os.Stat(conformanceDir); err != nil {
		t.Skipf("conformance workflows not available: %v", err)
	}
	for _, golden := range goldens {
		name := strings.TrimSuffix(filepath.Base(golden), ".txt")
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(conformanceDir, name)
			src, err := os.ReadFile(filepath.Join(dir, "flow.cylc"))
			if err != nil {
				t.Fatalf("workflow %s is missing from the conformance suite: %v", name, err)
			}
			vars := map[string]any{}
			if data, err := os.ReadFile(filepath.Join(dir, "vars.txt")); err == nil {
				if vars, err = ParseSetFile("vars.txt", data); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			got, err := (&Renderer{Environ: []string{"HOME=/home/gyre"}}).Render(filepath.Join(dir, "flow.cylc"), dir, string(src), vars)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("render differs from Python Jinja2:\n%s", lineDiff(string(want), got))
			}
		})
	}
	// Every Jinja2 workflow in the suite must have a golden file, so a new
	// one cannot slip past untested.
	entries, _ := os.ReadDir(conformanceDir)
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(conformanceDir, e.Name(), "flow.cylc"))
		if err != nil || !reHeader.Match(src) {
			continue
		}
		if _, err := os.Stat(filepath.Join("testdata/golden", e.Name()+".txt")); err != nil {
			t.Errorf("conformance workflow %s uses Jinja2 but has no golden file", e.Name())
		}
	}
}

// lineDiff shows the first differing line of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n want " + wl + "\n  got " + gl
		}
	}
	return "(no line differs)"
}
