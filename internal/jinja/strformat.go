package jinja

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// strFormat implements Python's str.format: "{}", "{0}", "{name}",
// attribute/index fields, !r/!s conversions and the format-spec
// mini-language for strings and numbers.
func strFormat(r *renderer, format string, args []any, kw []kwarg) (string, error) {
	var b strings.Builder
	auto := 0
	manual := false
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '}' {
			if i+1 < len(format) && format[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", valueErr("Single '}' encountered in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// Find the matching close brace, allowing one level of nesting in
		// the spec ("{:{width}}").
		depth, j := 1, i+1
		for ; j < len(format) && depth > 0; j++ {
			switch format[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			return "", valueErr("expected '}' before end of string")
		}
		field := format[i+1 : j-1]
		i = j - 1
		name, spec, _ := strings.Cut(field, ":")
		conv := ""
		if k := strings.IndexByte(name, '!'); k >= 0 {
			name, conv = name[:k], name[k+1:]
			if conv != "r" && conv != "s" && conv != "a" {
				return "", valueErr("Unknown conversion specifier %s", conv)
			}
		}
		if strings.Contains(spec, "{") {
			expanded, err := strFormat(r, spec, args, kw)
			if err != nil {
				return "", err
			}
			spec = expanded
		}
		// Split the field name into its first part and accessors.
		first := name
		rest := ""
		if k := strings.IndexAny(name, ".["); k >= 0 {
			first, rest = name[:k], name[k:]
		}
		var v any
		switch {
		case first == "":
			if manual {
				return "", valueErr("cannot switch from manual field specification to automatic field numbering")
			}
			if auto >= len(args) {
				return "", &evalError{kind: "IndexError", msg: "Replacement index " + strconv.Itoa(auto) + " out of range for positional args tuple"}
			}
			v = args[auto]
			auto++
		case first[0] >= '0' && first[0] <= '9':
			if auto > 0 {
				return "", valueErr("cannot switch from automatic field numbering to manual field specification")
			}
			manual = true
			n, err := strconv.Atoi(first)
			if err != nil || n >= len(args) {
				return "", &evalError{kind: "IndexError", msg: "Replacement index " + first + " out of range for positional args tuple"}
			}
			v = args[n]
		default:
			found := false
			for _, k := range kw {
				if k.name == first {
					v, found = k.val, true
				}
			}
			if !found {
				return "", &evalError{kind: "KeyError", msg: reprString(first)}
			}
		}
		for rest != "" {
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				attr := rest[1:]
				if k >= 0 {
					attr, rest = rest[1:k+1], rest[k+1:]
				} else {
					rest = ""
				}
				got, err := r.getattr(v, attr)
				if err != nil {
					return "", err
				}
				if u, ok := got.(*undefined); ok {
					return "", &evalError{kind: "AttributeError", msg: u.message()}
				}
				v = got
				continue
			}
			if rest[0] != '[' {
				return "", valueErr("Only '.' or '[' may follow ']' in format field specifier")
			}
			k := strings.IndexByte(rest, ']')
			if k < 0 {
				return "", valueErr("Missing ']' in format string")
			}
			var key any = rest[1:k]
			if n, err := strconv.Atoi(rest[1:k]); err == nil {
				key = n
			}
			rest = rest[k+1:]
			got, err := r.getitem(v, key)
			if err != nil {
				return "", err
			}
			if u, ok := got.(*undefined); ok {
				return "", &evalError{kind: "KeyError", msg: u.message()}
			}
			v = got
		}
		var err error
		switch conv {
		case "s":
			v, err = toStr(v)
		case "r", "a":
			v, err = repr(v)
		}
		if err != nil {
			return "", err
		}
		s, err := formatValue(v, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// formatSpec is a parsed format-spec: [[fill]align][sign][#][0][width]
// [grouping][.precision][type].
type formatSpec struct {
	fill      rune
	align     byte
	sign      byte
	alt       bool
	width     int
	grouping  byte
	prec      int
	hasPrec   bool
	typ       byte
	zeroAlign bool
}

func parseFormatSpec(spec string) (formatSpec, error) {
	fs := formatSpec{fill: ' ', prec: -1}
	s := spec
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if r, n := utf8.DecodeRuneInString(s); n > 0 && n < len(s) && isAlign(s[n]) {
		fs.fill, fs.align = r, s[n]
		s = s[n+1:]
	} else if len(s) > 0 && isAlign(s[0]) {
		fs.align = s[0]
		s = s[1:]
	}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
		fs.sign = s[0]
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '#' {
		fs.alt = true
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '0' {
		fs.zeroAlign = true
		s = s[1:]
	}
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j > 0 {
		w, err := strconv.Atoi(s[:j])
		if err != nil || w > maxSize {
			return fs, valueErr("Too many decimal digits in format string")
		}
		fs.width = w
		s = s[j:]
	}
	if len(s) > 0 && (s[0] == ',' || s[0] == '_') {
		fs.grouping = s[0]
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '.' {
		j = 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 1 {
			return fs, valueErr("Format specifier missing precision")
		}
		p, err := strconv.Atoi(s[1:j])
		if err != nil || p > maxSize {
			return fs, valueErr("Too many decimal digits in format string")
		}
		fs.prec, fs.hasPrec = p, true
		s = s[j:]
	}
	if len(s) == 1 {
		fs.typ = s[0]
		s = ""
	}
	if s != "" {
		return fs, valueErr("Invalid format specifier")
	}
	if fs.zeroAlign && fs.align == 0 {
		fs.fill, fs.align = '0', '='
	}
	return fs, nil
}

// formatValue is Python's format(v, spec).
func formatValue(v any, spec string) (string, error) {
	if u, ok := v.(*undefined); ok {
		return "", u.err()
	}
	if spec == "" {
		return toStr(v)
	}
	fs, err := parseFormatSpec(spec)
	if err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		if fs.typ != 0 && fs.typ != 's' {
			return "", valueErr("Unknown format code '%c' for object of type 'str'", fs.typ)
		}
		if fs.sign != 0 || fs.align == '=' {
			return "", valueErr("Sign not allowed in string format specifier")
		}
		if fs.hasPrec && utf8.RuneCountInString(v) > fs.prec {
			v = string([]rune(v)[:fs.prec])
		}
		return fs.align3(v, '<'), nil
	case bool:
		if v {
			return formatInt(1, fs)
		}
		return formatInt(0, fs)
	case int:
		return formatInt(v, fs)
	case float64:
		return formatFloatSpec(v, fs)
	}
	return "", typeErr("unsupported format string passed to %s.__format__", typeName(v))
}

// align3 pads s to the width with the fill character.
func (fs formatSpec) align3(s string, def byte) string {
	n := utf8.RuneCountInString(s)
	if n >= fs.width {
		return s
	}
	pad := fs.width - n
	fill := string(fs.fill)
	align := fs.align
	if align == 0 {
		align = def
	}
	switch align {
	case '<':
		return s + strings.Repeat(fill, pad)
	case '^':
		return strings.Repeat(fill, pad/2) + s + strings.Repeat(fill, pad-pad/2)
	}
	return strings.Repeat(fill, pad) + s
}

// alignNumber pads sign+prefix+digits, putting "=" padding after the sign.
func (fs formatSpec) alignNumber(sign, prefix, digits string) string {
	if fs.align == '=' {
		n := utf8.RuneCountInString(sign + prefix + digits)
		if n < fs.width {
			return sign + prefix + strings.Repeat(string(fs.fill), fs.width-n) + digits
		}
		return sign + prefix + digits
	}
	return fs.align3(sign+prefix+digits, '>')
}

func (fs formatSpec) signOf(neg bool) string {
	switch {
	case neg:
		return "-"
	case fs.sign == '+':
		return "+"
	case fs.sign == ' ':
		return " "
	}
	return ""
}

func group(digits string, sep byte, every int) string {
	if sep == 0 || len(digits) <= every {
		return digits
	}
	var parts []string
	for len(digits) > every {
		parts = append([]string{digits[len(digits)-every:]}, parts...)
		digits = digits[:len(digits)-every]
	}
	parts = append([]string{digits}, parts...)
	return strings.Join(parts, string(sep))
}

func formatInt(v int, fs formatSpec) (string, error) {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	var digits, prefix string
	switch fs.typ {
	case 0, 'd', 'n':
		digits = group(strconv.FormatUint(u, 10), fs.grouping, 3)
	case 'b':
		digits, prefix = group(strconv.FormatUint(u, 2), fs.grouping, 4), "0b"
	case 'o':
		digits, prefix = group(strconv.FormatUint(u, 8), fs.grouping, 4), "0o"
	case 'x':
		digits, prefix = group(strconv.FormatUint(u, 16), fs.grouping, 4), "0x"
	case 'X':
		digits, prefix = strings.ToUpper(group(strconv.FormatUint(u, 16), fs.grouping, 4)), "0X"
	case 'c':
		if v < 0 || v > 0x10ffff {
			return "", &evalError{kind: "OverflowError", msg: "%c arg not in range(0x110000)"}
		}
		return fs.align3(string(rune(v)), '<'), nil
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return formatFloatSpec(float64(v), fs)
	default:
		return "", valueErr("Unknown format code '%c' for object of type 'int'", fs.typ)
	}
	if fs.hasPrec {
		return "", valueErr("Precision not allowed in integer format specifier")
	}
	if !fs.alt {
		prefix = ""
	}
	if fs.grouping != 0 && fs.fill == '0' && fs.align == '=' {
		every := 3
		if fs.typ == 'b' || fs.typ == 'o' || fs.typ == 'x' || fs.typ == 'X' {
			every = 4
		}
		raw := strings.ReplaceAll(digits, string(fs.grouping), "")
		return zeroPadGrouped(fs.signOf(neg)+prefix, raw, "", fs.grouping, every, fs.width), nil
	}
	return fs.alignNumber(fs.signOf(neg), prefix, digits), nil
}

// zeroPadGrouped is Python's zero padding when a grouping separator is
// given: the padding zeros are grouped too, until the width is reached.
func zeroPadGrouped(head, digits, tail string, sep byte, every, width int) string {
	for utf8.RuneCountInString(head+group(digits, sep, every)+tail) < width {
		digits = "0" + digits
	}
	return head + group(digits, sep, every) + tail
}

func formatFloatSpec(f float64, fs formatSpec) (string, error) {
	neg := math.Signbit(f) && !math.IsNaN(f)
	a := math.Abs(f)
	prec := fs.prec
	var body string
	switch fs.typ {
	case 'f', 'F', '%':
		if !fs.hasPrec {
			prec = 6
		}
		if fs.typ == '%' {
			a *= 100
		}
		body = strconv.FormatFloat(a, 'f', prec, 64)
		if fs.alt && prec == 0 {
			body += "."
		}
	case 'e', 'E':
		if !fs.hasPrec {
			prec = 6
		}
		body = strconv.FormatFloat(a, 'e', prec, 64)
		if fs.alt && prec == 0 {
			mant, exp, _ := strings.Cut(body, "e")
			body = mant + ".e" + exp
		}
	case 'g', 'G', 'n':
		if !fs.hasPrec {
			prec = 6
		}
		if prec == 0 {
			prec = 1
		}
		body = pyGeneral(a, prec, fs.alt)
	case 0:
		if fs.hasPrec {
			if prec == 0 {
				prec = 1
			}
			body = pyGeneral(a, prec, fs.alt)
			if !strings.ContainsAny(body, ".e") {
				body += ".0"
			}
		} else {
			body = formatFloat(a)
		}
	default:
		return "", valueErr("Unknown format code '%c' for object of type 'float'", fs.typ)
	}
	if math.IsInf(a, 0) || math.IsNaN(a) {
		body = formatFloat(a)
	}
	if fs.typ == 'E' || fs.typ == 'G' || fs.typ == 'F' {
		body = strings.ToUpper(body)
	}
	if fs.grouping != 0 {
		intPart, frac, hasFrac := strings.Cut(body, ".")
		if k := strings.IndexAny(intPart, "eE"); k < 0 && isDigits(intPart) {
			intPart = group(intPart, fs.grouping, 3)
			body = intPart
			if hasFrac {
				body += "." + frac
			}
		}
	}
	if fs.typ == '%' {
		body += "%"
	}
	if fs.grouping != 0 && fs.fill == '0' && fs.align == '=' {
		intPart := body
		tail := ""
		if k := strings.IndexFunc(body, func(r rune) bool { return r < '0' || r > '9' && r != rune(fs.grouping) }); k >= 0 {
			intPart, tail = body[:k], body[k:]
		}
		if isDigits(strings.ReplaceAll(intPart, string(fs.grouping), "")) {
			return zeroPadGrouped(fs.signOf(neg), strings.ReplaceAll(intPart, string(fs.grouping), ""), tail, fs.grouping, 3, fs.width), nil
		}
	}
	return fs.alignNumber(fs.signOf(neg), "", body), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// pyGeneral is the 'g' presentation: exponent notation when the exponent
// is < -4 or >= precision, trailing zeros removed unless alt.
func pyGeneral(a float64, prec int, alt bool) string {
	if a == 0 {
		if alt {
			return "0." + strings.Repeat("0", prec-1)
		}
		return "0"
	}
	e := strconv.FormatFloat(a, 'e', prec-1, 64)
	_, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	var s string
	if exp < -4 || exp >= prec {
		mant, _, _ := strings.Cut(e, "e")
		if !alt && strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		es := strconv.Itoa(exp)
		if len(es) < 2 {
			es = "0" + es
		}
		s = mant + "e" + sign + es
	} else {
		s = strconv.FormatFloat(a, 'f', prec-1-exp, 64)
		if !alt && strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
	}
	return s
}
