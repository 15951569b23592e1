package jinja

import (
	"math"
	"sort"
)

// Methods of Python's list, tuple, dict and set, and the sort they share
// with the sort filter.

var listMethods = map[string]methodFunc{
	"append": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("append", []string{"object"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		if len(l.items) >= maxSize {
			return nil, &evalError{kind: "MemoryError", msg: "list is too long"}
		}
		l.items = append(l.items, v[0])
		return nil, nil
	},
	"extend": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("extend", []string{"iterable"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		items, err := iterate(v[0])
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		if len(l.items)+len(items) > maxSize {
			return nil, &evalError{kind: "MemoryError", msg: "list is too long"}
		}
		l.items = append(l.items, items...)
		return nil, nil
	},
	"insert": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("insert", []string{"index", "object"}, 2, args, kw)
		if err != nil {
			return nil, err
		}
		i, err := wantInt("insert", v[0])
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		n := len(l.items)
		if i < 0 {
			i = max(i+n, 0)
		}
		i = min(i, n)
		l.items = append(l.items[:i], append([]any{v[1]}, l.items[i:]...)...)
		return nil, nil
	},
	"pop": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("pop", []string{"index"}, 0, args, kw)
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		if len(l.items) == 0 {
			return nil, &evalError{kind: "IndexError", msg: "pop from empty list"}
		}
		i := len(l.items) - 1
		if v[0] != noValue {
			if i, err = wantInt("pop", v[0]); err != nil {
				return nil, err
			}
			if i < 0 {
				i += len(l.items)
			}
			if i < 0 || i >= len(l.items) {
				return nil, &evalError{kind: "IndexError", msg: "pop index out of range"}
			}
		}
		item := l.items[i]
		l.items = append(l.items[:i:i], l.items[i+1:]...)
		return item, nil
	},
	"remove": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("remove", []string{"value"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		for i, it := range l.items {
			eq, err := equal(it, v[0])
			if err != nil {
				return nil, err
			}
			if eq {
				l.items = append(l.items[:i:i], l.items[i+1:]...)
				return nil, nil
			}
		}
		return nil, valueErr("list.remove(x): x not in list")
	},
	"index": seqIndex("list"),
	"count": seqCount,
	"reverse": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		l := self.(*pyList)
		for i, j := 0, len(l.items)-1; i < j; i, j = i+1, j-1 {
			l.items[i], l.items[j] = l.items[j], l.items[i]
		}
		return nil, nil
	},
	"sort": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("sort", []string{"key", "reverse"}, 0, nil, kw)
		if err != nil {
			return nil, err
		}
		if len(args) > 0 {
			return nil, typeErr("sort() takes no positional arguments")
		}
		if v[0] != noValue && v[0] != nil {
			return nil, typeErr("gyre does not support sort(key=...); use the sort filter's attribute argument")
		}
		rev, err := truth(orDefault(v[1], false))
		if err != nil {
			return nil, err
		}
		l := self.(*pyList)
		return nil, sortValues(l.items, rev, func(x any) (any, error) { return x, nil })
	},
	"copy": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		return &pyList{items: append([]any(nil), self.(*pyList).items...)}, nil
	},
	"clear": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		self.(*pyList).items = nil
		return nil, nil
	},
}

var tupleMethods = map[string]methodFunc{
	"index": seqIndex("tuple"),
	"count": seqCount,
}

func seqItems(self any) []any {
	if l, ok := self.(*pyList); ok {
		return l.items
	}
	return self.(Tuple)
}

func seqIndex(kind string) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("index", []string{"value", "start", "stop"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		items := seqItems(self)
		lo, hi := 0, len(items)
		if v[1] != noValue {
			if lo, err = wantInt("index", v[1]); err != nil {
				return nil, err
			}
		}
		if v[2] != noValue {
			if hi, err = wantInt("index", v[2]); err != nil {
				return nil, err
			}
		}
		lo, hi = sliceIndices(len(items), lo, hi, 1, true, true)
		for i := lo; i < hi; i++ {
			eq, err := equal(items[i], v[0])
			if err != nil {
				return nil, err
			}
			if eq {
				return i, nil
			}
		}
		if kind == "tuple" {
			return nil, valueErr("tuple.index(x): x not in tuple")
		}
		s, _ := repr(v[0])
		return nil, valueErr("%s is not in list", s)
	}
}

func seqCount(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("count", []string{"value"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, it := range seqItems(self) {
		eq, err := equal(it, v[0])
		if err != nil {
			return nil, err
		}
		if eq {
			n++
		}
	}
	return n, nil
}

// dictView is what dict.keys(), .values() and .items() return.
type dictView struct {
	kind  string // "keys", "values" or "items"
	items []any
}

var dictMethods = map[string]methodFunc{
	"get": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		if len(kw) > 0 {
			return nil, typeErr("get() takes no keyword arguments")
		}
		v, err := bindArgs("get", []string{"key", "default"}, 1, args, nil)
		if err != nil {
			return nil, err
		}
		if _, err := hashKey(v[0]); err != nil {
			return nil, err
		}
		if got, ok := self.(*Dict).Get(v[0]); ok {
			return got, nil
		}
		return orDefault(v[1], nil), nil
	},
	"keys": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		return &dictView{kind: "keys", items: self.(*Dict).Keys()}, nil
	},
	"values": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		return &dictView{kind: "values", items: append([]any(nil), self.(*Dict).vals...)}, nil
	},
	"items": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		d := self.(*Dict)
		items := make([]any, len(d.keys))
		for i, k := range d.keys {
			items[i] = Tuple{k, d.vals[i]}
		}
		return &dictView{kind: "items", items: items}, nil
	},
	"pop": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("pop", []string{"key", "default"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		if _, err := hashKey(v[0]); err != nil {
			return nil, err
		}
		if got, ok := self.(*Dict).delete(v[0]); ok {
			return got, nil
		}
		if v[1] != noValue {
			return v[1], nil
		}
		s, _ := repr(v[0])
		return nil, &evalError{kind: "KeyError", msg: s}
	},
	"popitem": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		d := self.(*Dict)
		if d.Len() == 0 {
			return nil, &evalError{kind: "KeyError", msg: "'popitem(): dictionary is empty'"}
		}
		k := d.keys[len(d.keys)-1]
		v, _ := d.delete(k)
		return Tuple{k, v}, nil
	},
	"setdefault": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("setdefault", []string{"key", "default"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		d := self.(*Dict)
		if got, ok := d.Get(v[0]); ok {
			return got, nil
		}
		def := orDefault(v[1], nil)
		return def, d.Set(v[0], def)
	},
	"update": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		if len(args) > 1 {
			return nil, typeErr("update expected at most 1 argument, got %d", len(args))
		}
		d := self.(*Dict)
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
		return nil, nil
	},
	"copy": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		return self.(*Dict).copy(), nil
	},
	"clear": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		d := self.(*Dict)
		*d = Dict{index: map[string]int{}, label: d.label}
		return nil, nil
	},
}

// updateDict adds a mapping or an iterable of pairs to d.
func updateDict(d *Dict, src any) error {
	if o, ok := src.(*Dict); ok {
		for i, k := range o.keys {
			if err := d.Set(k, o.vals[i]); err != nil {
				return err
			}
		}
		return nil
	}
	items, err := iterate(src)
	if err != nil {
		return typeErr("'%s' object is not iterable", typeName(src))
	}
	for i, it := range items {
		pair, err := iterate(it)
		if err != nil || len(pair) != 2 {
			return valueErr("dictionary update sequence element #%d has wrong length", i)
		}
		if err := d.Set(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

var setMethods = map[string]methodFunc{
	"add": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("add", []string{"elem"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		return nil, self.(*Set).Add(v[0])
	},
	"discard": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("discard", []string{"elem"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		self.(*Set).d.delete(v[0])
		return nil, nil
	},
	"union": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		out := NewSet()
		for _, k := range self.(*Set).d.keys {
			_ = out.Add(k)
		}
		for _, a := range args {
			items, err := iterate(a)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if err := out.Add(it); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	},
}

var floatMethods = map[string]methodFunc{
	"is_integer": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		f := self.(float64)
		return f == math.Trunc(f) && !math.IsInf(f, 0), nil
	},
}

var intMethods = map[string]methodFunc{}

// sortValues sorts items in place by key with Python's ordering; the sort
// is stable, as Python's is.
func sortValues(items []any, reverse bool, key func(any) (any, error)) error {
	keys := make([]any, len(items))
	for i, it := range items {
		k, err := key(it)
		if err != nil {
			return err
		}
		keys[i] = k
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	sort.SliceStable(idx, func(a, b int) bool {
		if sortErr != nil {
			return false
		}
		x, y := keys[idx[a]], keys[idx[b]]
		if reverse {
			x, y = y, x
		}
		lt, err := less(x, y)
		if err != nil {
			sortErr = err
		}
		return lt
	})
	if sortErr != nil {
		return sortErr
	}
	sorted := make([]any, len(items))
	for i, j := range idx {
		sorted[i] = items[j]
	}
	copy(items, sorted)
	return nil
}
