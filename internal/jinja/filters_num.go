package jinja

import (
	"math"
	"strconv"
	"strings"
)

// Numeric filters, and Python's int() and float() parsing they rely on.

func filterAbs(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	if _, err := bindArgs("abs", nil, 0, args, kw); err != nil {
		return nil, err
	}
	n, ok := asNumber(v)
	if !ok {
		if u, isU := v.(*undefined); isU {
			return nil, u.err()
		}
		return nil, typeErr("bad operand type for abs(): '%s'", typeName(v))
	}
	switch n := n.(type) {
	case int:
		if n == math.MinInt64 {
			return nil, overflow()
		}
		return absInt(n), nil
	default:
		return math.Abs(n.(float64)), nil
	}
}

func filterFilesize(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("filesizeformat", []string{"binary"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	binary, err := truth(orDefault(a[0], false))
	if err != nil {
		return nil, err
	}
	f, err := pyFloat(v)
	if err != nil {
		return nil, err
	}
	base := 1000.0
	prefixes := []string{"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	if binary {
		base = 1024
		prefixes = []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
	}
	if f == 1 {
		return "1 Byte", nil
	}
	if f < base {
		return strconv.Itoa(int(f)) + " Bytes", nil
	}
	unit := 0.0
	for i, p := range prefixes {
		unit = math.Pow(base, float64(i+2))
		if f < unit {
			return strconv.FormatFloat(base*f/unit, 'f', 1, 64) + " " + p, nil
		}
	}
	return strconv.FormatFloat(base*f/unit, 'f', 1, 64) + " " + prefixes[len(prefixes)-1], nil
}

func filterFloat(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("float", []string{"default"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	f, err := pyFloat(v)
	if err != nil {
		if isConversionErr(err) {
			return orDefault(a[0], 0.0), nil
		}
		return nil, err
	}
	return f, nil
}

func isConversionErr(err error) bool {
	e, ok := err.(*evalError)
	return ok && (e.kind == "TypeError" || e.kind == "ValueError")
}

// pyFloat is Python's float(v).
func pyFloat(v any) (float64, error) {
	switch v := v.(type) {
	case string:
		return parsePyFloat(v)
	case *undefined:
		return 0, v.err()
	}
	n, ok := asNumber(v)
	if !ok {
		return 0, typeErr("float() argument must be a string or a real number, not '%s'", typeName(v))
	}
	return toFloat(n), nil
}

// parsePyFloat accepts what Python's float(str) accepts: surrounding
// whitespace, underscores between digits, inf/infinity/nan; not hex.
func parsePyFloat(s string) (float64, error) {
	t := strings.TrimFunc(s, isPySpace)
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 {
		return 0, valueErr("could not convert string to float: %s", reprString(s))
	}
	switch strings.ToLower(body) {
	case "inf", "infinity", "nan":
		f, _ := strconv.ParseFloat(t, 64)
		return f, nil
	}
	clean, ok := stripUnderscores(body)
	if !ok || clean == "" || strings.ContainsAny(clean, "xXpP") {
		return 0, valueErr("could not convert string to float: %s", reprString(s))
	}
	f, err := strconv.ParseFloat(t[:len(t)-len(body)]+clean, 64)
	if err != nil && !isRangeErr(err) {
		return 0, valueErr("could not convert string to float: %s", reprString(s))
	}
	return f, nil
}

// stripUnderscores removes "_" that sit between two digits; any other "_"
// makes the literal invalid.
func stripUnderscores(s string) (string, bool) {
	if !strings.Contains(s, "_") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if i == 0 || i == len(s)-1 || !isHexDigit(s[i-1]) || !isHexDigit(s[i+1]) {
				return "", false
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func filterInt(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("int", []string{"default", "base"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	def := orDefault(a[0], 0)
	base, err := wantInt("int", orDefault(a[1], 10))
	if err != nil {
		return nil, err
	}
	if u, ok := v.(*undefined); ok {
		return nil, u.err()
	}
	if s, ok := v.(string); ok {
		if i, err := parsePyInt(s, base); err == nil {
			return i, nil
		}
	} else if n, ok := asNumber(v); ok {
		return truncToInt(n)
	}
	// Jinja2's quirk: "42.23"|int gives 42 by way of float().
	f, err := pyFloat(v)
	if err != nil {
		if isConversionErr(err) {
			return def, nil
		}
		return nil, err
	}
	if math.IsNaN(f) {
		return def, nil
	}
	return truncToInt(f)
}

// parsePyInt is Python's int(str, base).
func parsePyInt(s string, base int) (int, error) {
	t := strings.TrimFunc(s, isPySpace)
	neg := false
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	low := strings.ToLower(t)
	if base == 0 || base == 16 && strings.HasPrefix(low, "0x") || base == 8 && strings.HasPrefix(low, "0o") || base == 2 && strings.HasPrefix(low, "0b") {
		if len(low) > 2 && low[0] == '0' && strings.IndexByte("xob", low[1]) >= 0 {
			base = map[byte]int{'x': 16, 'o': 8, 'b': 2}[low[1]]
			t = strings.TrimPrefix(t[2:], "_")
		} else if base == 0 {
			base = 10
			if strings.Trim(t, "0_") != "" && strings.HasPrefix(t, "0") {
				return 0, valueErr("invalid literal for int() with base 0: %s", reprString(s))
			}
		}
	}
	clean, ok := stripUnderscores(t)
	if !ok || clean == "" || base < 2 || base > 36 {
		return 0, valueErr("invalid literal for int() with base %d: %s", base, reprString(s))
	}
	u, err := strconv.ParseUint(clean, base, 64)
	if err != nil || u > math.MaxInt64 && !(neg && u == 1<<63) {
		if isRangeErr(err) || err == nil {
			return 0, overflow()
		}
		return 0, valueErr("invalid literal for int() with base %d: %s", base, reprString(s))
	}
	if neg {
		return int(-u), nil
	}
	return int(u), nil
}

func filterRound(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("round", []string{"precision", "method"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	prec, err := wantInt("round", orDefault(a[0], 0))
	if err != nil {
		return nil, err
	}
	how, _ := orDefault(a[1], "common").(string)
	if how != "common" && how != "ceil" && how != "floor" {
		return nil, &evalError{kind: "FilterArgumentError", msg: "method must be common, ceil or floor"}
	}
	n, ok := asNumber(v)
	if !ok {
		if u, isU := v.(*undefined); isU {
			return nil, u.err()
		}
		return nil, typeErr("type %s doesn't define __round__ method", typeName(v))
	}
	if how == "common" {
		if i, isInt := n.(int); isInt {
			return roundInt(i, prec), nil
		}
		return roundHalfEven(n.(float64), prec), nil
	}
	scale := math.Pow(10, float64(prec))
	f := toFloat(n) * scale
	if how == "ceil" {
		f = math.Ceil(f)
	} else {
		f = math.Floor(f)
	}
	return f / scale, nil
}

// roundHalfEven is Python's round(float, ndigits): correctly rounded to
// the nearest, ties to even, on the exact binary value.
func roundHalfEven(f float64, prec int) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return f
	}
	if prec >= 0 {
		if prec > 300 {
			return f
		}
		g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', prec, 64), 64)
		return g
	}
	scale := math.Pow(10, float64(-prec))
	return math.RoundToEven(f/scale) * scale
}

// roundInt is round(int, ndigits), which stays an int.
func roundInt(i, prec int) int {
	if prec >= 0 || prec < -18 {
		if prec < -18 {
			return 0
		}
		return i
	}
	scale := int(math.Pow10(-prec))
	q, m := i/scale, i%scale
	if m < 0 {
		q, m = q-1, m+scale
	}
	if 2*m > scale || 2*m == scale && q%2 != 0 {
		q++
	}
	return q * scale
}
