package jinja

import (
	"errors"
	"fmt"
	"strings"
)

// A reader for the part of Python's expression grammar that --set values
// use: literals are evaluated, anything else valid becomes a
// notLiteralValue so that Cylc's two error hints can be told apart.

var pyKeywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "is": true, "if": true, "else": true,
	"for": true, "lambda": true, "await": true, "yield": true, "import": true, "from": true, "as": true, "def": true,
	"class": true, "return": true, "pass": true, "del": true, "global": true, "with": true, "while": true, "try": true,
	"except": true, "finally": true, "raise": true, "assert": true, "break": true, "continue": true, "elif": true,
	"nonlocal": true}

// expr parses a whole expression (a bare "1, 2" is a tuple, as
// literal_eval treats it).
func (p *pyParser) expr() (any, error) {
	first, err := p.test()
	if err != nil {
		return nil, err
	}
	if !p.isOp(",") {
		return first, nil
	}
	items := []any{first}
	for p.isOp(",") {
		p.next()
		if p.peek().kind == pyEnd || p.isOp(")", "]", "}") {
			break
		}
		v, err := p.test()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return literalTuple(items), nil
}

func literalTuple(items []any) any {
	for _, it := range items {
		if n, ok := it.(notLiteralValue); ok {
			return n
		}
	}
	return Tuple(items)
}

// test parses a conditional expression or lambda-free boolean expression;
// anything beyond a literal becomes a notLiteralValue.
func (p *pyParser) test() (any, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNesting {
		return nil, errors.New("value is nested too deeply")
	}
	if p.isName("lambda") {
		return nil, notLiteral("lambda is not a literal")
	}
	v, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if p.isName("if") {
		p.next()
		if _, err := p.binary(0); err != nil {
			return nil, err
		}
		if !p.isName("else") {
			return nil, p.syntaxErr()
		}
		p.next()
		if _, err := p.test(); err != nil {
			return nil, err
		}
		return notLiteralValue("conditional expression"), nil
	}
	return v, nil
}

// binary parses operators by precedence level; only unary +/- on numbers
// can still be a literal.
var pyBinLevels = [][]string{{"or"}, {"and"}, {"not"}, {"<", ">", "==", ">=", "<=", "!=", "in", "not in", "is", "is not"}, {"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "@", "/", "//", "%"}}

func (p *pyParser) binary(level int) (any, error) {
	if level == len(pyBinLevels) {
		return p.unary()
	}
	if level == 2 && p.isName("not") {
		p.next()
		if _, err := p.binary(level); err != nil {
			return nil, err
		}
		return notLiteralValue("not"), nil
	}
	left, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		matched := false
		for _, op := range pyBinLevels[level] {
			switch op {
			case "not":
				continue
			case "not in":
				if p.isName("not") && p.i+1 < len(p.toks) && p.toks[p.i+1].text == "in" {
					p.next()
					matched = true
				}
			case "is not", "is", "in", "and", "or":
				if p.isName(strings.Fields(op)[0]) {
					matched = true
				}
			default:
				matched = p.isOp(op)
			}
			if matched {
				break
			}
		}
		if !matched {
			return left, nil
		}
		p.next()
		if p.isName("not") && level == 3 {
			p.next()
		}
		if _, err := p.binary(level + 1); err != nil {
			return nil, err
		}
		left = notLiteralValue("operator")
	}
}

func (p *pyParser) unary() (any, error) {
	if p.isOp("+", "-", "~") {
		op := p.next().text
		start := p.i
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		// literal_eval only allows a sign directly on a number.
		if p.i == start+1 && op != "~" {
			switch n := v.(type) {
			case int:
				if op == "-" {
					return -n, nil
				}
				return n, nil
			case float64:
				if op == "-" {
					return -n, nil
				}
				return n, nil
			}
		}
		return notLiteralValue("unary " + op), nil
	}
	return p.power()
}

func (p *pyParser) power() (any, error) {
	v, err := p.postfix()
	if err != nil {
		return nil, err
	}
	if p.isOp("**") {
		p.next()
		if _, err := p.unary(); err != nil {
			return nil, err
		}
		return notLiteralValue("**"), nil
	}
	return v, nil
}

func (p *pyParser) postfix() (any, error) {
	t := p.peek()
	v, err := p.atom()
	if err != nil {
		return nil, err
	}
	first := true
	for ; ; first = false {
		switch {
		case p.isOp("."):
			p.next()
			if p.peek().kind != pyName {
				return nil, p.syntaxErr()
			}
			p.next()
			v = notLiteralValue("attribute")
		case p.isOp("("):
			p.next()
			args, err := p.sequence(")")
			if err != nil {
				return nil, err
			}
			if first && t.kind == pyName && t.text == "set" && len(args) == 0 {
				v = NewSet()
			} else {
				v = notLiteralValue("call")
			}
		case p.isOp("["):
			p.next()
			if _, err := p.sequence("]"); err != nil {
				return nil, err
			}
			v = notLiteralValue("subscript")
		default:
			return v, nil
		}
	}
}

// sequence parses comma-separated items (slices and keywords allowed, as
// in calls and subscripts) up to the closer.
func (p *pyParser) sequence(closer string) ([]any, error) {
	var items []any
	for !p.isOp(closer) {
		if p.isOp("*", "**") {
			p.next()
		}
		if p.isOp(":") {
			p.next()
			items = append(items, notLiteralValue("slice"))
			continue
		}
		v, err := p.test()
		if err != nil {
			return nil, err
		}
		if p.isOp("=", ":") {
			p.next()
			if !p.isOp(",", closer) {
				if _, err := p.test(); err != nil {
					return nil, err
				}
			}
			v = notLiteralValue("keyword")
		}
		items = append(items, v)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if !p.isOp(closer) {
		return nil, p.syntaxErr()
	}
	p.next()
	return items, nil
}

func (p *pyParser) atom() (any, error) {
	t := p.next()
	switch t.kind {
	case pyNum:
		return t.val, nil
	case pyStr:
		s := t.val
		for p.peek().kind == pyStr {
			n := p.next()
			a, aok := s.(string)
			b, bok := n.val.(string)
			if aok && bok {
				s = a + b
			} else {
				s = notLiteralValue("bytes or f-string")
			}
		}
		return s, nil
	case pyName:
		switch t.text {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		}
		if pyKeywords[t.text] {
			return nil, fmt.Errorf("invalid syntax at %s", reprString(t.text))
		}
		return notLiteralValue("name " + t.text), nil
	case pyOp:
		switch t.text {
		case "(":
			if p.isOp(")") {
				p.next()
				return Tuple{}, nil
			}
			v, err := p.item()
			if err != nil {
				return nil, err
			}
			if p.isOp(")") {
				p.next()
				return v, nil
			}
			if p.isName("for") {
				return nil, notLiteral("comprehensions are not literals")
			}
			items := []any{v}
			for p.isOp(",") {
				p.next()
				if p.isOp(")") {
					break
				}
				v, err := p.item()
				if err != nil {
					return nil, err
				}
				items = append(items, v)
			}
			if !p.isOp(")") {
				return nil, p.syntaxErr()
			}
			p.next()
			return literalTuple(items), nil
		case "[":
			var items []any
			for !p.isOp("]") {
				v, err := p.item()
				if err != nil {
					return nil, err
				}
				if p.isName("for") {
					return nil, notLiteral("comprehensions are not literals")
				}
				items = append(items, v)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
			if !p.isOp("]") {
				return nil, p.syntaxErr()
			}
			p.next()
			for _, it := range items {
				if n, ok := it.(notLiteralValue); ok {
					return n, nil
				}
			}
			if items == nil {
				items = []any{}
			}
			return items, nil
		case "{":
			return p.dictOrSet()
		case "...":
			return notLiteralValue("Ellipsis"), nil
		}
	case pyEnd:
		return nil, errors.New("unexpected end of value")
	}
	return nil, fmt.Errorf("invalid syntax at %s", reprString(t.text))
}

// item parses a display item, which may be a starred expression.
func (p *pyParser) item() (any, error) {
	if p.isOp("*") {
		p.next()
		if _, err := p.test(); err != nil {
			return nil, err
		}
		return notLiteralValue("starred expression"), nil
	}
	return p.test()
}

func (p *pyParser) dictOrSet() (any, error) {
	if p.isOp("}") {
		p.next()
		return NewDict(), nil
	}
	var keys, vals []any
	isDict := false
	for !p.isOp("}") {
		if p.isOp("**") {
			return nil, notLiteral("dict unpacking is not a literal")
		}
		k, err := p.item()
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 && p.isOp(":") {
			isDict = true
		}
		if isDict {
			if !p.isOp(":") {
				return nil, p.syntaxErr()
			}
			p.next()
			v, err := p.test()
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		if p.isName("for") {
			return nil, notLiteral("comprehensions are not literals")
		}
		keys = append(keys, k)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if !p.isOp("}") {
		return nil, p.syntaxErr()
	}
	p.next()
	for _, x := range append(append([]any(nil), keys...), vals...) {
		if n, ok := x.(notLiteralValue); ok {
			return n, nil
		}
	}
	if !isDict {
		s := NewSet()
		for _, k := range keys {
			if err := s.Add(toRuntime(k)); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	d := NewDict()
	for i, k := range keys {
		if err := d.Set(toRuntime(k), vals[i]); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// toRuntime lets []any lists be checked for hashability like Python lists.
func toRuntime(v any) any {
	if l, ok := v.([]any); ok {
		return &pyList{items: l}
	}
	return v
}
