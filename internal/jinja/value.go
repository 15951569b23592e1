package jinja

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Template values are Go values standing for Python objects:
//
//	None → nil, bool → bool, int → int, float → float64, str → string,
//	list → *pyList, tuple → Tuple, dict → *Dict, set → *Set,
//	range → *pyRange, undefined → *undefined, callables → callable.
//
// Lists and dicts are pointers because Python mutates them in place:
// {% do items.append(x) %} inside a loop must change the list outside it.

// pyList is a Python list.
type pyList struct{ items []any }

// Tuple is a Python tuple (immutable, hashable when its items are).
type Tuple []any

// Dict is a Python dict: insertion-ordered, with Python's key equality
// (1, 1.0 and True are the same key). The zero value is not usable; call
// NewDict.
type Dict struct {
	keys  []any
	vals  []any
	index map[string]int
	label string // Python type name when not "dict" (os.environ is "os._Environ")
}

// NewDict returns an empty Dict.
func NewDict() *Dict { return &Dict{index: map[string]int{}} }

// Set stores val under key; it fails for unhashable keys (lists, dicts).
func (d *Dict) Set(key, val any) error {
	h, err := hashKey(key)
	if err != nil {
		return err
	}
	if i, ok := d.index[h]; ok {
		d.vals[i] = val
		return nil
	}
	d.index[h] = len(d.keys)
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, val)
	return nil
}

// Get returns the value stored under key.
func (d *Dict) Get(key any) (any, bool) {
	h, err := hashKey(key)
	if err != nil {
		return nil, false
	}
	i, ok := d.index[h]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []any { return append([]any(nil), d.keys...) }

// Len is the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

func (d *Dict) delete(key any) (any, bool) {
	h, err := hashKey(key)
	if err != nil {
		return nil, false
	}
	i, ok := d.index[h]
	if !ok {
		return nil, false
	}
	v := d.vals[i]
	d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i:i], d.vals[i+1:]...)
	delete(d.index, h)
	for k, j := range d.index {
		if j > i {
			d.index[k] = j - 1
		}
	}
	return v, true
}

func (d *Dict) copy() *Dict {
	c := NewDict()
	for i, k := range d.keys {
		_ = c.Set(k, d.vals[i])
	}
	return c
}

// Set is a Python set. Python orders sets by hash, which Go cannot
// reproduce for strings; gyre keeps insertion order.
type Set struct{ d *Dict }

// NewSet returns an empty Set.
func NewSet() *Set { return &Set{d: NewDict()} }

// Add inserts v; it fails for unhashable values.
func (s *Set) Add(v any) error { return s.d.Set(v, true) }

// Items returns the members in insertion order.
func (s *Set) Items() []any { return s.d.Keys() }

// pySlice is a slice object, as in x[1:2, 3]; only its repr matters.
type pySlice struct{ start, stop, step any }

// pyRange is the lazy sequence range() returns.
type pyRange struct{ start, stop, step int }

func (r *pyRange) length() int {
	switch {
	case r.step > 0 && r.start < r.stop:
		return (r.stop - r.start + r.step - 1) / r.step
	case r.step < 0 && r.start > r.stop:
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

func (r *pyRange) at(i int) int { return r.start + i*r.step }

// undefined is Jinja2's StrictUndefined: it may be tested with "is defined"
// or replaced by the default filter, and any other use is an error.
type undefined struct {
	name   any    // variable, attribute or key that was missing
	obj    any    // object it was looked up on
	hasObj bool   // false for a plain missing variable
	hint   string // replaces the generated message when set
	// lenient marks the plain (non-strict) Undefined Jinja2 yields for an
	// inline if without else: it prints as "" and is false.
	lenient bool
	// known lists names that were defined, for a did-you-mean hint.
	known func() []string
}

func (u *undefined) message() string {
	if u.hint != "" {
		return u.hint
	}
	if !u.hasObj {
		return fmt.Sprintf("%s is undefined", reprOrStr(u.name))
	}
	if _, ok := u.name.(string); !ok {
		return fmt.Sprintf("%s has no element %s", objectTypeRepr(u.obj), reprOrStr(u.name))
	}
	return fmt.Sprintf("%s has no attribute %s", reprString(objectTypeRepr(u.obj)), reprOrStr(u.name))
}

func (u *undefined) err() error {
	msg := u.message()
	if name, ok := u.name.(string); ok && u.known != nil && u.hint == "" {
		if best := closest(name, u.known()); best != "" {
			msg += " (did you mean " + reprString(best) + "?)"
		}
	}
	return &evalError{kind: "UndefinedError", msg: msg}
}

func reprOrStr(v any) string {
	s, err := repr(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}

// kwarg is a keyword argument in a call.
type kwarg struct {
	name string
	val  any
}

// callable is anything a template can call: built-in functions, bound
// methods, macros and the recursive loop.
type callable interface {
	call(r *renderer, args []any, kw []kwarg) (any, error)
	funcName() string
}

type builtinFunc struct {
	name string
	fn   func(r *renderer, args []any, kw []kwarg) (any, error)
}

func (f *builtinFunc) call(r *renderer, args []any, kw []kwarg) (any, error) {
	return f.fn(r, args, kw)
}
func (f *builtinFunc) funcName() string { return f.name }

// namespace is the object namespace() returns: the one thing a
// {% set ns.attr = ... %} may assign to, so loops can carry state out.
type namespace struct{ attrs *Dict }

// typeName is Python's type(v).__name__.
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case *pyList:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		if v.label != "" {
			return v.label
		}
		return "dict"
	case *Set:
		return "set"
	case *pyRange:
		return "range"
	case *pySlice:
		return "slice"
	case *dictView:
		return "dict_" + v.kind
	case *undefined:
		return "StrictUndefined"
	case *namespace:
		return "Namespace"
	case *macro:
		return "Macro"
	case *loopCtx:
		return "LoopContext"
	case *module:
		return "TemplateModule"
	case callable:
		return "builtin_function_or_method"
	}
	return fmt.Sprintf("%T", v)
}

// objectTypeRepr is jinja2.utils.object_type_repr, used in undefined
// messages: "dict object", "None", "os._Environ object".
func objectTypeRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case *Dict:
		if v.label != "" {
			return "os." + v.label + " object"
		}
	case *namespace:
		return "jinja2.utils.Namespace object"
	case *macro:
		return "jinja2.runtime.Macro object"
	case *loopCtx:
		return "jinja2.runtime.LoopContext object"
	case *module:
		return "jinja2.environment.TemplateModule object"
	}
	return typeName(v) + " object"
}

// toStr is Python's str(v), which is what {{ v }} prints.
func toStr(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case nil:
		return "None", nil
	case bool:
		if v {
			return "True", nil
		}
		return "False", nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return formatFloat(v), nil
	case *undefined:
		if v.lenient {
			return "", nil
		}
		return "", v.err()
	case *macro:
		return "<Macro '" + v.name + "'>", nil
	case *loopCtx:
		return fmt.Sprintf("<LoopContext %d/%d>", v.index+1, v.length), nil
	case callable:
		return "<built-in function " + v.funcName() + ">", nil
	}
	return repr(v)
}

// repr is Python's repr(v), used for items inside printed containers.
func repr(v any) (string, error) { return reprIn(v, nil) }

// reprIn is repr that prints a container already being printed as
// [...] or {...}, as Python does for self-containing lists and dicts.
func reprIn(v any, open map[any]bool) (string, error) {
	switch x := v.(type) {
	case *pyList, *Dict:
		if open[x] {
			if _, isList := x.(*pyList); isList {
				return "[...]", nil
			}
			return "{...}", nil
		}
		if open == nil {
			open = map[any]bool{}
		}
		open[x] = true
		defer delete(open, x)
	}
	switch v := v.(type) {
	case string:
		return reprString(v), nil
	case *pyList:
		return reprSeq("[", "]", v.items, false, open)
	case Tuple:
		return reprSeq("(", ")", v, len(v) == 1, open)
	case *Dict:
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			ks, err := reprIn(k, open)
			if err != nil {
				return "", err
			}
			vs, err := reprIn(v.vals[i], open)
			if err != nil {
				return "", err
			}
			b.WriteString(ks + ": " + vs)
		}
		b.WriteByte('}')
		if v.label != "" {
			return "environ(" + b.String() + ")", nil
		}
		return b.String(), nil
	case *Set:
		if v.d.Len() == 0 {
			return "set()", nil
		}
		return reprSeq("{", "}", v.d.keys, false, open)
	case *pySlice:
		var parts [3]string
		for i, p := range []any{v.start, v.stop, v.step} {
			s, err := reprIn(p, open)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "slice(" + strings.Join(parts[:], ", ") + ")", nil
	case *pyRange:
		if v.step == 1 {
			return fmt.Sprintf("range(%d, %d)", v.start, v.stop), nil
		}
		return fmt.Sprintf("range(%d, %d, %d)", v.start, v.stop, v.step), nil
	case *dictView:
		s, err := reprSeq("[", "]", v.items, false, open)
		return "dict_" + v.kind + "(" + s + ")", err
	case *namespace:
		s, err := reprIn(v.attrs, open)
		return "<Namespace " + s + ">", err
	case *module:
		return "<Template '" + v.name + "'>", nil
	case *undefined:
		// repr() is the one thing StrictUndefined allows.
		return "Undefined", nil
	}
	return toStr(v)
}

func reprSeq(open, close string, items []any, trailingComma bool, seen map[any]bool) (string, error) {
	var b strings.Builder
	b.WriteString(open)
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		s, err := reprIn(it, seen)
		if err != nil {
			return "", err
		}
		if b.Len()+len(s) > maxOutput {
			return "", &evalError{kind: "MemoryError", msg: "value is too large to print"}
		}
		b.WriteString(s)
	}
	if trailingComma {
		b.WriteByte(',')
	}
	b.WriteString(close)
	return b.String(), nil
}

// hashKey gives dict keys Python's equality: numbers that compare equal
// share a key, tuples hash by content, lists and dicts are unhashable.
func hashKey(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "N", nil
	case bool:
		if v {
			return "i1", nil
		}
		return "i0", nil
	case int:
		return "i" + strconv.Itoa(v), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<62 {
			return "i" + strconv.Itoa(int(v)), nil
		}
		return "f" + strconv.FormatFloat(v, 'g', -1, 64), nil
	case string:
		return "s" + v, nil
	case Tuple:
		var b strings.Builder
		b.WriteString("t(")
		for _, it := range v {
			h, err := hashKey(it)
			if err != nil {
				return "", err
			}
			b.WriteString(strconv.Itoa(len(h)))
			b.WriteByte(':')
			b.WriteString(h)
		}
		b.WriteByte(')')
		return b.String(), nil
	case *pyList, *Dict, *Set:
		return "", typeErr("unhashable type: '%s'", typeName(v))
	case []any:
		return "", typeErr("unhashable type: 'list'")
	case *undefined:
		return "", v.err()
	}
	return fmt.Sprintf("p%p", v), nil
}

// evalError is a runtime error before it is given a file and line.
type evalError struct {
	kind string // Python exception class name
	msg  string
}

func (e *evalError) Error() string { return e.msg }

func typeErr(format string, args ...any) error {
	return &evalError{kind: "TypeError", msg: fmt.Sprintf(format, args...)}
}

func valueErr(format string, args ...any) error {
	return &evalError{kind: "ValueError", msg: fmt.Sprintf(format, args...)}
}
