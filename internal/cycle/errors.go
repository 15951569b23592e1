package cycle

import (
	"errors"
	"strconv"
)

// Error reports a bad cycle point, duration, recurrence or setting. It names
// the offending value so that callers (which know the file and line) can
// print a complete message.
type Error struct {
	What  string // "cycle point", "duration", "recurrence", setting name, ...
	Value string // the offending input
	Msg   string // what is wrong
	Hint  string // optional: how to fix it
}

func (e *Error) Error() string {
	s := e.What + " " + strconv.Quote(e.Value) + ": " + e.Msg
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// ErrPointsDiffer is returned by CyclePoint for --equal when the two points
// are not equal (cylc cycle-point exits 1).
var ErrPointsDiffer = errors.New("cycle points differ")

func pointErr(v, msg string) *Error { return &Error{What: "cycle point", Value: v, Msg: msg} }

func durErr(v, msg string) *Error { return &Error{What: "duration", Value: v, Msg: msg} }

func recErr(v, msg string) *Error { return &Error{What: "recurrence", Value: v, Msg: msg} }

// withWhat re-labels an *Error produced by a lower-level parser so the
// message names the whole expression the user wrote.
func withWhat(err error, what, value string) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		if c.Value != value && c.Value != "" {
			c.Msg = strconv.Quote(c.Value) + ": " + c.Msg
		}
		c.What, c.Value = what, value
		return &c
	}
	return err
}
