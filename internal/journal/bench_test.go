package journal_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
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
