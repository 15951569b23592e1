package platform

import (
	"errors"
	"fmt"
	"strings"

	"gyre/internal/flowfile"
	"gyre/internal/suggest"
)

// Kinds of lookup failure a scheduler reacts to differently: a job whose
// hosts are all unreachable waits and retries, a misconfiguration does not.
// Test with errors.Is.
var (
	// ErrNoPlatform: no platform or platform group matches the name.
	ErrNoPlatform = errors.New("no matching platform")
	// ErrNoHosts: every host of the platform is known to be unreachable
	// (Cylc's NoHostsError).
	ErrNoHosts = errors.New("no contactable host")
	// ErrNoPlatforms: every platform of a group has only unreachable hosts
	// (Cylc's NoPlatformsError).
	ErrNoPlatforms = errors.New("no contactable platform")
)

// Error is a problem in global.cylc or a failed lookup. Its text is
// "file:line: message" (without the position when there is none), then an
// indented "hint:" line when there is a suggestion.
type Error struct {
	Pos  flowfile.Pos // zero for lookup errors
	Msg  string
	Hint string
	kind error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.File != "" || e.Pos.Line > 0 {
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

// Unwrap returns the kind of lookup failure (ErrNoPlatform, ErrNoHosts,
// ErrNoPlatforms), or nil.
func (e *Error) Unwrap() error { return e.kind }

// errorList holds every problem found in a file, so that one edit fixes
// them all.
type errorList []*Error

func (l errorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

func (l errorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

func (l *errorList) add(pos flowfile.Pos, hint, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (l errorList) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// didYouMean is a hint for a misspelt name: the closest candidate, or else
// the candidates themselves when there are few enough to read.
func didYouMean(name string, candidates []string) string {
	if c, ok := suggest.Closest(name, candidates); ok {
		return fmt.Sprintf("did you mean %q?", c)
	}
	if len(candidates) > 0 && len(candidates) <= 12 {
		return "expected one of: " + strings.Join(candidates, ", ")
	}
	return ""
}
