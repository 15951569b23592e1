package jinja

import (
	"fmt"
	"strings"
)

// Location is a line in a template file.
type Location struct {
	File string
	Line int
}

// Error is a template error located at a template line: a syntax error, an
// undefined variable, a Python exception raised while rendering, or a
// raise()/assert() from the template itself.
type Error struct {
	File string // template file the error is in: the workflow file or an included template
	Line int    // 1-based line in File (the #!jinja2 header is line 1 of the workflow file)
	Msg  string
	// Kind is the Jinja2/Python exception class Cylc would report:
	// TemplateSyntaxError, UndefinedError, TypeError, TemplateNotFound,
	// Jinja2AssertionError (raise/assert), ...
	Kind string
	// Context holds up to four source lines ending at Line, as Cylc shows.
	Context []string
	// Stack lists the {% include %}/{% import %} statements and macro
	// calls that lead from the workflow file to File, innermost first;
	// empty when the error is in the workflow file itself.
	Stack []Location
}

func (e *Error) Error() string {
	var b strings.Builder
	loc := e.File
	if loc == "" {
		loc = "template"
	}
	fmt.Fprintf(&b, "%s:%d: Jinja2 %s: %s", loc, e.Line, e.Kind, e.Msg)
	for i, l := range e.Context {
		b.WriteString("\n    " + l)
		if i == len(e.Context)-1 {
			b.WriteString("  <-- " + e.Kind)
		}
	}
	for _, s := range e.Stack {
		fmt.Fprintf(&b, "\n  (included from %s:%d)", s.File, s.Line)
	}
	return b.String()
}

// TemplateLine is the line in the rendered workflow file (counting the
// #!jinja2 header as line 1) where the error is, or, for an error inside
// another template file, where the workflow file includes, imports or
// calls into it. The flowfile package uses it to map the line back
// through %include.
func (e *Error) TemplateLine() int {
	if len(e.Stack) > 0 {
		return e.Stack[len(e.Stack)-1].Line
	}
	return e.Line
}

// contextLines returns the up-to-four lines ending at line (1-based).
func contextLines(src string, line int) []string {
	lines := strings.Split(normalizeSource(src), "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	start := max(line-4, 0)
	return append([]string(nil), lines[start:line]...)
}
