package task

import (
	"fmt"
	"sort"
	"strings"
)

// Completion is a parsed completion expression: a boolean formula over a
// task's outputs, written in Python syntax with `and`, `or` and parentheses
// (`succeeded or (failed and recovered)`). A task whose expression is false
// when it finishes is "incomplete" and stays in the pool, which is how Cylc
// stops a workflow from silently running past a failure it was told to need.
type Completion struct {
	src  string
	root *cnode
}

type cnode struct {
	op   byte // 'v' variable, '&' and, '|' or
	name string
	l, r *cnode
}

// CompletionError explains why an expression could not be read.
type CompletionError struct {
	Expr string
	Pos  int // byte offset in Expr
	Msg  string
}

func (e *CompletionError) Error() string {
	return fmt.Sprintf("invalid completion expression %q: %s (at character %d)", e.Expr, e.Msg, e.Pos+1)
}

// ParseCompletion reads a completion expression. Names are completion
// variables (outputs with '-' written as '_').
func ParseCompletion(src string) (*Completion, error) {
	p := &cparser{src: src}
	p.next()
	if p.tok == "" {
		return nil, &CompletionError{src, 0, "the expression is empty"}
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok != "" {
		return nil, p.unexpected()
	}
	return &Completion{src: src, root: n}, nil
}

// String returns the expression as written.
func (c *Completion) String() string { return c.src }

// Eval evaluates the expression; done reports whether a completion variable
// is true (its output completed).
func (c *Completion) Eval(done func(v string) bool) bool { return c.root.eval(done) }

func (n *cnode) eval(done func(string) bool) bool {
	switch n.op {
	case '&':
		return n.l.eval(done) && n.r.eval(done)
	case '|':
		return n.l.eval(done) || n.r.eval(done)
	}
	return done(n.name)
}

// Vars returns the distinct completion variables used, sorted.
func (c *Completion) Vars() []string {
	seen := map[string]bool{}
	var walk func(*cnode)
	walk = func(n *cnode) {
		if n.op == 'v' {
			seen[n.name] = true
			return
		}
		walk(n.l)
		walk(n.r)
	}
	walk(c.root)
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

type cparser struct {
	src    string
	pos    int
	tok    string
	tokPos int
}

func (p *cparser) next() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n') {
		p.pos++
	}
	p.tokPos = p.pos
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	c := p.src[p.pos]
	if c == '(' || c == ')' {
		p.tok = string(c)
		p.pos++
		return
	}
	start := p.pos
	for p.pos < len(p.src) && isIdentByte(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		p.pos++ // a single unexpected character
	}
	p.tok = p.src[start:p.pos]
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *cparser) or() (*cnode, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.tok == "or" {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &cnode{op: '|', l: l, r: r}
	}
	return l, nil
}

func (p *cparser) and() (*cnode, error) {
	l, err := p.atom()
	if err != nil {
		return nil, err
	}
	for p.tok == "and" {
		p.next()
		r, err := p.atom()
		if err != nil {
			return nil, err
		}
		l = &cnode{op: '&', l: l, r: r}
	}
	return l, nil
}

func (p *cparser) atom() (*cnode, error) {
	switch {
	case p.tok == "":
		return nil, &CompletionError{p.src, p.tokPos, "the expression ends too soon"}
	case p.tok == "(":
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok != ")" {
			return nil, &CompletionError{p.src, p.tokPos, "missing )"}
		}
		p.next()
		return n, nil
	case p.tok == "and" || p.tok == "or":
		return nil, &CompletionError{p.src, p.tokPos, fmt.Sprintf("%q needs something before it", p.tok)}
	case p.tok == "not":
		return nil, &CompletionError{p.src, p.tokPos, `"not" is not allowed: use and/or over outputs`}
	case !isIdentByte(p.tok[0]) || p.tok[0] >= '0' && p.tok[0] <= '9':
		return nil, p.unexpected()
	}
	n := &cnode{op: 'v', name: p.tok}
	p.next()
	return n, nil
}

func (p *cparser) unexpected() error {
	hint := ""
	if p.tok == "-" {
		hint = " (write outputs like submit-failed as submit_failed)"
	}
	return &CompletionError{p.src, p.tokPos, fmt.Sprintf("unexpected %q%s", p.tok, hint)}
}

// DefaultCompletion builds the expression Cylc uses when a task has no
// `completion` setting: all required outputs, widened to tolerate failure,
// submit failure or expiry when those are optional.
func DefaultCompletion(outs []Output) string {
	need := func(name string) Need {
		for _, o := range outs {
			if o.Trigger == name {
				return o.Need
			}
		}
		return Unset
	}
	var required []string
	for _, o := range outs {
		if o.Need == Required {
			required = append(required, CompletionVar(o.Trigger))
		}
	}
	sort.Strings(required)
	var parts []string
	if len(required) > 0 {
		p := strings.Join(required, " and ")
		if len(required) > 1 {
			p = "(" + p + ")"
		}
		parts = append(parts, p)
	}
	if need(OutSucceeded) == Optional || need(OutFailed) == Optional {
		if len(required) > 0 {
			parts = []string{"(" + parts[0] + " and succeeded) or failed"}
		} else {
			parts = append(parts, "succeeded or failed")
		}
	}
	if need(OutSubmitted) == Optional || need(OutSubmitFailed) == Optional {
		parts = append(parts, "submit_failed")
	}
	if need(OutExpired) == Optional {
		parts = append(parts, "expired")
	}
	return strings.Join(parts, " or ")
}

// OptionalIn reports, for each variable used in the expression, whether the
// expression can be true without it (optional) or not (required), as Cylc
// works it out: each variable alone is set false with all others true, and
// expired and submit_failed are held false since they are not outcomes of a
// run. Variables not used are absent from the map.
func (c *Completion) OptionalIn() map[string]bool {
	out := map[string]bool{}
	for _, v := range c.Vars() {
		out[v] = c.Eval(func(x string) bool {
			if x == "expired" || x == "submit_failed" {
				return false
			}
			return x != v
		})
	}
	return out
}
