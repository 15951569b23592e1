package jinja

import (
	"fmt"
	"strings"
)

// eval computes an expression. Errors come back located at the innermost
// expression that failed.
func (r *renderer) eval(x expr, sc *scope) (any, error) {
	switch x := x.(type) {
	case *constExpr:
		return x.val, nil
	case *nameExpr:
		if v, ok := sc.lookup(x.name); ok {
			return v, nil
		}
		return &undefined{name: x.name, known: sc.names}, nil
	case *listExpr:
		items, err := r.evalList(x.items, sc)
		if err != nil {
			return nil, err
		}
		return &pyList{items: items}, nil
	case *tupleExpr:
		items, err := r.evalList(x.items, sc)
		if err != nil {
			return nil, err
		}
		return Tuple(items), nil
	case *dictExpr:
		d := NewDict()
		for i := range x.keys {
			k, err := r.eval(x.keys[i], sc)
			if err != nil {
				return nil, err
			}
			v, err := r.eval(x.vals[i], sc)
			if err != nil {
				return nil, err
			}
			if err := d.Set(k, v); err != nil {
				return nil, r.located(err, x.keys[i].pos())
			}
		}
		return d, nil
	case *getattrExpr:
		obj, err := r.eval(x.obj, sc)
		if err != nil {
			return nil, err
		}
		v, err := r.getattr(obj, x.attr)
		return v, r.located(err, x.line)
	case *getitemExpr:
		obj, err := r.eval(x.obj, sc)
		if err != nil {
			return nil, err
		}
		if sl, ok := x.key.(*sliceExpr); ok {
			v, err := r.evalSlice(obj, sl, sc)
			return v, r.located(err, x.line)
		}
		key, err := r.eval(x.key, sc)
		if err != nil {
			return nil, err
		}
		v, err := r.getitem(obj, key)
		return v, r.located(err, x.line)
	case *callExpr:
		fn, err := r.eval(x.fn, sc)
		if err != nil {
			return nil, err
		}
		args, kw, err := r.evalArgs(x.args, sc, x.line)
		if err != nil {
			return nil, err
		}
		v, err := r.callValue(fn, args, kw)
		return v, r.callSite(r.located(err, x.line), x.line)
	case *filterExpr:
		var in any
		if x.node != nil {
			v, err := r.eval(x.node, sc)
			if err != nil {
				return nil, err
			}
			in = v
		}
		return r.applyFilter(x, in, sc)
	case *testExpr:
		v, err := r.eval(x.node, sc)
		if err != nil {
			return nil, err
		}
		return r.applyTest(x, v, sc)
	case *unaryExpr:
		v, err := r.eval(x.x, sc)
		if err != nil {
			return nil, err
		}
		if x.op == "not" {
			t, err := truth(v)
			return !t, r.located(err, x.line)
		}
		res, err := unaryOp(x.op, v)
		return res, r.located(err, x.line)
	case *binExpr:
		l, err := r.eval(x.l, sc)
		if err != nil {
			return nil, err
		}
		switch x.op {
		case "and", "or":
			t, err := truth(l)
			if err != nil {
				return nil, r.located(err, x.l.pos())
			}
			if t == (x.op == "or") {
				return l, nil
			}
			return r.eval(x.r, sc)
		}
		rv, err := r.eval(x.r, sc)
		if err != nil {
			return nil, err
		}
		v, err := binaryOp(x.op, l, rv)
		return v, r.located(err, x.line)
	case *concatExpr:
		var b strings.Builder
		for _, p := range x.parts {
			v, err := r.eval(p, sc)
			if err != nil {
				return nil, err
			}
			s, err := toStr(v)
			if err != nil {
				return nil, r.located(err, p.pos())
			}
			if b.Len()+len(s) > maxOutput {
				return nil, r.located(&evalError{kind: "MemoryError", msg: "string is too large"}, x.line)
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case *compareExpr:
		left, err := r.eval(x.first, sc)
		if err != nil {
			return nil, err
		}
		for i, op := range x.ops {
			right, err := r.eval(x.rest[i], sc)
			if err != nil {
				return nil, err
			}
			ok, err := compareOp(op, left, right)
			if err != nil {
				return nil, r.located(err, x.rest[i].pos())
			}
			if !ok {
				return false, nil
			}
			left = right
		}
		return true, nil
	case *condExpr:
		t, err := r.eval(x.test, sc)
		if err != nil {
			return nil, err
		}
		ok, err := truth(t)
		if err != nil {
			return nil, r.located(err, x.test.pos())
		}
		if ok {
			return r.eval(x.then, sc)
		}
		if x.els == nil {
			return &undefined{lenient: true, hint: fmt.Sprintf("the inline if-expression on line %d evaluated to false and no else section was defined.", x.line)}, nil
		}
		return r.eval(x.els, sc)
	case *sliceExpr:
		// A slice inside a tuple subscript (x[1:2, 3]) is a slice object.
		var parts [3]any
		for i, p := range []expr{x.start, x.stop, x.step} {
			if p == nil {
				continue
			}
			v, err := r.eval(p, sc)
			if err != nil {
				return nil, err
			}
			parts[i] = v
		}
		return &pySlice{start: parts[0], stop: parts[1], step: parts[2]}, nil
	case *nsRef:
		return nil, r.located(typeErr("namespace attribute target used as a value"), x.line)
	}
	return nil, r.located(&evalError{kind: "InternalError", msg: fmt.Sprintf("unknown expression %T", x)}, x.pos())
}

func (r *renderer) evalList(xs []expr, sc *scope) ([]any, error) {
	items := make([]any, 0, len(xs))
	for _, it := range xs {
		v, err := r.eval(it, sc)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return items, nil
}

// evalArgs evaluates call arguments, expanding *args and **kwargs.
func (r *renderer) evalArgs(a callArgs, sc *scope, line int) ([]any, []kwarg, error) {
	args, err := r.evalList(a.args, sc)
	if err != nil {
		return nil, nil, err
	}
	var kw []kwarg
	for _, k := range a.kwargs {
		v, err := r.eval(k.val, sc)
		if err != nil {
			return nil, nil, err
		}
		kw = append(kw, kwarg{name: k.name, val: v})
	}
	if a.dynArgs != nil {
		v, err := r.eval(a.dynArgs, sc)
		if err != nil {
			return nil, nil, err
		}
		more, err := iterate(v)
		if err != nil {
			return nil, nil, r.located(err, a.dynArgs.pos())
		}
		args = append(args, more...)
	}
	if a.dynKwargs != nil {
		v, err := r.eval(a.dynKwargs, sc)
		if err != nil {
			return nil, nil, err
		}
		d, ok := v.(*Dict)
		if !ok {
			return nil, nil, r.located(typeErr("argument after ** must be a mapping, not %s", typeName(v)), a.dynKwargs.pos())
		}
		for i, k := range d.keys {
			name, ok := k.(string)
			if !ok {
				return nil, nil, r.located(typeErr("keywords must be strings"), line)
			}
			kw = append(kw, kwarg{name: name, val: d.vals[i]})
		}
	}
	for i := range kw {
		for j := 0; j < i; j++ {
			if kw[i].name == kw[j].name {
				return nil, nil, r.located(typeErr("got multiple values for keyword argument %s", reprString(kw[i].name)), line)
			}
		}
	}
	return args, kw, nil
}

// callSite records where a macro was called when the error it raised is
// in another template file, so the error can be traced back to the
// workflow file.
func (r *renderer) callSite(err error, line int) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	inner := e.File
	if len(e.Stack) > 0 {
		inner = e.Stack[len(e.Stack)-1].File
	}
	if inner != r.file {
		e.Stack = append(e.Stack, Location{File: r.file, Line: line})
	}
	return err
}

func (r *renderer) callValue(fn any, args []any, kw []kwarg) (any, error) {
	switch f := fn.(type) {
	case callable:
		return f.call(r, args, kw)
	case *undefined:
		return nil, f.err()
	}
	return nil, typeErr("'%s' object is not callable", typeName(fn))
}

// getattr is Jinja2's Environment.getattr: a Python attribute (for the
// built-in types, a method), falling back to an item lookup.
func (r *renderer) getattr(obj any, name string) (any, error) {
	if u, ok := obj.(*undefined); ok {
		return nil, u.err()
	}
	if v, ok := r.attribute(obj, name); ok {
		return v, nil
	}
	if v, ok, err := r.lookupItem(obj, name); err != nil || ok {
		return v, err
	}
	return &undefined{obj: obj, hasObj: true, name: name, known: keysOf(obj)}, nil
}

// keysOf lists the string keys of a dict (or names of a module), for
// did-you-mean hints on missing attributes.
func keysOf(obj any) func() []string {
	return func() []string {
		var names []string
		switch o := obj.(type) {
		case *Dict:
			for _, k := range o.keys {
				if s, ok := k.(string); ok {
					names = append(names, s)
				}
			}
		case *module:
			names = sortedKeys(o.vars)
		case *namespace:
			return keysOf(o.attrs)()
		}
		return names
	}
}

// getitem is Jinja2's Environment.getitem: an item lookup, falling back to
// an attribute when the key is a string.
func (r *renderer) getitem(obj any, key any) (any, error) {
	if u, ok := obj.(*undefined); ok {
		return nil, u.err()
	}
	if v, ok, err := r.lookupItem(obj, key); err != nil || ok {
		return v, err
	}
	if s, ok := key.(string); ok {
		if v, ok := r.attribute(obj, s); ok {
			return v, nil
		}
	}
	return &undefined{obj: obj, hasObj: true, name: key, known: keysOf(obj)}, nil
}

// attribute returns a Python attribute of obj: methods of the built-in
// types, loop and namespace attributes, module exports.
func (r *renderer) attribute(obj any, name string) (any, bool) {
	switch o := obj.(type) {
	case *loopCtx:
		return r.loopAttr(o, name)
	case *namespace:
		return o.attrs.Get(name)
	case *module:
		v, ok := o.vars[name]
		return v, ok
	case *macro:
		switch name {
		case "name":
			return o.name, true
		case "arguments":
			args := make(Tuple, len(o.params))
			for i, p := range o.params {
				args[i] = p
			}
			return args, true
		case "catch_kwargs":
			return o.catchKwargs, true
		case "catch_varargs":
			return o.catchVarargs, true
		case "caller":
			return o.usesCaller, true
		}
		return nil, false
	case *pyRange:
		switch name {
		case "start":
			return o.start, true
		case "stop":
			return o.stop, true
		case "step":
			return o.step, true
		}
	}
	if m := method(obj, name); m != nil {
		return m, true
	}
	return nil, false
}

// lookupItem is Python's obj[key]; ok is false where Python would raise
// KeyError, IndexError or TypeError (Jinja2 then tries an attribute).
func (r *renderer) lookupItem(obj, key any) (any, bool, error) {
	if u, ok := key.(*undefined); ok {
		return nil, false, u.err()
	}
	switch o := obj.(type) {
	case *Dict:
		if _, err := hashKey(key); err != nil {
			return nil, false, nil
		}
		v, ok := o.Get(key)
		return v, ok, nil
	case *pyList:
		return indexSeq(o.items, key)
	case Tuple:
		return indexSeq(o, key)
	case string:
		i, ok := asIndex(key)
		if !ok {
			return nil, false, nil
		}
		runes := []rune(o)
		if i < 0 {
			i += len(runes)
		}
		if i < 0 || i >= len(runes) {
			return nil, false, nil
		}
		return string(runes[i]), true, nil
	case *pyRange:
		i, ok := asIndex(key)
		n := o.length()
		if !ok {
			return nil, false, nil
		}
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, false, nil
		}
		return o.at(i), true, nil
	}
	return nil, false, nil
}

func asIndex(key any) (int, bool) {
	switch k := key.(type) {
	case int:
		return k, true
	case bool:
		if k {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func indexSeq(items []any, key any) (any, bool, error) {
	i, ok := asIndex(key)
	if !ok {
		return nil, false, nil
	}
	if i < 0 {
		i += len(items)
	}
	if i < 0 || i >= len(items) {
		return nil, false, nil
	}
	return items[i], true, nil
}
