package jinja

import (
	"errors"
	"fmt"
	"strings"
)

// Template variables given with --set are Python literals read with
// ast.literal_eval (cylc/flow/templatevars.py). Cylc tells two failures
// apart: a well-formed Python expression that is not a literal (usually an
// unquoted string) and text that is not Python at all. The parser below
// reads enough of Python's expression grammar to make the same call.

// ParseValue reads a --set value the way Cylc does: a Python literal (int,
// float, 'str' or "str", True/False/None, list, tuple, dict, set). Lists
// come back as []any, tuples as Tuple, dicts as *Dict and sets as *Set.
func ParseValue(s string) (any, error) {
	p := &pyParser{src: strings.TrimLeft(s, " \t")}
	if err := p.lex(); err != nil {
		return nil, invalidVar(s, err, true)
	}
	v, err := p.expr()
	if err == nil && p.peek().kind != pyEnd {
		err = p.syntaxErr()
	}
	if err != nil {
		var nl notLiteral
		return nil, invalidVar(s, err, !errors.As(err, &nl))
	}
	if n, ok := v.(notLiteralValue); ok {
		return nil, invalidVar(s, notLiteral(n), false)
	}
	return v, nil
}

// unsupportedLiterals are Python literals gyre has no value type for.
var unsupportedLiterals = map[notLiteral]bool{"bytes": true, "complex number": true, "Ellipsis": true}

func invalidVar(s string, err error, syntax bool) error {
	hint := "note string values must be quoted, e.g. NAME='value'"
	var nl notLiteral
	if errors.As(err, &nl) && unsupportedLiterals[nl] {
		hint = "gyre supports int, float, str, bool, None, list, tuple, dict and set values"
	} else if syntax {
		hint = "values must be valid Python literals: 1, 1.5, 'text', True, None, [..], (..), {..}"
	}
	return fmt.Errorf("invalid template variable: %s (%v)\n(%s)", s, err, hint)
}

// notLiteral reports a valid expression that literal_eval refuses.
type notLiteral string

func (n notLiteral) Error() string { return string(n) }

// notLiteralValue stands for a parsed non-literal sub-expression, so that
// parsing can continue and still catch later syntax errors.
type notLiteralValue string

// ParseSet reads "NAME=VALUE" as given to --set.
func ParseSet(s string) (string, any, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok {
		return "", nil, fmt.Errorf("template variables must be set with NAME=VALUE, not %q", s)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, fmt.Errorf("template variable %q has an empty name", s)
	}
	v, err := ParseValue(strings.TrimSpace(val))
	if err != nil {
		return "", nil, err
	}
	return name, v, nil
}

// ParseSetFile reads a --set-file: one NAME=VALUE per line; blank lines
// are skipped and "#" starts a comment. As in Cylc the comment is cut
// before the value is parsed, even inside quotes. Errors name the file
// and line.
func ParseSetFile(name string, content []byte) (map[string]any, error) {
	vars := map[string]any{}
	var bad []string
	for i, line := range strings.Split(string(content), "\n") {
		line, _, _ = strings.Cut(strings.TrimSpace(line), "#")
		if line == "" {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			bad = append(bad, fmt.Sprintf("%s:%d: %s", name, i+1, line))
			continue
		}
		v, err := ParseValue(strings.TrimSpace(val))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		vars[strings.TrimSpace(key)] = v
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("template variables must be set with NAME=VALUE:\n * %s", strings.Join(bad, "\n * "))
	}
	return vars, nil
}

// ParseSetList reads "NAME=a,b,c" as given to --set-list (-z): a list of
// strings, where commas inside quotes do not split and quotes are dropped.
func ParseSetList(s string) (string, []any, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok {
		return "", nil, fmt.Errorf("template variables must be set with NAME=VALUE, not %q", s)
	}
	var items []any
	var buf strings.Builder
	inQuotes := false
	for _, c := range strings.TrimSpace(val) {
		switch {
		case c == '"' || c == '\'':
			inQuotes = !inQuotes
		case c == ',' && !inQuotes:
			items = append(items, buf.String())
			buf.Reset()
		default:
			buf.WriteRune(c)
		}
	}
	items = append(items, buf.String())
	return strings.TrimSpace(name), items, nil
}
