package cycle

import (
	"math"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
)

// Duration is a cycling interval: an ISO 8601 duration (P1Y2M3DT4H5M6S,
// P2W, -PT6H) in date-time cycling, or a whole number of cycles (P3, -P1)
// in integer cycling. The zero value is the null ISO 8601 duration P0Y.
//
// Like isodatetime, years and months are nominal: their length depends on
// where they are added. Hours, minutes and seconds may be fractional.
type Duration struct {
	integer bool
	cal     Calendar
	weeks   bool // written in weeks (P2W): days holds 7*weeks, the rest is zero
	years   int64
	months  int64
	days    int64
	hours   float64
	minutes float64
	seconds float64
	n       int64 // integer interval
}

// IntegerDuration returns the integer-cycling interval of n cycles.
func IntegerDuration(n int64) Duration { return Duration{integer: true, n: n} }

// IsInteger reports whether d is an integer-cycling interval.
func (d Duration) IsInteger() bool { return d.integer }

// Cycles returns the number of cycles of an integer interval (0 otherwise).
func (d Duration) Cycles() int64 {
	if d.integer {
		return d.n
	}
	return 0
}

// IsZero reports whether d is a null interval (P0Y, P0).
func (d Duration) IsZero() bool {
	if d.integer {
		return d.n == 0
	}
	return d.years == 0 && d.months == 0 && d.days == 0 &&
		d.hours == 0 && d.minutes == 0 && d.seconds == 0
}

// IsExact reports whether d has no nominal (year or month) part, so that it
// is a fixed length of time.
func (d Duration) IsExact() bool { return d.integer || (d.years == 0 && d.months == 0) }

// Neg returns -d.
func (d Duration) Neg() Duration { return d.Mul(-1) }

// Mul multiplies every field of d by k, as isodatetime does.
func (d Duration) Mul(k int64) Duration {
	if d.integer {
		d.n *= k
		return d
	}
	f := float64(k)
	d.years *= k
	d.months *= k
	d.days *= k
	d.hours *= f
	d.minutes *= f
	d.seconds *= f
	if d.weeks && d.days == 0 {
		d.weeks = false
	}
	return d
}

// Add returns d + o. Mixing integer and ISO 8601 intervals returns d.
func (d Duration) Add(o Duration) Duration {
	if d.integer != o.integer {
		return d
	}
	if d.integer {
		d.n += o.n
		return d
	}
	if !(d.weeks && o.weeks) {
		d.weeks = false
	}
	d.years += o.years
	d.months += o.months
	d.days += o.days
	d.hours += o.hours
	d.minutes += o.minutes
	d.seconds += o.seconds
	if d.weeks && d.days == 0 {
		d.weeks = false
	}
	return d
}

// Abs returns -d if d is less than the null interval, else d (as Cylc's
// interval abs() does).
func (d Duration) Abs() Duration {
	z := Duration{integer: d.integer, cal: d.cal}
	if d.Compare(z) < 0 {
		return d.Neg()
	}
	return d
}

// roughDaysSeconds is isodatetime's get_days_and_seconds: a year is the
// calendar's DAYS_IN_YEAR, a month 30 days. It orders durations.
func (d Duration) roughDaysSeconds() (float64, float64) {
	if d.weeks {
		return float64(d.days), 0
	}
	days := float64(d.years*d.cal.roughDaysInYear() + d.months*30 + d.days)
	secs := d.hours*3600 + d.minutes*60 + d.seconds
	q := math.Floor(secs / 86400)
	return days + q, secs - q*86400
}

// Compare orders durations the way isodatetime does (P1Y = 365 days,
// P1M = 30 days). It returns -1, 0 or +1. Integer intervals sort below
// ISO 8601 ones, as in Cylc.
func (d Duration) Compare(o Duration) int {
	if d.integer != o.integer {
		if d.integer {
			return -1
		}
		return 1
	}
	if d.integer {
		return cmpInt(d.n, o.n)
	}
	a1, a2 := d.roughDaysSeconds()
	b1, b2 := o.roughDaysSeconds()
	if a1 != b1 {
		return cmpFloat(a1, b1)
	}
	return cmpFloat(a2, b2)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// exactParts splits the exact (day and time) part of d into whole days and
// nanoseconds in [0, 1 day), avoiding overflow for long durations.
func (d Duration) exactParts() (int64, int64) {
	days := d.days
	h, m, s := d.hours, d.minutes, d.seconds
	if h == 0 && m == 0 && s == 0 {
		return days, 0
	}
	if isSmallInt(h) && isSmallInt(m) && isSmallInt(s) {
		secs := int64(h)*3600 + int64(m)*60 + int64(s)
		return days + floorDiv(secs, 86400), floorMod(secs, 86400) * 1e9
	}
	total := h*3600 + m*60 + s
	q := math.Floor(total / 86400)
	ns := int64(math.Round((total - q*86400) * 1e9))
	days += int64(q)
	if ns >= nsPerDay {
		days++
		ns -= nsPerDay
	} else if ns < 0 {
		days--
		ns += nsPerDay
	}
	return days, ns
}

func isSmallInt(f float64) bool { return f == math.Trunc(f) && math.Abs(f) < 1e12 }

// String formats d as isodatetime does: P0Y for null, P2W for weeks, a
// leading minus when every field is negative, ',' as decimal mark; integer
// intervals as P3 or -P3.
func (d Duration) String() string {
	if d.integer {
		if d.n < 0 {
			return "-P" + strconv.FormatInt(-d.n, 10)
		}
		return "P" + strconv.FormatInt(d.n, 10)
	}
	if d.IsZero() {
		return "P0Y"
	}
	if d.weeks {
		if d.days < 0 {
			return "-P" + strconv.FormatInt(-d.days/7, 10) + "W"
		}
		return "P" + strconv.FormatInt(d.days/7, 10) + "W"
	}
	neg := false
	for _, v := range [...]float64{float64(d.years), float64(d.months), float64(d.days), d.hours, d.minutes, d.seconds} {
		if v > 0 {
			neg = false
			break
		}
		if v < 0 {
			neg = true
		}
	}
	if neg {
		return "-" + d.Neg().String()
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, f := range [...]struct {
		v    int64
		unit byte
	}{{d.years, 'Y'}, {d.months, 'M'}, {d.days, 'D'}} {
		if f.v != 0 {
			b.WriteString(strconv.FormatInt(f.v, 10))
			b.WriteByte(f.unit)
		}
	}
	if d.hours != 0 || d.minutes != 0 || d.seconds != 0 {
		b.WriteByte('T')
		for _, f := range [...]struct {
			v    float64
			unit byte
		}{{d.hours, 'H'}, {d.minutes, 'M'}, {d.seconds, 'S'}} {
			if f.v != 0 {
				b.WriteString(pyNumber(f.v))
				b.WriteByte(f.unit)
			}
		}
	}
	return b.String()
}

// pyNumber formats a duration field as isodatetime does: whole values as
// integers, others with Python's float repr and ',' as decimal mark.
func pyNumber(f float64) string {
	if f == math.Trunc(f) {
		if math.Abs(f) < 9e18 {
			return strconv.FormatInt(int64(f), 10)
		}
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strings.Replace(pyRepr(f), ".", ",", 1)
}

// pyRepr is Python's repr() of a float, shared with the other packages
// that print Python floats.
var pyRepr = pyformat.FloatRepr
