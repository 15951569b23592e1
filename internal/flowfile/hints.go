package flowfile

import (
	"fmt"
	"strings"
)

// invalidLine explains a line that is neither blank, a comment, a heading
// nor a setting. The message is Cylc's ("Invalid line"); the hint guesses at
// the cause from the shape of the line, because the line itself is often
// not where the mistake is (an unclosed """ value, a missing #!Jinja2).
func (b *builder) invalidLine(l Line) error {
	return errorAt(l, "invalid line", b.invalidLineHint(l))
}

func (b *builder) invalidLineHint(l Line) string {
	t := trimSpace(l.Text)
	if b.last != nil {
		for _, in := range b.last.inside {
			if h, ok := matchHeading(in.Text); ok && h.open == h.close {
				return fmt.Sprintf("did you forget to close %s (opened at %s)? Its value runs on past the heading %s at %s",
					b.last.where, b.last.open.Pos, trimSpace(in.Text), in.Pos)
			}
		}
	}
	if strings.HasPrefix(t, "%include") {
		return "%include needs a file path: %include path/to/file.cylc"
	}
	if !b.jinja2 && (strings.Contains(t, "{{") || strings.Contains(t, "{%") || strings.Contains(t, "{#")) {
		return "this looks like Jinja2, which is processed only when the first line of the file is #!Jinja2"
	}
	if strings.HasPrefix(t, "[") {
		return "a section heading is [name], [[name]], [[[name]]] … with only a # comment after it"
	}
	if eq := strings.IndexByte(t, '='); eq >= 0 {
		name := trimSpace(t[:eq])
		if name == "" {
			return `a setting needs a name before the "="`
		}
		if r, ok := badKeyRune(name); ok {
			return fmt.Sprintf("%q cannot be part of a setting name: use letters, digits, spaces and _ + - : . , ! / ( ) ^ $, then optionally a <parameter> part", r)
		}
	}
	if strings.Contains(t, ":") {
		return `settings are written "key = value"`
	}
	return `expected a [section] heading, a "key = value" setting or a # comment`
}

// badKeyRune finds the first character that makes name an invalid setting
// name, ignoring a trailing <...> parameter part.
func badKeyRune(name string) (rune, bool) {
	if i := strings.IndexByte(name, '<'); i >= 0 && strings.HasSuffix(name, ">") {
		name = name[:i]
	}
	for _, r := range name {
		if !isKeyRune(r) {
			return r, true
		}
	}
	return 0, false
}
