package handlers

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pool"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestRunSuccess(t *testing.T) {
	h := taskHandler("echo hello; echo oops >&2")
	h.Event = "succeeded"
	rr := start(t, Options{}, h)
	res := rr.rec.result(t)
	if res.RetCode != 0 || res.Out != "hello\n" || res.Err != "oops\n" || !res.Final || res.Attempt != 1 || res.TimedOut {
		t.Errorf("result = %s", dump(res))
	}
	want := "[(('event-handler-00', 'succeeded'), 1) cmd] echo hello; echo oops >&2\n" +
		"[(('event-handler-00', 'succeeded'), 1) ret_code] 0\n" +
		"[(('event-handler-00', 'succeeded'), 1) out] hello\n" +
		"[(('event-handler-00', 'succeeded'), 1) err] oops"
	if got := res.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	// A successful task handler is not in the scheduler log above DEBUG:
	// Cylc writes it to the job's activity log only.
	rr.rec.waitLog(t, "DEBUG [(('event-handler-00', 'succeeded'), 1) cmd]")
	for _, l := range rr.rec.allLogs() {
		if !strings.HasPrefix(l, "DEBUG ") {
			t.Errorf("unexpected log line %q", l)
		}
	}
}

func TestRunWorkflowHandler(t *testing.T) {
	tests := []struct {
		cmd  string
		code int
		logs []string
	}{
		{"echo up", 0, []string{
			"DEBUG echo up",
			"INFO [('workflow-event-handler-00', 'startup') cmd] echo up\n" +
				"[('workflow-event-handler-00', 'startup') ret_code] 0\n" +
				"[('workflow-event-handler-00', 'startup') out] up",
		}},
		{"exit 3", 3, []string{
			"DEBUG exit 3",
			"ERROR [('workflow-event-handler-00', 'startup') cmd] exit 3\n" +
				"[('workflow-event-handler-00', 'startup') ret_code] 3",
			"ERROR startup EVENT HANDLER FAILED",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			h := workflowHandler(tt.cmd)
			h.Delays = []time.Duration{0, 0, 0} // workflow handlers never retry
			rr := start(t, Options{}, h)
			res := rr.rec.result(t)
			if res.RetCode != tt.code || !res.Final {
				t.Errorf("result = %s", dump(res))
			}
			rr.Close()
			<-rr.ret
			rr.ret <- nil
			if got := rr.rec.allLogs(); !slices.Equal(got, tt.logs) {
				t.Errorf("logs =\n%q\nwant\n%q", got, tt.logs)
			}
			if n := len(rr.rec.resCh); n != 0 {
				t.Errorf("%d more results, want none", n)
			}
		})
	}
}

func TestRetriesUntilExhausted(t *testing.T) {
	ms := time.Millisecond
	rr := start(t, Options{}, taskHandler("echo try; exit 1", 0, 10*ms, 10*ms))
	for attempt := 1; attempt <= 3; attempt++ {
		res := rr.rec.result(t)
		if res.Attempt != attempt || res.RetCode != 1 || res.Final != (attempt == 3) {
			t.Errorf("attempt %d: result = %s", attempt, dump(res))
		}
	}
	rr.rec.waitLog(t, "WARNING 1/foo/01 handler:event-handler-00 for task event:failed failed")
	var retries, errors int
	for _, l := range rr.rec.allLogs() {
		if strings.HasPrefix(l, "DEBUG 1/foo/01 handler:event-handler-00 for task event:failed failed, retrying in PT0,01S (after ") {
			retries++
		}
		if strings.HasPrefix(l, "ERROR [(('event-handler-00', 'failed'), 1) cmd] echo try; exit 1\n") {
			errors++
		}
	}
	if retries != 2 || errors != 3 {
		t.Errorf("%d retry lines and %d error lines, want 2 and 3:\n%q", retries, errors, rr.rec.allLogs())
	}
}

func TestRetryThenSucceed(t *testing.T) {
	marker := t.TempDir() + "/marker"
	cmd := "if [ -e " + marker + " ]; then echo ok; else touch " + marker + "; exit 1; fi"
	rr := start(t, Options{}, taskHandler(cmd, 0, 10*time.Millisecond, 10*time.Millisecond))
	first, second := rr.rec.result(t), rr.rec.result(t)
	if first.RetCode != 1 || first.Final || second.RetCode != 0 || !second.Final || second.Out != "ok\n" || second.Attempt != 2 {
		t.Errorf("results = %s, %s", dump(first), dump(second))
	}
	rr.Close()
	<-rr.ret
	rr.ret <- nil
	for _, l := range rr.rec.allLogs() {
		if strings.HasPrefix(l, "WARNING") {
			t.Errorf("unexpected %q", l)
		}
	}
}

// TestRetryDelaysOnVirtualClock steps through Cylc's timer semantics: the
// first delay comes before the first attempt, and each later one before a
// retry.
func TestRetryDelaysOnVirtualClock(t *testing.T) {
	vc := clock.NewVirtual(t0)
	rr := start(t, Options{Clock: vc}, taskHandler("exit 1", 5*time.Second, time.Minute))
	rr.rec.waitLog(t, "DEBUG 1/foo/01 handler:event-handler-00 for task event:failed will run after PT5S (after 2025-01-01T00:00:05Z)")
	if len(rr.rec.resCh) != 0 {
		t.Fatal("ran before its delay")
	}
	vc.Advance(5 * time.Second)
	if res := rr.rec.result(t); res.Attempt != 1 || res.Final {
		t.Errorf("first result = %s", dump(res))
	}
	rr.rec.waitLog(t, "DEBUG 1/foo/01 handler:event-handler-00 for task event:failed failed, retrying in PT1M (after 2025-01-01T00:01:05Z)")
	vc.Advance(59 * time.Second)
	if len(rr.rec.resCh) != 0 {
		t.Fatal("retried before its delay")
	}
	vc.Advance(time.Second)
	if res := rr.rec.result(t); res.Attempt != 2 || !res.Final {
		t.Errorf("second result = %s", dump(res))
	}
	rr.rec.waitLog(t, "WARNING 1/foo/01 handler:event-handler-00 for task event:failed failed")
}

// TestTimeoutKillsGroup checks that the whole process group goes at the
// timeout, a background child included, with Cylc's log lines (from its
// test flakyfunctional/events/44-timeout).
func TestTimeoutKillsGroup(t *testing.T) {
	vc := clock.NewVirtual(t0)
	pids := newFIFO(t, "pids")
	h := taskHandler("sleep 1000 & echo $! >" + pids.path + "; wait")
	h.Event = "started"
	rr := start(t, Options{Clock: vc, Timeout: 10 * time.Second}, h)
	child := watchPID(t, pids.readLine(t))
	t.Cleanup(child.kill)
	vc.Advance(9 * time.Second)
	if len(rr.rec.resCh) != 0 {
		t.Fatal("killed before the timeout")
	}
	vc.Advance(time.Second)
	res := rr.rec.result(t)
	if res.RetCode != -9 || !res.TimedOut || res.Err != "\nkilled on timeout (PT10S)" || !res.Final {
		t.Errorf("result = %s", dump(res))
	}
	if !child.exited(10 * time.Second) {
		t.Error("the handler's background child survived the timeout")
	}
	want := "ERROR [(('event-handler-00', 'started'), 1) cmd] " + h.Cmd + "\n" +
		"[(('event-handler-00', 'started'), 1) ret_code] -9\n" +
		"[(('event-handler-00', 'started'), 1) err] killed on timeout (PT10S)"
	rr.rec.waitLog(t, "WARNING") // the last line
	logs := rr.rec.allLogs()
	if !slices.Contains(logs, want) || !slices.Contains(logs, "WARNING 1/foo/01 handler:event-handler-00 for task event:started failed") {
		t.Errorf("logs = %q", logs)
	}
}

// TestTimeoutWithEscapedChild: a descendant that left the process group
// keeps the output pipes open; the attempt must still end at the timeout.
func TestTimeoutWithEscapedChild(t *testing.T) {
	vc := clock.NewVirtual(t0)
	pids := newFIFO(t, "pids")
	cmd := "echo $$ >" + pids.path + "; echo before; setsid bash -c 'echo $$ >" + pids.path + "; exec sleep 1000' &"
	rr := start(t, Options{Clock: vc, Timeout: time.Minute}, workflowHandler(cmd))
	leader := watchPID(t, pids.readLine(t))
	child := watchPID(t, pids.readLine(t))
	t.Cleanup(child.kill)
	if !leader.exited(10 * time.Second) {
		t.Fatal("the handler did not exit")
	}
	vc.Advance(time.Minute)
	res := rr.rec.result(t)
	// The leader had exited by itself. Whether the kill found the group
	// (the leader not yet reaped) decides Cylc's "killed on timeout" note.
	if res.RetCode != 0 || !res.TimedOut || res.Out != "before\n" ||
		(res.Err != "" && res.Err != "\nkilled on timeout (PT1M)") {
		t.Errorf("result = %s", dump(res))
	}
	if child.exited(0) {
		t.Error("the escaped child died: it was not outside the group")
	}
}

func TestLimit(t *testing.T) {
	gate := newFIFO(t, "gate")
	var hs []Handler
	cmds := map[string]bool{}
	for i := range 5 {
		h := workflowHandler("read x <" + gate.path + "; echo " + string(rune('a'+i)))
		hs = append(hs, h)
		cmds["DEBUG "+h.Cmd] = true
	}
	rec := newRecorder()
	var now, peak int
	starts := make(chan struct{}, 10)
	r := New(Options{Limit: 2,
		Log: func(level pool.Level, msg string) {
			if cmds[level.String()+" "+msg] {
				now++
				peak = max(peak, now)
				starts <- struct{}{}
			}
		},
		Done: func(res Result) { now--; rec.done(res) },
	})
	// Queued before Run, so a runner ignoring the limit would start all
	// five in its first step, before any can finish.
	for _, h := range hs {
		r.Enqueue(h)
	}
	rr := &running{Runner: r, rec: rec, ret: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	rr.cancel = cancel
	go func() { rr.ret <- r.Run(ctx) }()
	t.Cleanup(func() { rr.stop(t) })
	<-starts
	<-starts
	gate.write(t, "1\n2\n3\n4\n5\n")
	var outs []string
	for range 5 {
		outs = append(outs, strings.TrimSpace(rec.result(t).Out))
	}
	rr.stop(t)
	if peak != 2 {
		t.Errorf("peak concurrency %d, want 2", peak)
	}
	slices.Sort(outs)
	if !slices.Equal(outs, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("outputs %v", outs)
	}
}

// TestCloseDrains: after Close, queued and running handlers complete and
// are reported before Run returns; delayed ones are abandoned.
func TestCloseDrains(t *testing.T) {
	gate := newFIFO(t, "gate")
	first := workflowHandler("read x <" + gate.path + "; echo one")
	second := workflowHandler("echo two")
	delayed := taskHandler("echo never", time.Hour)
	rr := start(t, Options{Limit: 1}, first, second, delayed)
	rr.rec.waitLog(t, "DEBUG "+first.Cmd)
	rr.Close()
	if rr.Enqueue(second) {
		t.Error("Enqueue after Close accepted")
	}
	if ab := rr.rec.result(t); !ab.Abandoned || ab.Handler.Cmd != delayed.Cmd || !ab.Final {
		t.Errorf("first report = %s, want the delayed handler abandoned", dump(ab))
	}
	select {
	case <-rr.ret:
		t.Fatal("Run returned while a handler was running")
	default:
	}
	gate.write(t, "go\n")
	if err := <-rr.ret; err != nil {
		t.Errorf("Run = %v", err)
	}
	rr.ret <- nil
	// Everything was reported before Run returned.
	if n := len(rr.rec.resCh); n != 2 {
		t.Fatalf("%d results after Run returned, want 2", n)
	}
	one, two := rr.rec.result(t), rr.rec.result(t)
	if one.Out != "one\n" || two.Out != "two\n" || one.RetCode != 0 || two.RetCode != 0 {
		t.Errorf("results %s, %s", dump(one), dump(two))
	}
}

// TestShutdownKills: when ctx is done, running handlers are killed and
// waited for, queued ones abandoned, and Enqueue refuses.
func TestShutdownKills(t *testing.T) {
	pids := newFIFO(t, "pids")
	running := taskHandler("sleep 1000 & echo $! >" + pids.path + "; wait")
	queued := workflowHandler("echo queued")
	rr := start(t, Options{Limit: 1}, running, queued)
	child := watchPID(t, pids.readLine(t))
	t.Cleanup(child.kill)
	rr.stop(t)
	if rr.Enqueue(queued) {
		t.Error("Enqueue after shutdown accepted")
	}
	if n := len(rr.rec.resCh); n != 2 {
		t.Fatalf("%d results, want 2", n)
	}
	ab, killed := rr.rec.result(t), rr.rec.result(t)
	if !ab.Abandoned || ab.Handler.Cmd != queued.Cmd {
		t.Errorf("queued handler: %s", dump(ab))
	}
	if killed.RetCode != -9 || killed.TimedOut || killed.Err != "" || !killed.Final {
		t.Errorf("running handler: %s", dump(killed))
	}
	if !child.exited(10 * time.Second) {
		t.Error("the handler's background child survived shutdown")
	}
	// Its only attempt failed: finally failed.
	if !slices.Contains(rr.rec.allLogs(), "WARNING 1/foo/01 handler:event-handler-00 for task event:failed failed") {
		t.Errorf("logs = %q", rr.rec.allLogs())
	}
}

// TestShutdownKeepsRetries: a handler killed at shutdown with retries left
// has not finally failed (Cylc would retry it after a restart).
func TestShutdownKeepsRetries(t *testing.T) {
	pids := newFIFO(t, "pids")
	rr := start(t, Options{}, taskHandler("echo $$ >"+pids.path+"; exec sleep 1000", 0, time.Hour))
	leader := watchPID(t, pids.readLine(t))
	t.Cleanup(leader.kill)
	rr.stop(t)
	res := rr.rec.result(t)
	if res.RetCode != -9 || !res.Final || res.Attempt != 1 {
		t.Errorf("result = %s", dump(res))
	}
	for _, l := range rr.rec.allLogs() {
		if strings.HasPrefix(l, "WARNING") || strings.Contains(l, "retrying") {
			t.Errorf("unexpected %q", l)
		}
	}
}

func TestStartFailure(t *testing.T) {
	rr := start(t, Options{Dir: "/nonexistent/dir"}, taskHandler("true", 0, 0))
	for attempt := 1; attempt <= 2; attempt++ {
		res := rr.rec.result(t)
		if res.RetCode != 1 || !strings.Contains(res.Err, "/nonexistent/dir") || res.Attempt != attempt {
			t.Errorf("result = %s", dump(res))
		}
	}
	rr.rec.waitLog(t, "WARNING 1/foo/01 handler:event-handler-00 for task event:failed failed")
}

func TestEnvAndDir(t *testing.T) {
	dir := t.TempDir()
	rr := start(t, Options{Env: []string{"GREETING=hi there", "PATH=/usr/bin:/bin"}, Dir: dir},
		workflowHandler(`echo "$GREETING"; pwd; echo "[$HOME]"`))
	res := rr.rec.result(t)
	if want := "hi there\n" + dir + "\n[]\n"; res.Out != want {
		t.Errorf("out = %q, want %q", res.Out, want)
	}
}

func TestEnqueueAfterRunReturned(t *testing.T) {
	rr := start(t, Options{})
	rr.stop(t)
	if rr.Enqueue(workflowHandler("true")) {
		t.Error("Enqueue after Run returned accepted")
	}
}
