package jinja

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Sequence filters.

func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// attrParts splits a filter's attribute argument ("a.b.0") into lookups,
// digits becoming integer indexes, as jinja2.filters does.
func attrParts(attr any) []any {
	s, ok := attr.(string)
	if !ok {
		return []any{attr}
	}
	var parts []any
	for _, p := range strings.Split(s, ".") {
		if n, err := strconv.Atoi(p); err == nil && isDigits(p) {
			parts = append(parts, n)
		} else {
			parts = append(parts, p)
		}
	}
	return parts
}

// getAttrPath looks attr up on item with getitem semantics; def replaces
// undefined results when not nil.
func (r *renderer) getAttrPath(item, attr, def any) (any, error) {
	for _, p := range attrParts(attr) {
		v, err := r.getitem(item, p)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(*undefined); ok && def != nil {
			v = def
		}
		item = v
	}
	return item, nil
}

func (r *renderer) mapAttr(items []any, attr, def any) ([]any, error) {
	out := make([]any, len(items))
	for i, it := range items {
		v, err := r.getAttrPath(it, attr, def)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func ignoreCase(v any) any {
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return v
}

// sortKey builds the key function of the sort/unique/min/max filters.
func (r *renderer) sortKey(attr any, caseSensitive bool) func(any) (any, error) {
	return func(item any) (any, error) {
		if attr != nil {
			var keys []any
			for _, a := range strings.Split(attr.(string), ",") {
				v, err := r.getAttrPath(item, a, nil)
				if err != nil {
					return nil, err
				}
				if !caseSensitive {
					v = ignoreCase(v)
				}
				keys = append(keys, v)
			}
			if len(keys) == 1 {
				return keys[0], nil
			}
			return Tuple(keys), nil
		}
		if !caseSensitive {
			return ignoreCase(item), nil
		}
		return item, nil
	}
}

func filterSort(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("sort", []string{"reverse", "case_sensitive", "attribute"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	rev, err := truth(orDefault(a[0], false))
	if err != nil {
		return nil, err
	}
	cs, err := truth(orDefault(a[1], false))
	if err != nil {
		return nil, err
	}
	attr := orDefault(a[2], nil)
	if attr != nil {
		if _, ok := attr.(string); !ok {
			attr = nil
		}
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	return &pyList{items: items}, sortValues(items, rev, r.sortKey(attr, cs))
}

func filterUnique(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("unique", []string{"case_sensitive", "attribute"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	cs, err := truth(orDefault(a[0], false))
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	key := r.sortKey(orDefault(a[1], nil), cs)
	seen := NewDict()
	var out []any
	for _, it := range items {
		k, err := key(it)
		if err != nil {
			return nil, err
		}
		if _, ok := seen.Get(k); ok {
			continue
		}
		if err := seen.Set(k, true); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return &pyList{items: out}, nil
}

func minMax(name string, want int) filterFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (any, error) {
		a, err := bindArgs(name, []string{"case_sensitive", "attribute"}, 0, args, kw)
		if err != nil {
			return nil, err
		}
		cs, err := truth(orDefault(a[0], false))
		if err != nil {
			return nil, err
		}
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &undefined{hint: "No aggregated item, sequence was empty."}, nil
		}
		key := r.sortKey(orDefault(a[1], nil), cs)
		best := items[0]
		bestKey, err := key(best)
		if err != nil {
			return nil, err
		}
		for _, it := range items[1:] {
			k, err := key(it)
			if err != nil {
				return nil, err
			}
			c, err := compare(k, bestKey, map[int]string{1: ">", -1: "<"}[want])
			if err != nil {
				return nil, err
			}
			if c == want {
				best, bestKey = it, k
			}
		}
		return best, nil
	}
}

func filterFirst(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return &undefined{hint: "No first item, sequence was empty."}, nil
	}
	return items[0], nil
}

func filterLast(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return &undefined{hint: "No last item, sequence was empty."}, nil
	}
	return items[len(items)-1], nil
}

func filterRandom(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return &undefined{hint: "No random item, sequence was empty."}, nil
	}
	return items[rand.IntN(len(items))], nil
}

func filterList(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	return &pyList{items: items}, nil
}

func filterReverse(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	if s, ok := v.(string); ok {
		runes := []rune(s)
		for i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {
			runes[i], runes[j] = runes[j], runes[i]
		}
		return string(runes), nil
	}
	items, err := iterate(v)
	if err != nil {
		if _, ok := v.(*undefined); ok {
			return nil, err
		}
		return nil, &evalError{kind: "FilterArgumentError", msg: "argument must be iterable"}
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return &pyList{items: out}, nil
}

func filterItems(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	if _, ok := v.(*undefined); ok {
		return &pyList{}, nil
	}
	d, ok := v.(*Dict)
	if !ok {
		return nil, typeErr("Can only get item pairs from a mapping.")
	}
	out := make([]any, len(d.keys))
	for i, k := range d.keys {
		out[i] = Tuple{k, d.vals[i]}
	}
	return &pyList{items: out}, nil
}

func filterDictsort(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("dictsort", []string{"case_sensitive", "by", "reverse"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	cs, err := truth(orDefault(a[0], false))
	if err != nil {
		return nil, err
	}
	pos := 0
	switch orDefault(a[1], "key") {
	case "key":
	case "value":
		pos = 1
	default:
		return nil, &evalError{kind: "FilterArgumentError", msg: `You can only sort by either "key" or "value"`}
	}
	rev, err := truth(orDefault(a[2], false))
	if err != nil {
		return nil, err
	}
	pairs, err := filterItems(r, v, nil, nil)
	if err != nil {
		return nil, err
	}
	items := pairs.(*pyList).items
	err = sortValues(items, rev, func(it any) (any, error) {
		k := it.(Tuple)[pos]
		if !cs {
			k = ignoreCase(k)
		}
		return k, nil
	})
	return &pyList{items: items}, err
}

func filterBatch(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("batch", []string{"linecount", "fill_with"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	n, err := wantInt("batch", a[0])
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, valueErr("batch size must be positive")
	}
	fill := orDefault(a[1], nil)
	var out []any
	for i := 0; i < len(items); i += n {
		chunk := append([]any(nil), items[i:min(i+n, len(items))]...)
		for fill != nil && len(chunk) < n {
			chunk = append(chunk, fill)
		}
		out = append(out, &pyList{items: chunk})
	}
	return &pyList{items: out}, nil
}

func filterSlice(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("slice", []string{"slices", "fill_with"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	slices, err := wantInt("slice", a[0])
	if err != nil {
		return nil, err
	}
	if slices <= 0 || slices > maxSize {
		return nil, &evalError{kind: "ZeroDivisionError", msg: "integer division or modulo by zero"}
	}
	seq, err := iterate(v)
	if err != nil {
		return nil, err
	}
	fill := orDefault(a[1], nil)
	per, extra := len(seq)/slices, len(seq)%slices
	offset := 0
	var out []any
	for i := 0; i < slices; i++ {
		start := offset + i*per
		if i < extra {
			offset++
		}
		end := offset + (i+1)*per
		chunk := append([]any(nil), seq[start:end]...)
		if fill != nil && i >= extra {
			chunk = append(chunk, fill)
		}
		out = append(out, &pyList{items: chunk})
	}
	return &pyList{items: out}, nil
}

func filterSum(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("sum", []string{"attribute", "start"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if attr := orDefault(a[0], nil); attr != nil {
		if items, err = r.mapAttr(items, attr, nil); err != nil {
			return nil, err
		}
	}
	total := orDefault(a[1], 0)
	for _, it := range items {
		if total, err = binaryOp("+", total, it); err != nil {
			return nil, err
		}
	}
	return total, nil
}
