package config

import (
	"errors"
	"regexp"
	"strings"
)

// Cylc reads every raw value through the same quoting rules: a value may be
// bare (a trailing "# comment" is dropped), 'single' or "double" quoted (a
// comment may follow the closing quote), or '''triple''' / """triple"""
// quoted over several lines; the result is dedented and stripped. Lists are
// comma separated, with a quoted first element switching to shell-like
// lexing. These functions reproduce parsec's regular expressions and shlex
// configuration so that edge cases come out as in Cylc.

var (
	reSQValue        = regexp.MustCompile(`^'([^'\\]*(?:\\.[^'\\]*)*)'(?:\s*(?:#.*)?)?\n?$`)
	reDQValue        = regexp.MustCompile(`^"([^"\\]*(?:\\.[^"\\]*)*)"(?:\s*(?:#.*)?)?\n?$`)
	reMultiLineSingl = regexp.MustCompile(`(?s)\A'''(.*?)'''\s*(?:#.*)?\z`)
	reMultiLineDoubl = regexp.MustCompile(`(?s)\A"""(.*?)"""\s*(?:#.*)?\z`)
	// A comment after list items that hold quoted strings: the comment
	// starts at a '#' outside the quotes.
	reDQVComment = regexp.MustCompile(`^((?:^[^"]*(?:"[^"]*")*[^"]*)*)(#.*)\n?$`)
	reSQVComment = regexp.MustCompile(`^((?:^[^']*(?:'[^']*')*[^']*)*)(#.*)\n?$`)
	// Parameterised names with a comma must be quoted in lists.
	reMultiParam = regexp.MustCompile(`<\w+,.*?>`)
)

var errBadQuoting = errors.New("bad quoting")

// unquote returns the content of a quoted value, ok=false for a bare value,
// or errBadQuoting when the quotes do not close properly.
func unquote(value string) (string, bool, error) {
	for _, q := range []struct {
		prefix string
		re     *regexp.Regexp
	}{
		{"'''", reMultiLineSingl}, {`"""`, reMultiLineDoubl},
		{`"`, reDQValue}, {"'", reSQValue},
	} {
		if strings.HasPrefix(value, q.prefix) {
			m := q.re.FindStringSubmatch(value)
			if m == nil {
				return "", false, errBadQuoting
			}
			return m[1], true, nil
		}
	}
	return "", false, nil
}

// stripAndUnquote is parsec's reading of a single value.
func stripAndUnquote(value string) (string, error) {
	val, quoted, err := unquote(value)
	if err != nil {
		return "", err
	}
	if !quoted {
		val, _, _ = strings.Cut(value, "#")
	}
	return pyStrip(pyDedent(val)), nil
}

// stripAndUnquoteList is parsec's reading of a comma separated list.
func stripAndUnquoteList(value string) ([]string, error) {
	if strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "'") {
		toks, err := shlexList(value)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, t := range toks {
			if t != "," && pyStrip(t) != "" {
				out = append(out, pyStrip(t))
			}
		}
		return out, nil
	}
	matched := false
	for _, q := range []struct {
		quote string
		re    *regexp.Regexp
	}{{`"`, reDQVComment}, {"'", reSQVComment}} {
		if strings.Contains(value, q.quote) {
			if m := q.re.FindStringSubmatch(value); m != nil {
				value, matched = m[1], true
				break
			}
		}
	}
	if !matched {
		value, _, _ = strings.Cut(value, "#")
		value = pyStrip(value)
	}
	if reMultiParam.MatchString(value) {
		return nil, errors.New("names containing commas must be quoted (e.g. 'foo<m,n>')")
	}
	values := unquotedListParse(value)
	if values[len(values)-1] == "" { // a trailing comma is allowed
		values = values[:len(values)-1]
	}
	return values, nil
}

// unquotedListParse splits on commas, allowing each item to be wrapped in
// matching quotes (which may then contain commas).
func unquotedListParse(value string) []string {
	var out []string
	pos := 0
	for {
		item, next, more := nextListItem(value, pos)
		out = append(out, pyStrip(item))
		if !more {
			return out
		}
		pos = next
	}
}

// nextListItem mimics the regex (['"]?)(.*?)\1(,|$) searched from pos.
func nextListItem(value string, pos int) (item string, next int, more bool) {
	if pos < len(value) && (value[pos] == '"' || value[pos] == '\'') {
		q := value[pos]
		for i := pos + 1; i < len(value); i++ {
			if value[i] != q {
				continue
			}
			switch {
			case i+1 == len(value):
				return value[pos+1 : i], i + 1, false
			case value[i+1] == ',':
				return value[pos+1 : i], i + 2, true
			}
		}
	}
	if i := strings.IndexByte(value[pos:], ','); i >= 0 {
		return value[pos : pos+i], pos + i + 1, true
	}
	return value[pos:], len(value), false
}

// shlex word characters in the configuration parsec uses: the defaults for
// POSIX mode, plus those punctuation mode adds, plus space, minus ','.
var shlexWordChars = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_" +
		"ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ" +
		"~-./*?=" + " " {
		m[r] = true
	}
	return m
}()

// shlexList tokenises like Python's shlex.shlex(value, posix=True,
// punctuation_chars=",") with '#' comments, only tab/newline/CR as
// whitespace and space as a word character.
func shlexList(value string) ([]string, error) {
	const (
		stWS    = ' '
		stWord  = 'a'
		stPunct = 'c'
		stEOF   = 0
	)
	isWS := func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }
	isQuote := func(r rune) bool { return r == '"' || r == '\'' }
	in := []rune(value)
	pos := 0
	var pushback []rune
	read := func() (rune, bool) {
		if n := len(pushback); n > 0 {
			r := pushback[n-1]
			pushback = pushback[:n-1]
			return r, true
		}
		if pos >= len(in) {
			return 0, false
		}
		pos++
		return in[pos-1], true
	}
	skipLine := func() {
		for pos < len(in) {
			pos++
			if in[pos-1] == '\n' {
				return
			}
		}
	}
	state := rune(stWS)
	var tokens []string
	for {
		token := []rune{}
		quoted := false
		escaped := rune(stWord)
	loop:
		for {
			c, ok := read()
			switch {
			case state == stEOF:
				token = token[:0]
				break loop
			case state == stWS:
				switch {
				case !ok:
					state = stEOF
					break loop
				case isWS(c):
					if len(token) > 0 || quoted {
						break loop
					}
				case c == '#':
					skipLine()
				case c == '\\':
					escaped, state = stWord, c
				case shlexWordChars[c]:
					token, state = []rune{c}, stWord
				case c == ',':
					token, state = []rune{c}, stPunct
				case isQuote(c):
					state = c
				default:
					token = []rune{c}
					break loop
				}
			case isQuote(state):
				quoted = true
				switch {
				case !ok:
					return nil, errors.New("no closing quotation")
				case c == state:
					state = stWord
				case c == '\\' && state == '"':
					escaped, state = state, c
				default:
					token = append(token, c)
				}
			case state == '\\':
				if !ok {
					return nil, errors.New("no escaped character")
				}
				if isQuote(escaped) && c != state && c != escaped {
					token = append(token, state)
				}
				token = append(token, c)
				state = escaped
			default: // word or punctuation
				switch {
				case !ok:
					state = stEOF
					break loop
				case isWS(c):
					state = stWS
					if len(token) > 0 || quoted {
						break loop
					}
				case c == '#':
					skipLine()
					state = stWS
					if len(token) > 0 || quoted {
						break loop
					}
				case state == stPunct:
					if c == ',' {
						token = append(token, c)
					} else {
						if !isWS(c) {
							pushback = append(pushback, c)
						}
						state = stWS
						break loop
					}
				case isQuote(c):
					state = c
				case c == '\\':
					escaped, state = stWord, c
				case shlexWordChars[c]:
					token = append(token, c)
				default:
					pushback = append(pushback, c)
					state = stWS
					if len(token) > 0 || quoted {
						break loop
					}
				}
			}
		}
		if len(token) == 0 && !quoted {
			return tokens, nil // POSIX shlex: an empty unquoted token ends the stream
		}
		tokens = append(tokens, string(token))
	}
}
