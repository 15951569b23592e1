package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

func TestChainTriggersInOrder(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = a => b => c
[runtime]
    [[a, b, c]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.run(1000)
	if got := joined(h.Submitted); got != "1/a\n1/b\n1/c" {
		t.Fatalf("submissions:\n%s", got)
	}
	want := "1/a -triggered off [] in flow 1\n1/b -triggered off ['1/a'] in flow 1\n1/c -triggered off ['1/b'] in flow 1"
	if got := joined(h.Ref); got != want {
		t.Errorf("reference lines:\n%s\nwant:\n%s", got, want)
	}
	if h.Shutdown == nil || h.Shutdown.Abort {
		t.Errorf("want a clean shutdown, got %+v", h.Shutdown)
	}
	if h.p.Len() != 0 {
		t.Errorf("pool should be empty, has %d", h.p.Len())
	}
}

func TestPreInitialDependencyIsSatisfied(t *testing.T) {
	def := load(t, `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        P1 = a[-P1] => a
[runtime]
    [[a]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.run(1000)
	want := []string{
		"1/a -triggered off ['0/a'] in flow 1",
		"2/a -triggered off ['1/a'] in flow 1",
		"3/a -triggered off ['2/a'] in flow 1",
	}
	if got := joined(sorted(h.Ref)); got != joined(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, joined(want))
	}
}

// The runahead limit P1 lets at most two cycles be active: no task may be
// submitted at a point more than one cycle past the oldest unfinished one.
func TestRunaheadLimitHoldsBackCycles(t *testing.T) {
	def := load(t, `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 10
    runahead limit = P1
    [[graph]]
        P1 = a
[runtime]
    [[a]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	if got := joined(h.Submitted); got != "1/a\n2/a" {
		t.Fatalf("at start, want 1/a and 2/a submitted, got:\n%s", got)
	}
	h.run(10000)
	if len(h.Submitted) != 10 {
		t.Errorf("want 10 submissions, got %d", len(h.Submitted))
	}
}

func TestFailureStallsWithReport(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = a => b
[runtime]
    [[a, b]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.fail = func(id string, _ int) bool { return id == "1/a" }
	h.run(1000)
	if !h.p.Stalled() {
		t.Fatal("want a stall")
	}
	logs := joined(h.Logs)
	for _, want := range []string{"CRITICAL Workflow stalled", "Incomplete tasks:", "* 1/a did not complete the required outputs"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	// The stall timeout (default PT1H, abort) ends the run.
	if h.Shutdown == nil || !h.Shutdown.Abort {
		t.Errorf("want an abort after the stall timeout, got %+v", h.Shutdown)
	}
}

func TestRetriesThenSucceeds(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = a => b
[runtime]
    [[a]]
        execution retry delays = PT1M, PT2M
    [[b]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.fail = func(id string, try int) bool { return id == "1/a" && try < 3 }
	h.run(1000)
	if got := joined(h.Submitted); got != "1/a\n1/a\n1/a\n1/b" {
		t.Fatalf("submissions:\n%s", got)
	}
	if h.Shutdown == nil || h.Shutdown.Abort {
		t.Errorf("want a clean shutdown, got %+v", h.Shutdown)
	}
	// Two retry delays passed on the virtual clock.
	if elapsed := h.now.Sub(newHarness(t, def).now); elapsed.Minutes() != 3 {
		t.Errorf("elapsed %v, want 3m of retry delays", elapsed)
	}
}

func TestSuicideRemovesTask(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a:fail? => b
            a? => !b
            a? => c
        """
[runtime]
    [[a, b, c]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.run(1000)
	if got := joined(h.Submitted); got != "1/a\n1/c" {
		t.Fatalf("submissions:\n%s", got)
	}
	if h.Shutdown == nil || h.Shutdown.Abort {
		t.Errorf("want a clean shutdown, got %+v", h.Shutdown)
	}
}

func TestQueueLimitsActiveTasks(t *testing.T) {
	def := load(t, `
[scheduling]
    [[queues]]
        [[[q]]]
            limit = 2
            members = FAM
    [[graph]]
        R1 = FAM:succeed-all => z
[runtime]
    [[FAM]]
    [[m1, m2, m3, m4, m5]]
        inherit = FAM
    [[z]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	if len(h.Submitted) != 2 {
		t.Fatalf("queue limit 2: want 2 submitted at start, got %v", h.Submitted)
	}
	h.run(1000)
	if len(h.Submitted) != 6 || h.Submitted[5] != "1/z" {
		t.Errorf("submissions: %v", h.Submitted)
	}
}

func TestHoldAndRelease(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = a
[runtime]
    [[a]]
`, workflow.RunOptions{HoldAfter: "0"})
	h := newHarness(t, def)
	h.apply(pool.Started{})
	if len(h.Submitted) != 0 {
		t.Fatalf("a is beyond the hold point and must not run: %v", h.Submitted)
	}
	h.apply(pool.Release{IDs: []pool.ID{{Point: "1", Name: "a"}}})
	if joined(h.Submitted) != "1/a" {
		t.Fatalf("after release: %v", h.Submitted)
	}
}

// A task with several suicide triggers is removed only when all are met.
func TestSuicideNeedsEveryTrigger(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = """
            a => !c
            b? => !c
            b:fail? => d
            x => c
        """
[runtime]
    [[a, b, c, d, x]]
`, workflow.RunOptions{})
	h := newHarness(t, def)
	h.fail = func(id string, _ int) bool { return id == "1/b" }
	h.run(1000)
	if got := strings.Join(sorted(h.Submitted), " "); got != "1/a 1/b 1/c 1/d 1/x" {
		t.Fatalf("c has only one of its two suicide triggers met and must run: %s", got)
	}
}

// Workflow and inactivity timeouts abort a run that waits too long.
func TestTimeoutsAbort(t *testing.T) {
	for _, tc := range []struct{ setting, reason string }{
		{"workflow timeout = PT1M\n        abort on workflow timeout = True", "workflow timeout"},
		{"inactivity timeout = PT1M\n        abort on inactivity timeout = True", "inactivity timeout"},
	} {
		def := load(t, `
[scheduler]
    UTC mode = True
    [[events]]
        `+tc.setting+`
[scheduling]
    initial cycle point = 20260102T0000Z
    [[graph]]
        R1 = "@wall_clock => a"
[runtime]
    [[a]]
`, workflow.RunOptions{})
		h := newHarness(t, def) // the clock starts a day before the trigger
		h.run(100)
		if h.Shutdown == nil || !h.Shutdown.Abort || h.Shutdown.Reason != tc.reason {
			t.Errorf("%s: want an abort for %q, got %+v", tc.reason, tc.reason, h.Shutdown)
		}
		if len(h.Submitted) != 0 {
			t.Errorf("%s: a ran before the timeout: %v", tc.reason, h.Submitted)
		}
	}
}

// --start-task starts the run from the given tasks, prerequisites met.
func TestStartTask(t *testing.T) {
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = a => b => c
[runtime]
    [[a, b, c]]
`, workflow.RunOptions{StartTasks: []string{"1/b"}})
	h := newHarness(t, def)
	h.run(1000)
	if got := joined(h.Submitted); got != "1/b\n1/c" {
		t.Fatalf("submissions:\n%s", got)
	}
	if h.Shutdown == nil || h.Shutdown.Abort {
		t.Errorf("want a clean shutdown, got %+v", h.Shutdown)
	}
}
