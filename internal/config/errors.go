package config

import (
	"fmt"
	"strings"

	"gyre/internal/flowfile"
)

// Error is one located problem in a workflow configuration. Its text is
// "file:line: message", then an indented "hint:" line when there is a
// suggestion (a did-you-mean, the expected form of a value).
type Error struct {
	Pos  flowfile.Pos // zero when the problem has no single source line
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.Line > 0 || e.Pos.File != "" {
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("\n  hint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// ErrorList is what Build returns when the configuration is invalid: every
// problem found, in source order where there is one, so that a user fixes
// them all in one pass rather than one per run.
type ErrorList struct {
	Errors []*Error
}

func (l *ErrorList) Error() string {
	msgs := make([]string, len(l.Errors))
	for i, e := range l.Errors {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap exposes the individual errors to errors.Is / errors.As.
func (l *ErrorList) Unwrap() []error {
	errs := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		errs[i] = e
	}
	return errs
}

func (l *ErrorList) add(pos flowfile.Pos, hint, format string, args ...any) {
	l.Errors = append(l.Errors, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Warning is a non-fatal message: an upgraded or deleted Cylc 7 item, a
// deprecated value. Msg uses Cylc's wording so that users can search for it.
type Warning struct {
	Pos  flowfile.Pos
	Msg  string
	Kind WarningKind
}

func (w Warning) String() string {
	if w.Pos.Line > 0 || w.Pos.File != "" {
		return w.Pos.String() + ": " + w.Msg
	}
	return w.Msg
}
