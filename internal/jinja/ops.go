package jinja

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Python semantics for truth, equality, ordering, arithmetic, membership,
// iteration and length. Integers are 64-bit: results that would need
// Python's big integers are reported as errors instead of wrapping.

// maxSize bounds the strings and lists a template may build, so a typo
// cannot ask for unbounded memory (Python would raise MemoryError much
// later). No workflow needs millions of items.
const maxSize = 1 << 22

func truth(v any) (bool, error) {
	switch v := v.(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case int:
		return v != 0, nil
	case float64:
		return v != 0, nil
	case string:
		return v != "", nil
	case *pyList:
		return len(v.items) > 0, nil
	case Tuple:
		return len(v) > 0, nil
	case *Dict:
		return v.Len() > 0, nil
	case *Set:
		return v.d.Len() > 0, nil
	case *pyRange:
		return v.length() > 0, nil
	case *dictView:
		return len(v.items) > 0, nil
	case *undefined:
		if v.lenient {
			return false, nil
		}
		return false, v.err()
	}
	return true, nil
}

// asNumber returns v as int or float64 when it is a Python number (bools
// count as ints).
func asNumber(v any) (any, bool) {
	switch v := v.(type) {
	case int, float64:
		return v, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return nil, false
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// maxCompareDepth stands in for the RecursionError Python raises when
// comparing containers that contain each other.
const maxCompareDepth = 500

func tooDeep() error {
	return &evalError{kind: "RecursionError", msg: "maximum recursion depth exceeded in comparison"}
}

// sameContainer reports whether a and b are the same list, dict or set:
// Python compares container items by identity first.
func sameContainer(a, b any) bool {
	switch a.(type) {
	case *pyList, *Dict, *Set:
		return a == b
	}
	return false
}

// equal is Python's ==.
func equal(a, b any) (bool, error) { return equalDepth(a, b, 0) }

func equalDepth(a, b any, depth int) (bool, error) {
	if depth > maxCompareDepth {
		return false, tooDeep()
	}
	if sameContainer(a, b) {
		return true, nil
	}
	if u, ok := a.(*undefined); ok && u.lenient {
		_, same := b.(*undefined)
		return same, nil
	}
	if u, ok := b.(*undefined); ok && u.lenient {
		_, same := a.(*undefined)
		return same, nil
	}
	if u, ok := a.(*undefined); ok {
		return false, u.err()
	}
	if u, ok := b.(*undefined); ok {
		return false, u.err()
	}
	if x, ok := asNumber(a); ok {
		y, ok := asNumber(b)
		if !ok {
			return false, nil
		}
		xi, xInt := x.(int)
		yi, yInt := y.(int)
		if xInt && yInt {
			return xi == yi, nil
		}
		return toFloat(x) == toFloat(y), nil
	}
	switch a := a.(type) {
	case nil:
		return b == nil, nil
	case string:
		s, ok := b.(string)
		return ok && s == a, nil
	case *pyList:
		l, ok := b.(*pyList)
		if !ok {
			return false, nil
		}
		return equalSeq(a.items, l.items, depth)
	case Tuple:
		t, ok := b.(Tuple)
		if !ok {
			return false, nil
		}
		return equalSeq(a, t, depth)
	case *Dict:
		d, ok := b.(*Dict)
		if !ok || d.Len() != a.Len() {
			return false, nil
		}
		for i, k := range a.keys {
			v, ok := d.Get(k)
			if !ok {
				return false, nil
			}
			if eq, err := equalDepth(a.vals[i], v, depth+1); err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	case *Set:
		s, ok := b.(*Set)
		if !ok || s.d.Len() != a.d.Len() {
			return false, nil
		}
		for _, k := range a.d.keys {
			if _, ok := s.d.Get(k); !ok {
				return false, nil
			}
		}
		return true, nil
	case *pyRange:
		r, ok := b.(*pyRange)
		if !ok {
			return false, nil
		}
		n := a.length()
		return n == r.length() && (n == 0 || a.start == r.start && (n == 1 || a.step == r.step)), nil
	}
	return a == b, nil
}

func equalSeq(a, b []any, depth int) (bool, error) {
	if len(a) != len(b) {
		return false, nil
	}
	for i := range a {
		if eq, err := equalDepth(a[i], b[i], depth+1); err != nil || !eq {
			return false, err
		}
	}
	return true, nil
}

// less is Python's <, with its TypeError for mixed types.
func less(a, b any) (bool, error) {
	c, err := compare(a, b, "<")
	return c < 0, err
}

// compare orders a and b (-1, 0, 1) as Python's rich comparison does for
// the types templates use; op only words the TypeError.
func compare(a, b any, op string) (int, error) { return compareDepth(a, b, op, 0) }

func compareDepth(a, b any, op string, depth int) (int, error) {
	if depth > maxCompareDepth {
		return 0, tooDeep()
	}
	if sameContainer(a, b) {
		return 0, nil
	}
	if u, ok := a.(*undefined); ok {
		return 0, u.err()
	}
	if u, ok := b.(*undefined); ok {
		return 0, u.err()
	}
	if x, ok := asNumber(a); ok {
		if y, ok := asNumber(b); ok {
			xi, xInt := x.(int)
			yi, yInt := y.(int)
			if xInt && yInt {
				return cmpInt(xi, yi), nil
			}
			xf, yf := toFloat(x), toFloat(y)
			switch {
			case xf < yf:
				return -1, nil
			case xf > yf:
				return 1, nil
			}
			return 0, nil
		}
	}
	switch a := a.(type) {
	case string:
		if s, ok := b.(string); ok {
			return strings.Compare(a, s), nil
		}
	case *pyList:
		if l, ok := b.(*pyList); ok {
			return compareSeq(a.items, l.items, op, depth)
		}
	case Tuple:
		if t, ok := b.(Tuple); ok {
			return compareSeq(a, t, op, depth)
		}
	}
	return 0, typeErr("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareSeq(a, b []any, op string, depth int) (int, error) {
	for i := 0; i < len(a) && i < len(b); i++ {
		eq, err := equalDepth(a[i], b[i], depth+1)
		if err != nil {
			return 0, err
		}
		if !eq {
			return compareDepth(a[i], b[i], op, depth+1)
		}
	}
	return cmpInt(len(a), len(b)), nil
}

// compareOp evaluates one comparison operator of a chain.
func compareOp(op string, a, b any) (bool, error) {
	switch op {
	case "==":
		return equal(a, b)
	case "!=":
		eq, err := equal(a, b)
		return !eq, err
	case "in":
		return contains(b, a)
	case "not in":
		in, err := contains(b, a)
		return !in, err
	}
	c, err := compare(a, b, op)
	if err != nil {
		return false, err
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// contains is Python's "item in container".
func contains(container, item any) (bool, error) {
	if u, ok := item.(*undefined); ok {
		return false, u.err()
	}
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, typeErr("'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(c, s), nil
	case *Dict:
		if _, err := hashKey(item); err != nil {
			return false, err
		}
		_, ok := c.Get(item)
		return ok, nil
	case *Set:
		if _, err := hashKey(item); err != nil {
			return false, err
		}
		_, ok := c.d.Get(item)
		return ok, nil
	case *pyRange:
		n, ok := asNumber(item)
		if !ok {
			return false, nil
		}
		f := toFloat(n)
		if f != math.Trunc(f) {
			return false, nil
		}
		i := int(f)
		if c.step > 0 && (i < c.start || i >= c.stop) || c.step < 0 && (i > c.start || i <= c.stop) {
			return false, nil
		}
		return (i-c.start)%c.step == 0, nil
	case *undefined:
		if c.lenient {
			return false, nil
		}
		return false, c.err()
	}
	items, err := iterate(container)
	if err != nil {
		return false, typeErr("argument of type '%s' is not iterable", typeName(container))
	}
	for _, x := range items {
		eq, err := equal(x, item)
		if err != nil {
			return false, err
		}
		if eq {
			return true, nil
		}
	}
	return false, nil
}

// iterate returns the items a for-loop over v visits (dict keys for dicts).
func iterate(v any) ([]any, error) {
	switch v := v.(type) {
	case *pyList:
		return append([]any(nil), v.items...), nil
	case Tuple:
		return v, nil
	case string:
		out := make([]any, 0, utf8.RuneCountInString(v))
		for _, r := range v {
			out = append(out, string(r))
		}
		return out, nil
	case *Dict:
		return v.Keys(), nil
	case *Set:
		return v.d.Keys(), nil
	case *dictView:
		return append([]any(nil), v.items...), nil
	case *pyRange:
		n := v.length()
		if n > maxSize {
			return nil, &evalError{kind: "MemoryError", msg: "range is too long to materialise"}
		}
		out := make([]any, n)
		for i := range out {
			out[i] = v.at(i)
		}
		return out, nil
	case *undefined:
		if v.lenient {
			return nil, nil
		}
		return nil, v.err()
	}
	return nil, typeErr("'%s' object is not iterable", typeName(v))
}

// length is Python's len().
func length(v any) (int, error) {
	switch v := v.(type) {
	case string:
		return utf8.RuneCountInString(v), nil
	case *pyList:
		return len(v.items), nil
	case Tuple:
		return len(v), nil
	case *Dict:
		return v.Len(), nil
	case *Set:
		return v.d.Len(), nil
	case *pyRange:
		return v.length(), nil
	case *dictView:
		return len(v.items), nil
	case *undefined:
		if v.lenient {
			return 0, nil
		}
		return 0, v.err()
	}
	return 0, typeErr("object of type '%s' has no len()", typeName(v))
}
