package cycle

import (
	"strconv"
	"time"
)

// Point is a cycle point: an integer in integer cycling, or a date-time in
// one of the calendars. It is a small value type, usable as a map key:
// points made by the same Context are == when equal (unless its cycle
// point format writes each point's own UTC offset, "+hh:mm"), and Compare
// orders any two.
//
// A date-time point keeps its local wall-clock date and time together with
// its UTC offset, because nominal arithmetic (P1M, P1Y) depends on the local
// date. It always carries the precision and time zone of its Context's cycle
// point format, as Cylc re-reads every point from its formatted string.
type Point struct {
	c   *Context
	day int64 // integer value, or local day number in the calendar
	ns  int64 // nanoseconds since local midnight
	tz  int32 // UTC offset in minutes
}

// IsZero reports whether p is the zero Point (no point).
func (p Point) IsZero() bool { return p.c == nil }

// IsInteger reports whether p is an integer cycle point.
func (p Point) IsInteger() bool { return p.c != nil && p.c.integer }

// Int returns the value of an integer cycle point.
func (p Point) Int() int64 { return p.day }

// Context returns the Context that made p.
func (p Point) Context() *Context { return p.c }

// utc returns the UTC day and nanosecond of a date-time point.
func (p Point) utc() (int64, int64) {
	if p.tz == 0 {
		return p.day, p.ns
	}
	return carry(p.day, p.ns-int64(p.tz)*60e9)
}

// Compare returns -1, 0 or +1 as p is before, equal to or after q. Integer
// points sort before date-time points and the zero Point after everything,
// as in Cylc.
func (p Point) Compare(q Point) int {
	switch {
	case p.c == nil && q.c == nil:
		return 0
	case p.c == nil:
		return 1
	case q.c == nil:
		return -1
	case p.c.integer != q.c.integer:
		if p.c.integer {
			return -1
		}
		return 1
	case p.c.integer:
		return cmpInt(p.day, q.day)
	}
	if p.tz == q.tz {
		if p.day != q.day {
			return cmpInt(p.day, q.day)
		}
		return cmpInt(p.ns, q.ns)
	}
	pd, pn := p.utc()
	qd, qn := q.utc()
	if pd != qd {
		return cmpInt(pd, qd)
	}
	return cmpInt(pn, qn)
}

// Equal reports whether p and q are the same instant (or integer).
func (p Point) Equal(q Point) bool { return p.Compare(q) == 0 }

// Before reports whether p is earlier than q.
func (p Point) Before(q Point) bool { return p.Compare(q) < 0 }

// After reports whether p is later than q.
func (p Point) After(q Point) bool { return p.Compare(q) > 0 }

// Add returns p + d in p's calendar, rounded to the cycle point format's
// precision. The exact part of d (days, hours, minutes, seconds) is added
// first, then months (clamping the day of month at every month crossed),
// then years, exactly as isodatetime does. A duration of the other cycling
// type (integer vs date-time) leaves p unchanged.
func (p Point) Add(d Duration) Point {
	if p.c == nil || d.integer != p.c.integer {
		return p
	}
	return p.c.canon(p.addRaw(d))
}

// Sub returns the duration p - q: whole cycles in integer cycling, else
// days, hours, minutes and seconds (negative if q is after p), as
// isodatetime's TimePoint subtraction does.
func (p Point) Sub(q Point) Duration {
	if p.c == nil || q.c == nil || p.c.integer != q.c.integer {
		return Duration{}
	}
	if p.c.integer {
		return IntegerDuration(p.day - q.day)
	}
	if q.After(p) {
		return q.Sub(p).Neg()
	}
	pd, pn := p.utc()
	qd, qn := q.utc()
	days, ns := carry(pd-qd, pn-qn)
	h := ns / 3600e9
	m := (ns % 3600e9) / 60e9
	s := float64(ns%60e9) / 1e9
	return Duration{cal: p.c.cal, days: days, hours: float64(h), minutes: float64(m), seconds: s}
}

// addRaw adds d without rounding to the point format.
func (p Point) addRaw(d Duration) Point { return p.addRep(d, p.c.rep) }

// addRep adds d with years counted in representation r: isodatetime adds
// years to the week-year of a week date and clamps the week, or to the
// year of an ordinal date and clamps the day of year.
func (p Point) addRep(d Duration, r rep) Point {
	if p.c.integer {
		p.day += d.n
		return p
	}
	cal := p.c.cal
	if dd, ns := d.exactParts(); dd != 0 || ns != 0 {
		p.day, p.ns = carry(p.day+dd, p.ns+ns)
	}
	if d.months != 0 {
		p.day = addMonths(cal, p.day, d.months)
	}
	if d.years != 0 {
		switch r {
		case repOrdinal:
			y, doy := cal.ordinal(p.day)
			y += d.years
			p.day = cal.fromOrdinal(y, min(doy, cal.daysInYear(y)))
		case repWeek:
			wy, w, wd := cal.weekDate(p.day)
			wy += d.years
			p.day = cal.fromWeekDate(wy, min(w, cal.weeksInYear(wy)), wd)
		default:
			y, m, dd := cal.civil(p.day)
			y += d.years
			p.day = cal.dayNumber(y, m, min(dd, cal.daysInMonth(y, m)))
		}
	}
	return p
}

// addMonths moves a day number by n calendar months. Like isodatetime it
// steps one month at a time, clamping the day of month to each month it
// passes through, so 31 January + P2M is 29 (or 28) March.
func addMonths(cal Calendar, dn, n int64) int64 {
	y, m, d := cal.civil(dn)
	mi := y*12 + int64(m-1)
	lo := d
	if n >= 24 || n <= -24 {
		lo = min(lo, cal.minMonthDays())
	} else {
		step := int64(1)
		if n < 0 {
			step = -1
		}
		for k := step; k != n+step; k += step {
			j := mi + k
			lo = min(lo, cal.daysInMonth(floorDiv(j, 12), int(floorMod(j, 12))+1))
		}
	}
	mi += n
	return cal.dayNumber(floorDiv(mi, 12), int(floorMod(mi, 12))+1, lo)
}

// withTZ returns p expressed in another UTC offset (same instant).
func (p Point) withTZ(tz int32) Point {
	if p.tz == tz {
		return p
	}
	p.day, p.ns = carry(p.day, p.ns+int64(tz-p.tz)*60e9)
	p.tz = tz
	return p
}

// Format writes p in its Context's cycle point format (integers in
// decimal). It fails if the year does not fit the format (more than four
// digits without expanded year digits), as Cylc does.
func (p Point) Format() (string, error) {
	switch {
	case p.c == nil:
		return "", nil
	case p.c.integer:
		return strconv.FormatInt(p.day, 10), nil
	}
	return p.c.dump.format(p)
}

// String is Format without the error: a point the format cannot hold is
// described by the error message instead. The zero Point is "".
func (p Point) String() string {
	s, err := p.Format()
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return s
}

// Time returns the instant of a Gregorian date-time point, for clock
// triggers and expiry; ok is false for integer or non-Gregorian points and
// years outside Go's time range.
func (p Point) Time() (t time.Time, ok bool) {
	if p.c == nil || p.c.integer || p.c.cal != Gregorian {
		return time.Time{}, false
	}
	d, ns := p.utc()
	if d < -100000000 || d > 100000000 {
		return time.Time{}, false
	}
	return time.Unix(d*86400, ns).In(time.FixedZone("", int(p.tz)*60)), true
}

// Date returns the local year, month and day of a date-time point.
func (p Point) Date() (year int64, month, day int) {
	if p.c == nil || p.c.integer {
		return 0, 0, 0
	}
	return p.c.cal.civil(p.day)
}

// Clock returns the local hour, minute, second and nanosecond.
func (p Point) Clock() (hour, minute, second, nsec int) {
	if p.c == nil || p.c.integer {
		return 0, 0, 0, 0
	}
	ns := p.ns
	return int(ns / 3600e9), int(ns / 60e9 % 60), int(ns / 1e9 % 60), int(ns % 1e9)
}

// UTCOffset returns the point's offset from UTC in minutes.
func (p Point) UTCOffset() int { return int(p.tz) }
