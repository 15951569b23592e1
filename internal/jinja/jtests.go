package jinja

// Jinja2's tests ("x is defined", "n is divisibleby 3"), from
// jinja2/tests.py.

type testFunc func(r *renderer, v any, args []any, kw []kwarg) (bool, error)

var tests map[string]testFunc

func init() {
	tests = map[string]testFunc{
		"odd":         modTest(1),
		"even":        modTest(0),
		"divisibleby": testDivisibleby,
		"defined": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			_, u := v.(*undefined)
			return !u, nil
		},
		"undefined": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			_, u := v.(*undefined)
			return u, nil
		},
		"filter": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			s, ok := v.(string)
			_, known := filters[s]
			return ok && known, nil
		},
		"test": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			s, ok := v.(string)
			_, known := tests[s]
			return ok && known, nil
		},
		"none":    typeTest(func(v any) bool { return v == nil }),
		"boolean": typeTest(func(v any) bool { _, ok := v.(bool); return ok }),
		"false":   typeTest(func(v any) bool { b, ok := v.(bool); return ok && !b }),
		"true":    typeTest(func(v any) bool { b, ok := v.(bool); return ok && b }),
		"integer": typeTest(func(v any) bool { _, ok := v.(int); return ok }),
		"float":   typeTest(func(v any) bool { _, ok := v.(float64); return ok }),
		"string":  typeTest(func(v any) bool { _, ok := v.(string); return ok }),
		"mapping": typeTest(func(v any) bool { _, ok := v.(*Dict); return ok }),
		"number":  typeTest(func(v any) bool { _, ok := asNumber(v); return ok }),
		"sequence": typeTest(func(v any) bool {
			switch v.(type) {
			case string, *pyList, Tuple, *Dict, *pyRange:
				return true
			}
			return false
		}),
		"iterable": typeTest(func(v any) bool {
			switch v.(type) {
			case string, *pyList, Tuple, *Dict, *Set, *pyRange, *dictView:
				return true
			}
			return false
		}),
		"callable": typeTest(func(v any) bool { _, ok := v.(callable); return ok }),
		"escaped":  typeTest(func(v any) bool { return false }),
		"lower":    caseTest("islower"),
		"upper":    caseTest("isupper"),
		"sameas": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			a, err := bindArgs("sameas", []string{"other"}, 1, args, kw)
			if err != nil {
				return false, err
			}
			return sameObject(v, a[0]), nil
		},
		"in": func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
			a, err := bindArgs("in", []string{"seq"}, 1, args, kw)
			if err != nil {
				return false, err
			}
			return contains(a[0], v)
		},
	}
	for _, names := range [][]string{{"==", "eq", "equalto"}, {"!=", "ne"}, {">", "gt", "greaterthan"}, {">=", "ge"}, {"<", "lt", "lessthan"}, {"<=", "le"}} {
		op := names[0]
		for _, n := range names {
			tests[n] = func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
				a, err := bindArgs(n, []string{"other"}, 1, args, kw)
				if err != nil {
					return false, err
				}
				return compareOp(op, v, a[0])
			}
		}
	}
}

func (r *renderer) applyTest(t *testExpr, v any, sc *scope) (any, error) {
	fn, ok := tests[t.name]
	if !ok {
		return nil, r.located(unknownTest(t.name), t.line)
	}
	args, kw, err := r.evalArgs(t.args, sc, t.line)
	if err != nil {
		return nil, err
	}
	res, err := fn(r, v, args, kw)
	return res, r.located(err, t.line)
}

func unknownTest(name string) error {
	return &evalError{kind: "TemplateAssertionError", msg: "No test named " + reprString(name) + "." + suggest(name, sortedKeysOf(tests))}
}

func typeTest(f func(any) bool) testFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
		return f(v), nil
	}
}

// caseTest looks the str method up when called: the method table is
// built by another init function.
func caseTest(name string) testFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
		s, err := toStr(v)
		if err != nil {
			return false, err
		}
		res, err := strMethods[name](r, s, nil, nil)
		return res == true, err
	}
}

// modTest is odd/even: value % 2 == want.
func modTest(want int) testFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
		m, err := binaryOp("%", v, 2)
		if err != nil {
			return false, err
		}
		return equal(m, want)
	}
}

func testDivisibleby(r *renderer, v any, args []any, kw []kwarg) (bool, error) {
	a, err := bindArgs("divisibleby", []string{"num"}, 1, args, kw)
	if err != nil {
		return false, err
	}
	m, err := binaryOp("%", v, a[0])
	if err != nil {
		return false, err
	}
	return equal(m, 0)
}

// sameObject is Python's "is": identity for mutable objects, value for
// the immutable singletons and small values templates compare.
func sameObject(a, b any) bool {
	switch a.(type) {
	case *pyList, *Dict, *Set, *namespace, *macro, *loopCtx, *module, *undefined, *builtinFunc:
		return a == b
	case nil, bool:
		return a == b
	}
	eq, err := equal(a, b)
	return err == nil && eq && typeName(a) == typeName(b)
}
