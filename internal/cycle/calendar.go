package cycle

import (
	"strings"

	"gyre/internal/suggest"
)

// Calendar is a date-time cycling calendar ([scheduling]cycling mode).
//
// Dates are handled as day numbers so that arithmetic and comparison cost a
// few integer operations; only formatting and nominal (month/year)
// arithmetic convert to year/month/day.
type Calendar uint8

const (
	// Gregorian is the proleptic Gregorian calendar with a year zero
	// (astronomical numbering, as isodatetime uses).
	Gregorian Calendar = iota
	// Days360 has twelve months of 30 days.
	Days360
	// Days365 never has a leap year.
	Days365
	// Days366 always has a leap year.
	Days366
)

var calendarNames = map[string]Calendar{
	"gregorian": Gregorian,
	"360day":    Days360, "360_day": Days360,
	"365day": Days365, "365_day": Days365,
	"366day": Days366, "366_day": Days366,
}

// ParseCalendar reads a cycling mode name: gregorian, 360day, 365day, 366day
// (or the CF spellings 360_day, ...), case-insensitively as isodatetime does.
func ParseCalendar(s string) (Calendar, error) {
	if c, ok := calendarNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return c, nil
	}
	return 0, &Error{What: "cycling mode", Value: s, Msg: "unknown calendar",
		Hint: "use one of integer, gregorian, 360day, 365day, 366day" +
			suggest.Hint(strings.ToLower(strings.TrimSpace(s)), calendarKeys())}
}

func calendarKeys() []string {
	return []string{"integer", "gregorian", "360day", "365day", "366day", "360_day", "365_day", "366_day"}
}

// String returns the cycling mode name of the calendar.
func (c Calendar) String() string {
	switch c {
	case Days360:
		return "360day"
	case Days365:
		return "365day"
	case Days366:
		return "366day"
	}
	return "gregorian"
}

var (
	monthDays365 = [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	monthDays366 = [12]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	// cumulative days before each month
	cumDays365 = [13]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}
	cumDays366 = [13]int{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}
)

// gregorianLeap applies the Gregorian rule; a zero remainder is the same
// under floored and truncated division, so negative years work unchanged.
func gregorianLeap(y int64) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// daysInMonth returns the length of month m (1..12) of year y.
func (c Calendar) daysInMonth(y int64, m int) int {
	switch c {
	case Days360:
		return 30
	case Days365:
		return monthDays365[m-1]
	case Days366:
		return monthDays366[m-1]
	}
	if m == 2 && gregorianLeap(y) {
		return 29
	}
	return monthDays365[m-1]
}

// maxDaysInMonth is the bound isodatetime uses for a month given without a
// year (truncated dates): the leap-year length.
func (c Calendar) maxDaysInMonth(m int) int {
	switch c {
	case Days360:
		return 30
	case Days365:
		return monthDays365[m-1]
	}
	return monthDays366[m-1]
}

func (c Calendar) daysInYear(y int64) int {
	switch c {
	case Days360:
		return 360
	case Days365:
		return 365
	case Days366:
		return 366
	}
	if gregorianLeap(y) {
		return 366
	}
	return 365
}

// roughDaysInYear is isodatetime's DAYS_IN_YEAR, used to compare durations
// that contain years.
func (c Calendar) roughDaysInYear() int64 {
	switch c {
	case Days360:
		return 360
	case Days366:
		return 366
	}
	return 365
}

// minMonthDays is the shortest month of the calendar.
func (c Calendar) minMonthDays() int {
	switch c {
	case Days360:
		return 30
	case Days366:
		return 29
	}
	return 28
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}

// dayNumber converts a calendar date to a day number. Gregorian day 0 is
// 1970-01-01 (so Unix time is easy); the fixed-length calendars count from
// 0000-01-01. Only differences and round trips matter elsewhere.
func (c Calendar) dayNumber(y int64, m, d int) int64 {
	switch c {
	case Days360:
		return y*360 + int64((m-1)*30+d-1)
	case Days365:
		return y*365 + int64(cumDays365[m-1]+d-1)
	case Days366:
		return y*366 + int64(cumDays366[m-1]+d-1)
	}
	// Days from civil (H. Hinnant), with floored era for negative years.
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64(m + 9)
	if m > 2 {
		mp = int64(m - 3)
	}
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil converts a day number back to year, month, day.
func (c Calendar) civil(n int64) (int64, int, int) {
	var (
		y   int64
		doy int
		cum *[13]int
	)
	switch c {
	case Days360:
		y = floorDiv(n, 360)
		r := int(n - y*360)
		return y, r/30 + 1, r%30 + 1
	case Days365:
		y = floorDiv(n, 365)
		doy, cum = int(n-y*365), &cumDays365
	case Days366:
		y = floorDiv(n, 366)
		doy, cum = int(n-y*366), &cumDays366
	default:
		z := n + 719468
		era := floorDiv(z, 146097)
		doe := z - era*146097
		yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
		y = yoe + era*400
		dy := doe - (365*yoe + yoe/4 - yoe/100)
		mp := (5*dy + 2) / 153
		d := int(dy - (153*mp+2)/5 + 1)
		m := int(mp + 3)
		if mp >= 10 {
			m = int(mp - 9)
		}
		if m <= 2 {
			y++
		}
		return y, m, d
	}
	m := 1
	for cum[m] <= doy {
		m++
	}
	return y, m, doy - cum[m-1] + 1
}

// ordinal returns the year and day of year (1-based) of a day number.
func (c Calendar) ordinal(n int64) (int64, int) {
	y, _, _ := c.civil(n)
	return y, int(n-c.dayNumber(y, 1, 1)) + 1
}

func (c Calendar) fromOrdinal(y int64, doy int) int64 {
	return c.dayNumber(y, 1, 1) + int64(doy-1)
}

// weekday returns 1 (Monday) .. 7 relative to isodatetime's reference
// Monday 2000-01-03, which also defines weeks in the non-Gregorian calendars.
func (c Calendar) weekday(n int64) int {
	return int(floorMod(n-c.dayNumber(2000, 1, 3), 7)) + 1
}

// weekYearStart is the day number of Monday of week 1 of week-year wy: the
// week holding the year's first Thursday.
func (c Calendar) weekYearStart(wy int64) int64 {
	j := c.dayNumber(wy, 1, 1)
	dow := c.weekday(j)
	switch {
	case dow == 1:
		return j
	case dow > 4:
		return j + int64(8-dow)
	}
	return j - int64(dow-1)
}

func (c Calendar) weeksInYear(wy int64) int {
	return int((c.weekYearStart(wy+1) - c.weekYearStart(wy)) / 7)
}

// weekDate returns the week-year, week and day of week of a day number.
func (c Calendar) weekDate(n int64) (int64, int, int) {
	y, _, _ := c.civil(n)
	s := c.weekYearStart(y)
	if n < s {
		y--
		s = c.weekYearStart(y)
	} else if next := c.weekYearStart(y + 1); n >= next {
		y++
		s = next
	}
	d := n - s
	return y, int(d/7) + 1, int(d%7) + 1
}

func (c Calendar) fromWeekDate(wy int64, w, dow int) int64 {
	return c.weekYearStart(wy) + int64((w-1)*7+dow-1)
}
