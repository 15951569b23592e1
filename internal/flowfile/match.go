package flowfile

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cylc classifies each processed line with two regular expressions (see
// parsec/fileparse.py), reproduced here in Go syntax with Python's notion of
// whitespace and of \w. They define the accepted syntax, odd corners
// included: for example "[a]b]" is a section named "a]b" and "[ ]" a section
// named " ". Go's regexp picks the same submatches as a backtracking engine,
// so the results agree with Cylc's.
//
// Running a regexp on every line would cost most of the parse time, so the
// common shapes are recognised by hand first (headingFast, itemFast) and the
// regexps only settle the unusual lines. A fuzz test checks that the fast
// paths agree with the regexps.
var (
	headingRE = regexp.MustCompile(`^[` + pySpace + `]*(\[+)[` + pySpace + `]*(.+?)[` + pySpace + `]*(\]+)[` + pySpace + `]*(#.*)?$`)
	itemRE    = regexp.MustCompile(`^[` + pySpace + `]*([\p{L}\p{N}_+\-:.,!/()^$ ]+?(?:[` + pySpace + `]*<.*?>)?)[` + pySpace + `]*=[` + pySpace + `]*(.*)$`)
)

// heading is a matched [section] heading line.
type heading struct {
	open, close int    // number of '[' and ']'
	name        string // trimmed, otherwise verbatim
}

// matchHeading reports whether s is a section heading line.
func matchHeading(s string) (heading, bool) {
	t := trimLeftSpace(s)
	if !strings.HasPrefix(t, "[") {
		return heading{}, false
	}
	if h, ok := headingFast(t); ok {
		return h, true
	}
	return headingSlow(s)
}

// headingFast handles "[[ name ]] # comment" where the name holds no
// brackets or '#'. t starts with '['.
func headingFast(t string) (heading, bool) {
	open := 0
	for open < len(t) && t[open] == '[' {
		open++
	}
	end := strings.IndexAny(t[open:], "[]#")
	if end < 0 || t[open+end] != ']' {
		return heading{}, false
	}
	name := trimSpace(t[open : open+end])
	if name == "" {
		return heading{}, false
	}
	rest := t[open+end:]
	close := 0
	for close < len(rest) && rest[close] == ']' {
		close++
	}
	rest = trimLeftSpace(rest[close:])
	if rest != "" && rest[0] != '#' {
		return heading{}, false
	}
	return heading{open: open, close: close, name: name}, true
}

func headingSlow(s string) (heading, bool) {
	m := headingRE.FindStringSubmatch(s)
	if m == nil {
		return heading{}, false
	}
	return heading{open: len(m[1]), close: len(m[3]), name: m[2]}, true
}

// matchItem reports whether s is a "key = value" line, returning the key and
// the raw value (quotes and trailing comment kept, surrounding space not).
func matchItem(s string) (key, value string, ok bool) {
	if key, value, ok := itemFast(s); ok {
		return key, value, true
	}
	return itemSlow(s)
}

// isKeyRune reports whether r may appear in a setting name: Python's \w
// plus + - : . , ! / ( ) ^ $ and the space.
func isKeyRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.IndexByte("_+-:.,!/()^$ ", byte(r)) >= 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// itemFast handles keys made of key runes only (no <param> suffix).
func itemFast(s string) (key, value string, ok bool) {
	t := trimLeftSpace(s)
	end := strings.IndexFunc(t, func(r rune) bool { return !isKeyRune(r) })
	if end <= 0 {
		return "", "", false
	}
	key = strings.TrimRight(t[:end], " ")
	rest := trimLeftSpace(t[end:])
	if key == "" || !strings.HasPrefix(rest, "=") {
		return "", "", false
	}
	return key, trimLeftSpace(rest[1:]), true
}

func itemSlow(s string) (key, value string, ok bool) {
	m := itemRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// closesWith decides whether s (from byte from on) holds the closing triple
// quote of a value. Cylc's _SINGLE_LINE_* and _MULTI_LINE_* patterns accept a
// closing quote followed by nothing but whitespace and an optional comment,
// and since their `(.*?)` backtracks, any occurrence of the quote may be the
// closing one.
func closesWith(s, quote string, from int) bool {
	for i := from; i+len(quote) <= len(s); i++ {
		j := strings.Index(s[i:], quote)
		if j < 0 {
			return false
		}
		i += j
		rest := trimLeftSpace(s[i+len(quote):])
		if rest == "" || rest[0] == '#' {
			return true
		}
	}
	return false
}
