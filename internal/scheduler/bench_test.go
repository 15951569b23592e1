package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pool"
	"gyre/internal/scheduler"
	"gyre/internal/workflow"
	"gyre/internal/workflow/workflowtest"
)

func compile(tb testing.TB, flow string) *pool.Def {
	tb.Helper()
	return workflowtest.Def(tb, flow, workflow.RunOptions{Simulation: true})
}

// simulate runs def to completion in simulation mode on a virtual clock
// and returns the number of jobs run.
func simulate(tb testing.TB, def *pool.Def, journal scheduler.Journal) int {
	tb.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v := clock.NewVirtual(start)
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	s := scheduler.New(scheduler.Options{
		Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log, Journal: journal,
	})
	if err := s.Run(context.Background()); err != nil {
		tb.Fatalf("run: %v", err)
	}
	return len(log.RefLines)
}

const fanOut = `
[task parameters]
    m = 1..200
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = %d
    [[graph]]
        P1 = """
            start => work<m> => gather
            gather[-P1] => start
        """
[runtime]
    [[start, gather]]
    [[work<m>]]
`

// A 10 000-task workflow: 100 chains of 100 tasks each, one cycle.
const wide = `
[task parameters]
    c = 1..100
    n = 1..100
[scheduling]
    [[graph]]
        R1 = "t<c,n-1> => t<c,n>"
[runtime]
    [[t<c,n>]]
`

// BenchmarkSimThroughput reports simulated tasks per second of wall time
// for a 200-wide fan-out over 10 cycles and a 10 000-task workflow.
func BenchmarkSimThroughput(b *testing.B) {
	for _, tc := range []struct {
		name, flow string
		tasks      int
	}{
		{"fanout200x10", fmt.Sprintf(fanOut, 10), 202 * 10},
		{"tasks10000", wide, 10000},
	} {
		b.Run(tc.name, func(b *testing.B) {
			def := compile(b, tc.flow)
			def.DropDebug = true // as a run without --debug
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if n := simulate(b, def, nil); n != tc.tasks {
					b.Fatalf("ran %d jobs, want %d", n, tc.tasks)
				}
			}
			b.ReportMetric(float64(tc.tasks*b.N)/time.Since(start).Seconds(), "tasks/s")
		})
	}
}
