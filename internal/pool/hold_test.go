package pool_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

const cyclingFlow = `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 5
    runahead limit = P4
    [[graph]]
        P1 = "a[-P1] => a => b"
[runtime]
    [[a, b]]
`

// hold --after=POINT holds every task after the point, in the pool now
// and spawned later, and records the hold point; release --all releases
// them and removes it.
func TestHoldAfterPoint(t *testing.T) {
	h := newHarness(t, load(t, cyclingFlow, workflow.RunOptions{}))
	h.apply(pool.Started{})
	h.apply(pool.HoldAfter{Point: "2"})
	if got := h.Params["holdcp"]; got != "2" {
		t.Errorf("holdcp recorded %q, want 2", got)
	}
	if pt, ok := h.p.HoldPoint(); !ok || pt != "2" {
		t.Errorf("HoldPoint() = %q, %v", pt, ok)
	}
	h.run(100)
	for _, id := range h.Submitted {
		if id[0] > '2' {
			t.Errorf("%s ran after the hold point: %v", id, h.Submitted)
		}
	}
	a3 := h.p.Get(pool.ID{Point: "3", Name: "a"})
	if a3 == nil || !a3.Held {
		t.Fatalf("3/a should be spawned held: %+v", a3)
	}
	if !strings.Contains(joined(h.Logs), "INFO Setting hold cycle point: 2\nAll tasks after this point will be held.") {
		t.Errorf("logs:\n%s", joined(h.Logs))
	}
	h.apply(pool.ReleaseHoldPoint{})
	if v, ok := h.Params["holdcp"]; !ok || v != "" {
		t.Errorf("holdcp not removed: %q, %v", v, ok)
	}
	if _, ok := h.p.HoldPoint(); ok {
		t.Errorf("hold point still set")
	}
	h.run(100)
	if !slices.Contains(h.Submitted, "5/b") {
		t.Errorf("5/b never ran after release --all: %v", h.Submitted)
	}
	if h.Shutdown == nil || h.Shutdown.Reason != "AUTOMATIC" {
		t.Errorf("shutdown %+v", h.Shutdown)
	}
}

// Tasks already in the pool beyond a new hold point are held at once, with
// Cylc's state-change log line; a point that is no point is refused.
func TestHoldAfterHoldsPoolTasks(t *testing.T) {
	h := newHarness(t, load(t, cyclingFlow, workflow.RunOptions{}))
	h.apply(pool.Started{}) // 1/a is preparing its job
	h.apply(pool.HoldAfter{Point: "0"})
	if a := h.p.Get(pool.ID{Point: "1", Name: "a"}); a == nil || !a.Held {
		t.Errorf("1/a should be held after hold point 0: %+v", a)
	}
	if !strings.Contains(joined(h.Logs), "INFO [1/a/01:preparing] => preparing(held)") {
		t.Errorf("no hold logged:\n%s", joined(h.Logs))
	}
	h.apply(pool.HoldAfter{Point: "x"})
	if !strings.Contains(joined(h.Logs), `ERROR hold: "x" is not a cycle point of this workflow`) {
		t.Errorf("bad point not refused:\n%s", joined(h.Logs))
	}
}

// A task held before it spawns is held when it does, until released;
// the hold is recorded for a restart and forgotten on release.
func TestHoldBeforeSpawn(t *testing.T) {
	h := newHarness(t, load(t, cyclingFlow, workflow.RunOptions{}))
	var holds []string
	h.effects = func(e pool.Effect) {
		if fh, ok := e.(pool.FutureHold); ok {
			holds = append(holds, fmt.Sprintf("%s %t", fh.ID, fh.Held))
		}
	}
	h.apply(pool.Started{})
	b := pool.ID{Point: "1", Name: "b"}
	h.apply(pool.Hold{IDs: []pool.ID{b}})
	h.run(100)
	if slices.Contains(h.Submitted, "1/b") {
		t.Fatalf("1/b ran although held before it spawned: %v", h.Submitted)
	}
	if tb := h.p.Get(b); tb == nil || !tb.Held {
		t.Fatalf("1/b in the pool: %+v; want it there, held", tb)
	}
	if !strings.Contains(joined(h.Logs), "] holding (as requested earlier)") {
		t.Errorf("no holding line in the log:\n%s", joined(h.Logs))
	}
	h.apply(pool.Release{IDs: []pool.ID{b}})
	h.run(100)
	if !slices.Contains(h.Submitted, "1/b") {
		t.Errorf("1/b did not run once released: %v", h.Submitted)
	}
	if got := strings.Join(holds, "; "); got != "1/b true; 1/b false" {
		t.Errorf("recorded holds %q", got)
	}
}
