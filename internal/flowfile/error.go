package flowfile

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a located problem in a workflow file. Its text is one line,
// "flow.cylc:12: message: "offending line"", optionally followed by an
// indented "hint:" line: short enough to read in a terminal, precise enough
// to jump to with an editor.
type Error struct {
	Pos    Pos    // where; Line 0 when only the file is known
	Msg    string // what is wrong, without the position
	Hint   string // how to fix it, or "" when there is nothing useful to add
	Source string // the offending (processed) line, or ""

	cause error // the underlying error (file system, template engine), if any
}

// maxSourceShown bounds how much of an offending line goes into Error():
// a minified or generated line can be thousands of characters long.
const maxSourceShown = 120

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Pos.Line > 0:
		b.WriteString(e.Pos.String())
		b.WriteString(": ")
	case e.Pos.File != "":
		b.WriteString(e.Pos.File)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if src := strings.TrimSpace(e.Source); src != "" {
		if utf8.RuneCountInString(src) > maxSourceShown {
			src = string([]rune(src)[:maxSourceShown]) + "…"
		}
		b.WriteString(": ")
		b.WriteString(strconv.Quote(src))
	}
	if e.Hint != "" {
		b.WriteString("\n  hint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap gives access to the underlying file-system or template error, so
// that callers can still test it with errors.Is / errors.As.
func (e *Error) Unwrap() error { return e.cause }

// errorAt builds an Error for a processed line.
func errorAt(l Line, msg, hint string) *Error {
	return &Error{Pos: l.Pos, Msg: msg, Hint: hint, Source: l.Text}
}
