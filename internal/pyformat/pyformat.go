// Package pyformat implements Python's "%" string formatting with a mapping
// ("tmpl % {'m': 3}"). Cylc's parameter templates ("_m%(m)03d") and the
// environment values and URLs that use "%(name)s" are Python %-format
// strings applied to a dict, so Gyre must format them exactly as Python
// does; config and param both need it, and keep their own error wording by
// inspecting the typed errors returned here.
package pyformat

import (
	"errors"
	"fmt"
	"strings"
)

// The error classes a template can fail with; they mirror the Python
// exceptions (KeyError, TypeError, ValueError) that Cylc turns into its
// messages. Test with errors.Is; errors.As to an *Error gives the details.
var (
	ErrMissingKey = errors.New("key not in mapping")
	ErrWrongType  = errors.New("wrong type for conversion")
	ErrBadSyntax  = errors.New("bad format syntax")
)

// Error describes why a template could not be formatted.
type Error struct {
	Err     error  // ErrMissingKey, ErrWrongType or ErrBadSyntax
	Key     string // the mapping key of the failing conversion, if any
	Unkeyed bool   // a conversion without a "(key)", which needs a tuple
	Conv    byte   // the conversion character, 0 if the template ended
	Value   any    // the offending value, for ErrWrongType
	Reason  string // what is wrong, for ErrBadSyntax
}

func (e *Error) Error() string {
	switch {
	case e.Err == ErrMissingKey:
		return fmt.Sprintf("%v: %q", e.Err, e.Key)
	case e.Unkeyed:
		return fmt.Sprintf("%v: %%%c needs a (key)", e.Err, e.Conv)
	case e.Err == ErrWrongType:
		return fmt.Sprintf("%v: %%(%s)%c got %#v", e.Err, e.Key, e.Conv, e.Value)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Reason)
}

func (e *Error) Unwrap() error { return e.Err }

// maxWidth bounds field widths and precisions: Python would try to build
// the huge string, but a typo like "%(m)9999999999d" must not exhaust
// memory here.
const maxWidth = 1 << 16

// Mapping returns tmpl % vals as Python 3 computes it. Values are int,
// float64, string or bool (other types format with their String method or
// fmt's default for %s). Supported: %(key) with flags "-+ #0", width,
// precision, ignored length modifiers "hlL", conversions
// d i u o x X e E f F g G c s r a, and "%%".
func Mapping(tmpl string, vals map[string]any) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(tmpl) {
			return "", &Error{Err: ErrBadSyntax, Reason: "incomplete format: ends with %"}
		}
		if tmpl[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if tmpl[i] != '(' {
			// Python would format the mapping itself as the argument,
			// which is never what a Cylc template means.
			return "", &Error{Err: ErrWrongType, Unkeyed: true, Conv: tmpl[i]}
		}
		end := strings.IndexByte(tmpl[i:], ')')
		if end < 0 {
			return "", &Error{Err: ErrBadSyntax, Reason: "incomplete format key: no closing )"}
		}
		key := tmpl[i+1 : i+end]
		i += end + 1
		var sp spec
		for i < len(tmpl) && strings.IndexByte("-+ #0", tmpl[i]) >= 0 {
			sp.flags += string(tmpl[i])
			i++
		}
		var ok bool
		if sp.width, i, ok = number(tmpl, i); !ok {
			return "", &Error{Err: ErrBadSyntax, Key: key, Reason: "width too big"}
		}
		sp.prec = -1
		if i < len(tmpl) && tmpl[i] == '.' {
			if sp.prec, i, ok = number(tmpl, i+1); !ok {
				return "", &Error{Err: ErrBadSyntax, Key: key, Reason: "precision too big"}
			}
		}
		for i < len(tmpl) && strings.IndexByte("hlL", tmpl[i]) >= 0 {
			i++
		}
		if i >= len(tmpl) {
			return "", &Error{Err: ErrBadSyntax, Key: key, Reason: "incomplete format"}
		}
		sp.conv = tmpl[i]
		v, ok := vals[key]
		if !ok {
			return "", &Error{Err: ErrMissingKey, Key: key, Conv: sp.conv}
		}
		prefix, body, err := sp.format(v)
		if err != nil {
			err.Key = key
			return "", err
		}
		b.WriteString(sp.pad(prefix, body))
	}
	return b.String(), nil
}

// number reads decimal digits at tmpl[i:], as a width or precision.
func number(tmpl string, i int) (n, next int, ok bool) {
	for i < len(tmpl) && tmpl[i] >= '0' && tmpl[i] <= '9' {
		n = n*10 + int(tmpl[i]-'0')
		if n > maxWidth {
			return 0, i, false
		}
		i++
	}
	return n, i, true
}
