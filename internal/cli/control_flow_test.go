package cli

import (
	"strings"
	"testing"
)

// TestFlowCommandsLive drives a running scheduler with the flow and hold
// options, from a job: hold --after, trigger --wait, trigger --flow=new
// --meta, stop --flow and release --all; each one's effect is checked in
// the scheduler log.
func TestFlowCommandsLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        R1 = """
            driver:hold_set => c
            never:fail? => w => after_w
            never:fail? => sec => sec2
        """
        P1 = "c[-P1] => c"
[runtime]
    [[root]]
        script = true
    [[sec]]
        script = cylc__job__poll_grep_workflow_log 'Command "stop" actioned'
    [[driver]]
        script = """
            W="$CYLC_WORKFLOW_ID"
            cylc__job__wait_cylc_message_started
            cylc hold --after=1 "$W"
            cylc message -- "$W" "$CYLC_TASK_JOB" 'hold set'
            cylc__job__poll_grep_workflow_log -E '2/c.* holding \(beyond workflow hold point: 1\)'
            cylc trigger --wait "$W//1/w"
            cylc__job__poll_grep_workflow_log 'not spawning on succeeded: flow wait requested'
            cylc trigger --flow=new --meta=second "$W//1/sec"
            cylc__job__poll_grep_workflow_log -F '[1/sec/01(flows=2):submitted] => running'
            cylc stop --flow=2 "$W"
            cylc release --all "$W"
        """
        [[[outputs]]]
            hold_set = hold set
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	log := checkLog(t, dir, []string{
		"Setting hold cycle point: 1\nAll tasks after this point will be held.",
		"holding (beyond workflow hold point: 1)",
		"[1/w/01:running] => succeeded",
		"[1/w/01:succeeded] not spawning on succeeded: flow wait requested",
		"New flow: 2 (second)",
		"1/sec -triggered off ['1/never'] in flow 2",
		"[1/sec/01(flows=none):running] => succeeded",
		"Releasing all tasks and removing hold cycle point.",
		"3/c -triggered off ['2/c'] in flow 1",
		"Workflow shutting down - AUTOMATIC",
	})
	for _, never := range []string{"1/after_w -triggered", "1/sec2 -triggered"} {
		if strings.Contains(log, never) {
			t.Errorf("scheduler log has %q: the flow should have stopped before it", never)
		}
	}
	if strings.Index(log, "2/c -triggered") < strings.Index(log, "Releasing all tasks") {
		t.Errorf("2/c ran before release --all")
	}
}

// TestStopWallClockLive: stop --wall-clock stops the workflow cleanly
// once the wall clock reaches the time: the running job finishes, nothing
// more is submitted.
func TestStopWallClockLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[graph]]
        R1 = "a => b"
[runtime]
    [[a]]
        script = """
            cylc stop --wall-clock="$(date -u -d '+1 second' +%Y-%m-%dT%H:%M:%SZ)" "$CYLC_WORKFLOW_ID"
            cylc__job__poll_grep_workflow_log 'Wall clock stop time reached'
        """
    [[b]]
        script = true
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	log := checkLog(t, dir, []string{"Setting stop clock time: ", "Wall clock stop time reached: ", "[1/a/01:running] => succeeded", "Workflow shutting down - AUTOMATIC"})
	if strings.Contains(log, "1/b -triggered") {
		t.Errorf("1/b ran after the stop time")
	}
}
