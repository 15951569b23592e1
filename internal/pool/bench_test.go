package pool_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/task"
	"gyre/internal/workflow"
)

// chainFlow is a pool of `waiting` tasks kept in the pool by a queue of
// limit 1 (one runs, the rest wait queued), beside a chain of `links`
// tasks that the benchmark drives.
func chainFlow(waiting, links int) string {
	return fmt.Sprintf(`
[task parameters]
    i = 1..%d
    j = 1..%d
[scheduling]
    [[queues]]
        [[[wq]]]
            limit = 1
            members = W
    [[graph]]
        R1 = """
            w<i>
            c<j-1> => c<j>
        """
[runtime]
    [[W]]
    [[w<i>]]
        inherit = W
    [[c<j>]]
`, waiting, links)
}

// chainDriver completes chain links one at a time and measures how long
// the pool takes to turn each "succeeded" into the next submission.
type chainDriver struct {
	p    *pool.Pool
	now  time.Time
	next *pool.SubmitJob
}

func newChainDriver(def *pool.Def) *chainDriver {
	d := &chainDriver{p: pool.New(def), now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d.collect(d.p.Apply(pool.Started{}, d.now))
	return d
}

func (d *chainDriver) collect(effs []pool.Effect) {
	for _, e := range effs {
		if j, ok := e.(pool.SubmitJob); ok && j.ID.Name[0] == 'c' {
			jj := j
			d.next = &jj
		}
	}
}

// step runs the current link to its "succeeded" message and returns the
// time Apply took for that message (which spawns and submits the next).
func (d *chainDriver) step() (time.Duration, bool) {
	j := d.next
	if j == nil {
		return 0, false
	}
	d.next = nil
	d.p.Apply(pool.JobSubmitted{ID: j.ID, SubmitNum: j.SubmitNum}, d.now)
	d.p.Apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: task.OutStarted}, d.now)
	start := time.Now()
	effs := d.p.Apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: task.OutSucceeded}, d.now)
	took := time.Since(start)
	d.collect(effs)
	return took, true
}

// BenchmarkEventCost measures one output event (a task succeeding, its
// child spawning and being submitted) at growing pool sizes: the cost must
// stay flat, because an event touches only the tasks it concerns.
func BenchmarkEventCost(b *testing.B) {
	for _, size := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("pool=%d", size), func(b *testing.B) {
			const links = 2000
			def := load(b, chainFlow(size, links), workflow.RunOptions{})
			def.DropDebug = true // as a run without --debug
			d := newChainDriver(def)
			if d.p.Len() < size {
				b.Fatalf("pool has %d tasks, want at least %d", d.p.Len(), size)
			}
			b.ResetTimer()
			var total time.Duration
			for i := 0; i < b.N; i++ {
				took, ok := d.step()
				if !ok {
					b.StopTimer()
					d = newChainDriver(def)
					b.StartTimer()
					took, _ = d.step()
				}
				total += took
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/event")
		})
	}
}

// BenchmarkDependencyHop reports the latency percentiles from a job's
// "succeeded" message to the downstream job's SubmitJob effect.
func BenchmarkDependencyHop(b *testing.B) {
	const links = 5000
	def := load(b, chainFlow(10, links), workflow.RunOptions{})
	def.DropDebug = true // as a run without --debug
	d := newChainDriver(def)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		took, ok := d.step()
		if !ok {
			b.StopTimer()
			d = newChainDriver(def)
			b.StartTimer()
			took, _ = d.step()
		}
		lat = append(lat, took)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}
