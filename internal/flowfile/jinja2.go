package flowfile

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// hasJinja2Hashbang reports whether a first line asks for Jinja2. Cylc tests
// it with re.match(r'^#![jJ]inja2\s*'): only a prefix, and only these two
// spellings (a "#!JINJA2" file is not templated by Cylc either).
func hasJinja2Hashbang(first string) bool {
	return strings.HasPrefix(first, "#!jinja2") || strings.HasPrefix(first, "#!Jinja2")
}

// templateLiner is implemented by template errors that know their line.
type templateLiner interface{ TemplateLine() int }

// renderJinja2 is the second stage. lines are the include-inlined lines,
// the first of which is the #!Jinja2 line.
//
// The renderer gets the whole inlined text, header included, so that
// template line n is lines[n-1]; like Cylc it leaves the header out of the
// template itself. Its output is split with Python's splitlines rules and
// blank lines are dropped, as Cylc does: lone {% ... %} statements leave
// them behind, and dropping them keeps processed line numbers equal to
// Cylc's.
//
// Jinja2 output cannot be traced to its template exactly, so each output
// line gets the position of the one template line with the same stripped
// text, if there is exactly one; otherwise it is marked AfterJinja2 and
// numbered later among the processed lines.
func renderJinja2(name, dir string, lines []Line, render func(name, dir, src string) (string, error)) ([]Line, error) {
	if render == nil {
		return nil, &Error{
			Pos:    lines[0].Pos,
			Msg:    "Jinja2 support not configured",
			Hint:   "this file starts with #!Jinja2 but no Jinja2 renderer was supplied to the loader",
			Source: lines[0].Text,
		}
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.Text
	}
	out, err := render(name, dir, strings.Join(texts, "\n"))
	if err != nil {
		return nil, templateError(name, lines, err)
	}

	body := lines[1:]
	type origin struct {
		pos   Pos
		count int
	}
	origins := make(map[string]*origin, len(body))
	for _, l := range body {
		key := trimSpace(l.Text)
		if key == "" {
			continue
		}
		if o := origins[key]; o != nil {
			o.count++
		} else {
			origins[key] = &origin{pos: l.Pos, count: 1}
		}
	}

	var result []Line
	for _, text := range splitLinesPy(out) {
		key := trimSpace(text)
		if key == "" {
			continue
		}
		// Numbered among the Jinja2 output for now; Parse renumbers it
		// once continuation lines are joined.
		pos := Pos{File: name, Line: len(result) + 1, AfterJinja2: true}
		if o := origins[key]; o != nil && o.count == 1 {
			pos = o.pos
		}
		result = append(result, Line{Text: text, Pos: pos})
	}
	return result, nil
}

// templateError locates a Jinja2 failure at its template line when the
// renderer reports one (template line n is lines[n-1]). The renderer's own
// text may start with "name:n: " and go on with context lines; the position
// is already in the Error and the line in Source, so only the first line of
// the message is kept, plus any "(included from ...)" trail as the hint.
func templateError(name string, lines []Line, err error) error {
	var located *Error
	if errors.As(err, &located) {
		return err
	}
	text := err.Error()
	first, rest, _ := strings.Cut(text, "\n")
	kind := first // the message without any file:line prefix
	if m := renderedPos.FindStringSubmatch(first); m != nil {
		kind = first[len(m[0]):]
		if m[1] == name {
			first = kind
		}
	}
	if !strings.HasPrefix(kind, "Jinja2 ") {
		first = "Jinja2 error: " + first
	}
	var trail []string
	for _, l := range strings.Split(rest, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "(included from ") {
			trail = append(trail, strings.TrimSuffix(strings.TrimPrefix(l, "("), ")"))
		}
	}
	e := &Error{Pos: Pos{File: name}, Msg: first, Hint: strings.Join(trail, ", "), cause: err}
	var tl templateLiner
	if errors.As(err, &tl) {
		if n := tl.TemplateLine(); n >= 1 && n <= len(lines) {
			e.Pos = lines[n-1].Pos
			e.Source = lines[n-1].Text
		} else if n >= 1 {
			e.Msg = fmt.Sprintf("%s (template line %d)", first, n)
		}
	}
	return e
}

// renderedPos matches a "file:line: " prefix on a renderer's message.
var renderedPos = regexp.MustCompile(`^(.*?):\d+: `)
