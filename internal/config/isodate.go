package config

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gyre/internal/pyformat"
)

// ISO 8601 handling needed to validate configuration values the way Cylc's
// isodatetime library does. Arithmetic on cycle points is internal/cycle's
// job; here we only decide whether a string is acceptable, and convert
// durations to seconds because Cylc stores and prints intervals that way.

// Interval is a configuration duration in seconds. Cylc converts every ISO
// 8601 interval setting to seconds (a year counts 365 days, a month 30) and
// prints it back in a standardised form, so P1Y reads back as P365D.
type Interval float64

// String is Cylc's rendering of a stored interval (isodatetime's
// Duration(seconds=..., standardize=True)).
func (iv Interval) String() string {
	secs := float64(iv)
	var mins, hours, days float64
	if secs != 0 {
		mins, secs = pyformat.Divmod(secs, 60)
	}
	if mins != 0 {
		hours, mins = pyformat.Divmod(mins, 60)
	}
	if hours != 0 {
		days, hours = pyformat.Divmod(hours, 24)
	}
	comps := []float64{days, hours, mins, secs}
	allZero, negative := true, false
	for _, v := range comps {
		if v != 0 {
			allZero = false
		}
		if v > 0 {
			negative = false
			break
		}
		if v < 0 {
			negative = true
		}
	}
	if allZero {
		return "P0Y"
	}
	prefix := ""
	if negative {
		prefix = "-"
		for i := range comps {
			comps[i] = -comps[i]
		}
	}
	var b strings.Builder
	b.WriteString("P")
	for i, unit := range []string{"D", "H", "M", "S"} {
		if v := comps[i]; v != 0 {
			if v == math.Trunc(v) && !math.IsInf(v, 0) {
				b.WriteString(strconv.FormatFloat(v, 'f', 0, 64))
			} else {
				b.WriteString(pyFloatRepr(v))
			}
			b.WriteString(unit)
		}
		if i == 0 {
			b.WriteString("T")
		}
	}
	s := strings.TrimSuffix(b.String(), "T")
	return prefix + strings.ReplaceAll(s, ".", ",")
}

// Duration converts to a time.Duration, saturating at its limits (about
// 292 years) and rounding to the nanosecond.
func (iv Interval) Duration() time.Duration {
	ns := math.Round(float64(iv) * 1e9)
	switch {
	case math.IsNaN(ns):
		return 0
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(ns)
}

var (
	reDurDate = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)
	reDurTime = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?T(?:(\d.*)H)?(?:(\d.*)M)?(?:(\d.*)S)?$`)
	reDurWeek = regexp.MustCompile(`^P(\d+)W$`)
	// Durations written like a date-time: PYYYY-MM-DDThh:mm:ss and the
	// basic and ordinal forms.
	reDurPointE = regexp.MustCompile(`^P(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$`)
	reDurPointB = regexp.MustCompile(`^P(\d{4})(?:(\d{2})(\d{2})|(\d{3}))(?:T(\d{2})(?:(\d{2})(\d{2})?)?)?$`)
)

// ParseInterval reads an ISO 8601 interval setting as Cylc stores it, in
// seconds: the global configuration's intervals are read the same way.
func ParseInterval(s string) (Interval, error) { return parseDuration(s) }

// parseDuration converts an ISO 8601 duration to seconds as isodatetime's
// DurationParser and Duration.get_seconds do, including Cylc's extension of
// a leading minus sign.
func parseDuration(s string) (Interval, error) {
	orig := s
	sign := 1.0
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	}
	bad := fmt.Errorf("invalid ISO 8601 duration representation: %s", orig)
	atoi := func(v string) float64 {
		if v == "" {
			return 0
		}
		n, _ := strconv.ParseFloat(v, 64)
		return n * sign
	}
	if m := reDurDate.FindStringSubmatch(s); m != nil {
		return nominalSeconds(atoi(m[1]), atoi(m[2]), atoi(m[3]), 0, 0, 0), nil
	}
	if m := reDurTime.FindStringSubmatch(s); m != nil {
		var hms [3]float64
		for i, v := range m[4:7] {
			if v == "" {
				continue
			}
			f, ok := pyFloat(strings.ReplaceAll(v, ",", "."))
			if !ok {
				return 0, bad
			}
			hms[i] = f * sign
		}
		return nominalSeconds(atoi(m[1]), atoi(m[2]), atoi(m[3]), hms[0], hms[1], hms[2]), nil
	}
	if m := reDurWeek.FindStringSubmatch(s); m != nil {
		return Interval(atoi(m[1]) * 7 * 86400), nil
	}
	if sign > 0 {
		m := reDurPointE.FindStringSubmatch(s)
		if m == nil {
			m = reDurPointB.FindStringSubmatch(s)
		}
		if m != nil {
			days := atoi(m[3])
			if m[4] != "" {
				days = atoi(m[4])
			}
			return nominalSeconds(atoi(m[1]), atoi(m[2]), days, atoi(m[5]), atoi(m[6]), atoi(m[7])), nil
		}
	}
	return 0, bad
}

// nominalSeconds is Duration.get_seconds: years of 365 days and months of
// 30 days, summed in the same order (and so with the same rounding) as
// isodatetime.
func nominalSeconds(years, months, days, hours, minutes, seconds float64) Interval {
	if years == 0 && months == 0 {
		return Interval(days*86400 + hours*3600 + minutes*60 + seconds)
	}
	newDays := years*365 + months*30 + days
	newSecs := hours*3600 + minutes*60 + seconds
	diff, rem := pyformat.Divmod(newSecs, 86400)
	return Interval((newDays+diff)*86400 + rem)
}

// Date-time cycle point syntax (isodatetime's TimePointParser with no
// truncation): a calendar, ordinal or week date, optionally with a time of
// day (only after a full date) and a time zone. The year is matched
// separately because a signed (expanded) year has a variable number of
// digits. Basic and extended forms must not be mixed.
var (
	rePointRestExt = regexp.MustCompile(`^(?:-(?P<month>\d{2})|-W(?P<week>\d{2})|` +
		`(?:-(?P<month2>\d{2})-(?P<day>\d{2})|-(?P<doy>\d{3})|-W(?P<week2>\d{2})-(?P<dow>\d))` +
		`(?:T(?P<hour>\d{2})(?:[,.]\d+|:(?P<min>\d{2})(?:[,.]\d+|:(?P<sec>\d{2})(?:[,.]\d+)?)?)?` +
		`(?P<tz>Z|[+-]\d{2}(?::\d{2})?)?)?)?$`)
	rePointRestBasic = regexp.MustCompile(`^(?:(?P<month>\d{2})|W(?P<week>\d{2})|` +
		`(?:(?P<month2>\d{2})(?P<day>\d{2})|(?P<doy>\d{3})|W(?P<week2>\d{2})(?P<dow>\d))` +
		`(?:T(?P<hour>\d{2})(?:[,.]\d+|(?P<min>\d{2})(?:[,.]\d+|(?P<sec>\d{2})(?:[,.]\d+)?)?)?` +
		`(?P<tz>Z|[+-]\d{2}(?:\d{2})?)?)?)?$`)
	rePointCentury = regexp.MustCompile(`^(?:[+-]\d{3,}|\d{2})$`)
	reLeadDigits   = regexp.MustCompile(`^\d+`)
)

var errBadPoint = fmt.Errorf("invalid cycle point")

// checkTimePoint reports whether s is a valid ISO 8601 date-time (as a
// cycle point value), with isodatetime's out-of-bounds wording.
func checkTimePoint(s string) error {
	if rePointCentury.MatchString(s) {
		return nil
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		// Cylc does not know the number of expanded year digits yet and
		// accepts the point if any number of them works.
		digits := reLeadDigits.FindString(s[1:])
		for n := 5; n <= len(digits); n++ {
			if checkPointRest(s[:1+n], s[1+n:]) == nil {
				return nil
			}
		}
		return errBadPoint
	}
	if len(s) < 4 || len(reLeadDigits.FindString(s)) < 4 {
		return errBadPoint
	}
	return checkPointRest(s[:4], s[4:])
}

func checkPointRest(yearStr, rest string) error {
	var m []string
	var re *regexp.Regexp
	for _, re = range []*regexp.Regexp{rePointRestExt, rePointRestBasic} {
		if m = re.FindStringSubmatch(rest); m != nil {
			break
		}
	}
	if m == nil {
		return errBadPoint
	}
	g := map[string]string{}
	for i, name := range re.SubexpNames() {
		if name != "" && m[i] != "" {
			g[strings.TrimSuffix(name, "2")] = m[i]
		}
	}
	num := func(k string) int { n, _ := strconv.Atoi(g[k]); return n }
	year, err := strconv.ParseInt(yearStr, 10, 64)
	if err != nil {
		return errBadPoint
	}
	oob := func(what string, v int) error {
		return fmt.Errorf("invalid input (out of bounds): %s: %d", what, v)
	}
	if g["month"] != "" {
		mo := num("month")
		if mo < 1 || mo > 12 {
			return oob("month_of_year", mo)
		}
		if g["day"] != "" {
			if d := num("day"); d < 1 || d > daysInMonth(year, mo) {
				return oob("day_of_month", d)
			}
		}
	}
	if g["doy"] != "" {
		n := 365
		if isLeap(year) {
			n = 366
		}
		if d := num("doy"); d < 1 || d > n {
			return oob("day_of_year", d)
		}
	}
	if g["week"] != "" {
		if w := num("week"); w < 1 || w > weeksInYear(year) {
			return oob("week_of_year", w)
		}
		if g["dow"] != "" {
			if d := num("dow"); d < 1 || d > 7 {
				return oob("day_of_week", d)
			}
		}
	}
	if g["hour"] != "" {
		h, mi, se := num("hour"), num("min"), num("sec")
		switch {
		case h > 24:
			return oob("hour_of_day", h)
		case mi > 59:
			return oob("minute_of_hour", mi)
		case se > 59:
			return oob("second_of_minute", se)
		case h == 24 && mi != 0:
			return oob("minute_of_hour", mi)
		case h == 24 && se != 0:
			return oob("second_of_minute", se)
		}
	}
	if tz := strings.TrimLeft(strings.ReplaceAll(g["tz"], ":", ""), "+-"); len(tz) == 4 {
		if mi, _ := strconv.Atoi(tz[2:]); mi > 59 {
			return fmt.Errorf("invalid input (out of bounds): TimeZone minutes: %d", mi)
		}
	}
	return nil
}

func isLeap(y int64) bool {
	mod := func(a, b int64) int64 { return ((a % b) + b) % b }
	return mod(y, 4) == 0 && (mod(y, 100) != 0 || mod(y, 400) == 0)
}

func daysInMonth(y int64, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// weekdayJan1 is the ISO day of the week (1 = Monday) of 1 January of the
// proleptic Gregorian year y.
func weekdayJan1(y int64) int64 {
	mod := func(a, b int64) int64 { return ((a % b) + b) % b }
	p := y - 1
	// Days from 0001-01-01 (a Monday) to y-01-01.
	floorDiv := func(a, b int64) int64 { return (a - mod(a, b)) / b }
	days := 365*p + floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400)
	return mod(days, 7) + 1
}

func weeksInYear(y int64) int {
	d := weekdayJan1(y)
	if d == 4 || (d == 3 && isLeap(y)) {
		return 53
	}
	return 52
}

// checkTimeZone accepts what Cylc accepts for [scheduler]cycle point time
// zone: Z, ±hh or ±hhmm (basic format only).
var reTimeZone = regexp.MustCompile(`^(?:Z|[+-]\d{2}(\d{2})?)$`)

func checkTimeZone(s string) error {
	m := reTimeZone.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("invalid ISO 8601 time zone representation: %s", s)
	}
	if m[1] != "" {
		if mi, _ := strconv.Atoi(m[1]); mi > 59 {
			return fmt.Errorf("invalid input (out of bounds): TimeZone minutes: %d", mi)
		}
	}
	return nil
}

// strftime directives isodatetime understands in a cycle point format.
var reStrftime = regexp.MustCompile(`%\w`)

var strftimeKnown = map[string]bool{
	"%d": true, "%F": true, "%H": true, "%j": true, "%m": true, "%M": true,
	"%s": true, "%S": true, "%X": true, "%Y": true, "%z": true,
}

// checkCyclePointFormat accepts isodatetime dump formats (CCYYMMDDThhmmZ)
// and strftime-style ones (%Y%m%d), refusing characters that cannot appear
// in file paths.
func checkCyclePointFormat(s string) error {
	switch {
	case strings.Contains(s, "/"):
		return fmt.Errorf(`illegal character: "/" (datetimes are used in Cylc file paths)`)
	case strings.Contains(s, ":"):
		return fmt.Errorf(`illegal character: ":" (datetimes are used in Cylc file paths)`)
	}
	if strings.Contains(s, "%") {
		for _, d := range reStrftime.FindAllString(s, -1) {
			if !strftimeKnown[d] {
				return fmt.Errorf("invalid strftime/strptime representation: %s", d)
			}
		}
		// isodatetime substitutes each directive with a %(name)d style
		// field and %-formats the result, so stray % signs fail then.
		if _, err := pyformat.Mapping(reStrftime.ReplaceAllString(s, "%(x)s"), map[string]any{"x": 1}); err != nil {
			return fmt.Errorf("incomplete format")
		}
	}
	return nil
}
