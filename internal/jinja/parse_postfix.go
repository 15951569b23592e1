package jinja

// Postfix expression parsing: subscripts, slices, calls, filters and
// tests (jinja2/parser.py parse_postfix and friends).

func (p *parser) parsePostfix(x expr) (expr, error) {
	for {
		var err error
		switch {
		case p.isOp(".") || p.isOp("["):
			x, err = p.parseSubscript(x)
		case p.isOp("("):
			x, err = p.parseCall(x)
		default:
			return x, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseFilterExpr(x expr) (expr, error) {
	for {
		var err error
		switch {
		case p.isOp("|"):
			x, err = p.parseFilter(x, false)
		case p.isName("is"):
			x, err = p.parseTest(x)
		case p.isOp("("):
			x, err = p.parseCall(x)
		default:
			return x, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseSubscript(x expr) (expr, error) {
	t := p.next()
	if t.val == "." {
		a := p.next()
		switch a.kind {
		case tName:
			return &getattrExpr{obj: x, attr: a.val, line: t.line}, nil
		case tInt:
			return &getitemExpr{obj: x, key: &constExpr{val: a.num, line: a.line}, line: t.line}, nil
		}
		return nil, p.fail("expected name or number", a.line)
	}
	var args []expr
	for !p.isOp("]") {
		if len(args) > 0 {
			if _, err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		a, err := p.parseSubscribed()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	if _, err := p.expectOp("]"); err != nil {
		return nil, err
	}
	if len(args) == 1 {
		return &getitemExpr{obj: x, key: args[0], line: t.line}, nil
	}
	return &getitemExpr{obj: x, key: &tupleExpr{items: args, line: t.line}, line: t.line}, nil
}

func (p *parser) parseSubscribed() (expr, error) {
	line := p.cur().line
	var parts []expr
	if p.skipOp(":") {
		parts = []expr{nil}
	} else {
		x, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		if !p.isOp(":") {
			return x, nil
		}
		p.next()
		parts = []expr{x}
	}
	if p.isOp(":") || p.isOp("]") || p.isOp(",") {
		parts = append(parts, nil)
	} else {
		x, err := p.parseExpression(true)
		if err != nil {
			return nil, err
		}
		parts = append(parts, x)
	}
	if p.skipOp(":") {
		if p.isOp("]") || p.isOp(",") {
			parts = append(parts, nil)
		} else {
			x, err := p.parseExpression(true)
			if err != nil {
				return nil, err
			}
			parts = append(parts, x)
		}
	} else {
		parts = append(parts, nil)
	}
	return &sliceExpr{start: parts[0], stop: parts[1], step: parts[2], line: line}, nil
}

func (p *parser) parseCallArgs() (callArgs, error) {
	var a callArgs
	open, err := p.expectOp("(")
	if err != nil {
		return a, err
	}
	bad := func() error { return p.fail("invalid syntax for function call expression", open.line) }
	needComma := false
	for !p.isOp(")") {
		if needComma {
			if _, err := p.expectOp(","); err != nil {
				return a, err
			}
			if p.isOp(")") {
				break
			}
		}
		switch {
		case p.isOp("*"):
			if a.dynArgs != nil || a.dynKwargs != nil {
				return a, bad()
			}
			p.next()
			if a.dynArgs, err = p.parseExpression(true); err != nil {
				return a, err
			}
		case p.isOp("**"):
			if a.dynKwargs != nil {
				return a, bad()
			}
			p.next()
			if a.dynKwargs, err = p.parseExpression(true); err != nil {
				return a, err
			}
		case p.cur().kind == tName && p.look().kind == tOp && p.look().val == "=":
			if a.dynKwargs != nil {
				return a, bad()
			}
			name := p.next().val
			p.next()
			v, err := p.parseExpression(true)
			if err != nil {
				return a, err
			}
			a.kwargs = append(a.kwargs, kwExpr{name: name, val: v})
		default:
			if a.dynArgs != nil || a.dynKwargs != nil || len(a.kwargs) > 0 {
				return a, bad()
			}
			v, err := p.parseExpression(true)
			if err != nil {
				return a, err
			}
			a.args = append(a.args, v)
		}
		needComma = true
	}
	p.next()
	return a, nil
}

func (p *parser) parseCall(x expr) (expr, error) {
	line := p.cur().line
	args, err := p.parseCallArgs()
	if err != nil {
		return nil, err
	}
	return &callExpr{fn: x, args: args, line: line}, nil
}

// parseFilter parses "| name(args)" chains; startInline is for the
// {% filter %} tag, whose first filter has no leading pipe.
func (p *parser) parseFilter(x expr, startInline bool) (expr, error) {
	for p.isOp("|") || startInline {
		if !startInline {
			p.next()
		}
		startInline = false
		t, err := p.expectKind(tName, "name")
		if err != nil {
			return nil, err
		}
		name := t.val
		for p.skipOp(".") {
			part, err := p.expectKind(tName, "name")
			if err != nil {
				return nil, err
			}
			name += "." + part.val
		}
		f := &filterExpr{node: x, name: name, line: t.line}
		if p.isOp("(") {
			if f.args, err = p.parseCallArgs(); err != nil {
				return nil, err
			}
		}
		x = f
	}
	return x, nil
}

func (p *parser) parseTest(x expr) (expr, error) {
	t := p.next()
	negated := p.skipName("not")
	nt, err := p.expectKind(tName, "name")
	if err != nil {
		return nil, err
	}
	name := nt.val
	for p.skipOp(".") {
		part, err := p.expectKind(tName, "name")
		if err != nil {
			return nil, err
		}
		name += "." + part.val
	}
	n := &testExpr{node: x, name: name, line: t.line}
	c := p.cur()
	switch {
	case p.isOp("("):
		if n.args, err = p.parseCallArgs(); err != nil {
			return nil, err
		}
	case (c.kind == tName || c.kind == tString || c.kind == tInt || c.kind == tFloat ||
		c.kind == tOp && (c.val == "[" || c.val == "{")) &&
		!(c.kind == tName && (c.val == "else" || c.val == "or" || c.val == "and")):
		if p.isName("is") {
			return nil, p.fail("You cannot chain multiple tests with is", c.line)
		}
		arg, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		if arg, err = p.parsePostfix(arg); err != nil {
			return nil, err
		}
		n.args.args = []expr{arg}
	}
	if negated {
		return &unaryExpr{op: "not", x: n, line: t.line}, nil
	}
	return n, nil
}
