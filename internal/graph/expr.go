package graph

import (
	"strconv"
	"strings"
)

// Op is the operator of an Expr node.
type Op uint8

const (
	OpAtom Op = iota // a task output: Expr.Atom
	OpAnd            // all of Expr.Args
	OpOr             // any of Expr.Args
)

// Expr is a trigger expression: a tree of task-output atoms joined by & and
// |, with & binding tighter than | as in Cylc (which evaluates the graph
// expression with Python's operators). Atoms are indices into the owning
// Trigger's Atoms, so a prerequisite can keep one bool per atom and
// re-evaluate the tree when one of them changes.
type Expr struct {
	Op   Op
	Atom int     // OpAtom only
	Args []*Expr // OpAnd and OpOr: at least two operands
}

// Eval evaluates the expression, asking done whether each atom is satisfied.
func (e *Expr) Eval(done func(atom int) bool) bool {
	switch e.Op {
	case OpAtom:
		return done(e.Atom)
	case OpAnd:
		for _, a := range e.Args {
			if !a.Eval(done) {
				return false
			}
		}
		return true
	default:
		for _, a := range e.Args {
			if a.Eval(done) {
				return true
			}
		}
		return false
	}
}

// format renders the expression with atoms named by name; operands that
// are themselves operations are parenthesised.
func (e *Expr) format(b *strings.Builder, name func(int) string, top bool) {
	if e.Op == OpAtom {
		b.WriteString(name(e.Atom))
		return
	}
	if !top {
		b.WriteByte('(')
	}
	sep := " & "
	if e.Op == OpOr {
		sep = " | "
	}
	for i, a := range e.Args {
		if i > 0 {
			b.WriteString(sep)
		}
		a.format(b, name, false)
	}
	if !top {
		b.WriteByte(')')
	}
}

// String shows the structure with atom ids, e.g. "#0 & (#1 | #2)".
func (e *Expr) String() string {
	var b strings.Builder
	e.format(&b, func(i int) string { return "#" + strconv.Itoa(i) }, true)
	return b.String()
}

// combine builds an n-ary operation, flattening operands with the same
// operator and dropping nil (xtrigger) operands.
func combine(op Op, args []*Expr) *Expr {
	var flat []*Expr
	for _, a := range args {
		switch {
		case a == nil:
		case a.Op == op:
			flat = append(flat, a.Args...)
		default:
			flat = append(flat, a)
		}
	}
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	return &Expr{Op: op, Args: flat}
}

// ast is the parsed left-hand side of a pair, kept in source form (groups
// included) so that its text can be rendered exactly as Cylc keys triggers.
type ast struct {
	op   byte // 0 leaf, '&', '|', '(' for a parenthesised group
	leaf *node
	args []*ast
}

// syntax errors from the expression parsers; the caller words the message
// with the pair's text.
type exprErr uint8

const (
	errNone  exprErr = iota
	errNull          // an operand is missing: "a &", "(|b)", "()"
	errParen         // parentheses do not pair up
	errJoin          // two operands with no operator between them: "a(b)"
)

type exprParser struct {
	toks []token
	i    int
	err  exprErr
}

func (p *exprParser) peek() (tokKind, bool) {
	if p.i >= len(p.toks) {
		return 0, false
	}
	return p.toks[p.i].kind, true
}

func (p *exprParser) fail(e exprErr) *ast {
	if p.err == errNone {
		p.err = e
	}
	return nil
}

// parseExpr parses "or" := and ('|' and)*, and := unary ('&' unary)*,
// unary := node | '(' or ')'.
func parseExpr(toks []token) (*ast, exprErr) {
	p := &exprParser{toks: toks}
	a := p.or()
	if p.err == errNone && p.i < len(toks) {
		if toks[p.i].kind == tokRParen {
			p.err = errParen
		} else {
			p.err = errJoin
		}
	}
	if p.err != errNone {
		return nil, p.err
	}
	return a, errNone
}

func (p *exprParser) or() *ast {
	return p.binary('|', tokOr, p.and)
}

func (p *exprParser) and() *ast {
	return p.binary('&', tokAnd, p.unary)
}

func (p *exprParser) binary(op byte, kind tokKind, next func() *ast) *ast {
	first := next()
	if first == nil {
		return nil
	}
	args := []*ast{first}
	for {
		k, ok := p.peek()
		if !ok || k != kind {
			break
		}
		p.i++
		a := next()
		if a == nil {
			return nil
		}
		args = append(args, a)
	}
	if len(args) == 1 {
		return first
	}
	return &ast{op: op, args: args}
}

func (p *exprParser) unary() *ast {
	k, ok := p.peek()
	if !ok {
		return p.fail(errNull)
	}
	switch k {
	case tokNode:
		n := p.toks[p.i].node
		p.i++
		return &ast{leaf: n}
	case tokLParen:
		p.i++
		inner := p.or()
		if inner == nil {
			return nil
		}
		if k, ok := p.peek(); !ok || k != tokRParen {
			if !ok {
				return p.fail(errParen)
			}
			return p.fail(errJoin)
		}
		p.i++
		return &ast{op: '(', args: []*ast{inner}}
	case tokRParen:
		// ")" where an operand should be: "()" or "(a&)" are missing an
		// operand; a stray ")" at the start is unbalanced.
		if p.i > 0 && p.toks[p.i-1].kind != tokRParen && p.toks[p.i-1].kind != tokNode {
			return p.fail(errNull)
		}
		return p.fail(errParen)
	}
	return p.fail(errNull)
}

// leaves appends the nodes of a in source order.
func (a *ast) leaves(out []*node) []*node {
	if a.op == 0 {
		return append(out, a.leaf)
	}
	for _, c := range a.args {
		out = c.leaves(out)
	}
	return out
}

// render writes a with each leaf rendered by leaf.
func (a *ast) render(b *strings.Builder, leaf func(*strings.Builder, *node)) {
	switch a.op {
	case 0:
		leaf(b, a.leaf)
	case '(':
		b.WriteByte('(')
		a.args[0].render(b, leaf)
		b.WriteByte(')')
	default:
		for i, c := range a.args {
			if i > 0 {
				b.WriteByte(a.op)
			}
			c.render(b, leaf)
		}
	}
}

// parseRight parses the right side of a pair: nodes joined by '&', with
// parentheses allowed (and meaningless). '|' has been rejected already.
func parseRight(toks []token) ([]*node, exprErr) {
	var nodes []*node
	depth := 0
	want := true // expecting an operand
	for _, t := range toks {
		switch t.kind {
		case tokNode:
			if !want {
				return nil, errJoin
			}
			nodes = append(nodes, t.node)
			want = false
		case tokAnd, tokOr:
			if want {
				return nil, errNull
			}
			want = true
		case tokLParen:
			if !want {
				return nil, errJoin
			}
			depth++
		case tokRParen:
			if want {
				if depth == 0 {
					return nil, errParen
				}
				return nil, errNull
			}
			if depth == 0 {
				return nil, errParen
			}
			depth--
		}
	}
	if want {
		return nil, errNull
	}
	if depth != 0 {
		return nil, errParen
	}
	return nodes, errNone
}
