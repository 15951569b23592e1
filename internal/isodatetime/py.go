package isodatetime

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gyre/internal/pyformat"
)

// Python's number parsing and printing and its %-formatting, as far as
// "gyre isodatetime" needs them to print what metomi-isodatetime prints:
// str(3600.0) is "3600.0", str(1e-05) "1e-05", and isodatetime builds its
// output with "%(name)02d" % properties.

func idtHex(v uint64, width int) string {
	s := strconv.FormatUint(v, 16)
	return strings.Repeat("0", max(0, width-len(s))) + s
}

// idtDigit is the value of a Unicode decimal digit (Python's int() and
// float() read them all), or -1.
func idtDigit(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	// Decimal digits come in runs of ten, each starting at its zero.
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return -1
}

func idtIsSpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

// idtASCII turns Unicode digits into ASCII ones and whitespace into
// spaces, as Python does before reading a number.
func idtASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch d := idtDigit(r); {
		case d >= 0:
			b.WriteByte(byte('0' + d))
		case idtIsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// idtUnderscores removes the underscores Python allows between digits; ok
// is false if one is misplaced.
func idtUnderscores(s string) (string, bool) {
	if !strings.Contains(s, "_") {
		return s, true
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && (i == 0 || i == len(s)-1 || !idtIsASCIIDigit(s[i-1]) || !idtIsASCIIDigit(s[i+1])) {
			return "", false
		}
	}
	return strings.ReplaceAll(s, "_", ""), true
}

func idtIsASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// idtPyInt is Python's int() of a string in base 10; ok is false if it is
// not a number or does not fit in an int64.
func idtPyInt(s string) (int64, bool) {
	t, ok := idtUnderscores(strings.TrimSpace(idtASCII(s)))
	if !ok || t == "" {
		return 0, false
	}
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" {
		return 0, false
	}
	for i := 0; i < len(body); i++ {
		if !idtIsASCIIDigit(body[i]) {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	return v, err == nil
}

// idtPyFloat is Python's float() of a string.
func idtPyFloat(s string) (float64, error) {
	bad := idtValue("could not convert string to float: %s", pyformat.StrRepr(s))
	t, ok := idtUnderscores(strings.TrimSpace(idtASCII(s)))
	if !ok {
		return 0, bad
	}
	body := strings.TrimPrefix(strings.TrimPrefix(t, "+"), "-")
	if len(t)-len(body) > 1 {
		return 0, bad
	}
	switch strings.ToLower(body) {
	case "inf", "infinity", "nan":
	default:
		mant, exp, hasExp := strings.Cut(strings.ToLower(body), "e")
		intPart, fracPart, _ := strings.Cut(mant, ".")
		if intPart+fracPart == "" || !idtAllDigits(intPart) || !idtAllDigits(fracPart) {
			return 0, bad
		}
		if hasExp {
			exp = strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
			if exp == "" || !idtAllDigits(exp) {
				return 0, bad
			}
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil && !math.IsInf(v, 0) && v != 0 {
		return 0, bad
	}
	return v, nil
}

func idtAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !idtIsASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

// idtPyVal is a value isodatetime formats: an int, a float, a str, or the
// whole property mapping (what an unnamed "%s" receives).
type idtPyVal struct {
	kind byte // 'i', 'f', 's', 'd'
	i    int64
	f    float64
	s    string
}

func (v idtPyVal) typeName() string {
	return map[byte]string{'i': "int", 'f': "float", 's': "str", 'd': "dict"}[v.kind]
}

// idtPercent is Python's format % mapping, with the mapping's keys in
// insertion order.
func idtPercent(format string, keys []string, vals map[string]idtPyVal) (string, error) {
	dictRepr := func() string {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyformat.StrRepr(k) + ": " + idtPyRepr(vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	args, fresh := idtPyVal{kind: 'd'}, true
	next := func() (idtPyVal, error) {
		if !fresh {
			return idtPyVal{}, &idtError{kind: idtTypeErr, msg: "not enough arguments for format string"}
		}
		fresh = false
		return args, nil
	}
	incomplete := idtValue("incomplete format")
	r := []rune(format)
	n := len(r)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if r[i] != '%' {
			b.WriteRune(r[i])
			continue
		}
		i++
		if i >= n {
			return "", incomplete
		}
		if r[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if r[i] == '(' {
			depth, j := 1, i+1
			for ; j < n && depth > 0; j++ {
				switch r[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return "", idtValue("incomplete format key")
			}
			key := string(r[i+1 : j-1])
			v, ok := vals[key]
			if !ok {
				return "", &idtError{kind: idtKeyErr, msg: pyformat.StrRepr(key)}
			}
			args, fresh = v, true
			i = j
		}
		var sp idtSpec
		sp.width, sp.prec = -1, -1
		for ; i < n && strings.ContainsRune("-+ #0", r[i]); i++ {
			sp.flags += string(r[i])
		}
		num := func() (int, error) {
			if i < n && r[i] == '*' {
				i++
				v, err := next()
				if err != nil {
					return 0, err
				}
				if v.kind != 'i' {
					return 0, &idtError{kind: idtTypeErr, msg: "* wants int"}
				}
				return int(v.i), nil
			}
			w := 0
			for ; i < n && r[i] >= '0' && r[i] <= '9'; i++ {
				w = min(w*10+int(r[i]-'0'), 1<<20)
			}
			return w, nil
		}
		if i < n && (r[i] == '*' || (r[i] >= '0' && r[i] <= '9')) {
			w, err := num()
			if err != nil {
				return "", err
			}
			if w < 0 {
				sp.flags += "-"
				w = -w
			}
			sp.width = w
		}
		if i < n && r[i] == '.' {
			i++
			p, err := num()
			if err != nil {
				return "", err
			}
			sp.prec = max(p, 0)
		}
		if i < n && (r[i] == 'h' || r[i] == 'l' || r[i] == 'L') {
			i++
		}
		if i >= n {
			return "", incomplete
		}
		sp.conv = r[i]
		v, err := next()
		if err != nil {
			return "", err
		}
		if v.kind == 'd' {
			v = idtPyVal{kind: 'd', s: dictRepr()}
		}
		out, err := sp.format(v, i)
		if err != nil {
			return "", err
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

func idtPyRepr(v idtPyVal) string {
	switch v.kind {
	case 'i':
		return strconv.FormatInt(v.i, 10)
	case 'f':
		return pyformat.FloatRepr(v.f)
	case 's':
		return pyformat.StrRepr(v.s)
	}
	return v.s
}

func idtPyStrVal(v idtPyVal) string {
	if v.kind == 's' || v.kind == 'd' {
		return v.s
	}
	return idtPyRepr(v)
}

type idtSpec struct {
	flags       string
	width, prec int
	conv        rune
}

func (sp idtSpec) has(f byte) bool { return strings.IndexByte(sp.flags, f) >= 0 }

func (sp idtSpec) format(v idtPyVal, index int) (string, error) {
	typeErr := func(msg string) error { return &idtError{kind: idtTypeErr, msg: msg} }
	switch sp.conv {
	case 's', 'r', 'a':
		s := idtPyStrVal(v)
		if sp.conv != 's' {
			s = idtPyRepr(v)
		}
		if sp.prec >= 0 && sp.prec < utf8.RuneCountInString(s) {
			s = string([]rune(s)[:sp.prec])
		}
		return sp.pad("", s, false), nil
	case 'd', 'i', 'u', 'x', 'X', 'o':
		var iv int64
		switch v.kind {
		case 'i':
			iv = v.i
		case 'f':
			if sp.conv == 'x' || sp.conv == 'X' || sp.conv == 'o' {
				return "", typeErr("%" + string(sp.conv) + " format: an integer is required, not float")
			}
			if math.IsNaN(v.f) {
				return "", idtValue("cannot convert float NaN to integer")
			}
			if math.IsInf(v.f, 0) {
				return "", &idtError{kind: idtOverflowErr, msg: "cannot convert float infinity to integer"}
			}
			iv = int64(v.f)
		default:
			if sp.conv == 'x' || sp.conv == 'X' || sp.conv == 'o' {
				return "", typeErr("%" + string(sp.conv) + " format: an integer is required, not " + v.typeName())
			}
			return "", typeErr("%" + string(sp.conv) + " format: a real number is required, not " + v.typeName())
		}
		sign := ""
		mag := uint64(iv)
		if iv < 0 {
			sign, mag = "-", uint64(-iv)
		} else if sp.has('+') {
			sign = "+"
		} else if sp.has(' ') {
			sign = " "
		}
		var digits, prefix string
		switch sp.conv {
		case 'x':
			digits, prefix = strconv.FormatUint(mag, 16), "0x"
		case 'X':
			digits, prefix = strings.ToUpper(strconv.FormatUint(mag, 16)), "0X"
		case 'o':
			digits, prefix = strconv.FormatUint(mag, 8), "0o"
		default:
			digits = strconv.FormatUint(mag, 10)
		}
		if !sp.has('#') {
			prefix = ""
		}
		if sp.prec > len(digits) {
			digits = strings.Repeat("0", sp.prec-len(digits)) + digits
		}
		return sp.pad(sign+prefix, digits, true), nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		var f float64
		switch v.kind {
		case 'i':
			f = float64(v.i)
		case 'f':
			f = v.f
		default:
			return "", typeErr("must be real number, not " + v.typeName())
		}
		prec := sp.prec
		if prec < 0 {
			prec = 6
		}
		sign := ""
		if math.Signbit(f) && !math.IsNaN(f) {
			sign, f = "-", -f
		} else if sp.has('+') {
			sign = "+"
		} else if sp.has(' ') {
			sign = " "
		}
		lower := byte(unicode.ToLower(sp.conv))
		var s string
		switch {
		case math.IsInf(f, 0):
			s = "inf"
		case math.IsNaN(f):
			s = "nan"
		default:
			s = strconv.FormatFloat(f, lower, prec, 64)
			if lower == 'g' && sp.has('#') {
				s = idtAltG(f, prec)
			} else if sp.has('#') && !strings.Contains(s, ".") {
				m, e, ok := strings.Cut(s, "e")
				s = m + "."
				if ok {
					s += "e" + e
				}
			}
		}
		if unicode.IsUpper(sp.conv) {
			s = strings.ToUpper(s)
		}
		finite := !math.IsInf(f, 0) && !math.IsNaN(f)
		return sp.pad(sign, s, finite), nil
	case 'c':
		switch {
		case v.kind == 'i' && v.i >= 0 && v.i < 0x110000:
			return sp.pad("", string(rune(v.i)), false), nil
		case v.kind == 'i':
			return "", &idtError{kind: idtOverflowErr, msg: "%c arg not in range(0x110000)"}
		case v.kind == 's' && utf8.RuneCountInString(v.s) == 1:
			return sp.pad("", v.s, false), nil
		}
		return "", typeErr("%c requires int or char")
	}
	c := sp.conv
	if c < 32 || c > 126 {
		c = '?'
	}
	return "", idtValue("unsupported format character '%c' (0x%x) at index %d", c, sp.conv, index)
}

// idtAltG is %#.<prec>g: like %g but keeping trailing zeros.
func idtAltG(f float64, prec int) string {
	if prec == 0 {
		prec = 1
	}
	e := strconv.FormatFloat(f, 'e', prec-1, 64)
	_, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= prec {
		if !strings.Contains(e, ".") {
			m, x, _ := strings.Cut(e, "e")
			e = m + ".e" + x
		}
		return e
	}
	s := strconv.FormatFloat(f, 'f', prec-1-exp, 64)
	if !strings.Contains(s, ".") {
		s += "."
	}
	return s
}

// pad applies the width: left-justified with "-", zero-filled after the
// sign with "0" (numbers only), else right-justified with spaces.
func (sp idtSpec) pad(sign, body string, numeric bool) string {
	n := utf8.RuneCountInString(sign + body)
	if sp.width <= n {
		return sign + body
	}
	fill := sp.width - n
	switch {
	case sp.has('-'):
		return sign + body + strings.Repeat(" ", fill)
	case sp.has('0') && numeric:
		return sign + strings.Repeat("0", fill) + body
	}
	return strings.Repeat(" ", fill) + sign + body
}
