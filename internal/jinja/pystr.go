package jinja

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unescapePython decodes backslash escapes as Python's unicode-escape codec
// does (which is what Jinja2 applies to string literals): unknown escapes
// are kept verbatim, "\<newline>" joins lines.
func unescapePython(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", errors.New(`\ at end of string`)
		}
		switch c = s[i]; c {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(c)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, j := 0, i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				v = v*8 + int(s[j]-'0')
				j++
			}
			b.WriteRune(rune(v))
			i = j - 1
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			name := map[byte]string{'x': `\xXX`, 'u': `\uXXXX`, 'U': `\UXXXXXXXX`}[c]
			if i+1+width > len(s) {
				return "", errors.New("truncated " + name + " escape")
			}
			hex := s[i+1 : i+1+width]
			v, err := strconv.ParseUint(hex, 16, 32)
			if err != nil {
				return "", errors.New("truncated " + name + " escape")
			}
			if v > unicode.MaxRune {
				return "", errors.New("illegal Unicode character")
			}
			b.WriteRune(rune(v))
			i += width
		case 'N':
			return "", errors.New(`\N{...} escapes are not supported by gyre`)
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// reprString renders s as Python's repr() does: single quotes unless the
// string contains a single quote and no double quote, and escapes for
// backslash, the quote, \t \n \r and unprintable characters.
func reprString(s string) string {
	quote := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteByte(quote)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(int(r)))
		case r < 0x80 || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			b.WriteString(`\x` + hex2(int(r)))
		case r < 0x10000:
			b.WriteString(`\u` + strings.Repeat("0", 4-len(strconv.FormatInt(int64(r), 16))) + strconv.FormatInt(int64(r), 16))
		default:
			b.WriteString(`\U` + strings.Repeat("0", 8-len(strconv.FormatInt(int64(r), 16))) + strconv.FormatInt(int64(r), 16))
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func hex2(v int) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>4&0xf], digits[v&0xf]})
}

// formatFloat renders f as Python's repr(float): the shortest digits that
// round-trip, in positional notation when the decimal exponent is in
// [-4, 16), otherwise in exponent notation with a two-digit minimum.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(sci, "e")
	exp, _ := strconv.Atoi(expStr)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digs := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	decpt := exp + 1 // position of the decimal point relative to digs
	if decpt > 16 || decpt < -3 {
		m := digs[:1]
		if len(digs) > 1 {
			m += "." + digs[1:]
		}
		es := "+"
		if exp < 0 {
			es = "-"
			exp = -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		return sign + m + "e" + es + e
	}
	var s string
	switch {
	case decpt <= 0:
		s = "0." + strings.Repeat("0", -decpt) + digs
	case decpt >= len(digs):
		s = digs + strings.Repeat("0", decpt-len(digs)) + ".0"
	default:
		s = digs[:decpt] + "." + digs[decpt:]
	}
	return sign + s
}

func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s)
}

// pyTitle is str.title: a letter after a non-letter is upper-cased, others
// lower-cased.
func pyTitle(s string) string {
	prevCased := false
	return strings.Map(func(r rune) rune {
		var out rune
		if prevCased {
			out = unicode.ToLower(r)
		} else {
			out = unicode.ToTitle(r)
		}
		prevCased = unicode.IsLetter(r)
		return out
	}, s)
}

func pyCapitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.ToLower(s[n:])
}

func rsplitN(s, sep string, n int) []string {
	var out []string
	for n > 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append([]string{s[i+len(sep):]}, out...)
		s = s[:i]
		n--
	}
	return append([]string{s}, out...)
}

// splitWhitespace is str.split() with no separator: runs of whitespace
// separate, leading and trailing whitespace is ignored.
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	if maxsplit < 0 {
		return strings.FieldsFunc(s, isPySpace)
	}
	var out []string
	if fromRight {
		s = strings.TrimRightFunc(s, isPySpace)
		for maxsplit > 0 && s != "" {
			i := strings.LastIndexFunc(s, isPySpace)
			if i < 0 {
				break
			}
			_, w := utf8.DecodeRuneInString(s[i:])
			out = append([]string{s[i+w:]}, out...)
			s = strings.TrimRightFunc(s[:i], isPySpace)
			maxsplit--
		}
		if s != "" {
			out = append([]string{s}, out...)
		}
		return out
	}
	s = strings.TrimLeftFunc(s, isPySpace)
	for maxsplit > 0 && s != "" {
		i := strings.IndexFunc(s, isPySpace)
		if i < 0 {
			break
		}
		out = append(out, s[:i])
		s = strings.TrimLeftFunc(s[i:], isPySpace)
		maxsplit--
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// pySplitLines is str.splitlines, which breaks on more than "\n".
func pySplitLines(s string, keepEnds bool) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		end := i + w
		switch r {
		case '\r':
			if end < len(s) && s[end] == '\n' {
				end++
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			i += w
			continue
		}
		if keepEnds {
			out = append(out, s[start:end])
		} else {
			out = append(out, s[start:i])
		}
		start, i = end, end
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func justify(s string, width int, fill, how string) (string, error) {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s, nil
	}
	if width > maxSize {
		return "", &evalError{kind: "MemoryError", msg: "width is too large"}
	}
	pad := width - n
	switch how {
	case "ljust":
		return s + strings.Repeat(fill, pad), nil
	case "rjust":
		return strings.Repeat(fill, pad) + s, nil
	}
	// Python's center puts the odd extra fill on the left when the string
	// length is odd and the total padding is odd.
	left := pad/2 + (pad & width & 1)
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, pad-left), nil
}
