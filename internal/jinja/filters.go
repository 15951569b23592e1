package jinja

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Filters: Jinja2 3.1's built-ins (jinja2/filters.py) and Cylc's pad,
// strftime and duration_as. Where a Jinja2 filter returns a generator
// (map, select, unique, ...) gyre returns a list: templates consume these
// with join, list or a loop, where the two behave the same.

type filterFunc func(r *renderer, v any, args []any, kw []kwarg) (any, error)

var filters map[string]filterFunc

func init() {
	filters = map[string]filterFunc{
		"abs":            filterAbs,
		"attr":           filterAttr,
		"batch":          filterBatch,
		"capitalize":     strFilter(pyCapitalize),
		"center":         filterCenter,
		"count":          filterLength,
		"d":              filterDefault,
		"default":        filterDefault,
		"dictsort":       filterDictsort,
		"e":              filterEscape,
		"escape":         filterEscape,
		"forceescape":    filterEscape,
		"filesizeformat": filterFilesize,
		"first":          filterFirst,
		"float":          filterFloat,
		"format":         filterFormat,
		"groupby":        filterGroupby,
		"indent":         filterIndent,
		"int":            filterInt,
		"items":          filterItems,
		"join":           filterJoin,
		"last":           filterLast,
		"length":         filterLength,
		"list":           filterList,
		"lower":          strFilter(strings.ToLower),
		"map":            filterMap,
		"max":            minMax("max", 1),
		"min":            minMax("min", -1),
		"pprint":         filterPprint,
		"random":         filterRandom,
		"reject":         selectReject("reject", false, false),
		"rejectattr":     selectReject("rejectattr", false, true),
		"replace":        filterReplace,
		"reverse":        filterReverse,
		"round":          filterRound,
		"safe":           filterString,
		"select":         selectReject("select", true, false),
		"selectattr":     selectReject("selectattr", true, true),
		"slice":          filterSlice,
		"sort":           filterSort,
		"string":         filterString,
		"striptags":      filterStriptags,
		"sum":            filterSum,
		"title":          strFilter(jinjaTitle),
		"tojson":         filterTojson,
		"trim":           filterTrim,
		"truncate":       filterTruncate,
		"unique":         filterUnique,
		"upper":          strFilter(strings.ToUpper),
		"urlencode":      filterUrlencode,
		"wordcount":      filterWordcount,
		"xmlattr":        filterXmlattr,
		// Cylc's own filters (cylc/flow/jinja/filters).
		"pad":         filterPad,
		"strftime":    filterStrftime,
		"duration_as": filterDurationAs,
	}
}

// applyFilter evaluates a filter call's arguments and runs it on in.
func (r *renderer) applyFilter(f *filterExpr, in any, sc *scope) (any, error) {
	fn, ok := filters[f.name]
	if !ok {
		return nil, r.located(unknownFilter(f.name), f.line)
	}
	args, kw, err := r.evalArgs(f.args, sc, f.line)
	if err != nil {
		return nil, err
	}
	v, err := fn(r, in, args, kw)
	return v, r.located(err, f.line)
}

// applyFilters runs a {% filter %} / {% set x | f %} chain on a rendered
// body (the innermost filter has a nil node).
func (r *renderer) applyFilters(f *filterExpr, body string, sc *scope) (any, error) {
	if f.node == nil {
		return r.applyFilter(f, body, sc)
	}
	in, err := r.applyFilters(f.node.(*filterExpr), body, sc)
	if err != nil {
		return nil, err
	}
	return r.applyFilter(f, in, sc)
}

func unknownFilter(name string) error {
	return &evalError{kind: "TemplateAssertionError", msg: "No filter named " + reprString(name) + "." + suggest(name, filterNames())}
}

func filterNames() []string { return sortedKeysOf(filters) }

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return sortStrings(keys)
}

func strFilter(f func(string) string) filterFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (any, error) {
		if _, err := bindArgs("filter", nil, 0, args, kw); err != nil {
			return nil, err
		}
		s, err := toStr(v)
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

// jinjaTitle is Jinja2's title filter, which splits words on -, whitespace
// and opening brackets (unlike str.title).
func jinjaTitle(s string) string {
	var b strings.Builder
	start := true
	for _, c := range s {
		if c == '-' || isPySpace(c) || strings.ContainsRune("({[<", c) {
			b.WriteRune(c)
			start = true
			continue
		}
		if start {
			b.WriteRune(unicode.ToUpper(c))
		} else {
			b.WriteRune(unicode.ToLower(c))
		}
		start = false
	}
	return b.String()
}

func filterAttr(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("attr", []string{"name"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	name, err := wantString("attr", a[0])
	if err != nil {
		return nil, err
	}
	if u, ok := v.(*undefined); ok {
		return nil, u.err()
	}
	if got, ok := r.attribute(v, name); ok {
		return got, nil
	}
	return &undefined{obj: v, hasObj: true, name: name}, nil
}

func filterCenter(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("center", []string{"width"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	width, err := wantInt("center", orDefault(a[0], 80))
	if err != nil {
		return nil, err
	}
	return justify(s, width, " ", "center")
}

func filterLength(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	if _, err := bindArgs("length", nil, 0, args, kw); err != nil {
		return nil, err
	}
	return length(v)
}

func filterDefault(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("default", []string{"default_value", "boolean"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	def := orDefault(a[0], "")
	if _, ok := v.(*undefined); ok {
		return def, nil
	}
	boolean, err := truth(orDefault(a[1], false))
	if err != nil {
		return nil, err
	}
	if boolean {
		t, err := truth(v)
		if err != nil {
			return nil, err
		}
		if !t {
			return def, nil
		}
	}
	return v, nil
}

func filterFormat(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	if len(args) > 0 && len(kw) > 0 {
		return nil, &evalError{kind: "FilterArgumentError", msg: "can't handle positional and keyword arguments at the same time"}
	}
	if len(kw) > 0 {
		d := NewDict()
		for _, k := range kw {
			_ = d.Set(k.name, k.val)
		}
		return percentFormat(s, d)
	}
	return percentFormat(s, Tuple(args))
}

func filterIndent(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("indent", []string{"width", "first", "blank"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	var indent string
	switch w := orDefault(a[0], 4).(type) {
	case string:
		indent = w
	default:
		n, err := wantInt("indent", w)
		if err != nil {
			return nil, err
		}
		if n > maxSize {
			return nil, &evalError{kind: "MemoryError", msg: "indent is too large"}
		}
		indent = strings.Repeat(" ", max(n, 0))
	}
	first, err := truth(orDefault(a[1], false))
	if err != nil {
		return nil, err
	}
	blank, err := truth(orDefault(a[2], false))
	if err != nil {
		return nil, err
	}
	lines := pySplitLines(s+"\n", false)
	var out string
	if blank {
		out = strings.Join(lines, "\n"+indent)
	} else {
		out = lines[0]
		for _, l := range lines[1:] {
			if l != "" {
				l = indent + l
			}
			out += "\n" + l
		}
	}
	if first {
		out = indent + out
	}
	return out, nil
}

func filterJoin(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("join", []string{"d", "attribute"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	sep, err := toStr(orDefault(a[0], ""))
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if attr := orDefault(a[1], nil); attr != nil {
		if items, err = r.mapAttr(items, attr, nil); err != nil {
			return nil, err
		}
	}
	parts := make([]string, len(items))
	for i, it := range items {
		if parts[i], err = toStr(it); err != nil {
			return nil, err
		}
	}
	return strings.Join(parts, sep), nil
}

func filterPprint(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	return repr(v)
}

func filterReplace(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("replace", []string{"old", "new", "count"}, 2, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	old, err := toStr(a[0])
	if err != nil {
		return nil, err
	}
	repl, err := toStr(a[1])
	if err != nil {
		return nil, err
	}
	n := -1
	if c := orDefault(a[2], nil); c != nil {
		if n, err = wantInt("replace", c); err != nil {
			return nil, err
		}
	}
	return strings.Replace(s, old, repl, n), nil
}

func filterString(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	return toStr(v)
}

func filterTrim(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("trim", []string{"chars"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	if c := orDefault(a[0], nil); c != nil {
		chars, err := wantString("trim", c)
		if err != nil {
			return nil, err
		}
		return strings.Trim(s, chars), nil
	}
	return strings.TrimFunc(s, isPySpace), nil
}

func filterTruncate(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("truncate", []string{"length", "killwords", "end", "leeway"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	n, err := wantInt("truncate", orDefault(a[0], 255))
	if err != nil {
		return nil, err
	}
	kill, err := truth(orDefault(a[1], false))
	if err != nil {
		return nil, err
	}
	end, err := toStr(orDefault(a[2], "..."))
	if err != nil {
		return nil, err
	}
	if a[3] == noValue || a[3] == nil {
		a[3] = 5
	}
	leeway, err := wantInt("truncate", a[3])
	if err != nil {
		return nil, err
	}
	endLen := utf8.RuneCountInString(end)
	if n < endLen {
		return nil, &evalError{kind: "AssertionError", msg: "expected length >= " + strconv.Itoa(endLen) + ", got " + strconv.Itoa(n)}
	}
	runes := []rune(s)
	if len(runes) <= n+leeway {
		return s, nil
	}
	cut := string(runes[:n-endLen])
	if kill {
		return cut + end, nil
	}
	if i := strings.LastIndex(cut, " "); i >= 0 {
		cut = cut[:i]
	}
	return cut + end, nil
}

func filterWordcount(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	return len(strings.FieldsFunc(s, func(c rune) bool {
		return !(c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c))
	})), nil
}
