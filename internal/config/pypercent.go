package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Python's "%" string formatting with a mapping, as Cylc uses for parameter
// templates ("_m%(m)02d") and environment templates.

var (
	errTmplKey    = errors.New("bad parameter")
	errTmplType   = errors.New("wrong data type for parameter")
	errTmplSyntax = errors.New("bad template syntax")
)

// pyPercent formats tmpl % vals, where values are int or string.
func pyPercent(tmpl string, vals map[string]any) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(tmpl) {
			return "", errTmplSyntax
		}
		if tmpl[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if tmpl[i] != '(' {
			return "", errTmplType // Python formats the mapping itself, or fails
		}
		end := strings.IndexByte(tmpl[i:], ')')
		if end < 0 {
			return "", errTmplSyntax
		}
		key := tmpl[i+1 : i+end]
		i += end + 1
		flags := ""
		for i < len(tmpl) && strings.IndexByte("-+ #0", tmpl[i]) >= 0 {
			flags += string(tmpl[i])
			i++
		}
		width := ""
		for i < len(tmpl) && tmpl[i] >= '0' && tmpl[i] <= '9' {
			width += string(tmpl[i])
			i++
		}
		prec := -1
		if i < len(tmpl) && tmpl[i] == '.' {
			i++
			p := ""
			for i < len(tmpl) && tmpl[i] >= '0' && tmpl[i] <= '9' {
				p += string(tmpl[i])
				i++
			}
			prec, _ = strconv.Atoi(p)
		}
		for i < len(tmpl) && strings.IndexByte("hlL", tmpl[i]) >= 0 { // length modifiers are ignored
			i++
		}
		if i >= len(tmpl) {
			return "", errTmplSyntax
		}
		v, ok := vals[key]
		if !ok {
			return "", errTmplKey
		}
		s, err := pyFormatOne(v, tmpl[i], flags, prec)
		if err != nil {
			return "", err
		}
		w, _ := strconv.Atoi(width)
		if pad := w - len([]rune(s)); pad > 0 {
			switch {
			case strings.Contains(flags, "-"):
				s += strings.Repeat(" ", pad)
			case strings.Contains(flags, "0") && strings.IndexByte("diouxXeEfFgG", tmpl[i]) >= 0:
				sign := ""
				if s != "" && (s[0] == '-' || s[0] == '+' || s[0] == ' ') {
					sign, s = s[:1], s[1:]
				}
				s = sign + strings.Repeat("0", pad) + s
			default:
				s = strings.Repeat(" ", pad) + s
			}
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// pyFormatOne converts one value for a conversion character.
func pyFormatOne(v any, conv byte, flags string, prec int) (string, error) {
	sign := func(neg bool) string {
		switch {
		case neg:
			return "-"
		case strings.Contains(flags, "+"):
			return "+"
		case strings.Contains(flags, " "):
			return " "
		}
		return ""
	}
	switch conv {
	case 's', 'r', 'a':
		s := pyStr(v)
		if conv != 's' {
			if str, ok := v.(string); ok {
				s = pyStrRepr(str)
			}
		}
		if prec >= 0 && prec < len([]rune(s)) {
			s = string([]rune(s)[:prec])
		}
		return s, nil
	case 'd', 'i', 'u':
		switch n := v.(type) {
		case int:
			abs := strconv.Itoa(n)
			if n < 0 {
				abs = abs[1:]
			}
			return sign(n < 0) + abs, nil
		case float64:
			t := math.Trunc(n)
			return sign(t < 0) + strconv.FormatFloat(math.Abs(t), 'f', 0, 64), nil
		}
		return "", errTmplType
	case 'x', 'X', 'o':
		n, ok := v.(int)
		if !ok {
			return "", errTmplType
		}
		base := 16
		if conv == 'o' {
			base = 8
		}
		abs := strconv.FormatInt(int64(math.Abs(float64(n))), base)
		if conv == 'X' {
			abs = strings.ToUpper(abs)
		}
		return sign(n < 0) + abs, nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		var f float64
		switch n := v.(type) {
		case int:
			f = float64(n)
		case float64:
			f = n
		default:
			return "", errTmplType
		}
		if prec < 0 {
			prec = 6
		}
		s := strconv.FormatFloat(math.Abs(f), conv|0x20, prec, 64)
		if conv == 'E' || conv == 'G' {
			s = strings.ToUpper(s)
		}
		return sign(f < 0) + s, nil
	case 'c':
		switch n := v.(type) {
		case int:
			return string(rune(n)), nil
		case string:
			if len([]rune(n)) == 1 {
				return n, nil
			}
		}
		return "", errTmplType
	}
	return "", fmt.Errorf("%w: unsupported format character %q", errTmplSyntax, conv)
}
