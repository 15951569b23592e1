package jinja

import (
	"strconv"
	"strings"
)

// scope is one frame of template variables. Jinja2 gives each for-loop
// iteration, macro call, {% with %} and included template its own frame
// (assignments there do not leak out) while {% if %} bodies share their
// parent's, and the renderer mirrors that with a chain of scopes.
type scope struct {
	vars   map[string]any
	parent *scope
}

func newScope(parent *scope) *scope { return &scope{vars: map[string]any{}, parent: parent} }

// names lists every variable visible from s, for did-you-mean hints.
func (s *scope) names() []string {
	seen := map[string]bool{}
	var out []string
	for ; s != nil; s = s.parent {
		for k := range s.vars {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return sortStrings(out)
}

func (s *scope) lookup(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// maxDepth bounds macro, include and import nesting, standing in for
// Python's RecursionError.
const maxDepth = 400

// maxOutput bounds the rendered text a template may produce.
const maxOutput = 1 << 26

// defaultStepLimit bounds loop iterations, macro calls and includes, so a
// runaway template fails instead of hanging.
const defaultStepLimit = 1 << 26

// renderer executes parsed templates. One is made per Render call; the
// file field changes while an included template runs so errors name it.
type renderer struct {
	env     *Renderer
	dir     string
	globals *scope
	out     *strings.Builder
	file    string
	depth   int
	cache   map[string]*loaded
	steps   int
}

// step counts one unit of work against the limit.
func (r *renderer) step() error {
	r.steps++
	limit := r.env.stepLimit
	if limit == 0 {
		limit = defaultStepLimit
	}
	if r.steps > limit {
		return &evalError{kind: "RuntimeError", msg: "template does too much work (over " + strconv.Itoa(limit) + " loop iterations, macro calls and includes)"}
	}
	return nil
}

// loaded is a parsed template file.
type loaded struct {
	name  string // as named in the include/import
	path  string // file it was read from
	src   string
	nodes []node
}

func (r *renderer) write(s string) error {
	if r.out.Len()+len(s) > maxOutput {
		return &evalError{kind: "MemoryError", msg: "template output exceeds 64 MiB"}
	}
	r.out.WriteString(s)
	return nil
}

// located gives an error its template position unless it already has one.
func (r *renderer) located(err error, line int) error {
	switch e := err.(type) {
	case nil:
		return nil
	case *Error:
		return e
	case *evalError:
		return &Error{Kind: e.kind, Msg: e.msg, Line: line, File: r.file}
	}
	return &Error{Kind: "Error", Msg: err.Error(), Line: line, File: r.file}
}

func (r *renderer) execBody(body []node, sc *scope) error {
	for _, n := range body {
		if err := r.execNode(n, sc); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) execNode(n node, sc *scope) error {
	switch n := n.(type) {
	case *outputNode:
		for _, item := range n.items {
			if s, ok := item.(string); ok {
				if err := r.write(s); err != nil {
					return r.located(err, n.line)
				}
				continue
			}
			x := item.(expr)
			v, err := r.eval(x, sc)
			if err != nil {
				return err
			}
			s, err := toStr(v)
			if err != nil {
				return r.located(err, x.pos())
			}
			if err := r.write(s); err != nil {
				return r.located(err, x.pos())
			}
		}
		return nil
	case *forNode:
		iter, err := r.eval(n.iter, sc)
		if err != nil {
			return err
		}
		return r.execFor(n, sc, iter, 0)
	case *ifNode:
		for i, test := range n.tests {
			v, err := r.eval(test, sc)
			if err != nil {
				return err
			}
			ok, err := truth(v)
			if err != nil {
				return r.located(err, test.pos())
			}
			if ok {
				return r.execBody(n.bodies[i], sc)
			}
		}
		return r.execBody(n.els, sc)
	case *setNode:
		v, err := r.eval(n.value, sc)
		if err != nil {
			return err
		}
		return r.located(r.assign(n.target, v, sc), n.line)
	case *setBlockNode:
		s, err := r.capture(n.body, sc)
		if err != nil {
			return err
		}
		var v any = s
		if n.filter != nil {
			if v, err = r.applyFilters(n.filter, s, sc); err != nil {
				return err
			}
		}
		return r.located(r.assign(n.target, v, sc), n.line)
	case *doNode:
		_, err := r.eval(n.x, sc)
		return err
	case *macroNode:
		sc.vars[n.name] = r.newMacro(n.name, n.params, n.defaults, n.body, sc)
		return nil
	case *callBlockNode:
		return r.execCallBlock(n, sc)
	case *filterBlockNode:
		s, err := r.capture(n.body, sc)
		if err != nil {
			return err
		}
		v, err := r.applyFilters(n.filter, s, sc)
		if err != nil {
			return err
		}
		text, err := toStr(v)
		if err != nil {
			return r.located(err, n.line)
		}
		return r.located(r.write(text), n.line)
	case *withNode:
		inner := newScope(sc)
		vals := make([]any, len(n.values))
		for i, x := range n.values {
			v, err := r.eval(x, sc)
			if err != nil {
				return err
			}
			vals[i] = v
		}
		for i, t := range n.targets {
			if err := r.assign(t, vals[i], inner); err != nil {
				return r.located(err, n.line)
			}
		}
		return r.execBody(n.body, inner)
	case *blockNode:
		return r.execBody(n.body, newScope(sc))
	case *includeNode:
		return r.execInclude(n, sc)
	case *importNode:
		mod, err := r.importModule(n.template, n.withContext, sc, n.line)
		if err != nil {
			return err
		}
		sc.vars[n.target] = mod
		return nil
	case *fromImportNode:
		return r.execFromImport(n, sc)
	}
	return nil
}

// capture renders body into a string, as {% set %} blocks, {% filter %}
// and macros need.
func (r *renderer) capture(body []node, sc *scope) (string, error) {
	saved := r.out
	var buf strings.Builder
	r.out = &buf
	err := r.execBody(body, sc)
	r.out = saved
	if err != nil {
		return "", err
	}
	if saved.Len()+buf.Len() > maxOutput {
		return "", &evalError{kind: "MemoryError", msg: "template output exceeds 64 MiB"}
	}
	return buf.String(), nil
}

// assign binds a set/for/with target: a name, a tuple of targets
// (unpacking), or a namespace attribute.
func (r *renderer) assign(target expr, v any, sc *scope) error {
	switch t := target.(type) {
	case *nameExpr:
		sc.vars[t.name] = v
		return nil
	case *tupleExpr:
		items, err := iterate(v)
		if err != nil {
			return typeErr("cannot unpack non-iterable %s object", typeName(v))
		}
		if len(items) < len(t.items) {
			return valueErr("not enough values to unpack (expected %d, got %d)", len(t.items), len(items))
		}
		if len(items) > len(t.items) {
			return valueErr("too many values to unpack (expected %d)", len(t.items))
		}
		for i, sub := range t.items {
			if err := r.assign(sub, items[i], sc); err != nil {
				return err
			}
		}
		return nil
	case *nsRef:
		obj, ok := sc.lookup(t.name)
		if !ok {
			return (&undefined{name: t.name}).err()
		}
		ns, ok := obj.(*namespace)
		if !ok {
			return &evalError{kind: "TemplateRuntimeError", msg: "cannot assign attribute on non-namespace object"}
		}
		return ns.attrs.Set(t.attr, v)
	}
	return typeErr("cannot assign to %T", target)
}

// loopCtx is the "loop" variable inside a for-loop.
type loopCtx struct {
	index    int // 0-based
	length   int
	depth    int // 1 for the outermost loop
	items    []any
	recurse  func(iter any) (any, error)
	lastSeen []any
	seen     bool
}

func (r *renderer) execFor(n *forNode, sc *scope, iter any, depth int) error {
	items, err := iterate(iter)
	if err != nil {
		return r.located(err, n.iter.pos())
	}
	if n.test != nil {
		kept := items[:0:0]
		for _, item := range items {
			inner := newScope(sc)
			if err := r.assign(n.target, item, inner); err != nil {
				return r.located(err, n.line)
			}
			v, err := r.eval(n.test, inner)
			if err != nil {
				return err
			}
			ok, err := truth(v)
			if err != nil {
				return r.located(err, n.test.pos())
			}
			if ok {
				kept = append(kept, item)
			}
		}
		items = kept
	}
	if len(items) == 0 {
		return r.execBody(n.els, sc)
	}
	loop := &loopCtx{length: len(items), depth: depth + 1, items: items}
	if n.recursive {
		loop.recurse = func(sub any) (any, error) {
			if r.depth++; r.depth > maxDepth {
				return nil, &evalError{kind: "RecursionError", msg: "maximum recursion depth exceeded"}
			}
			defer func() { r.depth-- }()
			saved := r.out
			var buf strings.Builder
			r.out = &buf
			err := r.execFor(n, sc, sub, depth+1)
			r.out = saved
			return buf.String(), err
		}
	}
	for i, item := range items {
		if err := r.step(); err != nil {
			return r.located(err, n.line)
		}
		inner := newScope(sc)
		if err := r.assign(n.target, item, inner); err != nil {
			return r.located(err, n.line)
		}
		loop.index = i
		inner.vars["loop"] = loop
		if err := r.execBody(n.body, inner); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) loopAttr(l *loopCtx, name string) (any, bool) {
	switch name {
	case "index":
		return l.index + 1, true
	case "index0":
		return l.index, true
	case "revindex":
		return l.length - l.index, true
	case "revindex0":
		return l.length - l.index - 1, true
	case "first":
		return l.index == 0, true
	case "last":
		return l.index == l.length-1, true
	case "length":
		return l.length, true
	case "depth":
		return l.depth, true
	case "depth0":
		return l.depth - 1, true
	case "previtem":
		if l.index == 0 {
			return &undefined{hint: "there is no previous item"}, true
		}
		return l.items[l.index-1], true
	case "nextitem":
		if l.index == l.length-1 {
			return &undefined{hint: "there is no next item"}, true
		}
		return l.items[l.index+1], true
	case "cycle":
		return &builtinFunc{name: "cycle", fn: func(_ *renderer, args []any, _ []kwarg) (any, error) {
			if len(args) == 0 {
				return nil, typeErr("no items for cycling given")
			}
			return args[l.index%len(args)], nil
		}}, true
	case "changed":
		return &builtinFunc{name: "changed", fn: func(_ *renderer, args []any, _ []kwarg) (any, error) {
			if l.seen {
				if same, err := equalSeq(l.lastSeen, args, 0); err != nil || same {
					return false, err
				}
			}
			l.lastSeen, l.seen = args, true
			return true, nil
		}}, true
	}
	return nil, false
}

func (l *loopCtx) call(r *renderer, args []any, kw []kwarg) (any, error) {
	if l.recurse == nil {
		return nil, typeErr("The loop must be marked as recursive to be called recursively")
	}
	if len(args) != 1 || len(kw) > 0 {
		return nil, typeErr("loop() takes exactly one argument")
	}
	return l.recurse(args[0])
}

func (l *loopCtx) funcName() string { return "loop" }
