package jinja

import (
	"fmt"
)

// macro is a {% macro %} (or the body of a {% call %} block, which the
// called macro sees as caller()).
type macro struct {
	name         string
	params       []string
	defaults     []expr
	body         []node
	scope        *scope // where it was defined; the body reads through it
	file         string
	catchVarargs bool
	catchKwargs  bool
	usesCaller   bool
}

func (r *renderer) newMacro(name string, params []string, defaults []expr, body []node, sc *scope) *macro {
	m := &macro{name: name, params: params, defaults: defaults, body: body, scope: sc, file: r.file}
	// Jinja2 lets a macro take extra arguments only when its body mentions
	// varargs/kwargs, and a caller only when it mentions caller.
	walkNodes(body, func(x expr) {
		if n, ok := x.(*nameExpr); ok {
			switch n.name {
			case "varargs":
				m.catchVarargs = true
			case "kwargs":
				m.catchKwargs = true
			case "caller":
				m.usesCaller = true
			}
		}
	})
	return m
}

func (m *macro) funcName() string { return m.name }

func (m *macro) call(r *renderer, args []any, kw []kwarg) (any, error) {
	if err := r.step(); err != nil {
		return nil, err
	}
	if r.depth++; r.depth > maxDepth {
		return nil, &evalError{kind: "RecursionError", msg: "maximum recursion depth exceeded while calling macro " + reprString(m.name)}
	}
	defer func() { r.depth-- }()
	inner := newScope(m.scope)
	bound := make([]bool, len(m.params))
	for i, a := range args {
		if i < len(m.params) {
			inner.vars[m.params[i]] = a
			bound[i] = true
		}
	}
	var varargs Tuple
	if len(args) > len(m.params) {
		if !m.catchVarargs {
			return nil, typeErr("macro %s takes not more than %d argument(s)", reprString(m.name), len(m.params))
		}
		varargs = append(Tuple{}, args[len(m.params):]...)
	}
	extra := NewDict()
	for _, k := range kw {
		if k.name == "caller" && m.usesCaller {
			inner.vars["caller"] = k.val
			continue
		}
		found := false
		for i, p := range m.params {
			if p == k.name {
				if bound[i] {
					return nil, typeErr("macro %s got multiple values for argument %s", reprString(m.name), reprString(p))
				}
				inner.vars[p] = k.val
				bound[i] = true
				found = true
			}
		}
		if found {
			continue
		}
		if !m.catchKwargs {
			if k.name == "caller" {
				return nil, typeErr("macro %s was invoked with two values for the special caller argument. This is most likely a bug.", reprString(m.name))
			}
			return nil, typeErr("macro %s takes no keyword argument %s", reprString(m.name), reprString(k.name))
		}
		_ = extra.Set(k.name, k.val)
	}
	// Defaults are evaluated at call time, seeing the earlier parameters.
	firstDefault := len(m.params) - len(m.defaults)
	for i, p := range m.params {
		if bound[i] {
			continue
		}
		if i >= firstDefault {
			saved := r.file
			r.file = m.file
			v, err := r.eval(m.defaults[i-firstDefault], inner)
			r.file = saved
			if err != nil {
				return nil, err
			}
			inner.vars[p] = v
			continue
		}
		inner.vars[p] = &undefined{hint: fmt.Sprintf("parameter %s was not provided", reprString(p))}
	}
	if m.catchVarargs {
		if varargs == nil {
			varargs = Tuple{}
		}
		inner.vars["varargs"] = varargs
	}
	if m.catchKwargs {
		inner.vars["kwargs"] = extra
	}
	if _, ok := inner.vars["caller"]; !ok && m.usesCaller {
		inner.vars["caller"] = &undefined{hint: "No caller defined"}
	}
	saved := r.file
	r.file = m.file
	s, err := r.capture(m.body, inner)
	r.file = saved
	return s, err
}

func (r *renderer) execCallBlock(n *callBlockNode, sc *scope) error {
	caller := r.newMacro("caller", n.params, n.defaults, n.body, sc)
	call := *n.call
	call.args.kwargs = append(append([]kwExpr(nil), call.args.kwargs...), kwExpr{name: "caller", val: &constExpr{val: caller, line: n.line}})
	v, err := r.eval(&call, sc)
	if err != nil {
		return err
	}
	s, err := toStr(v)
	if err != nil {
		return r.located(err, n.line)
	}
	return r.located(r.write(s), n.line)
}

// walkNodes calls fn for every expression in the statements, nested ones
// included.
func walkNodes(body []node, fn func(expr)) {
	for _, n := range body {
		walkNode(n, fn)
	}
}

func walkNode(n node, fn func(expr)) {
	w := func(x expr) { walkExpr(x, fn) }
	switch n := n.(type) {
	case *outputNode:
		for _, it := range n.items {
			if x, ok := it.(expr); ok {
				w(x)
			}
		}
	case *forNode:
		w(n.target)
		w(n.iter)
		w(n.test)
		walkNodes(n.body, fn)
		walkNodes(n.els, fn)
	case *ifNode:
		for i, t := range n.tests {
			w(t)
			walkNodes(n.bodies[i], fn)
		}
		walkNodes(n.els, fn)
	case *setNode:
		w(n.target)
		w(n.value)
	case *setBlockNode:
		if n.filter != nil {
			w(n.filter)
		}
		walkNodes(n.body, fn)
	case *doNode:
		w(n.x)
	case *macroNode:
		for _, d := range n.defaults {
			w(d)
		}
		walkNodes(n.body, fn)
	case *callBlockNode:
		for _, d := range n.defaults {
			w(d)
		}
		w(n.call)
		walkNodes(n.body, fn)
	case *filterBlockNode:
		w(n.filter)
		walkNodes(n.body, fn)
	case *withNode:
		for _, x := range n.values {
			w(x)
		}
		walkNodes(n.body, fn)
	case *blockNode:
		walkNodes(n.body, fn)
	case *includeNode:
		w(n.template)
	case *importNode:
		w(n.template)
	case *fromImportNode:
		w(n.template)
	}
}

func walkArgs(a callArgs, fn func(expr)) {
	for _, x := range a.args {
		walkExpr(x, fn)
	}
	for _, k := range a.kwargs {
		walkExpr(k.val, fn)
	}
	walkExpr(a.dynArgs, fn)
	walkExpr(a.dynKwargs, fn)
}

func walkExpr(x expr, fn func(expr)) {
	if x == nil {
		return
	}
	switch x := x.(type) {
	case nil:
		return
	case *listExpr:
		if x == nil {
			return
		}
		for _, it := range x.items {
			walkExpr(it, fn)
		}
	case *tupleExpr:
		for _, it := range x.items {
			walkExpr(it, fn)
		}
	case *dictExpr:
		for i := range x.keys {
			walkExpr(x.keys[i], fn)
			walkExpr(x.vals[i], fn)
		}
	case *getattrExpr:
		walkExpr(x.obj, fn)
	case *getitemExpr:
		walkExpr(x.obj, fn)
		walkExpr(x.key, fn)
	case *sliceExpr:
		walkExpr(x.start, fn)
		walkExpr(x.stop, fn)
		walkExpr(x.step, fn)
	case *callExpr:
		walkExpr(x.fn, fn)
		walkArgs(x.args, fn)
	case *filterExpr:
		if x == nil {
			return
		}
		walkExpr(x.node, fn)
		walkArgs(x.args, fn)
	case *testExpr:
		walkExpr(x.node, fn)
		walkArgs(x.args, fn)
	case *unaryExpr:
		walkExpr(x.x, fn)
	case *binExpr:
		walkExpr(x.l, fn)
		walkExpr(x.r, fn)
	case *concatExpr:
		for _, p := range x.parts {
			walkExpr(p, fn)
		}
	case *compareExpr:
		walkExpr(x.first, fn)
		for _, p := range x.rest {
			walkExpr(p, fn)
		}
	case *condExpr:
		walkExpr(x.test, fn)
		walkExpr(x.then, fn)
		walkExpr(x.els, fn)
	}
	fn(x)
}
