// Package workflowtest compiles workflow text for tests of the packages
// downstream of workflow (pool, scheduler, journal), so each of them does
// not carry its own copy of write-file, load, compile.
package workflowtest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// Now is the wall-clock time the workflows are loaded at.
var Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Def writes flow as a flow.cylc in a temporary directory, loads it and
// compiles it for the pool, failing the test on any error.
func Def(tb testing.TB, flow string, opts workflow.RunOptions) *pool.Def {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(flow), 0o644); err != nil {
		tb.Fatal(err)
	}
	w, err := workflow.Load(dir, workflow.Options{Now: Now})
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	def, err := w.PoolDef(opts)
	if err != nil {
		tb.Fatalf("compile: %v", err)
	}
	return def
}
