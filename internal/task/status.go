// Package task holds the vocabulary of a task's life in Cylc 8: its statuses,
// its outputs (standard and custom) and the completion expression that says
// when a task has done what the workflow needs of it. It is pure data and
// logic: the pool decides when things happen, this package decides what they
// mean.
package task

import "fmt"

// Status is a task's place in Cylc's life-cycle. The order is Cylc's own
// ordering of statuses, so comparisons follow Cylc's notion of progress.
type Status uint8

// The task statuses, in Cylc's order.
const (
	Waiting Status = iota
	Expired
	Preparing
	SubmitFailed
	Submitted
	Running
	Failed
	Succeeded
)

var statusNames = [...]string{
	Waiting:      "waiting",
	Expired:      "expired",
	Preparing:    "preparing",
	SubmitFailed: "submit-failed",
	Submitted:    "submitted",
	Running:      "running",
	Failed:       "failed",
	Succeeded:    "succeeded",
}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// ParseStatus reads a status name as Cylc writes it.
func ParseStatus(name string) (Status, bool) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), true
		}
	}
	return 0, false
}

// Active reports whether a job exists or is being made for the task: such a
// task cannot be submitted again until its job finishes.
func (s Status) Active() bool {
	return s == Preparing || s == Submitted || s == Running
}

// Final reports whether the task can make no further progress by itself:
// only a retry, a manual trigger or a reset moves it on.
func (s Status) Final() bool {
	return s == Expired || s == SubmitFailed || s == Failed || s == Succeeded
}

// MarshalText writes the Cylc name, so statuses read well in JSON and logs.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a Cylc status name.
func (s *Status) UnmarshalText(b []byte) error {
	v, ok := ParseStatus(string(b))
	if !ok {
		return fmt.Errorf("unknown task status %q", b)
	}
	*s = v
	return nil
}
