package jinja

// Expression parsing: a port of the parse_* expression methods of
// jinja2/parser.py, keeping its precedence (condexpr < or < and < not <
// comparisons < + - < ~ < * / // % < ** < unary < postfix/filters).

type tupleOpts struct {
	simplified bool // only names and literals (assignment targets)
	condExpr   bool
	extraEnd   []string // names that end a bare tuple, like "in"
	explicit   bool     // inside parentheses: "()" is an empty tuple
}

func (p *parser) isTupleEnd(extra []string) bool {
	t := p.cur()
	switch {
	case t.kind == tVarEnd || t.kind == tBlockEnd || t.kind == tOp && t.val == ")":
		return true
	case t.kind == tName && hasString(extra, t.val):
		return true
	}
	return false
}

func (p *parser) parseTuple(o tupleOpts) (expr, error) {
	line := p.cur().line
	parse := func() (expr, error) {
		switch {
		case o.simplified:
			return p.parsePrimary()
		case o.condExpr:
			return p.parseExpression(true)
		}
		return p.parseExpression(false)
	}
	var items []expr
	isTuple := false
	for {
		if len(items) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		if p.isTupleEnd(o.extraEnd) {
			break
		}
		x, err := parse()
		if err != nil {
			return nil, err
		}
		items = append(items, x)
		if !p.isOp(",") {
			break
		}
		isTuple = true
		line = p.cur().line
	}
	if !isTuple {
		if len(items) > 0 {
			return items[0], nil
		}
		if !o.explicit {
			return nil, p.fail("Expected an expression, got '"+p.cur().describe()+"'", p.cur().line)
		}
	}
	return &tupleExpr{items: items, line: line}, nil
}

func (p *parser) parseExpression(withCond bool) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if withCond {
		return p.parseCondExpr()
	}
	return p.parseOr()
}

func (p *parser) parseCondExpr() (expr, error) {
	line := p.cur().line
	x, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	for p.skipName("if") {
		test, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		var els expr
		if p.skipName("else") {
			if els, err = p.parseCondExpr(); err != nil {
				return nil, err
			}
		}
		x = &condExpr{test: test, then: x, els: els, line: line}
		line = p.cur().line
	}
	return x, nil
}

func (p *parser) parseOr() (expr, error) {
	line := p.cur().line
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.skipName("or") {
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "or", l: l, r: r, line: line}
		line = p.cur().line
	}
	return l, nil
}

func (p *parser) parseAnd() (expr, error) {
	line := p.cur().line
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.skipName("and") {
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "and", l: l, r: r, line: line}
		line = p.cur().line
	}
	return l, nil
}

func (p *parser) parseNot() (expr, error) {
	if p.isName("not") {
		line := p.next().line
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: "not", x: x, line: line}, nil
	}
	return p.parseCompare()
}

var compareOps = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) parseCompare() (expr, error) {
	line := p.cur().line
	x, err := p.parseMath1()
	if err != nil {
		return nil, err
	}
	var ops []string
	var rest []expr
	for {
		t := p.cur()
		var op string
		switch {
		case t.kind == tOp && compareOps[t.val]:
			p.next()
			op = t.val
		case p.skipName("in"):
			op = "in"
		case p.isName("not") && p.look().kind == tName && p.look().val == "in":
			p.next()
			p.next()
			op = "not in"
		}
		if op == "" {
			break
		}
		r, err := p.parseMath1()
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
		rest = append(rest, r)
		line = p.cur().line
	}
	if len(ops) == 0 {
		return x, nil
	}
	return &compareExpr{first: x, ops: ops, rest: rest, line: line}, nil
}

func (p *parser) parseMath1() (expr, error) {
	line := p.cur().line
	l, err := p.parseConcat()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.next().val
		r, err := p.parseConcat()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: op, l: l, r: r, line: line}
		line = p.cur().line
	}
	return l, nil
}

func (p *parser) parseConcat() (expr, error) {
	line := p.cur().line
	x, err := p.parseMath2()
	if err != nil {
		return nil, err
	}
	parts := []expr{x}
	for p.skipOp("~") {
		x, err := p.parseMath2()
		if err != nil {
			return nil, err
		}
		parts = append(parts, x)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &concatExpr{parts: parts, line: line}, nil
}

func (p *parser) parseMath2() (expr, error) {
	line := p.cur().line
	l, err := p.parsePow()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%") {
		op := p.next().val
		r, err := p.parsePow()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: op, l: l, r: r, line: line}
		line = p.cur().line
	}
	return l, nil
}

func (p *parser) parsePow() (expr, error) {
	line := p.cur().line
	l, err := p.parseUnary(true)
	if err != nil {
		return nil, err
	}
	for p.skipOp("**") {
		r, err := p.parseUnary(true)
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "**", l: l, r: r, line: line}
		line = p.cur().line
	}
	return l, nil
}

func (p *parser) parseUnary(withFilter bool) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.cur()
	var x expr
	var err error
	if t.kind == tOp && (t.val == "-" || t.val == "+") {
		p.next()
		inner, err := p.parseUnary(false)
		if err != nil {
			return nil, err
		}
		x = &unaryExpr{op: t.val, x: inner, line: t.line}
	} else if x, err = p.parsePrimary(); err != nil {
		return nil, err
	}
	if x, err = p.parsePostfix(x); err != nil {
		return nil, err
	}
	if withFilter {
		return p.parseFilterExpr(x)
	}
	return x, nil
}

func (p *parser) parsePrimary() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.cur()
	switch t.kind {
	case tName:
		p.next()
		switch t.val {
		case "true", "True":
			return &constExpr{val: true, line: t.line}, nil
		case "false", "False":
			return &constExpr{val: false, line: t.line}, nil
		case "none", "None":
			return &constExpr{val: nil, line: t.line}, nil
		}
		return &nameExpr{name: t.val, line: t.line}, nil
	case tString:
		p.next()
		s := t.val
		for p.cur().kind == tString {
			s += p.next().val
		}
		return &constExpr{val: s, line: t.line}, nil
	case tInt, tFloat:
		p.next()
		return &constExpr{val: t.num, line: t.line}, nil
	case tOp:
		switch t.val {
		case "(":
			p.next()
			x, err := p.parseTuple(tupleOpts{condExpr: true, explicit: true})
			if err != nil {
				return nil, err
			}
			if _, err := p.expectOp(")"); err != nil {
				return nil, err
			}
			return x, nil
		case "[":
			return p.parseList()
		case "{":
			return p.parseDict()
		}
	}
	return nil, p.fail("unexpected '"+t.describe()+"'", t.line)
}

func (p *parser) parseList() (expr, error) {
	t := p.next()
	n := &listExpr{line: t.line}
	for !p.isOp("]") {
		if len(n.items) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		if p.isOp("]") {
			break
		}
		x, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, x)
	}
	if _, err := p.expectOp("]"); err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) parseDict() (expr, error) {
	t := p.next()
	n := &dictExpr{line: t.line}
	for !p.isOp("}") {
		if len(n.keys) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		if p.isOp("}") {
			break
		}
		k, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		if _, err := p.expectOp(":"); err != nil {
			return nil, err
		}
		v, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, v)
	}
	if _, err := p.expectOp("}"); err != nil {
		return nil, err
	}
	return n, nil
}
