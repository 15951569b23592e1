package cycle

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Cylc's recurrence forms, tried in order (CylcTimeParser's
// RECURRENCE_FORMAT_REGEXES); the number is the ISO 8601 format.
var isoRecurrenceForms = []struct {
	re     *regexp.Regexp
	format int
}{
	{regexp.MustCompile(`^(?P<start>[^PR/][^/]*)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>[^PR/][^/]*)/(?P<end>[^PR/][^/]*)$`), 1},
	{regexp.MustCompile(`^(?P<start>[^PR/][^/]*)/(?P<intv>P[^/]*)/?$`), 3},
	{regexp.MustCompile(`^(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^(?P<intv>P[^/]*)/(?P<end>[^PR/][^/]*)$`), 4},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>[^PR/][^/]*)/?$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>[^PR/][^/]*)/(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>)/(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<intv>P[^/]*)/(?P<end>[^PR/][^/]*)$`), 4},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<intv>P[^/]*)/?$`), 4},
	{regexp.MustCompile(`^R(?P<reps>\d+)?//(?P<end>[^PR/][^/]*)$`), 4},
	{regexp.MustCompile(`^R(?P<reps>1)/?(?P<start>)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>1)//(?P<end>[^PR/][^/]*)$`), 4},
}

// groups returns the named groups of a match; absent groups are nil.
func groups(re *regexp.Regexp, s string) (map[string]*string, bool) {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, false
	}
	g := map[string]*string{}
	for i, name := range re.SubexpNames() {
		if name != "" && m[2*i] >= 0 {
			v := s[m[2*i]:m[2*i+1]]
			g[name] = &v
		}
	}
	return g, true
}

// isoSeq is a date-time sequence (Cylc's ISO8601Sequence).
type isoSeq struct {
	c          *Context
	rec        *recurrence
	exclPoints []Point
	exclSeqs   []*isoSeq
	str        string
}

// maxSkip bounds the excluded points skipped in one call: an exclusion that
// removes every point would otherwise loop forever (Cylc hangs there).
const maxSkip = 10000

// parseRecurrence is CylcTimeParser.parse_recurrence: it returns the
// recurrence and the exclusion strings.
func (c *Context) parseRecurrence(expr string, ctxStart, ctxEnd *Point) (*recurrence, []string, error) {
	body, excl, err := parseExclusion(expr)
	if err != nil {
		return nil, nil, err
	}
	for _, form := range isoRecurrenceForms {
		g, ok := groups(form.re, body)
		if !ok {
			continue
		}
		var reps int64
		if r := g["reps"]; r != nil {
			n, err := strconv.ParseInt(*r, 10, 64)
			if err != nil || n <= 0 {
				return nil, nil, recErr(expr, "number of repetitions must be a positive integer")
			}
			reps = n
		}
		startReq := form.format == 1 || form.format == 3
		endReq := form.format == 1 || form.format == 4
		sp, soffs, err := c.pointExpr(g["start"], ctxStart, startReq, true)
		if err != nil {
			return nil, nil, err
		}
		ep, eoffs, err := c.pointExpr(g["end"], ctxEnd, endReq, true)
		if err == errMissingContext {
			return nil, nil, recErr(expr, "this workflow requires a final cycle point")
		} else if err != nil {
			return nil, nil, err
		}
		var (
			interval    *Duration
			intvContext *fields
		)
		if sp.tr != nil {
			intvContext = sp.tr
		}
		if ep.tr != nil {
			intvContext = ep.tr
		}
		if iv := g["intv"]; iv != nil {
			d, err := parseISODuration(*iv, c.cal)
			if err != nil {
				return nil, nil, err
			}
			interval = &d
		} else if intvContext != nil {
			if d, ok := intvContext.inferredInterval(c.cal); ok {
				interval = &d
			}
		}
		if form.format == 1 {
			interval = nil
		} else if reps == 1 {
			interval = &Duration{cal: c.cal}
		}
		var start, end *Point
		if p, ok, err := c.at(sp, ctxStart, soffs, "initial cycle point"); err != nil {
			return nil, nil, err
		} else if ok {
			start = &p
		}
		if p, ok, err := c.at(ep, ctxEnd, eoffs, "final cycle point"); err != nil {
			return nil, nil, err
		} else if ok {
			end = &p
		}
		if interval != nil && !interval.IsZero() && start == nil && reps == 0 && ctxStart != nil && end != nil {
			// isodatetime only reverses bounded recurrences from their end;
			// count back to the initial point instead.
			n, s, err := countBack(*end, *interval, *ctxStart)
			if err != nil {
				return nil, nil, recErr(expr, err.Error())
			}
			start, reps, end = &s, n+1, nil
		}
		rec, err := newRecurrence(c, expr, reps, start, end, interval)
		if err != nil {
			return nil, nil, err
		}
		return rec, excl, nil
	}
	return nil, nil, recErr(expr, "could not parse recurrence").withHint(
		"see the forms in the Cylc user guide, e.g. T00, PT6H, R1/^, +P1D/P1W, R5/P1D/$")
}

// countBack finds the first point at or before ctx when stepping back from
// end by d, as Cylc's reversal loop does: it returns the number of steps.
func countBack(end Point, d Duration, ctx Point) (int64, Point, error) {
	if end.Compare(ctx) <= 0 {
		return 0, end, nil
	}
	neg := d.Neg()
	var n int64
	switch {
	case d.years == 0 && d.months == 0:
		days, ns := d.exactParts()
		st := &exactStepper{start: ctx, sd: days, sns: ns}
		k := st.floor(end)
		if st.at(k).Compare(end) == 0 {
			n = k
		} else {
			n = k + 1
		}
		return n, end.addRaw(d.Mul(-n)), nil
	case d.years == 0 && d.exactPartZero():
		cal := end.c.cal
		ey, em, _ := cal.civil(end.day)
		cy, cm, _ := cal.civil(ctx.withTZ(end.tz).day)
		n = max(floorDiv((ey*12+int64(em))-(cy*12+int64(cm)), d.months)-1, 0)
	case d.months == 0 && d.exactPartZero():
		st := newYearStepper(end, -d.years)
		cy, _, _ := end.c.cal.civil(ctx.withTZ(end.tz).day)
		ey, _, _ := end.c.cal.civil(end.day)
		n = max(floorDiv(ey-cy, d.years)-1, 0)
		for i := 0; i < 1000; i++ {
			if p := st.at(n); p.Compare(ctx) <= 0 {
				return n, p, nil
			}
			n++
		}
		return 0, Point{}, &Error{What: "recurrence", Msg: "cannot count back to the initial cycle point"}
	}
	p := end.addRaw(d.Mul(-n))
	for i := 0; i < 10000000; i++ {
		if p.Compare(ctx) <= 0 {
			return n, p, nil
		}
		p = p.addRaw(neg)
		n++
	}
	return 0, Point{}, &Error{What: "recurrence", Msg: "too many points before the initial cycle point"}
}

// parseISOSeq builds an ISO8601Sequence: the recurrence plus its
// exclusions, which are points or sequences of their own.
func (c *Context) parseISOSeq(expr string, ctxStart, ctxEnd *Point) (*isoSeq, error) {
	rec, excl, err := c.parseRecurrence(expr, ctxStart, ctxEnd)
	if err != nil {
		return nil, err
	}
	// Cylc writes the recurrence out at once (its string is the sequence's
	// identity), so a point the cycle point format cannot hold fails here.
	shown := []Point{rec.start, rec.second}
	switch rec.format {
	case 3:
		shown = shown[:1]
	case 4:
		shown = []Point{rec.end}
	}
	for _, p := range shown {
		if p.c != nil {
			if _, err := c.dump.format(p); err != nil {
				return nil, withWhat(err, "recurrence", expr)
			}
		}
	}
	s := &isoSeq{c: c, rec: rec}
	exclStart := c.canon(rec.start)
	exclEnd := ctxEnd
	if rec.hasEnd {
		e := c.canon(rec.end)
		exclEnd = &e
	}
	for _, e := range excl {
		item := e
		cp, offs, perr := c.pointExpr(&item, nil, false, false)
		if perr == nil && cp.ok && cp.tr == nil {
			p, _, err := c.at(cp, nil, offs, "context cycle point")
			if err != nil {
				return nil, err
			}
			if p, err = c.checked(c.canon(p), e); err != nil {
				return nil, withWhat(err, "exclusion", e)
			}
			s.addExclPoint(p)
			continue
		}
		if perr == nil && !cp.ok && len(offs) > 0 {
			return nil, recErr(e, "an exclusion offset needs a point")
		}
		sub, serr := c.parseISOSeq(e, &exclStart, exclEnd)
		if serr == nil {
			s.exclSeqs = append(s.exclSeqs, sub)
			continue
		}
		p, err := c.ParsePoint(e)
		if err != nil {
			return nil, withWhat(serr, "exclusion", e)
		}
		s.addExclPoint(p)
	}
	s.str = rec.String()
	if len(excl) > 0 {
		s.str += "!" + s.exclString()
	}
	return s, nil
}

func (s *isoSeq) addExclPoint(p Point) {
	for _, q := range s.exclPoints {
		if q.Equal(p) {
			return
		}
	}
	s.exclPoints = append(s.exclPoints, p)
}

func (s *isoSeq) exclString() string {
	pts := append([]Point(nil), s.exclPoints...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Compare(pts[j]) < 0 })
	var parts []string
	for _, p := range pts {
		parts = append(parts, p.String())
	}
	for _, q := range s.exclSeqs {
		parts = append(parts, q.str)
	}
	r := strings.Join(parts, ",")
	if strings.Contains(r, ",") {
		r = "(" + r + ")"
	}
	return r
}

func (s *isoSeq) excluded(p Point) bool {
	for _, q := range s.exclPoints {
		if q.Equal(p) {
			return true
		}
	}
	for _, q := range s.exclSeqs {
		if q.isOn(p) {
			return true
		}
	}
	return false
}

func (s *isoSeq) String() string { return s.str }

func (s *isoSeq) interval() Duration {
	if s.rec.oneOff {
		return Duration{cal: s.c.cal}
	}
	return s.rec.dur
}

func (s *isoSeq) isOn(p Point) bool {
	return !s.excluded(p) && s.rec.valid(p)
}

// fromIndex returns the first rounded, non-excluded point from index k on
// that is after p (if strict).
func (s *isoSeq) fromIndex(k int64, p Point, strict bool) (Point, bool) {
	for range maxSkip {
		q, ok := s.rec.at(k)
		if !ok {
			return Point{}, false
		}
		cq := s.c.canon(q)
		if (!strict || cq.Compare(p) > 0) && !s.excluded(cq) {
			return cq, s.c.writable(cq)
		}
		k++
	}
	return Point{}, false
}

func (s *isoSeq) next(p Point) (Point, bool) {
	_, k, ok := s.rec.firstFrom(p, true)
	if !ok {
		return Point{}, false
	}
	return s.fromIndex(k, p, true)
}

func (s *isoSeq) start() (Point, bool) {
	return s.fromIndex(0, Point{}, false)
}

// nextOnSequence is get_next_point_on_sequence: p + interval, skipping
// exclusions.
func (s *isoSeq) nextOnSequence(p Point) (Point, bool) {
	for range maxSkip {
		q, ok := s.rec.next(p)
		if !ok {
			return Point{}, false
		}
		cq := s.c.canon(q)
		if cq.Compare(p) <= 0 {
			return Point{}, false // degenerate: interval below format precision
		}
		if !s.excluded(cq) {
			return cq, s.c.writable(cq)
		}
		p = cq
	}
	return Point{}, false
}

func (s *isoSeq) prev(p Point) (Point, bool) {
	for range maxSkip {
		q, ok := s.rec.prev(p)
		if !ok {
			return Point{}, false
		}
		cq := s.c.canon(q)
		if cq.Compare(p) >= 0 {
			return Point{}, false
		}
		if !s.excluded(cq) {
			return cq, s.c.writable(cq)
		}
		p = cq
	}
	return Point{}, false
}

func (s *isoSeq) nearestPrev(p Point) (Point, bool) {
	if s.isOn(p) {
		return s.prev(p)
	}
	k := s.rec.floor(p)
	for i := 0; k >= 0 && i < maxSkip; i++ {
		q, ok := s.rec.at(k)
		if ok {
			cq := s.c.canon(q)
			if !s.excluded(cq) {
				if cq.Compare(p) == 0 {
					return Point{}, false
				}
				return cq, s.c.writable(cq)
			}
		}
		k--
	}
	return Point{}, false
}

func (s *isoSeq) firstOnOrAfter(p Point) (Point, bool) {
	q, _, ok := s.rec.firstFrom(p, false)
	if !ok {
		return Point{}, false
	}
	cq := s.c.canon(q)
	if s.excluded(cq) {
		return s.nextOnSequence(cq)
	}
	return cq, s.c.writable(cq)
}

func (s *isoSeq) last() (Point, bool) {
	if !s.rec.bounded() {
		return Point{}, false
	}
	k := s.rec.lastIndex()
	q, ok := s.rec.at(k)
	if !ok {
		return Point{}, false
	}
	cq := s.c.canon(q)
	if s.excluded(cq) {
		if k == 0 {
			return Point{}, false
		}
		q, _ = s.rec.at(k - 1)
		cq = s.c.canon(q)
	}
	return cq, s.c.writable(cq)
}
