package jinja

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// percentFormat implements Python's printf-style "format % args", which
// Cylc templates use for zero-padded member names ("%03d" % i) and the like.
func percentFormat(format string, args any) (any, error) {
	var list []any
	var mapping *Dict
	switch a := args.(type) {
	case Tuple:
		list = a
	case *Dict:
		mapping = a
		list = []any{a}
	default:
		list = []any{a}
	}
	next := 0
	take := func() (any, error) {
		if next >= len(list) {
			return nil, typeErr("not enough arguments for format string")
		}
		v := list[next]
		next++
		return v, nil
	}
	usedMapping := false
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		if i >= len(format) {
			return nil, valueErr("incomplete format")
		}
		var arg any
		haveArg := false
		if format[i] == '(' {
			depth, j := 1, i+1
			for ; j < len(format) && depth > 0; j++ {
				switch format[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return nil, valueErr("incomplete format key")
			}
			if mapping == nil {
				return nil, typeErr("format requires a mapping")
			}
			key := format[i+1 : j-1]
			v, ok := mapping.Get(key)
			if !ok {
				return nil, &evalError{kind: "KeyError", msg: reprString(key)}
			}
			arg, haveArg, usedMapping = v, true, true
			i = j
		}
		spec := fmtSpec{}
		for ; i < len(format) && strings.IndexByte("#0- +", format[i]) >= 0; i++ {
			spec.flags += string(format[i])
		}
		num := func() (int, bool, error) {
			if i < len(format) && format[i] == '*' {
				i++
				v, err := take()
				if err != nil {
					return 0, false, err
				}
				n, ok := v.(int)
				if !ok {
					return 0, false, typeErr("* wants int")
				}
				return n, true, nil
			}
			j := i
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
			if j == i {
				return 0, false, nil
			}
			n, err := strconv.Atoi(format[j:i])
			if err != nil || n > maxSize {
				return 0, false, valueErr("width too big")
			}
			return n, true, nil
		}
		var err error
		if spec.width, spec.hasWidth, err = num(); err != nil {
			return nil, err
		}
		if spec.width < 0 {
			spec.flags += "-"
			spec.width = -spec.width
		}
		if i < len(format) && format[i] == '.' {
			i++
			if spec.prec, _, err = num(); err != nil {
				return nil, err
			}
			spec.hasPrec = true
		}
		for i < len(format) && strings.IndexByte("hlL", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return nil, valueErr("incomplete format")
		}
		spec.verb = format[i]
		if spec.verb == '%' {
			b.WriteByte('%')
			continue
		}
		if !haveArg {
			if arg, err = take(); err != nil {
				return nil, err
			}
		}
		s, err := spec.format(arg)
		if err != nil {
			if e, ok := err.(*evalError); ok && e.kind == "unsupported" {
				r, _ := utf8.DecodeRuneInString(format[i:])
				return nil, valueErr("unsupported format character %s (0x%x) at index %d", reprString(string(r)), r, utf8.RuneCountInString(format[:i]))
			}
			return nil, err
		}
		_ = start
		b.WriteString(s)
	}
	if next < len(list) && !(mapping != nil && (usedMapping || next == 0)) {
		return nil, typeErr("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

type fmtSpec struct {
	flags    string
	width    int
	hasWidth bool
	prec     int
	hasPrec  bool
	verb     byte
}

func (s fmtSpec) has(flag byte) bool { return strings.IndexByte(s.flags, flag) >= 0 }

// pad applies width and the "-" flag to text.
func (s fmtSpec) pad(text string) string {
	n := utf8.RuneCountInString(text)
	if !s.hasWidth || n >= s.width {
		return text
	}
	fill := strings.Repeat(" ", s.width-n)
	if s.has('-') {
		return text + fill
	}
	return fill + text
}

// goFlags is the spec's flags and width in Go fmt syntax, which agrees
// with C's for the numeric verbs.
func (s fmtSpec) goFormat(verb byte) string {
	f := "%" + s.flags
	if s.hasWidth {
		f += strconv.Itoa(s.width)
	}
	if s.hasPrec {
		f += "." + strconv.Itoa(s.prec)
	}
	return f + string(verb)
}

func (s fmtSpec) format(arg any) (string, error) {
	if u, ok := arg.(*undefined); ok {
		return "", u.err()
	}
	switch s.verb {
	case 's', 'r', 'a':
		var text string
		var err error
		if s.verb == 's' {
			text, err = toStr(arg)
		} else {
			text, err = repr(arg)
		}
		if err != nil {
			return "", err
		}
		if s.hasPrec && utf8.RuneCountInString(text) > s.prec {
			text = string([]rune(text)[:s.prec])
		}
		return s.pad(text), nil
	case 'c':
		switch v := arg.(type) {
		case int:
			if v < 0 || v > 0x10ffff {
				return "", &evalError{kind: "OverflowError", msg: "%c arg not in range(0x110000)"}
			}
			return s.pad(string(rune(v))), nil
		case string:
			if utf8.RuneCountInString(v) == 1 {
				return s.pad(v), nil
			}
		}
		return "", typeErr("%%c requires int or char")
	case 'd', 'i', 'u':
		n, ok := asNumber(arg)
		if !ok {
			return "", typeErr("%%%c format: a real number is required, not %s", s.verb, typeName(arg))
		}
		i, err := truncToInt(n)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf(s.goFormat('d'), i), nil
	case 'x', 'X', 'o':
		n, ok := asNumber(arg)
		i, isInt := n.(int)
		if !ok || !isInt {
			return "", typeErr("%%%c format: an integer is required, not %s", s.verb, typeName(arg))
		}
		if s.has('#') {
			// Python pads after the 0x/0o prefix and writes 0o17 where C
			// writes 017; Go's %#x pads differently from both.
			base, prefix := 16, "0x"
			switch s.verb {
			case 'X':
				prefix = "0X"
			case 'o':
				base, prefix = 8, "0o"
			}
			body := strconv.FormatUint(uint64(absInt(i)), base)
			if s.verb == 'X' {
				body = strings.ToUpper(body)
			}
			if s.hasPrec && len(body) < s.prec {
				body = strings.Repeat("0", s.prec-len(body)) + body
			}
			sign := ""
			switch {
			case i < 0:
				sign = "-"
			case s.has('+'):
				sign = "+"
			case s.has(' '):
				sign = " "
			}
			return s.padNumber(sign, prefix, body), nil
		}
		return fmt.Sprintf(s.goFormat(s.verb), i), nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		n, ok := asNumber(arg)
		if !ok {
			return "", typeErr("must be real number, not %s", typeName(arg))
		}
		f := toFloat(n)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			text := formatFloat(f)
			if f > 0 && s.has('+') {
				text = "+" + text
			} else if f > 0 && s.has(' ') {
				text = " " + text
			}
			if s.verb >= 'A' && s.verb <= 'Z' {
				text = strings.ToUpper(text)
			}
			return s.pad(text), nil
		}
		verb := s.verb
		if verb == 'F' {
			verb = 'f'
		}
		if !s.hasPrec {
			s.prec, s.hasPrec = 6, true
		}
		return fmt.Sprintf(s.goFormat(verb), f), nil
	}
	return "", &evalError{kind: "unsupported"}
}

// padNumber pads sign+prefix+digits to the width, zero-filling after the
// prefix when the "0" flag asks for it.
func (s fmtSpec) padNumber(sign, prefix, digits string) string {
	text := sign + prefix + digits
	if s.hasWidth && len(text) < s.width && s.has('0') && !s.has('-') {
		return sign + prefix + strings.Repeat("0", s.width-len(text)) + digits
	}
	return s.pad(text)
}

func truncToInt(n any) (int, error) {
	switch n := n.(type) {
	case int:
		return n, nil
	case float64:
		if math.IsInf(n, 0) {
			return 0, &evalError{kind: "OverflowError", msg: "cannot convert float infinity to integer"}
		}
		if math.IsNaN(n) {
			return 0, valueErr("cannot convert float NaN to integer")
		}
		if math.Abs(n) >= 1<<63 {
			return 0, overflow()
		}
		return int(n), nil
	}
	return 0, typeErr("an integer is required")
}
