package jinja

import (
	"strings"
)

// Statement parsers, one per tag, ported from jinja2/parser.py.

func (p *parser) parseFor() (node, error) {
	line := p.next().line
	target, err := p.parseAssignTarget(targetOpts{tuple: true, extraEnd: []string{"in"}})
	if err != nil {
		return nil, err
	}
	if _, err := p.expectName("in"); err != nil {
		return nil, err
	}
	iter, err := p.parseTuple(tupleOpts{extraEnd: []string{"recursive"}})
	if err != nil {
		return nil, err
	}
	n := &forNode{target: target, iter: iter, line: line}
	if p.skipName("if") {
		if n.test, err = p.parseExpression(true); err != nil {
			return nil, err
		}
	}
	n.recursive = p.skipName("recursive")
	if n.body, err = p.parseStatements([]string{"endfor", "else"}, false); err != nil {
		return nil, err
	}
	if p.next().val != "endfor" {
		if n.els, err = p.parseStatements([]string{"endfor"}, true); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (p *parser) parseIf() (node, error) {
	n := &ifNode{line: p.next().line}
	for {
		test, err := p.parseTuple(tupleOpts{})
		if err != nil {
			return nil, err
		}
		body, err := p.parseStatements([]string{"elif", "else", "endif"}, false)
		if err != nil {
			return nil, err
		}
		n.tests = append(n.tests, test)
		n.bodies = append(n.bodies, body)
		switch p.next().val {
		case "elif":
			continue
		case "else":
			if n.els, err = p.parseStatements([]string{"endif"}, true); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
}

func (p *parser) parseSet() (node, error) {
	line := p.next().line
	target, err := p.parseAssignTarget(targetOpts{tuple: true, namespace: true})
	if err != nil {
		return nil, err
	}
	if p.skipOp("=") {
		value, err := p.parseTuple(tupleOpts{condExpr: true})
		if err != nil {
			return nil, err
		}
		return &setNode{target: target, value: value, line: line}, nil
	}
	n := &setBlockNode{target: target, line: line}
	if p.isOp("|") {
		f, err := p.parseFilter(nil, false)
		if err != nil {
			return nil, err
		}
		n.filter = f.(*filterExpr)
	}
	if n.body, err = p.parseStatements([]string{"endset"}, true); err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) parseWith() (node, error) {
	n := &withNode{line: p.next().line}
	for p.cur().kind != tBlockEnd {
		if len(n.targets) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		target, err := p.parseAssignTarget(targetOpts{tuple: true})
		if err != nil {
			return nil, err
		}
		if _, err := p.expectOp("="); err != nil {
			return nil, err
		}
		value, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		n.targets = append(n.targets, target)
		n.values = append(n.values, value)
	}
	var err error
	n.body, err = p.parseStatements([]string{"endwith"}, true)
	return n, err
}

func (p *parser) parseBlock() (node, error) {
	line := p.next().line
	name, err := p.expectKind(tName, "name")
	if err != nil {
		return nil, err
	}
	p.skipName("scoped")
	p.skipName("required")
	if p.isOp("-") {
		return nil, p.fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.", p.cur().line)
	}
	body, err := p.parseStatements([]string{"endblock"}, true)
	if err != nil {
		return nil, err
	}
	p.skipName(name.val)
	return &blockNode{body: body, line: line}, nil
}

// parseContext reads an optional "with context" / "without context".
func (p *parser) parseContext(def bool) bool {
	if (p.isName("with") || p.isName("without")) && p.look().kind == tName && p.look().val == "context" {
		with := p.next().val == "with"
		p.next()
		return with
	}
	return def
}

func (p *parser) parseInclude() (node, error) {
	n := &includeNode{line: p.next().line}
	var err error
	if n.template, err = p.parseExpression(true); err != nil {
		return nil, err
	}
	if p.isName("ignore") && p.look().kind == tName && p.look().val == "missing" {
		n.ignoreMissing = true
		p.next()
		p.next()
	}
	n.withContext = p.parseContext(true)
	return n, nil
}

func (p *parser) parseImport() (node, error) {
	n := &importNode{line: p.next().line}
	var err error
	if n.template, err = p.parseExpression(true); err != nil {
		return nil, err
	}
	if _, err := p.expectName("as"); err != nil {
		return nil, err
	}
	t, err := p.expectKind(tName, "name")
	if err != nil {
		return nil, err
	}
	n.target = t.val
	n.withContext = p.parseContext(false)
	return n, nil
}

func (p *parser) parseFrom() (node, error) {
	n := &fromImportNode{line: p.next().line}
	var err error
	if n.template, err = p.parseExpression(true); err != nil {
		return nil, err
	}
	if _, err := p.expectName("import"); err != nil {
		return nil, err
	}
	isContext := func() bool {
		return (p.isName("with") || p.isName("without")) && p.look().kind == tName && p.look().val == "context"
	}
	for {
		if len(n.names) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		if p.cur().kind != tName {
			_, err := p.expectKind(tName, "name")
			return nil, err
		}
		if isContext() {
			n.withContext = p.parseContext(false)
			break
		}
		t := p.next()
		if strings.HasPrefix(t.val, "_") {
			return nil, &Error{Kind: "TemplateAssertionError", Msg: "names starting with an underline can not be imported", Line: t.line}
		}
		alias := t.val
		if p.skipName("as") {
			a, err := p.expectKind(tName, "name")
			if err != nil {
				return nil, err
			}
			alias = a.val
		}
		n.names = append(n.names, [2]string{t.val, alias})
		if isContext() {
			n.withContext = p.parseContext(false)
			break
		}
		if !p.isOp(",") {
			break
		}
	}
	return n, nil
}

func (p *parser) parseSignature() ([]string, []expr, error) {
	var params []string
	var defaults []expr
	if _, err := p.expectOp("("); err != nil {
		return nil, nil, err
	}
	for !p.isOp(")") {
		if len(params) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, nil, err
			}
		}
		t, err := p.expectKind(tName, "name")
		if err != nil {
			return nil, nil, err
		}
		if p.skipOp("=") {
			d, err := p.parseExpression(true)
			if err != nil {
				return nil, nil, err
			}
			defaults = append(defaults, d)
		} else if len(defaults) > 0 {
			return nil, nil, p.fail("non-default argument follows default argument", p.cur().line)
		}
		params = append(params, t.val)
	}
	p.next()
	return params, defaults, nil
}

func (p *parser) parseMacro() (node, error) {
	line := p.next().line
	name, err := p.expectKind(tName, "name")
	if err != nil {
		return nil, err
	}
	n := &macroNode{name: name.val, line: line}
	if n.params, n.defaults, err = p.parseSignature(); err != nil {
		return nil, err
	}
	n.body, err = p.parseStatements([]string{"endmacro"}, true)
	return n, err
}

func (p *parser) parseCallBlock() (node, error) {
	n := &callBlockNode{line: p.next().line}
	var err error
	if p.isOp("(") {
		if n.params, n.defaults, err = p.parseSignature(); err != nil {
			return nil, err
		}
	}
	x, err := p.parseExpression(true)
	if err != nil {
		return nil, err
	}
	call, ok := x.(*callExpr)
	if !ok {
		return nil, p.fail("expected call", n.line)
	}
	n.call = call
	n.body, err = p.parseStatements([]string{"endcall"}, true)
	return n, err
}

func (p *parser) parseFilterBlock() (node, error) {
	n := &filterBlockNode{line: p.next().line}
	f, err := p.parseFilter(nil, true)
	if err != nil {
		return nil, err
	}
	n.filter = f.(*filterExpr)
	n.body, err = p.parseStatements([]string{"endfilter"}, true)
	return n, err
}

type targetOpts struct {
	tuple     bool
	nameOnly  bool
	namespace bool
	extraEnd  []string
}

// parseAssignTarget parses what may stand left of "=" in set/for/with.
func (p *parser) parseAssignTarget(o targetOpts) (expr, error) {
	if o.namespace && p.cur().kind == tName && p.look().kind == tOp && p.look().val == "." {
		t := p.next()
		p.next()
		attr, err := p.expectKind(tName, "name")
		if err != nil {
			return nil, err
		}
		return &nsRef{name: t.val, attr: attr.val, line: t.line}, nil
	}
	var target expr
	var err error
	if o.nameOnly {
		t, err := p.expectKind(tName, "name")
		if err != nil {
			return nil, err
		}
		return &nameExpr{name: t.val, line: t.line}, nil
	}
	if o.tuple {
		target, err = p.parseTuple(tupleOpts{simplified: true, extraEnd: o.extraEnd})
	} else {
		target, err = p.parsePrimary()
	}
	if err != nil {
		return nil, err
	}
	if err := p.checkAssignable(target); err != nil {
		return nil, err
	}
	return target, nil
}

func (p *parser) checkAssignable(target expr) error {
	switch t := target.(type) {
	case *nameExpr:
		switch t.name {
		case "true", "false", "none", "True", "False", "None":
			return p.fail("can't assign to 'const'", t.line)
		}
		return nil
	case *tupleExpr:
		for _, item := range t.items {
			if err := p.checkAssignable(item); err != nil {
				return err
			}
		}
		return nil
	case *constExpr:
		return p.fail("can't assign to 'const'", t.line)
	}
	name := "expr"
	switch target.(type) {
	case *listExpr:
		name = "list"
	case *dictExpr:
		name = "dict"
	}
	return p.fail("can't assign to '"+name+"'", target.pos())
}
