package workflow

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary flow.cylc text through every layer of Load
// (file, template, schema, cycling, graph and the cross-layer checks): bad
// input must come back as an error, never a panic.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../../examples", "../cli/testdata/broken"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*", "flow.cylc"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(string(data))
			}
		}
	}
	for _, s := range loadSeeds {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := Load(dir, Options{Now: now, Validate: true})
		if err == nil && (w == nil || w.Cycle == nil || w.Index == nil) {
			t.Fatalf("Load succeeded with an incomplete workflow: %+v", w)
		}
	})
}

// loadSeeds reach the cross-layer checks: implicit tasks, outputs,
// xtriggers, completion, offsets, polling tasks and cycles.
var loadSeeds = []string{
	"[scheduling]\n[[graph]]\nR1 = a => b\n",
	"[scheduler]\nallow implicit tasks = True\n[scheduling]\ninitial cycle point = 2000\n[[graph]]\nP1D = a[-P1D] => a => b:x? => c\n",
	"[scheduling]\ncycling mode = integer\n[[xtriggers]]\nx = wall_clock()\n[[graph]]\nP1 = @x => a\n[runtime]\n[[a]]\ncompletion = succeeded or fail\n",
	"[scheduling]\ninitial cycle point = 2000\nfinal cycle point = +P2D\n[[graph]]\nR1/$ = a<other::b:fail> => c\nPT12H!T00 = c => d => c\n[runtime]\n[[root]]\nscript = x\n[[c, d]]\n[[[outputs]]]\nx = a: b\n",
	"[task parameters]\nm = 0..3\n[scheduling]\n[[graph]]\nR1 = a<m-1> => a<m>\n[runtime]\n[[a<m>]]\n[[[events]]]\nfailed handlers = echo %(nope)s %d\n",
	"#!Jinja2\n{% for i in range(3) %}\n[[x{{i}}]]\n{% endfor %}\n[scheduling]\n[[graph]]\nR1 = x0\n",
}
