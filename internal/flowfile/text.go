package flowfile

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Cylc is written in Python, whose regular expressions and str methods treat
// every Unicode space as whitespace (`\s`, str.strip, str.isspace). Go's
// strings.TrimSpace and regexp `\s` do not agree with that set (regexp has no
// \v, TrimSpace has no \x1c-\x1f), so the parser uses this one definition
// everywhere to read files exactly as Cylc does.
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x1c, 0x1d, 0x1e, 0x1f,
		0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// pySpace is isSpace as a regexp character-class body, for the few
// patterns that are still matched with package regexp.
const pySpace = `\t\n\v\f\r \x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}`

// The trims skip ASCII blanks inline before falling back to the general
// rune test: they run several times on every line.

func trimSpace(s string) string { return trimRightSpace(trimLeftSpace(s)) }

func trimLeftSpace(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && (s[i] >= utf8.RuneSelf || s[i] <= ' ') {
		return strings.TrimLeftFunc(s[i:], isSpace)
	}
	return s[i:]
}

func trimRightSpace(s string) string {
	i := len(s)
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
		i--
	}
	if i > 0 && (s[i-1] >= utf8.RuneSelf || s[i-1] <= ' ') {
		return strings.TrimRightFunc(s[:i], isSpace)
	}
	return s[:i]
}

// utf8BOM is dropped from the start of every file read: editors on Windows
// add it, and it would otherwise glue itself to the first heading.
const utf8BOM = "\ufeff"

// splitSource turns the bytes of one file into numbered lines the way
// Python's text-mode file iteration does: "\r\n" and a lone "\r" end a line
// like "\n" does (universal newlines), and a final newline does not start an
// empty last line. Text that is not UTF-8 is rejected at its line, since
// Cylc (which decodes as UTF-8) cannot read it either.
func splitSource(file string, src []byte) ([]Line, error) {
	src = bytes.TrimPrefix(src, []byte(utf8BOM))
	if len(src) == 0 {
		return nil, nil
	}
	text := string(src)
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	text = strings.TrimSuffix(text, "\n")
	valid := utf8.ValidString(text)
	lines := make([]Line, 0, strings.Count(text, "\n")+1)
	for i := 0; ; i++ {
		p, rest, more := strings.Cut(text, "\n")
		lines = append(lines, Line{Text: p, Pos: Pos{File: file, Line: i + 1}})
		if !valid && !utf8.ValidString(p) {
			return nil, &Error{
				Pos:  lines[i].Pos,
				Msg:  "the file is not valid UTF-8 text",
				Hint: "save the file with UTF-8 encoding",
			}
		}
		if !more {
			return lines, nil
		}
		text = rest
	}
}

// splitLinesPy splits s as Python's str.splitlines does. Cylc splits the
// Jinja2 output with it, so a rendered "\v" or "\u2028" ends a line there
// too; matching it keeps the processed line numbers the same as Cylc's.
func splitLinesPy(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i])
			i += size
			start = i
		case '\r':
			out = append(out, s[start:i])
			i += size
			if i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
		default:
			i += size
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
