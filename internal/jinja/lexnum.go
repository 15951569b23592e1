package jinja

import (
	"strconv"
	"strings"
)

// Number literals, with Jinja2's float_re and integer_re rules.

// number lexes integer and float literals with Jinja2's regexes: floats need
// a fractional part or an exponent; integers may be 0b/0o/0x prefixed; "_"
// may separate digits.
func (lx *lexer) number() error {
	rest := lx.src[lx.pos:]
	if n := matchFloat(rest); n > 0 && (lx.pos == 0 || lx.src[lx.pos-1] != '.') {
		text := rest[:n]
		f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if err != nil && !isRangeErr(err) {
			return lx.fail("invalid float literal " + text)
		}
		lx.toks = append(lx.toks, token{kind: tFloat, val: text, num: f, line: lx.line})
		lx.advance(text)
		return nil
	}
	n := matchInt(rest)
	text := rest[:n]
	v, err := strconv.ParseInt(strings.ReplaceAll(text, "_", ""), 0, 64)
	if err != nil {
		if isRangeErr(err) {
			return lx.fail("integer literal " + text + " is too large (gyre integers are 64-bit)")
		}
		return lx.fail("invalid integer literal " + text)
	}
	lx.toks = append(lx.toks, token{kind: tInt, val: text, num: int(v), line: lx.line})
	lx.advance(text)
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// digits matches `(\d+_)*\d+` and returns its length.
func digits(s string) int {
	n := 0
	for {
		j := n
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == n {
			if n > 0 && s[n-1] == '_' {
				return n - 1
			}
			return n
		}
		n = j
		if n < len(s) && s[n] == '_' && n+1 < len(s) && s[n+1] >= '0' && s[n+1] <= '9' {
			n++
			continue
		}
		return n
	}
}

// matchFloat implements Jinja2's float_re (without the look-behind).
func matchFloat(s string) int {
	n := digits(s)
	if n == 0 {
		return 0
	}
	frac := 0
	if n < len(s) && s[n] == '.' {
		frac = digits(s[n+1:])
		if frac > 0 {
			frac++
		}
	}
	exp := 0
	if e := n + frac; e < len(s) && (s[e] == 'e' || s[e] == 'E') {
		j := e + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if d := digits(s[j:]); d > 0 {
			exp = j + d - e
		}
	}
	if frac == 0 && exp == 0 {
		return 0
	}
	return n + frac + exp
}

// matchInt implements Jinja2's integer_re; a leading digit always matches.
func matchInt(s string) int {
	if len(s) > 2 && s[0] == '0' {
		var ok func(byte) bool
		switch s[1] {
		case 'b', 'B':
			ok = func(c byte) bool { return c == '0' || c == '1' }
		case 'o', 'O':
			ok = func(c byte) bool { return c >= '0' && c <= '7' }
		case 'x', 'X':
			ok = func(c byte) bool {
				return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
			}
		}
		if ok != nil {
			n := 2
			for n < len(s) {
				if s[n] == '_' && n+1 < len(s) && ok(s[n+1]) {
					n += 2
				} else if ok(s[n]) {
					n++
				} else {
					break
				}
			}
			if n > 2 {
				return n
			}
		}
	}
	if s[0] == '0' {
		n := 1
		for n < len(s) {
			if s[n] == '0' {
				n++
			} else if s[n] == '_' && n+1 < len(s) && s[n+1] == '0' {
				n += 2
			} else {
				break
			}
		}
		return n
	}
	return digits(s)
}
