package cycle

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// parseISODuration reads an ISO 8601 duration as isodatetime's
// DurationParser does: PnYnMnD, PnYnMnDTnHnMnS (time values may have a
// decimal fraction with "," or "."), PnW, an optional leading "-" for a
// negative duration, and the date-time-like alternative "P0001-02-03T04"
// (whose "P10" means ten centuries: a reduced-precision year).
func parseISODuration(s string, cal Calendar) (Duration, error) {
	orig := s
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	if d, ok := parseDesignators(s, cal); ok {
		if neg {
			d = d.Neg()
			if d.weeks && d.days == 0 {
				d.weeks = false
			}
		}
		return d, nil
	}
	if strings.HasPrefix(s, "P") && !neg {
		if d, ok := parsePointLikeDuration(s[1:], cal); ok {
			return d, nil
		}
	}
	return Duration{}, durErr(orig, "not an ISO 8601 duration").withHint("write e.g. P1D, PT6H, P1Y2M, P2W or -PT30M")
}

// parseDesignators handles the PnYnMnDTnHnMnS and PnW forms.
func parseDesignators(s string, cal Calendar) (Duration, bool) {
	d := Duration{cal: cal}
	if len(s) == 0 || s[0] != 'P' {
		return d, false
	}
	s = s[1:]
	if strings.HasSuffix(s, "W") {
		n, ok := parseUint(s[:len(s)-1])
		if !ok {
			return d, false
		}
		d.days = 7 * n
		d.weeks = n != 0
		return d, true
	}
	date, tm, hasT := strings.Cut(s, "T")
	if hasT && strings.Contains(tm, "T") {
		return d, false
	}
	// date part: optional nY, nM, nD in this order, integers only
	units := []byte{'Y', 'M', 'D'}
	vals := []*int64{&d.years, &d.months, &d.days}
	u := 0
	for date != "" {
		i := 0
		for i < len(date) && isDigit(date[i]) {
			i++
		}
		if i == 0 || i == len(date) {
			return d, false
		}
		for u < 3 && units[u] != date[i] {
			u++
		}
		if u == 3 {
			return d, false
		}
		n, ok := parseUint(date[:i])
		if !ok {
			return d, false
		}
		*vals[u] = n
		u++
		date = date[i+1:]
	}
	if !hasT {
		return d, true
	}
	// time part: optional nH, nM, nS; values may be decimal
	tunits := []byte{'H', 'M', 'S'}
	tvals := []*float64{&d.hours, &d.minutes, &d.seconds}
	u = 0
	for tm != "" {
		i := floatLen(tm)
		if i == 0 || i == len(tm) {
			return d, false
		}
		for u < 3 && tunits[u] != tm[i] {
			u++
		}
		if u == 3 {
			return d, false
		}
		num := strings.Replace(tm[:i], ",", ".", 1)
		if strings.Count(num, ".") > 1 || strings.Contains(num, ",") {
			return d, false
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsInf(v, 0) {
			return d, false
		}
		*tvals[u] = v
		u++
		tm = tm[i+1:]
	}
	return d, true
}

// floatLen is the length of the number at the start of s: digits with an
// optional "," or "." fraction and exponent (Python's float() accepts the
// exponent, and isodatetime writes tiny values that way, e.g. PT1e-05S).
func floatLen(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return 0
	}
	if i < len(s) && (s[i] == ',' || s[i] == '.') {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

func parseUint(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parsePointLikeDuration reads the alternative format of ISO 8601
// durations, a date-time written after the P (isodatetime parses it with
// 2 expanded year digits and no bounds checks).
func parsePointLikeDuration(s string, cal Calendar) (Duration, bool) {
	p := &isoParser{nExp: 2}
	f, err := p.parse(s)
	if err != nil || f.truncated || f.woy >= 0 || f.dow >= 0 {
		return Duration{}, false
	}
	d := Duration{cal: cal, years: f.year}
	if f.month >= 0 {
		d.months = int64(f.month)
		if f.dom >= 0 {
			d.days = int64(f.dom)
		}
	}
	if f.doy >= 0 {
		d.days = int64(f.doy)
	}
	if f.hasHour {
		d.hours = f.hour
	}
	if f.hasMinute {
		d.minutes = f.minute
	}
	if f.hasSecond {
		d.seconds = f.second
	}
	return d, true
}

// ParseDuration reads a cycling interval: P3 or -P1 in integer cycling;
// an ISO 8601 duration (P1Y2M3DT4H5M6S, P2W, PT0.5H, -P1D, +PT6H) in
// date-time cycling.
func (c *Context) ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if c.integer {
		return parseIntegerInterval(s)
	}
	return c.intervalParse(s)
}

// intervalParse is Cylc's interval_parse: a duration, with a leading sign
// tried off if the plain parse fails.
func (c *Context) intervalParse(s string) (Duration, error) {
	d, err := parseISODuration(s, c.cal)
	if err == nil {
		return d, nil
	}
	if strings.Contains(s, "-") {
		if d2, err2 := parseISODuration(strings.Replace(s, "-", "", 1), c.cal); err2 == nil {
			return d2.Neg(), nil
		}
	}
	if strings.Contains(s, "+") {
		if d2, err2 := parseISODuration(strings.Replace(s, "+", "", 1), c.cal); err2 == nil {
			return d2, nil
		}
	}
	return Duration{}, err
}

var reIntInterval = regexp.MustCompile(`^[-+]?P\d+$`)

func parseIntegerInterval(s string) (Duration, error) {
	if !reIntInterval.MatchString(s) {
		return Duration{}, &Error{What: "integer interval", Value: s, Msg: "not an integer interval",
			Hint: "write Pn or -Pn, e.g. P1"}
	}
	neg := strings.HasPrefix(s, "-")
	n, err := strconv.ParseInt(s[strings.Index(s, "P")+1:], 10, 64)
	if err != nil {
		return Duration{}, &Error{What: "integer interval", Value: s, Msg: "out of range"}
	}
	if neg {
		n = -n
	}
	return IntegerDuration(n), nil
}

var reRunaheadCycles = regexp.MustCompile(`^P\d+$`)

// RunaheadLimit reads [scheduling]runahead limit: Pn allows n+1 active
// cycles (an integer interval, in either cycling mode); in date-time
// cycling an ISO 8601 duration limits by time. A bare number of hours is
// accepted as PTnH (deprecated in Cylc).
func (c *Context) RunaheadLimit(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789") == "" {
		s = "PT" + s + "H"
	}
	if reRunaheadCycles.MatchString(s) {
		return parseIntegerInterval(s)
	}
	if !c.integer && !strings.HasPrefix(s, "-") {
		if d, ok := parseDesignators(s, c.cal); ok {
			return d, nil
		}
	}
	mode := "integer"
	if !c.integer {
		mode = "iso8601"
	}
	return Duration{}, &Error{What: "runahead limit", Value: s, Msg: "bad runahead limit for " + mode + " cycling",
		Hint: "use Pn (n cycles) or, in date-time cycling, a duration such as PT12H"}
}

// IsOffsetAbsolute reports whether an inter-cycle offset such as the
// "20100101T00" of foo[20100101T00] is a point rather than an interval
// ("-PT6H", "+P1").
func (c *Context) IsOffsetAbsolute(s string) bool {
	if c.integer {
		return !reRelativeInt.MatchString(s)
	}
	_, err := c.intervalParse(s)
	return err != nil
}

var reRelativeInt = regexp.MustCompile(`^[-+]P\d+$`)
