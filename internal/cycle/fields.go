package cycle

import (
	"fmt"
	"math"
)

const nsPerDay = int64(86400e9)

type truncProp uint8

const (
	propNone    truncProp = iota
	propDecade            // year_of_decade ("-z" forms)
	propCentury           // year_of_century ("-YY", "YYMMDD" forms)
)

// fields are the properties of a parsed date-time before it becomes a
// Point: isodatetime's TimePoint attributes. Date fields are -1 if absent.
type fields struct {
	expr      string // template that matched, e.g. "CCYYMMDDThhmmZ"
	truncated bool
	truncProp truncProp
	hasYear   bool
	year      int64
	expanded  bool
	month     int
	dom       int
	doy       int
	woy       int
	dow       int
	hasHour   bool
	hasMinute bool
	hasSecond bool
	hourDec   bool // hour had a decimal fraction (minute then absent)
	minuteDec bool
	hour      float64
	minute    float64
	second    float64
	hasTZ     bool  // zone written in the string
	tz        int32 // minutes east of UTC (assumed zone when absent)
}

func boundsErr(s, name string, v any, lo, hi any) *Error {
	return pointErr(s, fmt.Sprintf("%s %v out of range %v..%v", name, v, lo, hi))
}

// finish fills defaults and checks bounds as isodatetime's TimePoint
// constructor does.
func (f *fields) finish(s string, cal Calendar) error {
	f.hourDec = f.hasHour && f.hour != math.Trunc(f.hour)
	f.minuteDec = f.hasMinute && f.minute != math.Trunc(f.minute)
	if !f.truncated {
		if !f.hasHour {
			f.hasHour, f.hour = true, 0
		}
		if !f.hourDec && !f.hasMinute {
			f.hasMinute, f.minute = true, 0
		}
		if !f.hourDec && !f.minuteDec && !f.hasSecond {
			f.hasSecond, f.second = true, 0
		}
		weekSpecified := f.woy > 0 || f.dow > 0
		if f.doy < 0 {
			if !weekSpecified {
				if f.month < 0 {
					f.month = 1
				}
				if f.dom < 0 {
					f.dom = 1
				}
			} else {
				if f.woy < 0 {
					f.woy = 1
				}
				if f.dow < 0 {
					f.dow = 1
				}
			}
		}
	}
	if f.truncated && (f.hourDec || f.minuteDec) {
		return pointErr(s, "a truncated time cannot have a decimal fraction")
	}
	if f.month >= 0 && (f.month < 1 || f.month > 12) {
		return boundsErr(s, "month", f.month, 1, 12)
	}
	if f.dom >= 0 {
		maxd := 31
		if cal == Days360 {
			maxd = 30
		}
		if f.month >= 0 {
			if f.hasYear {
				maxd = cal.daysInMonth(f.year, f.month)
			} else {
				maxd = cal.maxDaysInMonth(f.month)
			}
		}
		if f.dom < 1 || f.dom > maxd {
			return boundsErr(s, "day of month", f.dom, 1, maxd)
		}
	}
	if f.woy >= 0 {
		maxw := 53
		if f.hasYear {
			maxw = cal.weeksInYear(f.year)
		}
		if f.woy < 1 || f.woy > maxw {
			return boundsErr(s, "week of year", f.woy, 1, maxw)
		}
	}
	if f.doy >= 0 {
		maxd := cal.daysInYear(2000) // leap length without a year
		if f.hasYear {
			maxd = cal.daysInYear(f.year)
		}
		if f.doy < 1 || f.doy > maxd {
			return boundsErr(s, "day of year", f.doy, 1, maxd)
		}
	}
	if f.dow >= 0 && (f.dow < 1 || f.dow > 7) {
		return boundsErr(s, "day of week", f.dow, 1, 7)
	}
	if f.hasHour && (f.hour < 0 || f.hour > 24) {
		return boundsErr(s, "hour", f.hour, 0, 24)
	}
	if f.hasHour && f.hour == 24 {
		if (f.hasMinute && f.minute != 0) || (f.hasSecond && f.second != 0) {
			return pointErr(s, "hour 24 needs zero minutes and seconds")
		}
	} else {
		if f.hasMinute && (f.minute < 0 || f.minute >= 60) {
			return boundsErr(s, "minute", f.minute, 0, 59)
		}
		if f.hasSecond && (f.second < 0 || f.second >= 60) {
			return boundsErr(s, "second", f.second, 0, 59)
		}
	}
	return nil
}

// local returns the day number and nanosecond of day of complete fields.
// Hour 24 becomes midnight of the next day.
func (f *fields) local(cal Calendar) (int64, int64) {
	var dn int64
	switch {
	case f.month >= 0:
		dn = cal.dayNumber(f.year, f.month, f.dom)
	case f.doy >= 0:
		dn = cal.fromOrdinal(f.year, f.doy)
	default:
		dn = cal.fromWeekDate(f.year, f.woy, f.dow)
	}
	secs := f.hour * 3600
	if f.hasMinute {
		secs += f.minute * 60
	}
	if f.hasSecond {
		secs += f.second
	}
	ns := int64(math.Round(secs * 1e9))
	if ns >= nsPerDay {
		dn += ns / nsPerDay
		ns %= nsPerDay
	}
	return dn, ns
}

// Truncated property names, largest first, as isodatetime orders them.
const (
	tpYearOfCentury = iota
	tpYearOfDecade
	tpMonth
	tpWeek
	tpDayOfYear
	tpDayOfMonth
	tpDayOfWeek
	tpHour
	tpMinute
	tpSecond
	tpNone
)

func (f *fields) has(p int) bool {
	switch p {
	case tpYearOfCentury:
		return f.truncProp == propCentury
	case tpYearOfDecade:
		return f.truncProp == propDecade
	case tpMonth:
		return f.month >= 0
	case tpWeek:
		return f.woy >= 0
	case tpDayOfYear:
		return f.doy >= 0
	case tpDayOfMonth:
		return f.dom >= 0
	case tpDayOfWeek:
		return f.dow >= 0
	case tpHour:
		return f.hasHour
	case tpMinute:
		return f.hasMinute
	case tpSecond:
		return f.hasSecond
	}
	return false
}

// largestTruncated is isodatetime's get_largest_truncated_property_name.
func (f *fields) largestTruncated() int {
	for p := tpYearOfCentury; p < tpNone; p++ {
		if f.has(p) {
			return p
		}
	}
	return tpNone
}

// inferredInterval is the recurrence interval Cylc infers from a truncated
// start point with no interval ("T00" means daily).
func (f *fields) inferredInterval(cal Calendar) (Duration, bool) {
	d := Duration{cal: cal}
	switch f.largestTruncated() {
	case tpYearOfCentury:
		d.years = 100
	case tpYearOfDecade:
		d.years = 10
	case tpMonth, tpWeek, tpDayOfYear:
		d.years = 1
	case tpDayOfMonth:
		d.months = 1
	case tpDayOfWeek:
		d.days = 7
	case tpHour:
		d.days = 1
	case tpMinute:
		d.hours = 1
	case tpSecond:
		d.minutes = 1
	default:
		return d, false
	}
	return d, true
}

// goBack is the unit previous() steps back by: one of the smallest unit
// missing from a truncated point (isodatetime's
// get_smallest_missing_property_name mapped through Cylc's go_back table).
func (f *fields) goBack(cal Calendar) Duration {
	d := Duration{cal: cal}
	switch f.largestTruncated() {
	case tpYearOfCentury:
		d.years = 100 // century
	case tpYearOfDecade:
		d.years = 10 // decade of century
	case tpMonth, tpWeek, tpDayOfYear:
		d.years = 1 // year of century
	case tpDayOfMonth:
		d.months = 1
	case tpDayOfWeek:
		d.days, d.weeks = 7, true
	case tpHour:
		d.days = 1
	case tpMinute:
		d.hours = 1
	case tpSecond:
		d.minutes = 1
	}
	return d
}

// resolvedRep is the representation isodatetime leaves a point in after
// adding these truncated fields: that of the last field applied.
func (f *fields) resolvedRep(base rep) rep {
	switch {
	case f.truncProp != propNone || f.month >= 0:
		return repCalendar
	case f.woy >= 0:
		return repWeek
	case f.doy >= 0:
		return repOrdinal
	case f.dom >= 0:
		return repCalendar
	case f.dow >= 0:
		return repWeek
	}
	return base
}

func carry(dn, ns int64) (int64, int64) {
	if ns >= nsPerDay || ns < 0 {
		dn += floorDiv(ns, nsPerDay)
		ns = floorMod(ns, nsPerDay)
	}
	return dn, ns
}

// resolve adds truncated fields to a local date-time: the earliest time at
// or after (dn, ns) that matches them (isodatetime's add_truncated), each
// property applied in isodatetime's order, smallest unit first.
func (f *fields) resolve(cal Calendar, dn, ns int64) (int64, int64) {
	hasMin, minute := f.hasMinute, int64(f.minute)
	hasSec, second := f.hasSecond, int64(math.Round(f.second*1e9))
	if f.hasHour && !hasMin {
		hasMin, minute = true, 0
	}
	if (f.hasHour || hasMin) && !hasSec {
		hasSec, second = true, 0
	}
	if hasSec {
		ns += floorMod(second-ns%60e9, 60e9)
		dn, ns = carry(dn, ns)
	}
	if hasMin {
		ns += floorMod(minute-(ns/60e9)%60, 60) * 60e9
		dn, ns = carry(dn, ns)
	}
	if f.hasHour {
		ns += floorMod(int64(f.hour)-ns/3600e9, 24) * 3600e9
		dn, ns = carry(dn, ns)
	}
	if f.dow >= 0 {
		dn += floorMod(int64(f.dow-cal.weekday(dn)), 7)
	}
	if f.dom >= 0 {
		y, m, d := cal.civil(dn)
		if !(d <= f.dom && f.dom <= cal.daysInMonth(y, m)) {
			for range 48 {
				if m++; m > 12 {
					m, y = 1, y+1
				}
				if f.dom <= cal.daysInMonth(y, m) {
					break
				}
			}
		}
		dn = cal.dayNumber(y, m, f.dom)
	}
	if f.doy >= 0 {
		// isodatetime steps the day of year one at a time, and when it
		// passes the end of a year it subtracts the length of the *next*
		// year: leaving a leap year it skips 1 January, so the next
		// "-001" after a date in 2012 is 2014-001. Do the same.
		y, d := cal.ordinal(dn)
		for i := 0; d != f.doy && i < 4000; i++ {
			d++
			for d > cal.daysInYear(y) {
				d -= cal.daysInYear(y + 1)
				y++
			}
		}
		dn = cal.fromOrdinal(y, f.doy)
	}
	if f.woy >= 0 {
		wy, w, wd := cal.weekDate(dn)
		if !(w <= f.woy && f.woy <= cal.weeksInYear(wy)) {
			for range 800 {
				if wy++; f.woy <= cal.weeksInYear(wy) {
					break
				}
			}
		}
		dn = cal.fromWeekDate(wy, f.woy, wd)
	}
	if f.month >= 0 {
		y, m, d := cal.civil(dn)
		for range 100 {
			if m == f.month {
				break
			}
			if m++; m > 12 {
				m, y = 1, y+1
			}
			if d > cal.daysInMonth(y, m) {
				y, m, d = cal.civil(cal.dayNumber(y, m, 1) + int64(d-1))
			}
		}
		dn = cal.dayNumber(y, m, d)
	}
	if f.truncProp != propNone {
		mod, want := int64(10), floorMod(f.year, 10)
		if f.truncProp == propCentury {
			mod, want = 100, floorMod(f.year, 100)
		}
		y, m, d := cal.civil(dn)
		y += floorMod(want-floorMod(y, mod), mod)
		d = min(d, cal.daysInMonth(y, m))
		dn = cal.dayNumber(y, m, d)
	}
	return dn, ns
}
