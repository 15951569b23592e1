package isodatetime

import (
	"fmt"
	"strings"

	"gyre/internal/pyformat"
)

// This file holds the calendar arithmetic of "gyre isodatetime". Dates are
// handled as day numbers (day 0 is 1 January of year 0) so that conversions
// between calendar, ordinal and week dates are O(1) whatever the year; the
// results are the ones metomi-isodatetime gets by walking day by day.

// idtError is an exception the Python command would raise. The command
// prints a ValueError's message and exits 1, and several steps catch
// ValueErrors to try something else (a fallback parser or formatter), as
// isodatetime does; the other kinds are not caught there.
type idtError struct {
	kind idtErrKind
	msg  string
}

type idtErrKind uint8

const (
	idtValueErr    idtErrKind = iota // ValueError and its isodatetime subclasses
	idtSyntaxErr                     // ISO8601SyntaxError, which some steps catch on its own
	idtTypeErr                       // TypeError (Python ends with a traceback)
	idtKeyErr                        // KeyError
	idtOverflowErr                   // OverflowError
	idtRegexErr                      // re.error
)

func (e *idtError) Error() string {
	switch e.kind {
	case idtTypeErr:
		return "TypeError: " + e.msg
	case idtKeyErr:
		return "KeyError: " + e.msg
	case idtOverflowErr:
		return "OverflowError: " + e.msg
	case idtRegexErr:
		return "re.error: " + e.msg
	}
	return e.msg
}

// idtIsValue reports whether err is a Python ValueError (which the fallbacks
// catch); a nil error is not.
func idtIsValue(err error) bool {
	e, ok := err.(*idtError)
	return ok && (e.kind == idtValueErr || e.kind == idtSyntaxErr)
}

func idtValue(format string, a ...any) *idtError {
	return &idtError{kind: idtValueErr, msg: fmt.Sprintf(format, a...)}
}

// idtSyntax is isodatetime's "Invalid ISO 8601 <what> representation".
func idtSyntax(what, s string) *idtError {
	return &idtError{kind: idtSyntaxErr, msg: "Invalid ISO 8601 " + what + " representation: " + s}
}

// idtBounds is isodatetime's out-of-bounds message for a property.
func idtBounds(name string, v any) *idtError {
	return idtValue("Invalid input (out of bounds): %s: %s", name, idtPyStr(v))
}

// idtPyStr renders an int64 or float64 as Python's str() does.
func idtPyStr(v any) string {
	switch x := v.(type) {
	case int64:
		return fmt.Sprint(x)
	case int:
		return fmt.Sprint(x)
	case float64:
		return pyformat.FloatRepr(x)
	}
	return fmt.Sprint(v)
}

// idtCal is a calendar mode. isodatetime keeps it in a global; here each
// invocation has its own.
type idtCal struct {
	name   string
	months [12]int64
	greg   bool  // Gregorian: February has 29 days in leap years
	minDim int64 // the shortest month, which a long run of months clamps to
}

var idtCalModes = map[string][12]int64{
	"gregorian": {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	"360day":    {30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	"360_day":   {30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	"365day":    {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	"365_day":   {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	"366day":    {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	"366_day":   {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

// idtCalendar returns the calendar of a mode name ("" is Gregorian);
// like isodatetime it ignores case and accepts the CF names (360_day).
func idtCalendar(mode string) (*idtCal, bool) {
	if mode == "" {
		mode = "gregorian"
	}
	m, ok := idtCalModes[strings.ToLower(mode)]
	if !ok {
		return nil, false
	}
	c := &idtCal{name: mode, months: m, greg: strings.EqualFold(mode, "gregorian"), minDim: m[0]}
	for _, d := range m {
		c.minDim = min(c.minDim, d)
	}
	return c, true
}

func idtFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func idtFloorMod(a, b int64) int64 { return a - idtFloorDiv(a, b)*b }

// leap reports whether y has a 29 February (Gregorian rule, year 0 leap).
func (c *idtCal) leap(y int64) bool {
	return c.greg && idtFloorMod(y, 4) == 0 && (idtFloorMod(y, 100) != 0 || idtFloorMod(y, 400) == 0)
}

// dim is the number of days in month m (1-12) of year y.
func (c *idtCal) dim(m, y int64) int64 {
	if m == 2 && c.leap(y) {
		return 29
	}
	return c.months[m-1]
}

// daysInYear is the length of year y; roughYear is the length isodatetime
// uses to convert years to days (the non-leap length).
func (c *idtCal) daysInYear(y int64) int64 {
	if c.leap(y) {
		return c.roughYear() + 1
	}
	return c.roughYear()
}

func (c *idtCal) roughYear() int64 {
	var n int64
	for _, d := range c.months {
		n += d
	}
	return n
}

// yearStart is the day number of 1 January of year y.
func (c *idtCal) yearStart(y int64) int64 {
	if !c.greg {
		return c.roughYear() * y
	}
	z := y - 1
	return 365*y + idtFloorDiv(z, 4) - idtFloorDiv(z, 100) + idtFloorDiv(z, 400) + 1
}

// cycle is a whole number of years whose length in days and in weeks is
// the same wherever it starts, so that year-by-year loops can jump ahead.
func (c *idtCal) cycle() (years, days, weeks int64) {
	if c.greg {
		return 400, 146097, 20871
	}
	return 7, 7 * c.roughYear(), c.roughYear()
}

// yearOf returns the year holding day number dn and the day of that year.
func (c *idtCal) yearOf(dn int64) (int64, int64) {
	var y int64
	if c.greg {
		y = idtFloorDiv(dn, 146097) * 400
		y += (dn - c.yearStart(y)) / 366
	} else {
		y = idtFloorDiv(dn, c.roughYear())
	}
	for c.yearStart(y+1) <= dn {
		y++
	}
	for c.yearStart(y) > dn {
		y--
	}
	return y, dn - c.yearStart(y) + 1
}

// monthDay converts a valid day of year to month and day of month.
func (c *idtCal) monthDay(y, doy int64) (int64, int64) {
	m := int64(1)
	for m < 12 && doy > c.dim(m, y) {
		doy -= c.dim(m, y)
		m++
	}
	return m, doy
}

// dayOfYear converts a valid calendar date to its day of the year.
func (c *idtCal) dayOfYear(y, m, d int64) int64 {
	for k := int64(1); k < m; k++ {
		d += c.dim(k, y)
	}
	return d
}

// weekStart is the day number of the Monday starting ISO week year wy;
// weekdays count from 3 January 2000, a Monday, in every calendar.
func (c *idtCal) weekStart(wy int64) int64 {
	jan1 := c.yearStart(wy)
	wd := idtFloorMod(jan1-c.yearStart(2000)-2, 7) // 0 = Monday
	switch {
	case wd == 0:
		return jan1
	case wd >= 4:
		return jan1 + 7 - wd
	}
	return jan1 - wd
}

func (c *idtCal) weeksInYear(wy int64) int64 {
	return (c.weekStart(wy+1) - c.weekStart(wy)) / 7
}

// The conversions below fail where isodatetime's walks find no match, with
// its messages.

func (c *idtCal) calFromOrdinal(y, doy int64) (int64, int64, int64, error) {
	if doy < 1 || doy > c.daysInYear(y) {
		return 0, 0, 0, idtValue("Bad ordinal date: %d-%03d", y, doy)
	}
	m, d := c.monthDay(y, doy)
	return y, m, d, nil
}

func (c *idtCal) validCal(y, m, d int64) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= c.dim(m, y)
}

func (c *idtCal) ordinalFromCal(y, m, d int64) (int64, int64, error) {
	if !c.validCal(y, m, d) {
		return 0, 0, idtValue("Bad calendar date: %d-%02d-%02d", y, m, d)
	}
	return y, c.dayOfYear(y, m, d), nil
}

func (c *idtCal) calFromWeek(wy, w, d int64) (int64, int64, int64, error) {
	start := c.weekStart(wy)
	n := (w-1)*7 + d - 1
	if n < 0 || start+n >= c.yearStart(wy+2) {
		return 0, 0, 0, idtValue("Bad week date: %d-W%02d-%d", wy, w, d)
	}
	y, doy := c.yearOf(start + n)
	m, dd := c.monthDay(y, doy)
	return y, m, dd, nil
}

func (c *idtCal) weekFromCal(y, m, d int64) (int64, int64, int64, error) {
	if !c.validCal(y, m, d) {
		return 0, 0, 0, idtValue("Bad calendar date: %d-%02d-%02d", y, m, d)
	}
	dn := c.yearStart(y) + c.dayOfYear(y, m, d) - 1
	wy := y
	if dn < c.weekStart(y) {
		wy = y - 1
	} else if dn >= c.weekStart(y+1) {
		wy = y + 1
	}
	k := dn - c.weekStart(wy)
	return wy, k/7 + 1, k%7 + 1, nil
}
