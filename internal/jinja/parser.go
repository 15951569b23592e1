package jinja

import (
	"strings"
)

// parser turns tokens into statements, following jinja2/parser.py so that
// the same templates are accepted and the same syntax errors reported.
// Only the tags Cylc's Environment enables exist: the built-in statements
// plus "do" (jinja2.ext.do); "break"/"continue" are unknown tags, as in Cylc.
type parser struct {
	toks     []token
	i        int
	tagStack []string   // statements being parsed, for error messages
	endStack [][]string // end tags subparse is looking for
	depth    int
}

// maxNesting bounds expression and statement nesting so hostile input
// cannot exhaust the stack; Python's own parser has a similar limit.
const maxNesting = 200

func parse(src string, firstLine int) ([]node, error) {
	toks, err := tokenize(src, firstLine)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	body, err := p.subparse(nil)
	if err != nil {
		return nil, err
	}
	return body, nil
}

func (p *parser) cur() token { return p.toks[p.i] }

func (p *parser) look() token {
	if p.i+1 < len(p.toks) {
		return p.toks[p.i+1]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) isName(val string) bool {
	t := p.cur()
	return t.kind == tName && t.val == val
}

func (p *parser) isOp(val string) bool {
	t := p.cur()
	return t.kind == tOp && t.val == val
}

func (p *parser) skipName(val string) bool {
	if p.isName(val) {
		p.next()
		return true
	}
	return false
}

func (p *parser) skipOp(val string) bool {
	if p.isOp(val) {
		p.next()
		return true
	}
	return false
}

func (p *parser) fail(msg string, line int) error {
	return &Error{Kind: "TemplateSyntaxError", Msg: msg, Line: line}
}

// expectFail reports a token that is not the expected one, worded as
// Jinja2's TokenStream.expect words it.
func (p *parser) expectFail(want string) error {
	t := p.cur()
	if t.kind == tEOF {
		return p.fail("unexpected end of template, expected '"+want+"'.", t.line)
	}
	return p.fail("expected token '"+want+"', got '"+t.describe()+"'", t.line)
}

func (p *parser) expectOp(op string) (token, error) {
	if !p.isOp(op) {
		return token{}, p.expectFail(op)
	}
	return p.next(), nil
}

func (p *parser) expectName(val string) (token, error) {
	if !p.isName(val) {
		return token{}, p.expectFail(val)
	}
	return p.next(), nil
}

func (p *parser) expectKind(kind tokKind, desc string) (token, error) {
	if p.cur().kind != kind {
		return token{}, p.expectFail(desc)
	}
	return p.next(), nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxNesting {
		return p.fail("template is nested too deeply", p.cur().line)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// subparse reads template data, prints and statements until one of the end
// tags (or the end of the template when endTags is nil).
func (p *parser) subparse(endTags []string) ([]node, error) {
	if endTags != nil {
		p.endStack = append(p.endStack, endTags)
		defer func() { p.endStack = p.endStack[:len(p.endStack)-1] }()
	}
	var body []node
	var out *outputNode
	flush := func() {
		if out != nil {
			body = append(body, out)
			out = nil
		}
	}
	add := func(item any, line int) {
		if out == nil {
			out = &outputNode{line: line}
		}
		out.items = append(out.items, item)
	}
	for p.cur().kind != tEOF {
		t := p.cur()
		switch t.kind {
		case tData:
			add(t.val, t.line)
			p.next()
		case tVarBegin:
			p.next()
			x, err := p.parseTuple(tupleOpts{condExpr: true})
			if err != nil {
				return nil, err
			}
			add(x, t.line)
			if _, err := p.expectKind(tVarEnd, "end of print statement"); err != nil {
				return nil, err
			}
		case tBlockBegin:
			flush()
			p.next()
			if endTags != nil && p.cur().kind == tName && hasString(endTags, p.cur().val) {
				return body, nil
			}
			st, err := p.parseStatement()
			if err != nil {
				return nil, err
			}
			if st != nil {
				body = append(body, st)
			}
			if _, err := p.expectKind(tBlockEnd, "end of statement block"); err != nil {
				return nil, err
			}
		default:
			return nil, p.fail("unexpected '"+t.describe()+"'", t.line)
		}
	}
	flush()
	return body, nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// failUnknown builds Jinja2's "unknown tag" / "unexpected end" message.
func (p *parser) failUnknown(name string, stack [][]string, line int) error {
	var msg []string
	if name == "" {
		msg = append(msg, "Unexpected end of template.")
	} else {
		msg = append(msg, "Encountered unknown tag '"+name+"'.")
	}
	if len(stack) > 0 {
		looking := make([]string, len(stack[len(stack)-1]))
		for i, t := range stack[len(stack)-1] {
			looking[i] = "'" + t + "'"
		}
		expected := false
		for _, tags := range stack {
			if hasString(tags, name) {
				expected = true
			}
		}
		if name != "" && expected {
			msg = append(msg, "You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for "+strings.Join(looking, " or ")+".")
		} else {
			msg = append(msg, "Jinja was looking for the following tags: "+strings.Join(looking, " or ")+".")
		}
	}
	if len(p.tagStack) > 0 {
		msg = append(msg, "The innermost block that needs to be closed is '"+p.tagStack[len(p.tagStack)-1]+"'.")
	}
	return p.fail(strings.Join(msg, " "), line)
}

func (p *parser) parseStatement() (node, error) {
	t := p.cur()
	if t.kind != tName {
		return nil, p.fail("tag name expected", t.line)
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.tagStack = append(p.tagStack, t.val)
	defer func() { p.tagStack = p.tagStack[:len(p.tagStack)-1] }()
	switch t.val {
	case "for":
		return p.parseFor()
	case "if":
		return p.parseIf()
	case "set":
		return p.parseSet()
	case "macro":
		return p.parseMacro()
	case "call":
		return p.parseCallBlock()
	case "filter":
		return p.parseFilterBlock()
	case "with":
		return p.parseWith()
	case "include":
		return p.parseInclude()
	case "import":
		return p.parseImport()
	case "from":
		return p.parseFrom()
	case "do":
		p.next()
		x, err := p.parseTuple(tupleOpts{condExpr: true})
		if err != nil {
			return nil, err
		}
		return &doNode{x: x, line: t.line}, nil
	case "print":
		p.next()
		out := &outputNode{line: t.line}
		for p.cur().kind != tBlockEnd {
			if len(out.items) > 0 {
				if _, err := p.expectOp(","); err != nil {
					return nil, err
				}
			}
			x, err := p.parseExpression(true)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, x)
		}
		return out, nil
	case "block":
		return p.parseBlock()
	case "extends", "autoescape":
		return nil, p.fail("the '"+t.val+"' tag is not supported by gyre (Cylc workflows have no template inheritance or autoescaping)", t.line)
	}
	p.tagStack = p.tagStack[:len(p.tagStack)-1]
	err := p.failUnknown(t.val, p.endStack, t.line)
	p.tagStack = append(p.tagStack, t.val)
	return nil, err
}

// parseStatements parses a statement body up to one of endTags, leaving the
// end tag's name as the current token (or consuming it with dropNeedle).
func (p *parser) parseStatements(endTags []string, dropNeedle bool) ([]node, error) {
	p.skipOp(":")
	if _, err := p.expectKind(tBlockEnd, "end of statement block"); err != nil {
		return nil, err
	}
	body, err := p.subparse(endTags)
	if err != nil {
		return nil, err
	}
	if p.cur().kind == tEOF {
		stack := append(append([][]string{}, p.endStack...), endTags)
		return nil, p.failUnknown("", stack, p.cur().line)
	}
	if dropNeedle {
		p.next()
	}
	return body, nil
}
