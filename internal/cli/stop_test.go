package cli

import (
	"strings"
	"testing"
)

// TestStopLive: each form of stop, sent from a job, against a running
// scheduler: what must and must not happen before it shuts down.
func TestStopLive(t *testing.T) {
	for _, tc := range []struct {
		name, flow string
		want, not  []string
	}{
		{"clean waits for active jobs", `
[scheduling]
    [[graph]]
        R1 = "a & b"
[runtime]
    [[a]]
        script = cylc stop "$CYLC_WORKFLOW_ID"
    [[b]]
        script = cylc__job__poll_grep_workflow_log 'Command "stop" actioned'
`, []string{"[1/b/01:running] => succeeded", "Workflow shutting down - REQUEST(CLEAN)"}, nil},
		{"kill", `
[scheduling]
    [[graph]]
        R1 = "a & b"
[runtime]
    [[a]]
        script = """
            cylc__job__poll_grep_workflow_log '1/b/01:submitted. => running'
            cylc stop --kill "$CYLC_WORKFLOW_ID"
        """
    [[b]]
        script = sleep 600
`, []string{"[1/b/01] job killed", "Workflow shutting down - REQUEST(KILL)"}, nil},
		{"after a cycle point", `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 5
    [[graph]]
        P1 = "a[-P1] => a"
[runtime]
    [[a]]
        script = """
            if [ "$CYLC_TASK_CYCLE_POINT" = 1 ]; then
                cylc stop "$CYLC_WORKFLOW_ID//2"
            fi
        """
`, []string{"Setting stop cycle point: 2", "2/a -triggered off ['1/a']", "Workflow shutting down - AUTOMATIC"},
			[]string{"3/a -triggered"}},
		{"after a task", `
[scheduling]
    [[graph]]
        R1 = "a => b => c"
[runtime]
    [[a]]
        script = cylc stop "$CYLC_WORKFLOW_ID//1/b"
    [[b, c]]
        script = true
`, []string{"Setting stop task: 1/b", "[1/b/01:running] => succeeded", "Workflow shutting down - AUTOMATIC"},
			[]string{"1/c -triggered"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, dir := runLive(t, tc.flow)
			if code != 0 {
				t.Fatalf("play exited %d:\n%s", code, out)
			}
			log := checkLog(t, dir, tc.want)
			for _, n := range tc.not {
				if strings.Contains(log, n) {
					t.Errorf("scheduler log has %q:\n%s", n, log)
				}
			}
		})
	}
}
