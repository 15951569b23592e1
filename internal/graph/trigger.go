package graph

import (
	"slices"
	"strings"
)

// buildTrigger converts a checked left-hand expression to a Trigger:
// qualifiers standardised, family triggers expanded to their members, and
// ":finished" expanded to "succeeded or failed".
func (p *parser) buildTrigger(a *ast, line int) *Trigger {
	t := &Trigger{Line: line}
	ids := map[Atom]int{}
	atom := func(task, offset, output string) *Expr {
		at := Atom{Task: task, Output: output, Offset: offset}
		id, ok := ids[at]
		if !ok {
			id = len(t.Atoms)
			ids[at] = id
			t.Atoms = append(t.Atoms, at)
		}
		return &Expr{Op: OpAtom, Atom: id}
	}
	output := func(task, offset, out string) *Expr {
		if out == Finished {
			return combine(OpOr, []*Expr{atom(task, offset, Succeeded), atom(task, offset, Failed)})
		}
		return atom(task, offset, out)
	}
	var build func(*ast) *Expr
	build = func(a *ast) *Expr {
		switch a.op {
		case '(':
			return build(a.args[0])
		case '&', '|':
			op := OpAnd
			if a.op == '|' {
				op = OpOr
			}
			args := make([]*Expr, len(a.args))
			for i, c := range a.args {
				args[i] = build(c)
			}
			return combine(op, args)
		}
		n := a.leaf
		if n.xtrig {
			if !slices.Contains(t.Xtriggers, n.name) {
				t.Xtriggers = append(t.Xtriggers, n.name)
			}
			return nil
		}
		if members, fam := p.fams[n.name]; fam {
			fq := famQualifiers[standardOutput(n.qual)]
			op := OpOr
			if fq.all {
				op = OpAnd
			}
			args := make([]*Expr, len(members))
			for i, m := range members {
				args[i] = output(m, n.offset, fq.output)
			}
			return combine(op, args)
		}
		return output(n.name, n.offset, nodeOutput(n))
	}
	t.Expr = build(a)

	var b strings.Builder
	a.render(&b, func(b *strings.Builder, n *node) { p.renderLeaf(b, n, true) })
	t.Text = b.String()
	b.Reset()
	a.render(&b, func(b *strings.Builder, n *node) { p.renderLeaf(b, n, false) })
	p.origTexts[t] = b.String()
	return t
}

// nodeOutput is the standard output a (non-family) left node refers to.
func nodeOutput(n *node) string {
	if n.qual == "" {
		return Succeeded
	}
	return standardOutput(n.qual)
}

// renderLeaf writes a left node the way Cylc's trigger expression text
// shows it; expand selects family and finish expansion.
func (p *parser) renderLeaf(b *strings.Builder, n *node, expand bool) {
	if n.xtrig {
		b.WriteString("@" + n.name)
		return
	}
	off := ""
	if n.offset != "" {
		off = "[" + n.offset + "]"
	}
	one := func(task, out string) {
		if expand && out == Finished {
			b.WriteString("(" + task + off + ":" + Succeeded + "|" + task + off + ":" + Failed + ")")
			return
		}
		b.WriteString(task + off + ":" + out)
	}
	members, fam := p.fams[n.name]
	if !fam || !expand {
		if fam {
			b.WriteString(n.name + off + ":" + standardOutput(n.qual))
			return
		}
		one(n.name, nodeOutput(n))
		return
	}
	fq := famQualifiers[standardOutput(n.qual)]
	sep := "|"
	if fq.all {
		sep = "&"
	}
	b.WriteByte('(')
	for i, m := range members {
		if i > 0 {
			b.WriteString(sep)
		}
		one(m, fq.output)
	}
	b.WriteByte(')')
}
