package jinja

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens of Python source, for reading --set values.

type pyTokKind int

const (
	pyEnd pyTokKind = iota
	pyNum
	pyStr
	pyName
	pyOp
)

type pyTok struct {
	kind pyTokKind
	text string
	val  any // number or decoded string
}

type pyParser struct {
	src   string
	toks  []pyTok
	i     int
	depth int
}

var pyOps = []string{"**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
	"+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "="}

func (p *pyParser) lex() error {
	s := p.src
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			i++
			continue
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
			continue
		case c == '\n' || c == '\r':
			if depth == 0 && strings.TrimSpace(s[i:]) != "" && !strings.HasPrefix(strings.TrimSpace(s[i:]), "#") {
				return errors.New("invalid syntax (more than one line)")
			}
			i++
			continue
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		if n, prefix := stringStart(s[i:]); n >= 0 {
			j, val, err := lexPyString(s[i+n:], prefix)
			if err != nil {
				return err
			}
			p.toks = append(p.toks, pyTok{kind: pyStr, text: s[i : i+n+j], val: val})
			i += n + j
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j, val, err := lexPyNumber(s[i:])
			if err != nil {
				return err
			}
			p.toks = append(p.toks, pyTok{kind: pyNum, text: s[i : i+j], val: val})
			i += j
		case r == '_' || unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if r2 != '_' && !unicode.IsLetter(r2) && !unicode.IsDigit(r2) {
					break
				}
				j += w2
			}
			p.toks = append(p.toks, pyTok{kind: pyName, text: s[i:j]})
			i = j
		default:
			op := ""
			for _, o := range pyOps {
				if strings.HasPrefix(s[i:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return fmt.Errorf("invalid character %s", reprString(string(r)))
			}
			switch op {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
				if depth < 0 {
					return fmt.Errorf("unmatched %s", reprString(op))
				}
			}
			p.toks = append(p.toks, pyTok{kind: pyOp, text: op})
			i += len(op)
		}
	}
	if depth > 0 {
		return errors.New("'(', '[' or '{' was never closed")
	}
	return nil
}

// stringStart recognises a string prefix and opening quote, returning the
// prefix length (or -1) and the lower-cased prefix.
func stringStart(s string) (int, string) {
	j := 0
	for j < len(s) && j < 2 && strings.IndexByte("rRbBuUfF", s[j]) >= 0 {
		j++
	}
	if j < len(s) && (s[j] == '\'' || s[j] == '"') {
		prefix := strings.ToLower(s[:j])
		switch prefix {
		case "", "r", "u", "b", "f", "br", "rb", "fr", "rf":
			return j, prefix
		}
	}
	return -1, ""
}

// lexPyString reads a quoted string (s starts at the quote) and returns
// its length and value; bytes and f-strings are parsed but refused later.
func lexPyString(s, prefix string) (int, any, error) {
	quote := s[:1]
	if strings.HasPrefix(s, strings.Repeat(quote, 3)) {
		quote = strings.Repeat(quote, 3)
	}
	raw := strings.Contains(prefix, "r")
	i := len(quote)
	for i < len(s) {
		switch {
		case s[i] == '\\':
			i += 2
			continue
		case strings.HasPrefix(s[i:], quote):
			body := s[len(quote):i]
			n := i + len(quote)
			if strings.Contains(prefix, "f") {
				return n, notLiteralValue("f-string"), nil
			}
			if strings.Contains(prefix, "b") {
				return n, notLiteralValue("bytes"), nil
			}
			if raw {
				return n, body, nil
			}
			v, err := unescapePython(body)
			if err != nil {
				return 0, nil, err
			}
			return n, v, nil
		case s[i] == '\n' && len(quote) == 1:
			return 0, nil, errors.New("unterminated string literal")
		}
		i++
	}
	if len(quote) == 3 {
		return 0, nil, errors.New("unterminated triple-quoted string literal")
	}
	return 0, nil, errors.New("unterminated string literal")
}

// lexPyNumber reads a Python int, float or imaginary literal.
func lexPyNumber(s string) (int, any, error) {
	end := 0
	for end < len(s) {
		c := s[end]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' {
			end++
			continue
		}
		if (c == '+' || c == '-') && end > 0 && (s[end-1] == 'e' || s[end-1] == 'E') && !strings.HasPrefix(strings.ToLower(s), "0x") {
			end++
			continue
		}
		break
	}
	text := s[:end]
	bad := func() (int, any, error) { return 0, nil, fmt.Errorf("invalid decimal literal %s", text) }
	low := strings.ToLower(text)
	if strings.HasSuffix(low, "j") {
		return end, notLiteralValue("complex number"), nil
	}
	if len(low) > 1 && low[0] == '0' && strings.IndexByte("xob", low[1]) >= 0 {
		digits, ok := stripUnderscores(strings.TrimPrefix(text[2:], "_"))
		if !ok || digits == "" {
			return bad()
		}
		v, err := strconv.ParseInt(digits, map[byte]int{'x': 16, 'o': 8, 'b': 2}[low[1]], 64)
		if err != nil {
			if isRangeErr(err) {
				return 0, nil, fmt.Errorf("integer %s is too large (gyre integers are 64-bit)", text)
			}
			return bad()
		}
		return end, int(v), nil
	}
	clean, ok := stripUnderscores(text)
	if !ok {
		return bad()
	}
	if strings.ContainsAny(low, ".e") {
		for _, c := range low {
			if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == '+' || c == '-' || c == '_') {
				return bad()
			}
		}
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil && !isRangeErr(err) {
			return bad()
		}
		return end, f, nil
	}
	for _, c := range clean {
		if c < '0' || c > '9' {
			return bad()
		}
	}
	if len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return 0, nil, errors.New("leading zeros in decimal integer literals are not permitted")
	}
	v, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		return 0, nil, fmt.Errorf("integer %s is too large (gyre integers are 64-bit)", text)
	}
	return end, int(v), nil
}

func (p *pyParser) peek() pyTok {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return pyTok{kind: pyEnd}
}

func (p *pyParser) next() pyTok {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *pyParser) isOp(ops ...string) bool {
	t := p.peek()
	if t.kind != pyOp {
		return false
	}
	for _, o := range ops {
		if t.text == o {
			return true
		}
	}
	return false
}

func (p *pyParser) isName(names ...string) bool {
	t := p.peek()
	if t.kind != pyName {
		return false
	}
	for _, n := range names {
		if t.text == n {
			return true
		}
	}
	return false
}

func (p *pyParser) syntaxErr() error {
	t := p.peek()
	if t.kind == pyEnd {
		return errors.New("unexpected end of value")
	}
	return fmt.Errorf("invalid syntax at %s", reprString(t.text))
}
