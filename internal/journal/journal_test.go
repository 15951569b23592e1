package journal_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"gyre/internal/clock"
	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/scheduler"
	"gyre/internal/store"
	"gyre/internal/workflow"
	"gyre/internal/workflow/workflowtest"
)

func compile(tb testing.TB, flow string) *pool.Def {
	tb.Helper()
	return workflowtest.Def(tb, flow, workflow.RunOptions{})
}

// run simulates def with persistence into a database at path (or none)
// and returns the number of jobs.
func run(tb testing.TB, def *pool.Def, path string) int { return runMode(tb, def, path, false) }

func runMode(tb testing.TB, def *pool.Def, path string, pipelined bool) int {
	tb.Helper()
	v := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	opts := scheduler.Options{Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log, Pipelined: pipelined}
	var st *store.Store
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	writerDone := make(chan error, 1)
	if path != "" {
		var err error
		st, err = store.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		go func() { writerDone <- st.Writer().Run(ctx) }()
		opts.Journal = journal.New(st.Writer(), v.Now)
	}
	if err := scheduler.New(opts).Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if st != nil {
		cancel()
		if err := <-writerDone; err != nil && err != context.Canceled {
			tb.Fatal(err)
		}
		if err := st.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return len(log.RefLines)
}

func TestRunIsJournalled(t *testing.T) {
	for _, pipelined := range []bool{false, true} {
		t.Run(fmt.Sprintf("pipelined=%v", pipelined), func(t *testing.T) { testJournalled(t, pipelined) })
	}
}

func testJournalled(t *testing.T, pipelined bool) {
	def := compile(t, `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        P1 = "a => b:x => c"
[runtime]
    [[a, c]]
    [[b]]
        [[[outputs]]]
            x = x is ready
`)
	path := filepath.Join(t.TempDir(), "db")
	if n := runMode(t, def, path, pipelined); n != 9 {
		t.Fatalf("ran %d jobs, want 9", n)
	}
	st, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tasks) != 0 {
		t.Errorf("task pool should be empty after a complete run, has %d rows", len(snap.Tasks))
	}
	states, err := st.WorkflowState(context.Background(), store.StateQuery{Task: "b", Cycle: "2", Selector: "x", By: store.ByTrigger})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || len(states[0].Outputs) != 4 || states[0].Outputs[2].Message != "x is ready" {
		t.Fatalf("2/b outputs: %+v", states)
	}
	done, err := st.WorkflowState(context.Background(), store.StateQuery{Task: "*", Selector: "succeeded", By: store.ByStatus})
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 9 {
		t.Errorf("%d task instances recorded succeeded, want 9: %+v", len(done), done)
	}
}
