package handlers

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"gyre/internal/config"
)

// Result is the outcome of one attempt of a handler.
type Result struct {
	Handler Handler
	Attempt int // 1-based
	// RetCode is the exit status; a process killed by a signal has minus
	// the signal number (-9 when killed at the timeout or at shutdown), and
	// a command that could not be started has 1, as in Cylc.
	RetCode  int
	Out, Err string // captured output (each capped at 1 MiB)
	TimedOut bool   // killed at the timeout
	// Final means no further attempt follows in this run: the handler
	// succeeded, ran out of retries, or the runner is shutting down (then
	// a failed task handler with retries left, like an Abandoned one, is
	// what Cylc would keep for a restart).
	Final bool
	// Abandoned means this attempt never ran: the runner shut down while
	// it was queued or waiting for its delay (RetCode is meaningless).
	Abandoned bool
}

// String renders the attempt as Cylc's SubProcContext does, one line per
// non-empty item ("[KEY cmd] ...", ret_code, out, err), a multi-line value
// starting on a line of its own. It is what Cylc writes to the job's
// job-activity.log for a task handler and logs for a workflow handler.
func (r Result) String() string {
	key := r.Handler.Key()
	var b strings.Builder
	item := func(attr, value string) {
		mesg := pyStrip(value)
		if mesg == "" {
			return
		}
		if pyLines(mesg) > 1 {
			b.WriteString("[" + key + " " + attr + "]\n" + mesg + "\n")
		} else {
			b.WriteString("[" + key + " " + attr + "] " + mesg + "\n")
		}
	}
	item("cmd", r.Handler.Cmd)
	if !r.Abandoned {
		item("ret_code", strconv.Itoa(r.RetCode))
	}
	item("out", r.Out)
	item("err", r.Err)
	return strings.TrimRightFunc(b.String(), pyIsSpace)
}

// pyIsSpace is Python's str.isspace for one character, which also counts
// the ASCII separators \x1c-\x1f.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyLines counts lines as Python's str.splitlines does.
func pyLines(s string) int {
	n := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\r':
			if i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			n++
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			n++
		}
	}
	if len(rs) > 0 && !strings.ContainsRune("\r\n\v\f\x1c\x1d\x1e\u0085\u2028\u2029", rs[len(rs)-1]) {
		n++ // a last line without a terminator
	}
	return n
}

// taskNote is Cylc's wording for a task handler's timer messages:
// "1/foo/01 handler:event-handler-00 for task event:failed TEXT".
func taskNote(e *entry, text string) string {
	id := ""
	if e.h.Job != nil {
		id = e.h.Job.String() + " "
	}
	return id + "handler:" + e.h.Name + " for task event:" + e.h.Event + " " + text
}

// delayText is TaskActionTimer's "delay (after time)": "PT10S (after
// 2025-01-01T00:00:10Z)".
func delayText(d time.Duration, at time.Time) string {
	return intervalText(d) + " (after " + at.Format("2006-01-02T15:04:05Z07:00") + ")"
}

// intervalText is a duration in ISO 8601 as Cylc prints it ("PT10M").
func intervalText(d time.Duration) string {
	return config.Interval(d.Seconds()).String()
}
