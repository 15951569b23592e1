package graph

import (
	"fmt"
	"strings"

	"gyre/internal/suggest"
)

// Error is a graph error located in the workflow source. Msg follows
// Cylc's wording where Cylc has one, so that users and Cylc's own test
// expectations recognise it; Text is the offending piece of the graph
// (whitespace removed, as Cylc shows it) and Hint, when set, says how to fix
// it.
type Error struct {
	File string
	Line int
	Msg  string
	Text string
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	} else {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// errorf builds an Error; text is the offending graph text.
func (p *parser) errorf(line int, text, hint, format string, args ...any) *Error {
	return &Error{File: p.opts.File, Line: line, Msg: fmt.Sprintf(format, args...), Text: text, Hint: hint}
}

// didYouMean returns a hint naming the candidate closest to s, or "" when
// nothing is close enough to be a plausible typo.
func didYouMean(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	for _, c := range candidates {
		if d := suggest.Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}
