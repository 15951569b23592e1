package isodatetime

import (
	"math"

	"gyre/internal/pyformat"
)

// This file is the time point and duration model of "gyre isodatetime".
// It mirrors metomi-isodatetime's TimePoint: a point keeps the
// representation it was written in (calendar, ordinal or week date; hours
// with or without minutes and seconds), because the command prints results
// in the input's format, and arithmetic follows isodatetime step by step
// (including its quirks) so that results agree to the last digit.

type idtRep uint8

const (
	idtCalRep  idtRep = iota // year, month, day of month
	idtOrdRep                // year, day of year
	idtWeekRep               // week year, week, day of week
)

// idtPoint is a time point. Only the date fields of its representation are
// meaningful. Minutes and seconds are absent when the time was written with
// a decimal hour (T10,5) or minute; the fraction then stays in the larger
// unit.
type idtPoint struct {
	year       int64
	month, day int64
	doy        int64
	woy, dow   int64
	rep        idtRep

	hour, min, sec float64
	hasMin, hasSec bool

	tzH, tzM int64 // UTC offset; minutes carry the sign of the offset

	nExp    int    // expanded year digits the point was written with (0 or 2)
	dump    string // the format the point is printed in, if it has one
	hasDump bool
}

// idtMaxDays bounds the days a step may move a point. isodatetime walks
// day by day and would take hours over such a step; Gyre refuses it.
const idtMaxDays = 1e13

// idtMaxYear bounds the years a point may reach, for the same reason.
const idtMaxYear = 1e14

func idtTooLarge(name string, v float64) error {
	return idtValue("Invalid input (too large to compute): %s: %s", name, pyformat.FloatRepr(v))
}

func (p idtPoint) calendarDate(c *idtCal) (int64, int64, int64, error) {
	switch p.rep {
	case idtOrdRep:
		return c.calFromOrdinal(p.year, p.doy)
	case idtWeekRep:
		return c.calFromWeek(p.year, p.woy, p.dow)
	}
	return p.year, p.month, p.day, nil
}

func (p idtPoint) ordinalDate(c *idtCal) (int64, int64, error) {
	switch p.rep {
	case idtOrdRep:
		return p.year, p.doy, nil
	case idtWeekRep:
		y, m, d, err := c.calFromWeek(p.year, p.woy, p.dow)
		if err != nil {
			return 0, 0, err
		}
		return c.ordinalFromCal(y, m, d)
	}
	return c.ordinalFromCal(p.year, p.month, p.day)
}

func (p idtPoint) weekDate(c *idtCal) (int64, int64, int64, error) {
	switch p.rep {
	case idtOrdRep:
		y, m, d, err := c.calFromOrdinal(p.year, p.doy)
		if err != nil {
			return 0, 0, 0, err
		}
		return c.weekFromCal(y, m, d)
	case idtWeekRep:
		return p.year, p.woy, p.dow, nil
	}
	return c.weekFromCal(p.year, p.month, p.day)
}

func (p idtPoint) toCalendar(c *idtCal) (idtPoint, error) {
	if p.rep == idtCalRep {
		return p, nil
	}
	y, m, d, err := p.calendarDate(c)
	p.year, p.month, p.day, p.rep = y, m, d, idtCalRep
	return p, err
}

func (p idtPoint) toOrdinal(c *idtCal) (idtPoint, error) {
	y, d, err := p.ordinalDate(c)
	p.year, p.doy, p.rep = y, d, idtOrdRep
	return p, err
}

func (p idtPoint) toWeek(c *idtCal) (idtPoint, error) {
	if p.rep == idtWeekRep {
		return p, nil
	}
	y, w, d, err := p.weekDate(c)
	p.year, p.woy, p.dow, p.rep = y, w, d, idtWeekRep
	return p, err
}

// hms is the time of day in hours, minutes and seconds, the fraction of a
// decimal hour or minute spread into the smaller units.
func (p idtPoint) hms() (float64, float64, float64) {
	h, m, s := p.hour, p.min, p.sec
	if !p.hasSec {
		if !p.hasMin {
			frac := h - math.Trunc(h)
			h = math.Trunc(h)
			m = 60 * frac
		}
		frac := m - math.Trunc(m)
		m = math.Trunc(m)
		s = 60 * frac
	}
	return h, m, s
}

func (p idtPoint) secondOfDay() float64 {
	var s float64
	if p.hasSec {
		s += p.sec
	}
	if p.hasMin {
		s += p.min * 60
	}
	return s + p.hour*3600
}

// tickOver carries out-of-range fields into the larger units, smallest
// first, as isodatetime's _tick_over does after every step of arithmetic.
func (p *idtPoint) tickOver(c *idtCal) error {
	if p.hasMin {
		r := p.hour - math.Trunc(p.hour)
		p.hour -= r
		p.min += r * 60
		if p.hasSec {
			r := p.min - math.Trunc(p.min)
			p.min -= r
			p.sec += r * 60
		}
	}
	if p.hasSec {
		q, r := pyformat.Divmod(p.sec, 60)
		p.min += q
		p.sec = r
	}
	if p.hasMin {
		q, r := pyformat.Divmod(p.min, 60)
		p.hour += q
		p.min = r
	}
	q, r := pyformat.Divmod(p.hour, 24)
	if math.IsNaN(q) {
		return idtValue("cannot convert float NaN to integer")
	}
	if math.Abs(q) > idtMaxDays {
		return idtTooLarge("hour_of_day", p.hour)
	}
	days := int64(q)
	if p.year > idtMaxYear || p.year < -idtMaxYear {
		return idtTooLarge("year", float64(p.year))
	}
	p.hour = r
	switch p.rep {
	case idtWeekRep:
		p.dow += days
		p.woy += idtFloorDiv(p.dow-1, 7)
		p.dow = idtFloorMod(p.dow-1, 7) + 1
		p.normaliseWeeks(c)
	case idtCalRep:
		p.day += days
		p.tickOverDay(c)
	case idtOrdRep:
		p.doy += days
		p.normaliseOrdinal(c)
	}
	return nil
}

// tickOverDay moves a day of month outside its month into the right month.
func (p *idtPoint) tickOverDay(c *idtCal) {
	for p.month < 1 {
		p.month += 12
		p.year--
	}
	for p.month > 12 {
		p.month -= 12
		p.year++
	}
	if p.day >= 1 && p.day <= c.dim(p.month, p.year) {
		return
	}
	dn := c.yearStart(p.year) + c.dayOfYear(p.year, p.month, 1) - 1 + p.day - 1
	y, doy := c.yearOf(dn)
	p.year = y
	p.month, p.day = c.monthDay(y, doy)
}

// normaliseOrdinal brings the day of year into range year by year. Like
// isodatetime it takes the length of the *next* year off a day beyond the
// end of this one, so 2019-365 plus one day is 2020-000; keeping that makes
// the output the same.
func (p *idtPoint) normaliseOrdinal(c *idtCal) {
	years, days, _ := c.cycle()
	if p.doy < 1 {
		k := -p.doy / days
		p.doy += k * days
		p.year -= k * years
	}
	for p.doy < 1 {
		p.doy += c.daysInYear(p.year - 1)
		p.year--
	}
	if p.doy > 367 {
		k := (p.doy - 367) / days
		p.doy -= k * days
		p.year += k * years
	}
	for p.doy > c.daysInYear(p.year) {
		p.doy -= c.daysInYear(p.year + 1)
		p.year++
	}
}

func (p *idtPoint) normaliseWeeks(c *idtCal) {
	years, _, weeks := c.cycle()
	if p.woy < 1 {
		k := -p.woy / weeks
		p.woy += k * weeks
		p.year -= k * years
	}
	for p.woy < 1 {
		p.woy += c.weeksInYear(p.year - 1)
		p.year--
	}
	if p.woy > 54 {
		k := (p.woy - 54) / weeks
		p.woy -= k * weeks
		p.year += k * years
	}
	for p.woy > c.weeksInYear(p.year) {
		p.woy -= c.weeksInYear(p.year)
		p.year++
	}
}

// addMonths adds n months one at a time, clamping the day of month to each
// month on the way (so the clamp sticks: 31 January + P2M is 29 March in a
// leap year, via 29 February).
func (p idtPoint) addMonths(c *idtCal, n int64) (idtPoint, error) {
	if n == 0 {
		return p, nil
	}
	rep := p.rep
	q, err := p.toCalendar(c)
	if err != nil {
		return p, err
	}
	steps := n
	if steps < 0 {
		steps = -steps
	}
	if steps >= 48 {
		// Four years of months always pass the calendar's shortest month.
		q.day = min(q.day, c.minDim)
		total := q.year*12 + q.month - 1 + n
		q.year, q.month = idtFloorDiv(total, 12), idtFloorMod(total, 12)+1
	} else {
		for range steps {
			if n > 0 {
				q.month++
				if q.month > 12 {
					q.month -= 12
					q.year++
				}
			} else {
				q.month--
				if q.month < 1 {
					q.month += 12
					q.year--
				}
			}
			q.day = min(q.day, c.dim(q.month, q.year))
		}
	}
	if err := q.tickOver(c); err != nil {
		return q, err
	}
	switch rep {
	case idtOrdRep:
		return q.toOrdinal(c)
	case idtWeekRep:
		return q.toWeek(c)
	}
	return q, nil
}

// add returns p + d: seconds, minutes, hours and days first (each carried
// over), then months, then years (clamping the day, without carrying).
func (p idtPoint) add(c *idtCal, d idtDuration) (idtPoint, error) {
	if d.inWeeks {
		d = d.toDays()
	}
	for _, v := range []float64{d.seconds / 86400, d.minutes / 1440, d.hours / 24, float64(d.days)} {
		if !math.IsInf(v, 0) && math.Abs(v) > idtMaxDays {
			return p, idtTooLarge("duration", v)
		}
	}
	q := p
	if d.seconds != 0 {
		switch {
		case q.hasSec:
			q.sec += d.seconds
		case q.hasMin:
			q.min += d.seconds / 60
		default:
			q.hour += d.seconds / 3600
		}
		if err := q.tickOver(c); err != nil {
			return q, err
		}
	}
	if d.minutes != 0 {
		if q.hasMin {
			q.min += d.minutes
		} else {
			q.hour += d.minutes / 60
		}
		if err := q.tickOver(c); err != nil {
			return q, err
		}
	}
	if d.hours != 0 {
		q.hour += d.hours
		if err := q.tickOver(c); err != nil {
			return q, err
		}
	}
	if d.days != 0 {
		switch q.rep {
		case idtCalRep:
			q.day += d.days
		case idtOrdRep:
			q.doy += d.days
		default:
			q.dow += d.days
		}
		if err := q.tickOver(c); err != nil {
			return q, err
		}
	}
	if d.months != 0 {
		var err error
		if q, err = q.addMonths(c, d.months); err != nil {
			return q, err
		}
	}
	if d.years != 0 {
		q.year += d.years
		if q.year > idtMaxYear || q.year < -idtMaxYear {
			return q, idtTooLarge("year", float64(q.year))
		}
		switch q.rep {
		case idtCalRep:
			m := idtFloorMod(q.month-1, 12) + 1
			q.day = min(q.day, c.dim(m, q.year))
		case idtOrdRep:
			q.doy = min(q.doy, c.daysInYear(q.year))
		default:
			q.woy = min(q.woy, c.weeksInYear(q.year))
		}
	}
	return q, nil
}

// toTZ returns p in the time zone with offset h hours and m minutes.
func (p idtPoint) toTZ(c *idtCal, h, m int64) (idtPoint, error) {
	d := idtDuration{hours: float64(h - p.tzH), minutes: float64(m - p.tzM)}
	q, err := p.add(c, d)
	q.tzH, q.tzM = h, m
	return q, err
}

func (p idtPoint) toUTC(c *idtCal) (idtPoint, error) { return p.toTZ(c, 0, 0) }

// sameProps is isodatetime's shortcut for equal points: every field the
// same (1 == 1.0 as in Python).
func (p idtPoint) sameProps(q idtPoint) bool {
	if p.year != q.year || p.rep != q.rep || p.hour != q.hour || p.hasMin != q.hasMin || p.hasSec != q.hasSec ||
		(p.hasMin && p.min != q.min) || (p.hasSec && p.sec != q.sec) || p.tzH*60+p.tzM != q.tzH*60+q.tzM ||
		p.nExp != q.nExp || p.hasDump != q.hasDump || p.dump != q.dump {
		return false
	}
	switch p.rep {
	case idtOrdRep:
		return p.doy == q.doy
	case idtWeekRep:
		return p.woy == q.woy && p.dow == q.dow
	}
	return p.month == q.month && p.day == q.day
}

// cmp compares p with q as isodatetime does: q moved to p's time zone, then
// (year, month, day, second of day) compared in turn, or (year, day of
// year, second of day) if p is not a calendar date.
func (p idtPoint) cmp(c *idtCal, q idtPoint) (int, error) {
	if p.sameProps(q) {
		return 0, nil
	}
	q, err := q.toTZ(c, p.tzH, p.tzM)
	if err != nil {
		return 0, err
	}
	var a, b []int64
	if p.rep == idtCalRep {
		y1, m1, d1, err := p.calendarDate(c)
		if err != nil {
			return 0, err
		}
		y2, m2, d2, err := q.calendarDate(c)
		if err != nil {
			return 0, err
		}
		a, b = []int64{y1, m1, d1}, []int64{y2, m2, d2}
	} else {
		y1, d1, err := p.ordinalDate(c)
		if err != nil {
			return 0, err
		}
		y2, d2, err := q.ordinalDate(c)
		if err != nil {
			return 0, err
		}
		a, b = []int64{y1, d1}, []int64{y2, d2}
	}
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1, nil
			}
			return 1, nil
		}
	}
	s1, s2 := p.secondOfDay(), q.secondOfDay()
	switch {
	case s1 < s2:
		return -1, nil
	case s1 > s2:
		return 1, nil
	}
	return 0, nil
}

// sub returns the duration p - q in days, hours, minutes and seconds
// (negated when q is later).
func (p idtPoint) sub(c *idtCal, q idtPoint) (idtDuration, error) {
	later, err := q.cmp(c, p)
	if err != nil {
		return idtDuration{}, err
	}
	if later > 0 {
		d, err := q.sub(c, p)
		return d.neg(), err
	}
	q, err = q.toTZ(c, p.tzH, p.tzM)
	if err != nil {
		return idtDuration{}, err
	}
	y1, d1, err := p.ordinalDate(c)
	if err != nil {
		return idtDuration{}, err
	}
	y2, d2, err := q.ordinalDate(c)
	if err != nil {
		return idtDuration{}, err
	}
	days := d1 - d2
	if y1 > y2 {
		days += c.yearStart(y1) - c.yearStart(y2)
	} else if y1 < y2 {
		days -= c.yearStart(y2) - c.yearStart(y1)
	}
	h1, m1, s1 := p.hms()
	h2, m2, s2 := q.hms()
	dh, dm, ds := h1-h2, m1-m2, s1-s2
	if ds < 0 {
		dm--
		ds += 60
	}
	if dm < 0 {
		dh--
		dm += 60
	}
	if dh < 0 {
		days--
		dh += 24
	}
	return idtDuration{days: days, hours: dh, minutes: dm, seconds: ds}, nil
}
