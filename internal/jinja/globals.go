package jinja

import (
	"strings"
)

// newGlobals builds the global scope: Jinja2's default namespace (range,
// dict, cycler, joiner, namespace) and what Cylc adds in
// jinja2support.jinja2environment: environ, raise, assert and every
// CYLC_* environment variable except CYLC_VERSION and CYLC_ENV_NAME.
func newGlobals(environ []string) *scope {
	g := newScope(nil)
	env := NewDict()
	env.label = "_Environ"
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		_ = env.Set(k, v)
		if strings.HasPrefix(k, "CYLC_") && k != "CYLC_VERSION" && k != "CYLC_ENV_NAME" {
			g.vars[k] = v
		}
	}
	g.vars["environ"] = env
	g.vars["range"] = &builtinFunc{name: "range", fn: globalRange}
	g.vars["dict"] = &builtinFunc{name: "dict", fn: globalDict}
	g.vars["namespace"] = &builtinFunc{name: "namespace", fn: func(r *renderer, args []any, kw []kwarg) (any, error) {
		d, err := globalDict(r, args, kw)
		if err != nil {
			return nil, err
		}
		return &namespace{attrs: d.(*Dict)}, nil
	}}
	g.vars["cycler"] = &builtinFunc{name: "cycler", fn: globalCycler}
	g.vars["joiner"] = &builtinFunc{name: "joiner", fn: globalJoiner}
	g.vars["raise"] = &builtinFunc{name: "raise", fn: func(r *renderer, args []any, kw []kwarg) (any, error) {
		a, err := bindArgs("raise_helper", []string{"message"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		msg, err := toStr(a[0])
		if err != nil {
			return nil, err
		}
		return nil, &evalError{kind: "Jinja2AssertionError", msg: msg}
	}}
	g.vars["assert"] = &builtinFunc{name: "assert", fn: func(r *renderer, args []any, kw []kwarg) (any, error) {
		a, err := bindArgs("assert_helper", []string{"logical", "message"}, 2, args, kw)
		if err != nil {
			return nil, err
		}
		ok, err := truth(a[0])
		if err != nil {
			return nil, err
		}
		if !ok {
			msg, err := toStr(a[1])
			if err != nil {
				return nil, err
			}
			return nil, &evalError{kind: "Jinja2AssertionError", msg: msg}
		}
		return "", nil
	}}
	return g
}

func globalRange(r *renderer, args []any, kw []kwarg) (any, error) {
	if len(kw) > 0 {
		return nil, typeErr("range() takes no keyword arguments")
	}
	if len(args) < 1 || len(args) > 3 {
		if len(args) == 0 {
			return nil, typeErr("range expected at least 1 argument, got 0")
		}
		return nil, typeErr("range expected at most 3 arguments, got %d", len(args))
	}
	n := make([]int, len(args))
	for i, a := range args {
		v, err := wantInt("range", a)
		if err != nil {
			return nil, err
		}
		n[i] = v
	}
	switch len(n) {
	case 1:
		return &pyRange{start: 0, stop: n[0], step: 1}, nil
	case 2:
		return &pyRange{start: n[0], stop: n[1], step: 1}, nil
	}
	if n[2] == 0 {
		return nil, valueErr("range() arg 3 must not be zero")
	}
	return &pyRange{start: n[0], stop: n[1], step: n[2]}, nil
}

// globalDict is Python's dict(): from a mapping or pairs, plus keywords.
func globalDict(r *renderer, args []any, kw []kwarg) (any, error) {
	if len(args) > 1 {
		return nil, typeErr("dict expected at most 1 argument, got %d", len(args))
	}
	d := NewDict()
	if len(args) == 1 {
		if err := updateDict(d, args[0]); err != nil {
			return nil, err
		}
	}
	for _, k := range kw {
		if err := d.Set(k.name, k.val); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// cyclerObj is what cycler() returns.
type cyclerObj struct {
	items []any
	pos   int
}

func globalCycler(r *renderer, args []any, kw []kwarg) (any, error) {
	if len(args) == 0 {
		return nil, typeErr("at least one item has to be provided")
	}
	c := &cyclerObj{items: args}
	m := &module{name: "Cycler", vars: map[string]any{}}
	m.vars["next"] = &builtinFunc{name: "next", fn: func(*renderer, []any, []kwarg) (any, error) {
		v := c.items[c.pos]
		c.pos = (c.pos + 1) % len(c.items)
		m.vars["current"] = c.items[c.pos]
		return v, nil
	}}
	m.vars["reset"] = &builtinFunc{name: "reset", fn: func(*renderer, []any, []kwarg) (any, error) {
		c.pos = 0
		m.vars["current"] = c.items[0]
		return nil, nil
	}}
	m.vars["current"] = c.items[0]
	return m, nil
}

func globalJoiner(r *renderer, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("joiner", []string{"sep"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	sep := orDefault(a[0], ", ")
	used := false
	return &builtinFunc{name: "joiner", fn: func(*renderer, []any, []kwarg) (any, error) {
		if !used {
			used = true
			return "", nil
		}
		return sep, nil
	}}, nil
}
