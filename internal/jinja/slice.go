package jinja

import (
	"strings"
)

// evalSlice is obj[start:stop:step].
func (r *renderer) evalSlice(obj any, sl *sliceExpr, sc *scope) (any, error) {
	if u, ok := obj.(*undefined); ok {
		return nil, u.err()
	}
	bound := func(x expr) (int, bool, error) {
		if x == nil {
			return 0, false, nil
		}
		v, err := r.eval(x, sc)
		if err != nil {
			return 0, false, err
		}
		if v == nil {
			return 0, false, nil
		}
		i, ok := asIndex(v)
		if !ok {
			return 0, false, typeErr("slice indices must be integers or None or have an __index__ method")
		}
		return i, true, nil
	}
	start, hasStart, err := bound(sl.start)
	if err != nil {
		return nil, err
	}
	stop, hasStop, err := bound(sl.stop)
	if err != nil {
		return nil, err
	}
	step, hasStep, err := bound(sl.step)
	if err != nil {
		return nil, err
	}
	if !hasStep {
		step = 1
	}
	if step == 0 {
		return nil, valueErr("slice step cannot be zero")
	}
	pick := func(n int) []int {
		lo, hi := sliceIndices(n, start, stop, step, hasStart, hasStop)
		var idx []int
		if step > 0 {
			for i := lo; i < hi; i += step {
				idx = append(idx, i)
			}
		} else {
			for i := lo; i > hi; i += step {
				idx = append(idx, i)
			}
		}
		return idx
	}
	switch o := obj.(type) {
	case string:
		runes := []rune(o)
		var b strings.Builder
		for _, i := range pick(len(runes)) {
			b.WriteRune(runes[i])
		}
		return b.String(), nil
	case *pyList:
		out := []any{}
		for _, i := range pick(len(o.items)) {
			out = append(out, o.items[i])
		}
		return &pyList{items: out}, nil
	case Tuple:
		out := Tuple{}
		for _, i := range pick(len(o)) {
			out = append(out, o[i])
		}
		return out, nil
	case *pyRange:
		lo, hi := sliceIndices(o.length(), start, stop, step, hasStart, hasStop)
		return &pyRange{start: o.at(lo), stop: o.at(hi), step: o.step * step}, nil
	}
	return &undefined{obj: obj, hasObj: true, name: "slice"}, nil
}

// sliceIndices is Python's slice.indices for a sequence of length n.
func sliceIndices(n, start, stop, step int, hasStart, hasStop bool) (int, int) {
	clamp := func(i, lo, hi int) int {
		if i < lo {
			return lo
		}
		if i > hi {
			return hi
		}
		return i
	}
	if step > 0 {
		if !hasStart {
			start = 0
		} else if start < 0 {
			start += n
		}
		if !hasStop {
			stop = n
		} else if stop < 0 {
			stop += n
		}
		return clamp(start, 0, n), clamp(stop, 0, n)
	}
	if !hasStart {
		start = n - 1
	} else if start < 0 {
		start += n
	}
	if !hasStop {
		stop = -1
	} else if stop < 0 {
		stop += n
	}
	return clamp(start, -1, n-1), clamp(stop, -1, n-1)
}
