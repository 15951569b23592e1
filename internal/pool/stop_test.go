package pool_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// stop --flow=N takes flow N out of the pool: tasks only in it are
// removed (an active one runs on but spawns nothing), tasks also in
// another flow carry on in that one, and the workflow ends with the
// other flows.
func TestStopFlow(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a => b => c
            x => y
        """
[runtime]
    [[a, b, c, x, y]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	h.apply(pool.Trigger{IDs: []pool.ID{{Point: "1", Name: "b"}}, Flow: "new"})
	// Flow 2's b is preparing; a and x run in flow 1.
	h.apply(pool.Stop{Flow: 2})
	b := h.p.Get(pool.ID{Point: "1", Name: "b"})
	if b == nil || len(b.Flows) != 0 {
		t.Fatalf("1/b (active) should stay with no flow: %+v", b)
	}
	h.run(100)
	if !strings.Contains(joined(h.Logs), "INFO [1/b/01:preparing] merged in flow(s) 1") {
		t.Errorf("1/b did not join flow 1:\n%s", joined(h.Logs))
	}
	// Flow 1 reaches b while its job runs: b joins flow 1 (no second
	// run) and, when it succeeds, spawns c in it.
	want := []string{"1/a", "1/b", "1/x", "1/y", "1/c"}
	if got := sorted(h.Submitted); !slices.Equal(got, sorted(want)) {
		t.Errorf("submitted %v; want %v", h.Submitted, want)
	}
	if h.Shutdown == nil || h.Shutdown.Reason != "AUTOMATIC" {
		t.Errorf("shutdown %+v", h.Shutdown)
	}
}

// A waiting task left with no flow is removed: the flow stops there.
func TestStopFlowRemovesWaitingTasks(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	h.apply(pool.Stop{Flow: 1})
	if h.p.Len() != 1 {
		t.Fatalf("pool has %d tasks; want only the active 1/a", h.p.Len())
	}
	h.run(100)
	if got := joined(h.Submitted); got != "1/a" {
		t.Errorf("submitted %v; want only 1/a (flow 1 stopped)", h.Submitted)
	}
	if h.Shutdown == nil || h.Shutdown.Reason != "AUTOMATIC" {
		t.Errorf("shutdown %+v", h.Shutdown)
	}
}

// stop --wall-clock arms a deadline; when it passes, no job is submitted
// and the workflow stops once the active ones have finished. The time is
// recorded, and forgotten once reached.
func TestStopClock(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	at := h.now.Add(time.Hour)
	h.apply(pool.Stop{ClockTime: at})
	key := pool.TimerKey{Kind: pool.TimerStopClock}
	if got := h.timers[key]; !got.Equal(at) {
		t.Fatalf("stop clock timer at %v; want %v", got, at)
	}
	if got := h.Params["stop_clock_time"]; got != "1767229200" {
		t.Errorf("stop_clock_time recorded %q", got)
	}
	if got, ok := h.p.StopClock(); !ok || !got.Equal(at) {
		t.Errorf("StopClock() = %v, %v", got, ok)
	}
	a := h.jobs[0]
	h.jobs = nil
	h.now = at
	h.apply(pool.TimerFired{Key: key})
	if h.p.Stopping() != "AUTOMATIC" || h.Shutdown != nil {
		t.Fatalf("stopping %q, shutdown %+v: want a clean stop waiting for 1/a", h.p.Stopping(), h.Shutdown)
	}
	h.runJob(a)
	if got := joined(h.Submitted); got != "1/a" {
		t.Errorf("submitted %v after the stop time", h.Submitted)
	}
	if h.Shutdown == nil || h.Shutdown.Reason != "AUTOMATIC" {
		t.Errorf("shutdown %+v", h.Shutdown)
	}
	if v, ok := h.Params["stop_clock_time"]; !ok || v != "" {
		t.Errorf("stop_clock_time not forgotten: %q", v)
	}
	if !strings.Contains(joined(h.Logs), "INFO Wall clock stop time reached: 2026-01-01T01:00:00Z") {
		t.Errorf("logs:\n%s", joined(h.Logs))
	}
}

// A stop time already past stops the workflow at once (cleanly); one
// restored from the run database is armed again, or ignored if past.
func TestStopClockPastAndRestored(t *testing.T) {
	h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	h.apply(pool.Stop{ClockTime: h.now.Add(-time.Minute)})
	if h.p.Stopping() != "AUTOMATIC" {
		t.Errorf("past stop time: stopping %q", h.p.Stopping())
	}

	for _, c := range []struct {
		at    time.Duration
		armed bool
	}{{time.Hour, true}, {-time.Hour, false}} {
		h := newHarness(t, load(t, triggerFlow, workflow.RunOptions{}))
		at := h.now.Add(c.at)
		h.apply(pool.Restarted{State: &pool.Saved{
			Tasks:     []pool.SavedTask{{ID: pool.ID{Point: "1", Name: "b"}, Flows: pool.Flows{1}, TryNum: 1}},
			StopClock: at,
		}})
		_, armed := h.timers[pool.TimerKey{Kind: pool.TimerStopClock}]
		if armed != c.armed || h.p.Stopping() != "" {
			t.Errorf("restored stop clock %v from now: armed %v, stopping %q", c.at, armed, h.p.Stopping())
		}
	}
}
