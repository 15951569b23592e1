package cycle

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Settings are a workflow's cycling settings, as written in flow.cylc.
type Settings struct {
	// CyclingMode is [scheduling]cycling mode: "integer", "gregorian"
	// (default), "360day", "365day" or "366day".
	CyclingMode string
	// UTCMode is [scheduler]UTC mode: "now" is read in UTC, not local time.
	UTCMode bool
	// TimeZone is [scheduler]cycle point time zone ("Z", "+13", "-0530").
	// Empty means "Z", the Cylc 8 default; Cylc 7 compatibility callers pass
	// the local zone themselves.
	TimeZone string
	// Format is [scheduler]cycle point format; empty means CCYYMMDDThhmm
	// plus the time zone (with +X for expanded years).
	Format string
	// ExpandedYearDigits is [scheduler]cycle point num expanded year digits.
	ExpandedYearDigits int
	// InitialCyclePoint and FinalCyclePoint are the [scheduling] settings
	// (or their command line overrides). The initial point may be "now",
	// next(...)/previous(...), an offset from now or truncated; it defaults
	// to 1 in integer cycling. The final point may be "+P1D" (relative to
	// the initial point) or truncated.
	InitialCyclePoint string
	FinalCyclePoint   string
	// InitialConstraints and FinalConstraints are the [scheduling] initial
	// and final cycle point constraints: truncated points, one of which the
	// point must match.
	InitialConstraints []string
	FinalConstraints   []string
}

type rep uint8

const (
	repCalendar rep = iota
	repOrdinal
	repWeek
)

const (
	tKeep = iota
	tSecond
	tMinute
	tHour
	tDay
)

const (
	dFull = iota
	dMonth
	dYear
	dWeek
)

// Context holds one workflow's cycling settings and its initial and final
// cycle points. It is immutable once made and safe for concurrent use.
type Context struct {
	integer   bool
	cal       Calendar
	utcMode   bool
	assumedTZ int32
	nExp      int
	dump      *dumpFormat
	rep       rep
	timePrec  int
	datePrec  int
	parser    isoParser

	initial, final Point
	hasFinal       bool

	// day numbers between which every point can be written in the format
	safeLo, safeHi int64
}

// NewContext checks the settings and works out the initial and final
// cycle points; now is the wall-clock time for "now", next() and previous().
func NewContext(s Settings, now time.Time) (*Context, error) {
	c, err := newContext(s)
	if err != nil {
		return nil, err
	}
	if err := c.setBounds(s, now); err != nil {
		return nil, err
	}
	return c, nil
}

func newContext(s Settings) (*Context, error) {
	c := &Context{utcMode: s.UTCMode, nExp: s.ExpandedYearDigits}
	mode := strings.TrimSpace(s.CyclingMode)
	if strings.EqualFold(mode, "integer") {
		c.integer = true
		return c, nil
	}
	if mode != "" {
		cal, err := ParseCalendar(mode)
		if err != nil {
			return nil, err
		}
		c.cal = cal
	}
	if c.nExp < 0 || c.nExp > 10 {
		return nil, &Error{What: "cycle point num expanded year digits", Value: strconv.Itoa(c.nExp),
			Msg: "must be between 0 and 10"}
	}
	tzs := strings.TrimSpace(s.TimeZone)
	if tzs == "" {
		tzs = "Z"
	}
	tz, ok := parseTZDesignator(tzs, true)
	if !ok {
		return nil, &Error{What: "cycle point time zone", Value: s.TimeZone, Msg: "not an ISO 8601 time zone",
			Hint: "use Z, +hh or +hhmm (e.g. +13, -0530)"}
	}
	c.assumedTZ = tz
	c.parser = isoParser{nExp: c.nExp, allowTruncated: true, assumedTZ: tz}
	f := strings.TrimSpace(s.Format)
	if f == "" {
		f = "CCYYMMDDThhmm" + tzs
		if c.nExp > 0 {
			f = "+X" + f
		}
	} else {
		if strings.ContainsAny(f, "/:") {
			return nil, formatErr(f, "illegal character").withHint(`"/" and ":" are not allowed: cycle points are used in file paths`)
		}
		if c.nExp > 0 && !strings.Contains(f, "+X") {
			return nil, formatErr(f, "needs +X for expanded year digits")
		}
	}
	df, err := compileFormat(f, c.nExp)
	if err != nil {
		return nil, err
	}
	c.dump = df
	c.setSafeRange()
	c.setPrecision()
	if err := c.checkRoundTrip(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Context) setPrecision() {
	h := &c.dump.has
	switch {
	case h[pEpoch] || h[pSecond]:
		c.timePrec = tSecond
	case h[pSecondDec] || h[pMinuteDec] || h[pHourDec]:
		c.timePrec = tKeep
	case h[pMinute]:
		c.timePrec = tMinute
	case h[pHour]:
		c.timePrec = tHour
	default:
		c.timePrec = tDay
	}
	if h[pSecondDec] {
		c.timePrec = tKeep
	}
	switch {
	case h[pEpoch] || h[pDoM] || h[pDoY] || (h[pWeek] && h[pDoW]):
		c.datePrec = dFull
	case h[pMonth]:
		c.datePrec = dMonth
	case h[pWeek]:
		c.datePrec = dWeek
	default:
		c.datePrec = dYear
	}
	switch {
	case (h[pWeek] || h[pDoW]) && !h[pMonth] && !h[pDoM] && !h[pDoY]:
		c.rep = repWeek
	case h[pDoY] && !h[pMonth] && !h[pDoM]:
		c.rep = repOrdinal
	}
}

// setSafeRange works out the day numbers whose years the format can
// write, leaving a week's margin for week-years and time zones.
func (c *Context) setSafeRange() {
	lo, hi := int64(0), int64(9999)
	if c.dump.has[pExpanded] && c.nExp > 0 {
		lim := int64(1)
		for range c.nExp + 4 {
			lim *= 10
		}
		lo, hi = -(lim - 1), lim-1
	} else if !c.dump.has[pCentury] {
		lo, hi = -1e13, 1e13
	}
	c.safeLo = c.cal.dayNumber(lo, 1, 1) + 7
	c.safeHi = c.cal.dayNumber(hi, 12, 1) - 7
}

// writable reports whether p can be written in the cycle point format.
func (c *Context) writable(p Point) bool {
	if c.integer || (p.day > c.safeLo && p.day < c.safeHi) {
		return true
	}
	_, err := c.dump.format(p)
	return err == nil
}

// checkRoundTrip makes sure points written in the format can be read back,
// since Cylc re-reads every cycle point from its string.
func (c *Context) checkRoundTrip() error {
	var f fields
	sample := Point{c: c, day: c.cal.dayNumber(2001, 3, 1), ns: (4*3600 + 30*60 + 54) * 1e9, tz: c.assumedTZ}
	want := c.canon(sample)
	s, err := c.dump.format(sample)
	if err == nil {
		f, err = c.pointFields(s)
	}
	if err == nil && !f.truncated {
		if got, err2 := c.fromFields(s, f); err2 == nil && got.Equal(want) {
			return nil
		}
	}
	return formatErr(c.dump.raw, fmt.Sprintf("cycle points written in it (e.g. %q) cannot be read back", s))
}

// canon gives a point the time zone and precision of the cycle point
// format, which is what Cylc's write-then-reread of point strings does.
func (c *Context) canon(p Point) Point {
	if c.integer {
		return p
	}
	switch c.dump.zone {
	case zoneFixed:
		p = p.withTZ(c.dump.zoneTZ)
	case zoneNone:
		p.tz = c.assumedTZ
	}
	switch c.timePrec {
	case tSecond:
		p.ns -= p.ns % 1e9
	case tMinute:
		p.ns -= p.ns % 60e9
	case tHour:
		p.ns -= p.ns % 3600e9
	case tDay:
		p.ns = 0
	}
	switch c.datePrec {
	case dMonth:
		y, m, _ := c.cal.civil(p.day)
		p.day = c.cal.dayNumber(y, m, 1)
	case dYear:
		y, _, _ := c.cal.civil(p.day)
		p.day = c.cal.dayNumber(y, 1, 1)
	case dWeek:
		wy, w, _ := c.cal.weekDate(p.day)
		p.day = c.cal.fromWeekDate(wy, w, 1)
	}
	return p
}

// Integer reports whether the workflow uses integer cycling.
func (c *Context) Integer() bool { return c.integer }

// Calendar returns the date-time calendar (Gregorian for integer cycling).
func (c *Context) Calendar() Calendar { return c.cal }

// Format returns the cycle point format in effect ("" in integer cycling).
func (c *Context) Format() string {
	if c.integer {
		return ""
	}
	return c.dump.raw
}

// Initial returns the initial cycle point.
func (c *Context) Initial() Point { return c.initial }

// Final returns the final cycle point, if there is one.
func (c *Context) Final() (Point, bool) { return c.final, c.hasFinal }

// fromFields turns complete fields into a point in their own time zone.
func (c *Context) fromFields(s string, f fields) (Point, error) {
	if !f.hasYear {
		return Point{}, pointErr(s, "no year")
	}
	dn, ns := f.local(c.cal)
	return Point{c: c, day: dn, ns: ns, tz: f.tz}, nil
}
