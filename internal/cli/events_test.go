package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Task and workflow event handlers run with Cylc's templates: a custom
// event (a message of severity CUSTOM) with task metadata, a failed
// handler with the job's submit number, and workflow startup and shutdown
// handlers, whose output reaches files the test reads.
func TestEventHandlersLive(t *testing.T) {
	out := filepath.Join(t.TempDir(), "wf-events")
	code, log, dir := runLive(t, `
[scheduler]
    allow implicit tasks = True
    [[events]]
        startup handlers = echo start %(workflow)s >> `+out+`
        shutdown handlers = echo stop %(event)s %(message)s >> `+out+`
[scheduling]
    [[graph]]
        R1 = """
            foo:a => bar
            baz:fail? => qux
        """
[runtime]
    [[root]]
        script = true
        [[[events]]]
            custom handlers = echo !!CUSTOM!! %(point)s/%(name)s %(fish)s %(message)s
        [[[meta]]]
            fish = trout
    [[foo]]
        script = """
            cylc message -p CUSTOM "Data ready for barring"
            cylc message "not custom"
        """
        [[[outputs]]]
            a = "Data ready for barring"
        [[[meta]]]
            fish = fugu
    [[baz]]
        script = false
        [[[events]]]
            failed handlers = echo "!!FAILED!!" %(event)s %(id)s %(submit_num)s %(message)s
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, log)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, "log", "job", rel, "job-activity.log"))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
		}
		return string(b)
	}
	if a := read("1/foo/01"); !strings.Contains(a, "[(('event-handler-00', 'custom-1'), 1) out] !!CUSTOM!! 1/foo fugu Data ready for barring") ||
		strings.Contains(a, "not custom") {
		t.Errorf("1/foo job-activity.log:\n%s", a)
	}
	if a := read("1/baz/01"); !strings.Contains(a, "[(('event-handler-00', 'failed'), 1) out] !!FAILED!! failed 1/baz 1 job failed") {
		t.Errorf("1/baz job-activity.log:\n%s", a)
	}
	wf, err := os.ReadFile(out)
	if err != nil || string(wf) != "start flow/run1\nstop shutdown AUTOMATIC\n" {
		t.Errorf("workflow handlers wrote %q, %v", wf, err)
	}
}
