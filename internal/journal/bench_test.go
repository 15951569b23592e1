package journal_test

import (
	"context"
	"errors"
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
)

// BenchmarkPersistence compares simulated throughput with the database
// journal on and off, in the same run, on a 10 000-task workflow.
func BenchmarkPersistence(b *testing.B) {
	def := compile(b, `
[task parameters]
    c = 1..100
    n = 1..100
[scheduling]
    [[graph]]
        R1 = "t<c,n-1> => t<c,n>"
[runtime]
    [[t<c,n>]]
`)
	for _, mode := range []struct {
		on, pipelined bool
	}{{false, false}, {true, false}, {true, true}} {
		on := mode.on
		b.Run(fmt.Sprintf("persist=%v/pipelined=%v", on, mode.pipelined), func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				path := ""
				if on {
					path = filepath.Join(b.TempDir(), "db")
				}
				if n := runMode(b, def, path, mode.pipelined); n != 10000 {
					b.Fatalf("ran %d jobs", n)
				}
			}
			b.ReportMetric(float64(10000*b.N)/time.Since(start).Seconds(), "tasks/s")
		})
	}
}

// BenchmarkRestart100k measures a restart with 100 000 task instances in
// the pool: reading the database (pool, prerequisites, history), turning
// it into the pool's saved state, and restoring the pool until its first
// effects are ready.
func BenchmarkRestart100k(b *testing.B) {
	def := compile(b, `
[scheduler]
    [[events]]
        abort on stall timeout = True
        stall timeout = PT0S
[task parameters]
    i = 1..100000
[scheduling]
    [[queues]]
        [[[default]]]
            limit = 1
    [[graph]]
        R1 = """
            gate => t<i>
            block => t<i>
        """
[runtime]
    [[gate, t<i>]]
    [[block]]
        [[[simulation]]]
            fail cycle points = all
`)
	path := filepath.Join(b.TempDir(), "db")
	// The run stalls with every t<i> waiting on block: that is the pool a
	// restart loads.
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	v := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	writerDone := make(chan error, 1)
	go func() { writerDone <- st.Writer().Run(ctx) }()
	err = scheduler.New(scheduler.Options{
		Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true,
		Log: scheduler.NewTextLog(io.Discard, nil, pool.Critical), Journal: journal.New(st.Writer(), v.Now),
	}).Run(context.Background())
	if !errors.Is(err, scheduler.ErrAborted) {
		b.Fatalf("setup run: %v (want a stall abort)", err)
	}
	cancel()
	<-writerDone
	st.Close()

	b.ResetTimer()
	for b.Loop() {
		st, err := store.OpenReadOnly(path)
		if err != nil {
			b.Fatal(err)
		}
		snap, err := st.LoadSnapshot(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		saved, _ := journal.Saved(snap)
		p := pool.New(def)
		p.Apply(pool.Restarted{State: saved}, v.Now())
		if p.Len() != 100001 {
			b.Fatalf("restored %d tasks, want 100001", p.Len())
		}
	}
}
