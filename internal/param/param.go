// Package param implements Cylc's task parameters: the [task parameters]
// section (values like "1..5" or "a, b, c" and their [[templates]]) and
// the expansion of parameterised names ("foo<m,n>", "foo<m=2>") and graph
// lines ("bar<m-1> => bar<m>"), following cylc/flow/param_expand.py and
// the parameter handling in cylc/flow/config.py.
//
// A parameter is either all integers or all strings, as Cylc requires.
// Integer parameters keep their numeric type internally because templates
// format them with Python's % operator ("_m%(m)03d"); values handed back
// to callers are strings, as in CYLC_TASK_PARAM_<name>.
package param

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// KV is one item of a configuration section: a name and its raw value as
// written in flow.cylc (quotes and a trailing comment may remain).
type KV struct {
	Key   string
	Value string
}

// Param is one task parameter.
type Param struct {
	Name   string
	Values []string // in declaration order; integers in decimal
	Ints   bool     // all values are integers
	// Template turns a value into a name suffix with Python %-formatting,
	// e.g. "_m%(m)02d"; Cylc's default when none is configured.
	Template string

	ints []int
}

// value returns the i'th value as Python would hold it: int or string.
func (p *Param) value(i int) any {
	if p.Ints {
		return p.ints[i]
	}
	return p.Values[i]
}

// index finds v among the values, comparing integers by value as Cylc's
// item_in_iterable does ("01" matches 1).
func (p *Param) index(v any) int {
	for i := range p.Values {
		if p.Ints {
			if n, ok := v.(int); ok && n == p.ints[i] {
				return i
			}
			if s, ok := v.(string); ok {
				if n, err := strconv.Atoi(s); err == nil && n == p.ints[i] {
					return i
				}
			}
			continue
		}
		switch x := v.(type) {
		case string:
			if x == p.Values[i] {
				return i
			}
			if n, err := strconv.Atoi(x); err == nil {
				if m, err := strconv.Atoi(p.Values[i]); err == nil && n == m {
					return i
				}
			}
		case int:
			if m, err := strconv.Atoi(p.Values[i]); err == nil && x == m {
				return i
			}
		}
	}
	return -1
}

// Set is the workflow's parameters, in declaration order.
type Set struct {
	params    []*Param
	byName    map[string]*Param
	templates map[string]string // includes templates of undefined params
}

// Params returns the parameters in declaration order.
func (s *Set) Params() []Param {
	out := make([]Param, len(s.params))
	for i, p := range s.params {
		out[i] = *p
	}
	return out
}

// Get returns the named parameter.
func (s *Set) Get(name string) (Param, bool) {
	p, ok := s.byName[name]
	if !ok {
		return Param{}, false
	}
	return *p, true
}

// Error is a parameter definition or expansion error.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

var (
	reIntRange   = regexp.MustCompile(`^([+\-]?\d+)\s*\.\.\s*([+\-]?\d+)(?:\s*\.\.\s*(\d+))?$`)
	reNameSuffix = regexp.MustCompile(`^[\p{L}\p{N}_\-+%@]+$`)
	reMultiParam = regexp.MustCompile(`<[\p{L}\p{N}_]+,.*?>`)
)

// maxValues bounds how many values a range may produce, so a typo like
// "1..999999999" is an error rather than an out-of-memory crash.
const maxValues = 1 << 20

// NewSet builds parameters from the [task parameters] items (name -> raw
// value) and [[templates]] (name -> template), in declaration order.
// Values are integer ranges "1..5" / "-3..3" / "1..9..2", lists of integers
// "1, 3, 5" (a mix of ranges and integers is fine) or lists of names "a, b,
// c"; mixing names with integer ranges is an error, as in Cylc. Parameters
// without a template get Cylc's default: "_%(m)s" for names, "_m%(m)0Nd"
// for integers zero-padded to the widest value, "_m%(m)+0Nd" when any
// value is negative.
func NewSet(items []KV, templates []KV) (*Set, error) {
	s := &Set{byName: map[string]*Param{}, templates: map[string]string{}}
	for _, kv := range templates {
		s.templates[strings.TrimSpace(kv.Key)] = unquote(kv.Value)
	}
	for _, kv := range items {
		name := strings.TrimSpace(kv.Key)
		if name == "templates" {
			continue
		}
		if !reNameSuffix.MatchString(name) || strings.ContainsAny(name, "-+%@") {
			return nil, errorf("[task parameters]%s: parameter names must be letters, digits and underscores", name)
		}
		p, err := parseValues(name, kv.Value)
		if err != nil {
			return nil, err
		}
		if old, dup := s.byName[name]; dup {
			*old = *p
			continue
		}
		s.params = append(s.params, p)
		s.byName[name] = p
	}
	for _, p := range s.params {
		if t, ok := s.templates[p.Name]; ok {
			p.Template = t
			continue
		}
		if len(p.Values) == 0 {
			continue
		}
		p.Template = defaultTemplate(p)
		s.templates[p.Name] = p.Template
	}
	return s, nil
}

func defaultTemplate(p *Param) string {
	if !p.Ints {
		return "_%(" + p.Name + ")s"
	}
	width, maxV, neg := 0, p.ints[0], false
	for _, v := range p.ints {
		width = max(width, len(strconv.Itoa(v)))
		maxV = max(maxV, v)
		neg = neg || v < 0
	}
	if neg {
		return fmt.Sprintf("_%s%%(%s)+0%dd", p.Name, p.Name, width)
	}
	return fmt.Sprintf("_%s%%(%s)0%dd", p.Name, p.Name, len(strconv.Itoa(maxV)))
}

// parseValues is Cylc's coerce_parameter_list.
func parseValues(name, raw string) (*Param, error) {
	bad := func(why string) error {
		return errorf("[task parameters]%s = %s: %s", name, strings.TrimSpace(raw), why)
	}
	list, err := splitList(raw)
	if err != nil {
		return nil, bad(err.Error())
	}
	p := &Param{Name: name}
	kind := "" // "int" once a range is seen, "str" once a name is
	var items []string
	for _, item := range list {
		if m := reIntRange.FindStringSubmatch(item); m != nil {
			if kind == "str" {
				return nil, bad("mixing int range and str")
			}
			kind = "int"
			lo, err1 := strconv.Atoi(m[1])
			hi, err2 := strconv.Atoi(m[2])
			step := 1
			var err3 error
			if m[3] != "" {
				step, err3 = strconv.Atoi(m[3])
			}
			if err1 != nil || err2 != nil || err3 != nil {
				return nil, bad(item + ": integer out of range")
			}
			if step == 0 {
				return nil, bad(item + ": range step must not be zero")
			}
			if hi >= lo && (hi-lo)/step >= maxValues {
				return nil, bad(fmt.Sprintf("%s: more than %d values", item, maxValues))
			}
			for v := lo; v <= hi; v += step {
				items = append(items, strconv.Itoa(v))
			}
			continue
		}
		if !reNameSuffix.MatchString(item) {
			return nil, bad(item + ": bad value (values are integers, integer ranges like 1..5, or names of letters, digits and _-+%@)")
		}
		if strings.Contains(item, "_") || !isPyInt(item) {
			if kind == "int" {
				return nil, bad("mixing int range and str")
			}
			kind = "str"
		}
		items = append(items, item)
	}
	p.Values = items
	if kind == "str" {
		return p, nil
	}
	ints := make([]int, len(items))
	for i, it := range items {
		n, err := strconv.Atoi(strings.TrimPrefix(it, "+"))
		if err != nil {
			return p, nil // too big for an int: Cylc would keep strings too
		}
		ints[i] = n
	}
	p.Ints, p.ints = len(ints) > 0, ints
	for i, n := range ints {
		p.Values[i] = strconv.Itoa(n)
	}
	return p, nil
}

// isPyInt reports whether Python's int() accepts s (no underscores here).
func isPyInt(s string) bool {
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 || t == "" {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// splitList is Cylc's strip_and_unquote_list for a raw setting value:
// comma-separated, items optionally quoted, trailing comment and trailing
// comma ignored.
func splitList(raw string) ([]string, error) {
	value := strings.TrimSpace(raw)
	if strings.HasPrefix(value, `"`) || strings.HasPrefix(value, "'") {
		return splitQuoted(value)
	}
	if reMultiParam.MatchString(value) {
		return nil, fmt.Errorf("names containing commas must be quoted (e.g. 'foo<m,n>')")
	}
	value = stripComment(value)
	var out []string
	for {
		item, rest, more := cutUnquoted(value)
		out = append(out, item)
		if !more {
			break
		}
		value = rest
	}
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out, nil
}

// stripComment removes a trailing "# comment" outside quotes.
func stripComment(s string) string {
	var quote rune
	for i, c := range s {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

// cutUnquoted takes one item (quoted or not) off the front of a list.
func cutUnquoted(s string) (item, rest string, more bool) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		if end := strings.IndexByte(s[1:], s[0]); end >= 0 {
			after := s[end+2:]
			if strings.HasPrefix(after, ",") {
				return strings.TrimSpace(s[1 : end+1]), after[1:], true
			}
			if after == "" {
				return strings.TrimSpace(s[1 : end+1]), "", false
			}
		}
	}
	item, rest, more = strings.Cut(s, ",")
	return strings.TrimSpace(item), rest, more
}

// splitQuoted handles a value starting with a quote, as Cylc's shlex pass
// does: quoted parts may contain commas.
func splitQuoted(value string) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote rune
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	for _, c := range value {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			flush()
			return out, nil
		case c == ',':
			flush()
		default:
			cur.WriteRune(c)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("no closing quotation")
	}
	flush()
	return out, nil
}

// unquote is Cylc's strip_and_unquote for a template value.
func unquote(raw string) string {
	v := strings.TrimSpace(raw)
	for _, q := range []string{`'''`, `"""`, `"`, `'`} {
		if strings.HasPrefix(v, q) {
			if end := strings.Index(v[len(q):], q); end >= 0 {
				return strings.TrimSpace(v[len(q) : len(q)+end])
			}
		}
	}
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}
