package runner

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cylc reads the batch commands' output with Python: str.splitlines, and
// regular expressions whose \s and \d are Unicode-aware. These helpers
// read it the same way, so that a job ID is found (or not) where Cylc
// would find it.

// pyWS and pyDigit are Python's \s and \d in str patterns, for Go regexps.
const (
	pyWS    = `[\t\n\v\f\r\x1c-\x1f\x{85}\p{Z}]`
	pyDigit = `\p{Nd}`
)

// isPySpace is Python's str.isspace for one character.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyLines splits s as Python's str.splitlines does: at \n, \r, \r\n, \v,
// \f, \x1c-\x1e, \x85, U+2028 and U+2029, without the line ends.
func pyLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			lines = append(lines, s[start:i])
			if r == '\r' && strings.HasPrefix(s[i+1:], "\n") {
				size++
			}
			start = i + size
		}
		i += size
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// expandTemplate fills a "job runner command template" in as Cylc does,
// with Python's template % {"job": path}: "%(job)s" becomes path and "%%"
// a per cent sign. Python would fail on any other conversion (or format
// the whole dictionary, for a bare "%s"), so they are errors here.
func expandTemplate(template, path string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(template); {
		c := template[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		switch rest := template[i+1:]; {
		case strings.HasPrefix(rest, "%"):
			b.WriteByte('%')
			i += 2
		case strings.HasPrefix(rest, "(job)s"):
			b.WriteString(path)
			i += len("%(job)s")
		default:
			end := min(len(template), i+8)
			return "", fmt.Errorf("%q at byte %d: the only substitution is %%(job)s, the job script's path (write %%%% for a %% sign)",
				template[i:end], i)
		}
	}
	return b.String(), nil
}
