package jinja

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer follows Jinja2's own rules (jinja2/lexer.py) for the environment
// Cylc builds: default delimiters, no trim_blocks, no lstrip_blocks, no line
// statements, newline sequence "\n" and the single trailing newline dropped.
// Matching it rule for rule is what makes whitespace control, string escapes
// and error messages come out as Cylc users see them.

type tokKind int

const (
	tEOF tokKind = iota
	tData
	tBlockBegin
	tBlockEnd
	tVarBegin
	tVarEnd
	tName
	tString
	tInt
	tFloat
	tOp
)

type token struct {
	kind tokKind
	val  string // data text, name, decoded string, operator, or number text
	num  any    // int or float64 for number tokens
	line int
}

// describe names a token the way Jinja2's describe_token does, for messages.
func (t token) describe() string {
	switch t.kind {
	case tName, tOp:
		return t.val
	case tString:
		return "string"
	case tInt:
		return "integer"
	case tFloat:
		return "float"
	case tData:
		return "template data / text"
	case tBlockBegin:
		return "begin of statement block"
	case tBlockEnd:
		return "end of statement block"
	case tVarBegin:
		return "begin of print statement"
	case tVarEnd:
		return "end of print statement"
	}
	return "end of template"
}

// operators in longest-first order, as Jinja2's operator regex tries them.
var operators = []string{
	"**", "//", "==", "!=", ">=", "<=",
	"+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}",
	">", "<", "=", ".", ":", "|", ",", ";",
}

type lexer struct {
	src   string
	pos   int
	line  int
	toks  []token
	stack []byte // open brackets awaiting their closer
}

// normalizeSource converts \r\n and \r to \n and drops one trailing newline,
// as Jinja2 does with keep_trailing_newline off.
func normalizeSource(src string) string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	return strings.TrimSuffix(src, "\n")
}

// tokenize splits template source into tokens, numbering lines from
// firstLine. Errors are *Error values of kind TemplateSyntaxError carrying
// the line.
func tokenize(src string, firstLine int) ([]token, error) {
	lx := &lexer{src: normalizeSource(src), line: firstLine}
	if err := lx.run(); err != nil {
		return nil, err
	}
	// Like Jinja2's TokenStream, the end token carries the last token's line.
	eofLine := firstLine
	if n := len(lx.toks); n > 0 {
		eofLine = lx.toks[n-1].line
	}
	lx.toks = append(lx.toks, token{kind: tEOF, line: eofLine})
	return lx.toks, nil
}

func (lx *lexer) fail(msg string) error {
	return &Error{Kind: "TemplateSyntaxError", Msg: msg, Line: lx.line}
}

func (lx *lexer) emit(kind tokKind, val string) {
	lx.toks = append(lx.toks, token{kind: kind, val: val, line: lx.line})
}

// advance moves past text, counting the newlines it contains.
func (lx *lexer) advance(text string) {
	lx.pos += len(text)
	lx.line += strings.Count(text, "\n")
}

// tagStart finds the next "{{", "{%" or "{#" at or after pos.
func (lx *lexer) tagStart() int {
	for i := lx.pos; i+1 < len(lx.src); i++ {
		if lx.src[i] == '{' {
			switch lx.src[i+1] {
			case '{', '%', '#':
				return i
			}
		}
	}
	return -1
}

// sign reads an optional whitespace-control sign ("-" or "+") at i.
func (lx *lexer) sign(i int) string {
	if i < len(lx.src) && (lx.src[i] == '-' || lx.src[i] == '+') {
		return lx.src[i : i+1]
	}
	return ""
}

func (lx *lexer) run() error {
	for lx.pos < len(lx.src) {
		start := lx.tagStart()
		if start < 0 {
			lx.emit(tData, lx.src[lx.pos:])
			lx.advance(lx.src[lx.pos:])
			return nil
		}
		data := lx.src[lx.pos:start]
		kind := lx.src[start+1]
		sign := lx.sign(start + 2)
		rawEnd := -1
		if kind == '%' {
			rawEnd = lx.rawBegin(start + 2 + len(sign))
		}
		// "{%-" strips all whitespace (newlines included) before the tag;
		// the stripped newlines still count for line numbers.
		stripped := data
		if sign == "-" {
			stripped = strings.TrimRightFunc(data, isPySpace)
		}
		if stripped != "" {
			lx.emit(tData, stripped)
		}
		lx.advance(data)
		switch {
		case rawEnd >= 0:
			lx.advance(lx.src[start:rawEnd])
			if err := lx.raw(); err != nil {
				return err
			}
		case kind == '#':
			if err := lx.comment(start + 2 + len(sign)); err != nil {
				return err
			}
		default:
			begin := tBlockBegin
			if kind == '{' {
				begin = tVarBegin
			}
			lx.emit(begin, lx.src[start:start+2+len(sign)])
			lx.advance(lx.src[start : start+2+len(sign)])
			if err := lx.tag(begin == tBlockBegin); err != nil {
				return err
			}
		}
	}
	return nil
}

// rawBegin matches `\s*raw\s*(-%}\s*|%})` at i and returns where the raw
// block's content starts, or -1.
func (lx *lexer) rawBegin(i int) int {
	i = lx.skipSpace(i)
	if !strings.HasPrefix(lx.src[i:], "raw") {
		return -1
	}
	i = lx.skipSpace(i + 3)
	switch {
	case strings.HasPrefix(lx.src[i:], "-%}"):
		return lx.skipSpace(i + 3)
	case strings.HasPrefix(lx.src[i:], "%}"):
		return i + 2
	}
	return -1
}

func (lx *lexer) skipSpace(i int) int {
	for i < len(lx.src) {
		r, n := utf8.DecodeRuneInString(lx.src[i:])
		if !isPySpace(r) {
			break
		}
		i += n
	}
	return i
}

// raw emits the content of {% raw %}...{% endraw %} as data.
func (lx *lexer) raw() error {
	for i := lx.pos; i+1 < len(lx.src); i++ {
		if lx.src[i] != '{' || lx.src[i+1] != '%' {
			continue
		}
		sign := lx.sign(i + 2)
		j := lx.skipSpace(i + 2 + len(sign))
		if !strings.HasPrefix(lx.src[j:], "endraw") {
			continue
		}
		j = lx.skipSpace(j + len("endraw"))
		var end int
		switch {
		case strings.HasPrefix(lx.src[j:], "+%}"):
			end = j + 3
		case strings.HasPrefix(lx.src[j:], "-%}"):
			end = lx.skipSpace(j + 3)
		case strings.HasPrefix(lx.src[j:], "%}"):
			end = j + 2
		default:
			continue
		}
		data := lx.src[lx.pos:i]
		if sign == "-" {
			data = strings.TrimRightFunc(data, isPySpace)
		}
		if data != "" {
			lx.emit(tData, data)
		}
		lx.advance(lx.src[lx.pos:end])
		return nil
	}
	return lx.fail("Missing end of raw directive")
}

// comment skips a {# ... #} comment whose body starts at i.
func (lx *lexer) comment(i int) error {
	for j := i; j+1 < len(lx.src); j++ {
		if lx.src[j] != '#' || lx.src[j+1] != '}' {
			continue
		}
		end := j + 2
		if j > i && lx.src[j-1] == '-' {
			end = lx.skipSpace(end)
		}
		lx.advance(lx.src[lx.pos:end])
		return nil
	}
	return lx.fail("Missing end of comment tag")
}

// tag lexes the inside of {% ... %} (block) or {{ ... }} (variable) up to
// and including its end delimiter.
func (lx *lexer) tag(block bool) error {
	lx.stack = lx.stack[:0]
	for lx.pos < len(lx.src) {
		rest := lx.src[lx.pos:]
		if len(lx.stack) == 0 {
			if end := tagEnd(rest, block); end > 0 {
				kind := tVarEnd
				if block {
					kind = tBlockEnd
				}
				lx.emit(kind, strings.TrimRightFunc(rest[:end], isPySpace))
				lx.advance(rest[:end])
				return nil
			}
		}
		r, n := utf8.DecodeRuneInString(rest)
		switch {
		case isPySpace(r):
			j := lx.skipSpace(lx.pos)
			lx.advance(lx.src[lx.pos:j])
		case r >= '0' && r <= '9':
			if err := lx.number(); err != nil {
				return err
			}
		case r == '_' || unicode.IsLetter(r):
			j := lx.pos + n
			for j < len(lx.src) {
				r2, n2 := utf8.DecodeRuneInString(lx.src[j:])
				if r2 != '_' && !unicode.IsLetter(r2) && !unicode.IsDigit(r2) {
					break
				}
				j += n2
			}
			lx.emit(tName, lx.src[lx.pos:j])
			lx.advance(lx.src[lx.pos:j])
		case r == '\'' || r == '"':
			if err := lx.str(r); err != nil {
				return err
			}
		default:
			if err := lx.operator(); err != nil {
				return err
			}
		}
	}
	// Ran off the end inside a tag: the parser reports the missing end.
	return nil
}

// tagEnd returns the length of a tag-closing delimiter at the start of s
// (with any whitespace a "-" sign swallows), or 0.
func tagEnd(s string, block bool) int {
	closer := "}}"
	if block {
		closer = "%}"
		if strings.HasPrefix(s, "+%}") {
			return 3
		}
	}
	if strings.HasPrefix(s, "-"+closer) {
		n := 3
		for n < len(s) {
			r, w := utf8.DecodeRuneInString(s[n:])
			if !isPySpace(r) {
				break
			}
			n += w
		}
		return n
	}
	if strings.HasPrefix(s, closer) {
		return 2
	}
	return 0
}

func (lx *lexer) operator() error {
	rest := lx.src[lx.pos:]
	for _, op := range operators {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		switch op {
		case "(", "[", "{":
			lx.stack = append(lx.stack, map[string]byte{"(": ')', "[": ']', "{": '}'}[op])
		case ")", "]", "}":
			if len(lx.stack) == 0 {
				return lx.fail("unexpected '" + op + "'")
			}
			want := lx.stack[len(lx.stack)-1]
			lx.stack = lx.stack[:len(lx.stack)-1]
			if want != op[0] {
				return lx.fail("unexpected '" + op + "', expected '" + string(want) + "'")
			}
		}
		lx.emit(tOp, op)
		lx.advance(op)
		return nil
	}
	r, _ := utf8.DecodeRuneInString(rest)
	at := utf8.RuneCountInString(lx.src[:lx.pos])
	return lx.fail("unexpected char " + reprString(string(r)) + " at " + strconv.Itoa(at))
}

// str lexes a quoted string literal and decodes its escapes as Jinja2 does
// (Python's unicode-escape codec).
func (lx *lexer) str(quote rune) error {
	rest := lx.src[lx.pos:]
	for i := 1; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			i++
		case byte(quote):
			body := rest[1:i]
			val, err := unescapePython(body)
			if err != nil {
				return lx.fail(err.Error())
			}
			lx.emit(tString, val)
			lx.advance(rest[:i+1])
			return nil
		}
	}
	at := utf8.RuneCountInString(lx.src[:lx.pos])
	return lx.fail("unexpected char " + reprString(string(quote)) + " at " + strconv.Itoa(at))
}

// isPySpace reports whether Python's str.isspace/\s treats r as whitespace.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}
