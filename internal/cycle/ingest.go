package cycle

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// This file reads the initial and final cycle point settings: "now",
// next(T00), previous(T06;T18), offsets from now (PT1H, -P1D), truncated
// points relative to now, "+P1D" final points, and the constraints lists.

var (
	reDigits       = regexp.MustCompile(`^\d+$`)
	reYearOnly     = regexp.MustCompile(`\(-\d{2}[);T]`)
	reYearMonth    = regexp.MustCompile(`\(-\d{4}[);T]`)
	reMonthOnly    = regexp.MustCompile(`\(-(-\d{2}|\d{4})[;T)]`)
	reNowAndOffset = regexp.MustCompile(`^now([+-]P.*)$`)
)

func (c *Context) setBounds(s Settings, now time.Time) error {
	icp := strings.TrimSpace(s.InitialCyclePoint)
	var err error
	if c.integer {
		if icp == "" {
			icp = "1"
		}
		c.initial, err = c.ParsePoint(icp)
	} else {
		if icp == "" {
			return &Error{What: "initial cycle point", Value: "", Msg: "this workflow requires an initial cycle point"}
		}
		c.initial, err = c.IngestPoint(icp, now)
	}
	if err != nil {
		return withWhat(err, "initial cycle point", icp)
	}
	if err := c.checkConstraints("initial", c.initial, s.InitialConstraints); err != nil {
		return err
	}
	fcp := strings.TrimSpace(s.FinalCyclePoint)
	if fcp == "" {
		return nil
	}
	if c.integer && !strings.Contains(fcp, "P") {
		c.final, err = c.ParsePoint(fcp)
	} else {
		c.final, err = c.PointRelative(fcp, c.initial)
		if err != nil && !c.integer {
			if p, err2 := c.ParsePoint(fcp); err2 == nil {
				c.final, err = p, nil
			}
		}
	}
	if err != nil {
		return withWhat(err, "final cycle point", fcp)
	}
	c.hasFinal = true
	if c.initial.After(c.final) {
		return &Error{What: "final cycle point", Value: fcp,
			Msg: fmt.Sprintf("the initial cycle point %s is after the final cycle point %s", c.initial, c.final)}
	}
	return c.checkConstraints("final", c.final, s.FinalConstraints)
}

// checkConstraints requires p to match one of the truncated points listed.
func (c *Context) checkConstraints(which string, p Point, list []string) error {
	var entries []string
	for _, e := range list {
		if e = strings.TrimSpace(e); e != "" {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		q, err := c.PointRelative(e, p)
		if err != nil {
			return withWhat(err, which+" cycle point constraints", e)
		}
		if q.Equal(p) {
			return nil
		}
	}
	return &Error{What: which + " cycle point", Value: p.String(),
		Msg: fmt.Sprintf("does not meet the constraints %v", entries)}
}

// IngestPoint reads an initial (or start) cycle point setting as Cylc's
// ingest_time does: "now"; next(...)/previous(...) with ";"-separated
// truncated points and an optional offset (next(T00;T12) +P1D); an offset
// from now (PT1H, -P1M); a truncated point, taken as the next match at or
// after now (T06, -01T00); or an absolute point. As an extension
// "now+PT1H" is also accepted.
func (c *Context) IngestPoint(value string, now time.Time) (Point, error) {
	v := strings.ReplaceAll(strings.TrimSpace(value), " ", "")
	if c.integer {
		return c.ParsePoint(v)
	}
	if v == "now" {
		n, err := c.nowPoint(now)
		if err != nil {
			return Point{}, err
		}
		return c.checked(c.canon(n), value)
	}
	if m := reNowAndOffset.FindStringSubmatch(v); m != nil {
		n, err := c.nowPoint(now)
		if err != nil {
			return Point{}, err
		}
		return c.PointRelative(m[1], c.canon(n))
	}
	isInteger := reDigits.MatchString(v)
	isExpanded := (strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+")) && !strings.Contains(v, "P")
	prevNext := strings.Contains(v, "next") || strings.Contains(v, "previous")
	isOffset := strings.HasPrefix(v, "P") || strings.HasPrefix(v, "-P")
	if isInteger || isExpanded {
		return c.ParsePoint(v)
	}
	var trunc *fields
	if !prevNext && !isOffset {
		cp, err := c.parseCPoint(v)
		if err != nil {
			return Point{}, c.pointHint(err, v)
		}
		if cp.tr == nil {
			return c.ParsePoint(v)
		}
		trunc = cp.tr
	}
	n, err := c.nowPoint(now)
	if err != nil {
		return Point{}, err
	}
	if reYearOnly.MatchString(v) {
		n = n.addRaw(Duration{cal: c.cal, years: 1})
	} else if reYearMonth.MatchString(v) {
		n = n.addRaw(Duration{cal: c.cal, months: 1})
	}
	var (
		p      Point
		r      = c.rep
		offset string
	)
	switch {
	case prevNext:
		if p, r, offset, err = c.prevNext(v, n); err != nil {
			return Point{}, err
		}
	case isOffset:
		p, offset = n, v
	default:
		p = c.resolve(trunc, n)
	}
	if offset != "" {
		d, err := parseISODuration(strings.ReplaceAll(offset, "+", ""), c.cal)
		if err != nil {
			return Point{}, withWhat(err, "cycle point", value)
		}
		p = p.addRep(d, r)
	}
	return c.checked(c.canon(p), value)
}

// nowPoint is the wall clock as Cylc reads it for "now": to the second, in
// UTC in UTC mode, else in the local time zone of now.
func (c *Context) nowPoint(now time.Time) (Point, error) {
	if c.utcMode {
		now = now.UTC()
	}
	_, off := now.Zone()
	y, mo, d := now.Date()
	h, mi, s := now.Clock()
	if d > c.cal.daysInMonth(int64(y), int(mo)) {
		return Point{}, pointErr(now.Format(time.RFC3339), "today's date does not exist in the "+c.cal.String()+" calendar")
	}
	return Point{c: c, day: c.cal.dayNumber(int64(y), int(mo), d),
		ns: int64(h*3600+mi*60+s) * 1e9, tz: int32(off / 60)}, nil
}

// prevNext handles next(...) and previous(...): of the candidate points
// (each the next match after now, or for previous() the one a unit of the
// next-larger field earlier) it picks the one closest to now.
func (c *Context) prevNext(v string, now Point) (Point, rep, string, error) {
	if c.cal != Gregorian {
		return Point{}, 0, "", pointErr(v, "previous()/next() syntax must be used with integer or gregorian cycling modes")
	}
	if strings.Count(v, "(") != 1 || strings.Count(v, ")") != 1 {
		return Point{}, 0, "", pointErr(v, "bad next()/previous() expression").withHint("write e.g. next(T00;T12) or previous(T06) -P1D")
	}
	direction, rest, _ := strings.Cut(v, "(")
	inner, offset, _ := strings.Cut(rest, ")")
	offset = strings.TrimSpace(offset)
	var (
		best     Point
		bestRep  rep
		bestDist Duration
		found    bool
	)
	for _, item := range strings.Split(inner, ";") {
		item = strings.TrimSpace(item)
		cp, err := c.parseCPoint(item)
		if err != nil {
			e := withWhat(err, "cycle point", v)
			if strings.Contains(item, ",") {
				if ee, ok := e.(*Error); ok {
					ee.Hint = "offset lists are semicolon separated, try " + strings.ReplaceAll(item, ",", ";")
				}
			}
			return Point{}, 0, "", e
		}
		if cp.tr == nil {
			return Point{}, 0, "", pointErr(v, fmt.Sprintf("%q is not a truncated point", item)).withHint("write e.g. next(T00)")
		}
		p := c.resolve(cp.tr, now)
		r := cp.tr.resolvedRep(c.rep)
		if direction == "previous" {
			p = p.addRep(cp.tr.goBack(c.cal).Neg(), r)
		}
		dist := p.Sub(now)
		dist = dist.absFields()
		if !found || dist.Compare(bestDist) < 0 {
			best, bestRep, bestDist, found = p, r, dist, true
		}
	}
	if !found {
		return Point{}, 0, "", pointErr(v, "no points in next()/previous()")
	}
	cal := c.cal
	if !strings.Contains(strings.SplitN(v, ")", 2)[0], "T") {
		best.ns = 0
	}
	if reYearOnly.MatchString(v) {
		y, _, _ := cal.civil(best.day)
		best.day = cal.dayNumber(y, 1, 1)
	} else if reMonthOnly.MatchString(v) {
		y, m, _ := cal.civil(best.day)
		best.day = cal.dayNumber(y, m, 1)
	}
	return best, bestRep, offset, nil
}

// absFields is isodatetime's Duration abs(): every field made positive.
func (d Duration) absFields() Duration {
	a := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	af := func(x float64) float64 {
		if x < 0 {
			return -x
		}
		return x
	}
	d.years, d.months, d.days, d.n = a(d.years), a(d.months), a(d.days), a(d.n)
	d.hours, d.minutes, d.seconds = af(d.hours), af(d.minutes), af(d.seconds)
	return d
}
