package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pool"
	"gyre/internal/scheduler"
)

func TestSimulatedRunMatchesItsReference(t *testing.T) {
	def := compile(t, `
[scheduler]
    UTC mode = True
[scheduling]
    initial cycle point = 2026-01-01T00Z
    final cycle point = 2026-01-01T12Z
    [[graph]]
        PT6H = """
            get_obs => model => post
            model[-PT6H] => model
        """
[runtime]
    [[get_obs, model, post]]
`)
	v := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	s := scheduler.New(scheduler.Options{Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	ref := `Initial point: 20260101T0000Z
Final point: 20260101T1200Z
20260101T0000Z/get_obs -triggered off [] in flow 1
20260101T0000Z/model -triggered off ['20251231T1800Z/model', '20260101T0000Z/get_obs'] in flow 1
20260101T0000Z/post -triggered off ['20260101T0000Z/model'] in flow 1
20260101T0600Z/get_obs -triggered off [] in flow 1
20260101T0600Z/model -triggered off ['20260101T0000Z/model', '20260101T0600Z/get_obs'] in flow 1
20260101T0600Z/post -triggered off ['20260101T0600Z/model'] in flow 1
20260101T1200Z/get_obs -triggered off [] in flow 1
20260101T1200Z/model -triggered off ['20260101T0600Z/model', '20260101T1200Z/get_obs'] in flow 1
20260101T1200Z/post -triggered off ['20260101T1200Z/model'] in flow 1
`
	diff, err := scheduler.CompareReference(ref, log.RefLines)
	if err != nil || diff != "" {
		t.Fatalf("reference mismatch (%v):\n%s", err, diff)
	}
	// Jobs take 10 s of simulated time. The models run one after another
	// (each waits for the previous cycle's), from 10 s to 40 s, and the
	// last post-processing ends at 50 s: runahead lets cycles overlap.
	if got := v.Now().Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got != 50*time.Second {
		t.Errorf("virtual time elapsed %v, want 50s", got)
	}
}

func TestReferenceMismatchIsReported(t *testing.T) {
	diff, err := scheduler.CompareReference("1/a -triggered off [] in flow 1\n1/b -triggered off ['1/a'] in flow 1\n",
		[]string{"1/a -triggered off [] in flow 1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff != "-1/b -triggered off ['1/a'] in flow 1\n" {
		t.Errorf("diff = %q", diff)
	}
	// Old reference logs without flows are compared without them.
	diff, _ = scheduler.CompareReference("1/a -triggered off []\n", []string{"1/a -triggered off [] in flow 1"})
	if diff != "" {
		t.Errorf("flows not stripped: %q", diff)
	}
}

// waitOnClock runs a workflow whose only task waits on a wall-clock
// trigger `ahead` in the future and returns how many events the scheduler
// handled and how many times its clock woke it.
func waitOnClock(t *testing.T, ahead time.Duration) (events, wakeups uint64) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	icp := now.Add(ahead).Format("20060102T1504Z")
	def := compile(t, fmt.Sprintf(`
[scheduler]
    UTC mode = True
[scheduling]
    initial cycle point = %s
    [[graph]]
        R1 = "@wall_clock => a"
[runtime]
    [[a]]
`, icp))
	v := clock.NewVirtual(now)
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	s := scheduler.New(scheduler.Options{Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(log.RefLines) != 1 || !strings.HasPrefix(log.RefLines[0], icp+"/a -triggered off") {
		t.Fatalf("a did not run once at %s: %q", icp, log.RefLines)
	}
	if v.Now().Before(now.Add(ahead)) {
		t.Fatalf("a ran before its clock trigger: virtual now %v", v.Now())
	}
	return s.Events, v.Wakeups()
}

// Waiting on a clock trigger costs nothing: the scheduler handles the same
// few events and wakes the same number of times whether the trigger is an
// hour or ten years away. There is no loop that looks at the clock.
func TestIdleWaitMakesNoWakeups(t *testing.T) {
	e1, w1 := waitOnClock(t, time.Hour)
	e2, w2 := waitOnClock(t, 10*365*24*time.Hour)
	if e1 != e2 || w1 != w2 {
		t.Fatalf("work grew with the wait: %d events/%d wake-ups for 1h, %d/%d for 10 years", e1, w1, e2, w2)
	}
	// Started, the clock trigger, submitted, started, the job's end.
	if e1 > 6 || w1 > 2 {
		t.Errorf("%d events and %d wake-ups for one clock-triggered task; want at most 6 and 2", e1, w1)
	}
}

// BenchmarkIdleRealClock measures the CPU time the process spends while the
// scheduler waits 30 s of real time on a clock trigger.
func BenchmarkIdleRealClock(b *testing.B) {
	for i := 0; i < b.N; i++ {
		now := time.Now().UTC()
		icp := now.Truncate(time.Minute).Format("20060102T1504Z")
		offset := now.Sub(now.Truncate(time.Minute)) + 30*time.Second
		def := compile(b, fmt.Sprintf(`
[scheduler]
    UTC mode = True
[scheduling]
    initial cycle point = %s
    [[xtriggers]]
        later = wall_clock(offset=PT%dS)
    [[graph]]
        R1 = "@later => a"
[runtime]
    [[a]]
        [[[simulation]]]
            default run length = PT0S
`, icp, int(offset.Seconds())+1))
		log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
		s := scheduler.New(scheduler.Options{Pool: pool.New(def), Clock: clock.Real{}, Simulate: true, Log: log})
		before := cpuTime()
		start := time.Now()
		if err := s.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		used := cpuTime() - before
		b.ReportMetric(float64(used.Microseconds())/1000, "cpu-ms")
		b.ReportMetric(wall.Seconds(), "wall-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// [simulation]fail cycle points makes the simulated job fail at those
// points only; with "fail try 1 only" the retry succeeds.
func TestSimulationFailCyclePoints(t *testing.T) {
	def := compile(t, `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        P1 = """
            a:fail? => recover
            a? => done
        """
[runtime]
    [[a]]
        execution retry delays = PT0S
        [[[simulation]]]
            fail cycle points = 2
            fail try 1 only = False
    [[recover, done]]
`)
	v := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	s := scheduler.New(scheduler.Options{Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log})
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(log.RefLines, "\n")
	for _, want := range []string{
		"1/done -triggered off ['1/a']", "3/done -triggered off ['3/a']",
		"2/recover -triggered off ['2/a']",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	// 2/a fails on both tries (the retry fails too), so it runs twice.
	if n := strings.Count(got, "2/a -triggered off"); n != 2 {
		t.Errorf("2/a submitted %d times, want 2 (one retry):\n%s", n, got)
	}
	if strings.Contains(got, "2/done") || strings.Contains(got, "1/recover") {
		t.Errorf("wrong branch ran:\n%s", got)
	}
}
