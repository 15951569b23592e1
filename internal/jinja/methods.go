package jinja

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Methods of Python's str that templates call.

var strMethods map[string]methodFunc

func init() {
	strMethods = map[string]methodFunc{
		"upper":      strUnary(strings.ToUpper),
		"lower":      strUnary(strings.ToLower),
		"casefold":   strUnary(strings.ToLower),
		"swapcase":   strUnary(swapCase),
		"title":      strUnary(pyTitle),
		"capitalize": strUnary(pyCapitalize),
		"strip":      strStrip("strip", strings.TrimFunc, strings.Trim),
		"lstrip":     strStrip("lstrip", strings.TrimLeftFunc, strings.TrimLeft),
		"rstrip":     strStrip("rstrip", strings.TrimRightFunc, strings.TrimRight),
		"split":      strSplit(false),
		"rsplit":     strSplit(true),
		"splitlines": strSplitlines,
		"join":       strJoin,
		"replace":    strReplace,
		"startswith": strAffix("startswith", strings.HasPrefix),
		"endswith":   strAffix("endswith", strings.HasSuffix),
		"find":       strFind("find", false, false),
		"rfind":      strFind("rfind", true, false),
		"index":      strFind("index", false, true),
		"rindex":     strFind("rindex", true, true),
		"count":      strCount,
		"format":     strFormatMethod,
		"zfill":      strZfill,
		"ljust":      strJustify("ljust"),
		"rjust":      strJustify("rjust"),
		"center":     strJustify("center"),
		"partition":  strPartition(false),
		"rpartition": strPartition(true),
		"removeprefix": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
			v, err := bindArgs("removeprefix", []string{"prefix"}, 1, args, kw)
			if err != nil {
				return nil, err
			}
			p, err := wantString("removeprefix", v[0])
			return strings.TrimPrefix(self.(string), p), err
		},
		"removesuffix": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
			v, err := bindArgs("removesuffix", []string{"suffix"}, 1, args, kw)
			if err != nil {
				return nil, err
			}
			p, err := wantString("removesuffix", v[0])
			return strings.TrimSuffix(self.(string), p), err
		},
		"isdigit":   strIs(func(r rune) bool { return unicode.IsDigit(r) }),
		"isdecimal": strIs(func(r rune) bool { return unicode.Is(unicode.Nd, r) }),
		"isnumeric": strIs(func(r rune) bool { return unicode.IsNumber(r) }),
		"isalpha":   strIs(unicode.IsLetter),
		"isalnum":   strIs(func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }),
		"isspace":   strIs(isPySpace),
		"isupper":   strCased(unicode.IsUpper, unicode.IsLower),
		"islower":   strCased(unicode.IsLower, unicode.IsUpper),
		"isidentifier": func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
			if _, err := bindArgs("isidentifier", nil, 0, args, kw); err != nil {
				return nil, err
			}
			s := self.(string)
			for i, c := range s {
				if !(c == '_' || unicode.IsLetter(c) || i > 0 && unicode.IsDigit(c)) {
					return false, nil
				}
			}
			return s != "", nil
		},
	}
}

func strUnary(f func(string) string) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		if len(args) > 0 || len(kw) > 0 {
			return nil, typeErr("method takes no arguments (%d given)", len(args)+len(kw))
		}
		return f(self.(string)), nil
	}
}

func strStrip(name string, byFunc func(string, func(rune) bool) string, byChars func(string, string) string) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs(name, []string{"chars"}, 0, args, kw)
		if err != nil {
			return nil, err
		}
		if v[0] == noValue || v[0] == nil {
			return byFunc(self.(string), isPySpace), nil
		}
		chars, err := wantString(name, v[0])
		if err != nil {
			return nil, err
		}
		return byChars(self.(string), chars), nil
	}
}

func strSplit(fromRight bool) methodFunc {
	name := "split"
	if fromRight {
		name = "rsplit"
	}
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs(name, []string{"sep", "maxsplit"}, 0, args, kw)
		if err != nil {
			return nil, err
		}
		maxsplit := -1
		if v[1] != noValue {
			if maxsplit, err = wantInt(name, v[1]); err != nil {
				return nil, err
			}
		}
		s := self.(string)
		var parts []string
		if v[0] == noValue || v[0] == nil {
			parts = splitWhitespace(s, maxsplit, fromRight)
		} else {
			sep, err := wantString(name, v[0])
			if err != nil {
				return nil, err
			}
			if sep == "" {
				return nil, valueErr("empty separator")
			}
			if maxsplit < 0 {
				parts = strings.Split(s, sep)
			} else if fromRight {
				parts = rsplitN(s, sep, maxsplit)
			} else {
				parts = strings.SplitN(s, sep, maxsplit+1)
			}
		}
		return stringsToList(parts), nil
	}
}

func stringsToList(parts []string) *pyList {
	items := make([]any, len(parts))
	for i, p := range parts {
		items[i] = p
	}
	return &pyList{items: items}
}

func strSplitlines(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("splitlines", []string{"keepends"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	keep, err := truth(orDefault(v[0], false))
	if err != nil {
		return nil, err
	}
	return stringsToList(pySplitLines(self.(string), keep)), nil
}

func strJoin(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("join", []string{"iterable"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	items, err := iterate(v[0])
	if err != nil {
		return nil, typeErr("can only join an iterable")
	}
	parts := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, typeErr("sequence item %d: expected str instance, %s found", i, typeName(it))
		}
		parts[i] = s
	}
	return strings.Join(parts, self.(string)), nil
}

func strReplace(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("replace", []string{"old", "new", "count"}, 2, args, kw)
	if err != nil {
		return nil, err
	}
	old, err := wantString("replace", v[0])
	if err != nil {
		return nil, err
	}
	repl, err := wantString("replace", v[1])
	if err != nil {
		return nil, err
	}
	n := -1
	if v[2] != noValue {
		if n, err = wantInt("replace", v[2]); err != nil {
			return nil, err
		}
	}
	return strings.Replace(self.(string), old, repl, n), nil
}

func strAffix(name string, test func(string, string) bool) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs(name, []string{"prefix", "start", "end"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		s, err := strRange(self.(string), v[1], v[2])
		if err != nil {
			return nil, err
		}
		var options []any
		switch p := v[0].(type) {
		case string:
			options = []any{p}
		case Tuple:
			options = p
		default:
			return nil, typeErr("%s first arg must be str or a tuple of str, not %s", name, typeName(v[0]))
		}
		for _, o := range options {
			ps, ok := o.(string)
			if !ok {
				return nil, typeErr("tuple for %s must only contain str, not %s", name, typeName(o))
			}
			if test(s, ps) {
				return true, nil
			}
		}
		return false, nil
	}
}

// strRange applies optional start/end arguments (rune indices) to s.
func strRange(s string, start, end any) (string, error) {
	if start == noValue && end == noValue {
		return s, nil
	}
	runes := []rune(s)
	n := len(runes)
	lo, hi := 0, n
	var err error
	if start != noValue && start != nil {
		if lo, err = wantInt("slice", start); err != nil {
			return "", err
		}
	}
	if end != noValue && end != nil {
		if hi, err = wantInt("slice", end); err != nil {
			return "", err
		}
	}
	lo, hi = sliceIndices(n, lo, hi, 1, true, true)
	if lo > hi {
		return "", nil
	}
	return string(runes[lo:hi]), nil
}

func strFind(name string, fromRight, raise bool) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs(name, []string{"sub", "start", "end"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		sub, err := wantString(name, v[0])
		if err != nil {
			return nil, err
		}
		s := self.(string)
		offset := 0
		if v[1] != noValue && v[1] != nil {
			lo, err := wantInt(name, v[1])
			if err != nil {
				return nil, err
			}
			offset, _ = sliceIndices(utf8.RuneCountInString(s), lo, 0, 1, true, false)
		}
		part, err := strRange(s, v[1], v[2])
		if err != nil {
			return nil, err
		}
		var i int
		if fromRight {
			i = strings.LastIndex(part, sub)
		} else {
			i = strings.Index(part, sub)
		}
		if i < 0 {
			if raise {
				return nil, valueErr("substring not found")
			}
			return -1, nil
		}
		return offset + utf8.RuneCountInString(part[:i]), nil
	}
}

func strCount(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("count", []string{"sub", "start", "end"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	sub, err := wantString("count", v[0])
	if err != nil {
		return nil, err
	}
	part, err := strRange(self.(string), v[1], v[2])
	if err != nil {
		return nil, err
	}
	if sub == "" {
		return utf8.RuneCountInString(part) + 1, nil
	}
	return strings.Count(part, sub), nil
}

func strFormatMethod(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	return strFormat(r, self.(string), args, kw)
}

func strZfill(r *renderer, self any, args []any, kw []kwarg) (any, error) {
	v, err := bindArgs("zfill", []string{"width"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	width, err := wantInt("zfill", v[0])
	if err != nil {
		return nil, err
	}
	s := self.(string)
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s, nil
	}
	if width > maxSize {
		return nil, &evalError{kind: "MemoryError", msg: "zfill width is too large"}
	}
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	return sign + strings.Repeat("0", width-n) + s, nil
}

func strJustify(name string) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs(name, []string{"width", "fillchar"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		width, err := wantInt(name, v[0])
		if err != nil {
			return nil, err
		}
		fill := " "
		if v[1] != noValue {
			if fill, err = wantString(name, v[1]); err != nil {
				return nil, err
			}
			if utf8.RuneCountInString(fill) != 1 {
				return nil, typeErr("The fill character must be exactly one character long")
			}
		}
		return justify(self.(string), width, fill, name)
	}
}

func strPartition(fromRight bool) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		v, err := bindArgs("partition", []string{"sep"}, 1, args, kw)
		if err != nil {
			return nil, err
		}
		sep, err := wantString("partition", v[0])
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, valueErr("empty separator")
		}
		s := self.(string)
		var i int
		if fromRight {
			i = strings.LastIndex(s, sep)
		} else {
			i = strings.Index(s, sep)
		}
		if i < 0 {
			if fromRight {
				return Tuple{"", "", s}, nil
			}
			return Tuple{s, "", ""}, nil
		}
		return Tuple{s[:i], sep, s[i+len(sep):]}, nil
	}
}

func strIs(test func(rune) bool) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		s := self.(string)
		if s == "" {
			return false, nil
		}
		for _, c := range s {
			if !test(c) {
				return false, nil
			}
		}
		return true, nil
	}
}

// strCased is isupper/islower: at least one cased character and none of
// the opposite case.
func strCased(want, opposite func(rune) bool) methodFunc {
	return func(r *renderer, self any, args []any, kw []kwarg) (any, error) {
		found := false
		for _, c := range self.(string) {
			if opposite(c) || unicode.IsTitle(c) {
				return false, nil
			}
			if want(c) {
				found = true
			}
		}
		return found, nil
	}
}
