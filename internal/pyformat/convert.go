package pyformat

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// spec is one parsed conversion: %(key)[flags][width][.prec]conv.
type spec struct {
	flags string
	width int
	prec  int // -1 when absent
	conv  byte
}

func (s spec) has(flag byte) bool { return strings.IndexByte(s.flags, flag) >= 0 }

// sign is the text Python writes before a number's digits.
func (s spec) sign(neg bool) string {
	switch {
	case neg:
		return "-"
	case s.has('+'):
		return "+"
	case s.has(' '):
		return " "
	}
	return ""
}

// format converts v; prefix is the sign and any "0x", which zero padding
// goes after.
func (s spec) format(v any) (prefix, body string, err *Error) {
	wrong := &Error{Err: ErrWrongType, Conv: s.conv, Value: v}
	if b, ok := v.(bool); ok && strings.IndexByte("diuoxXeEfFgGc", s.conv) >= 0 {
		v = 0 // Python's bool is an int
		if b {
			v = 1
		}
	}
	switch s.conv {
	case 's', 'r', 'a':
		text := Str(v)
		if str, ok := v.(string); ok && s.conv != 's' {
			text = repr(str, s.conv == 'a')
		}
		if s.prec >= 0 && s.prec < len([]rune(text)) {
			text = string([]rune(text)[:s.prec])
		}
		return "", text, nil
	case 'd', 'i', 'u', 'o', 'x', 'X':
		var n int64
		switch x := v.(type) {
		case int:
			n = int64(x)
		case float64:
			if s.conv != 'd' && s.conv != 'i' && s.conv != 'u' {
				return "", "", wrong // Python: %x needs an integer
			}
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
				return "", "", wrong
			}
			n = int64(math.Trunc(x))
		default:
			return "", "", wrong
		}
		base, alt := 10, ""
		switch s.conv {
		case 'o':
			base, alt = 8, "0o"
		case 'x':
			base, alt = 16, "0x"
		case 'X':
			base, alt = 16, "0X"
		}
		digits := strconv.FormatUint(absInt(n), base)
		if s.conv == 'X' {
			digits = strings.ToUpper(digits)
		}
		if pad := s.prec - len(digits); pad > 0 {
			digits = strings.Repeat("0", pad) + digits
		}
		prefix = s.sign(n < 0)
		if s.has('#') {
			prefix += alt
		}
		return prefix, digits, nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		var f float64
		switch x := v.(type) {
		case int:
			f = float64(x)
		case float64:
			f = x
		default:
			return "", "", wrong
		}
		prec := s.prec
		if prec < 0 {
			prec = 6
		}
		var text string
		switch {
		case math.IsNaN(f):
			text = "nan"
		case math.IsInf(f, 0):
			text = "inf"
		default:
			text = strconv.FormatFloat(math.Abs(f), s.conv|0x20, prec, 64)
		}
		if s.conv <= 'Z' {
			text = strings.ToUpper(text)
		}
		return s.sign(math.Signbit(f) && !math.IsNaN(f)), text, nil
	case 'c':
		switch x := v.(type) {
		case int:
			if x >= 0 && x <= unicode.MaxRune {
				return "", string(rune(x)), nil
			}
		case string:
			if len([]rune(x)) == 1 {
				return "", x, nil
			}
		}
		return "", "", wrong
	}
	return "", "", &Error{Err: ErrBadSyntax, Conv: s.conv,
		Reason: fmt.Sprintf("unsupported format character %q", s.conv)}
}

// pad applies the field width: left-justified with "-", zero-filled after
// the sign for numbers with "0", else right-justified with spaces.
func (s spec) pad(prefix, body string) string {
	n := s.width - len([]rune(prefix)) - len([]rune(body))
	switch {
	case n <= 0:
		return prefix + body
	case s.has('-'):
		return prefix + body + strings.Repeat(" ", n)
	case s.has('0') && strings.IndexByte("diuoxXeEfFgG", s.conv) >= 0:
		return prefix + strings.Repeat("0", n) + body
	}
	return strings.Repeat(" ", n) + prefix + body
}

func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// Str is Python's str() of a value (None, True/False, ints, floats as
// FloatRepr, strings as-is, Stringers via String). It is exported so that
// config and others print values exactly as the %s conversion here does,
// rather than keeping copies that could drift apart.
func Str(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(v)
	case float64:
		return FloatRepr(v)
	case string:
		return v
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

// FloatRepr is Python's repr(float), which is also its str(float): the
// shortest round-trip digits, in positional form for exponents -4..15
// (always with a ".0"), else as "1e+16" (which Go's shortest 'e' form
// already matches); "nan", "inf", "-inf" for the non-finite values. Cylc
// prints floats this way in `cylc config`, durations and templates, so
// every package uses this one copy.
func FloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// StrRepr is Python's repr(str): the quoted, escaped form Cylc shows for
// string values (in lists, xtrigger signatures and the like). Exported so
// that packages share one copy checked against Python 3.
func StrRepr(s string) string { return repr(s, false) }

// repr is Python's repr(str) (or ascii(str) when ascii is set): single
// quotes unless the text holds a single quote and no double quote, with
// backslash escapes for the quote, backslashes and unprintable characters.
func repr(s string, ascii bool) string {
	q := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsPrint(r) && (!ascii || r < 0x80):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteRune(q)
	return b.String()
}

// Divmod is Python's divmod for floats: the quotient floored, the
// remainder taking the divisor's sign (and a signed zero as Python's).
// Cylc's duration printing and isodatetime's tick-over arithmetic rely
// on it.
func Divmod(a, b float64) (float64, float64) {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
			div--
		}
	} else {
		mod = math.Copysign(0, b)
	}
	if div == 0 {
		return math.Copysign(0, a/b), mod
	}
	q := math.Floor(div)
	if div-q > 0.5 {
		q++
	}
	return q, mod
}
