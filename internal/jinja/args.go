package jinja

import (
	"strings"
)

// noValue marks an optional argument the caller did not pass.
var noValue = &struct{ _ byte }{}

// bindArgs matches positional and keyword arguments to parameter names
// the way Python binds a call, returning one value per parameter (noValue
// for optional ones not given). The first `required` params are mandatory.
func bindArgs(fname string, params []string, required int, args []any, kw []kwarg) ([]any, error) {
	if len(args) > len(params) {
		return nil, typeErr("%s() takes at most %d argument%s (%d given)", fname, len(params), plural(len(params)), len(args))
	}
	vals := make([]any, len(params))
	for i := range vals {
		vals[i] = noValue
	}
	copy(vals, args)
	for _, k := range kw {
		idx := -1
		for i, p := range params {
			if p == k.name {
				idx = i
			}
		}
		if idx < 0 {
			return nil, typeErr("%s() got an unexpected keyword argument %s", fname, reprString(k.name))
		}
		if vals[idx] != noValue {
			return nil, typeErr("%s() got multiple values for argument %s", fname, reprString(k.name))
		}
		vals[idx] = k.val
	}
	var missing []string
	for i := 0; i < required; i++ {
		if vals[i] == noValue {
			missing = append(missing, reprString(params[i]))
		}
	}
	if len(missing) > 0 {
		return nil, typeErr("%s() missing %d required argument%s: %s", fname, len(missing), plural(len(missing)), strings.Join(missing, " and "))
	}
	return vals, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// orDefault returns v, or def when the argument was not given.
func orDefault(v, def any) any {
	if v == noValue {
		return def
	}
	return v
}

// wantString and friends check an argument's type with Python's wording.
func wantString(fname string, v any) (string, error) {
	if u, ok := v.(*undefined); ok {
		return "", u.err()
	}
	s, ok := v.(string)
	if !ok {
		return "", typeErr("%s() argument must be str, not %s", fname, typeName(v))
	}
	return s, nil
}

func wantInt(fname string, v any) (int, error) {
	if u, ok := v.(*undefined); ok {
		return 0, u.err()
	}
	i, ok := asIndex(v)
	if !ok {
		return 0, typeErr("'%s' object cannot be interpreted as an integer", typeName(v))
	}
	return i, nil
}

// method returns the bound method name of a built-in value, or nil.
func method(obj any, name string) callable {
	var table map[string]methodFunc
	switch obj.(type) {
	case string:
		table = strMethods
	case *pyList:
		table = listMethods
	case *Dict:
		table = dictMethods
	case Tuple:
		table = tupleMethods
	case *Set:
		table = setMethods
	case float64:
		table = floatMethods
	case int:
		table = intMethods
	default:
		return nil
	}
	m, ok := table[name]
	if !ok {
		return nil
	}
	return &builtinFunc{name: name, fn: func(r *renderer, args []any, kw []kwarg) (any, error) {
		return m(r, obj, args, kw)
	}}
}

type methodFunc func(r *renderer, self any, args []any, kw []kwarg) (any, error)
