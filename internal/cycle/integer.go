package cycle

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Integer cycling: points are integers and intervals whole numbers of
// cycles. The recurrence forms mirror the ISO 8601 ones, with "+P2"/"-P5"
// as offsets from the initial/final point; there are no truncated forms.
// The rules below follow Cylc's IntegerSequence exactly, including where
// its bounds arithmetic is surprising (R/-P2/P3 from 1 starts at 3).

var intRecurrenceForms = []struct {
	re     *regexp.Regexp
	format int
}{
	{regexp.MustCompile(`^R(?P<reps>\d+)/(?P<start>[^PR/][^/]*)/(?P<end>[^PR/][^/]*)$`), 1},
	{regexp.MustCompile(`^(?P<start>[^PR/][^/]*)/(?P<intv>P[^/]*)/?$`), 3},
	{regexp.MustCompile(`^(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^(?P<intv>P[^/]*)/(?P<end>[^PR/][^/]*)$`), 4},
	{regexp.MustCompile(`^R(?P<reps>1)?/(?P<start>[^PR/][^/]*)/?$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>[^PR/][^/]*)/(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<start>)/(?P<intv>P[^/]*)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<intv>P[^/]*)/(?P<end>[^PR/][^/]*)$`), 4},
	{regexp.MustCompile(`^R(?P<reps>\d+)?/(?P<intv>P[^/]*)/?$`), 4},
	{regexp.MustCompile(`^R(?P<reps>1)/?(?P<start>)$`), 3},
	{regexp.MustCompile(`^R(?P<reps>1)//(?P<end>[^PR/][^/]*)$`), 4},
}

// intSeq is an integer sequence (Cylc's IntegerSequence). stop and step
// may be absent (unbounded, one-off).
type intSeq struct {
	c          *Context
	first      int64
	stop       int64
	hasStop    bool
	step       int64 // 0: no step (one-off)
	exclPoints []int64
	exclSeqs   []*intSeq
	hasExcl    bool
}

// intPointExpr is get_point_from_expression: absent expressions take the
// context; "+Pn"/"-Pn" are offsets from it; anything else is absolute.
func (c *Context) intPointExpr(expr *string, ctx *int64, required bool) (int64, bool, error) {
	if expr == nil {
		if ctx == nil {
			if required {
				return 0, false, errMissingContext
			}
			return 0, false, nil
		}
		return *ctx, true, nil
	}
	if reRelativeInt.MatchString(*expr) {
		if ctx == nil {
			return 0, false, pointErr(*expr, "an offset needs a context cycle point")
		}
		d, err := parseIntegerInterval(*expr)
		if err != nil {
			return 0, false, err
		}
		return *ctx + d.n, true, nil
	}
	p, err := c.ParsePoint(*expr)
	if err != nil {
		return 0, false, err
	}
	return p.day, true, nil
}

func (c *Context) parseIntSeq(expr string, ctxStart, ctxEnd *Point) (*intSeq, error) {
	var cs, ce *int64
	if ctxStart != nil {
		v := ctxStart.day
		cs = &v
	}
	if ctxEnd != nil {
		v := ctxEnd.day
		ce = &v
	}
	return c.newIntSeq(expr, cs, ce)
}

func (c *Context) newIntSeq(expr string, ctxStart, ctxStop *int64) (*intSeq, error) {
	body, excl, err := parseExclusion(expr)
	if err != nil {
		return nil, err
	}
	var (
		g      map[string]*string
		format int
	)
	for _, f := range intRecurrenceForms {
		if m, ok := groups(f.re, body); ok {
			g, format = m, f.format
			break
		}
	}
	if g == nil {
		return nil, recErr(expr, "invalid integer recurrence").withHint("write e.g. P1, R1, R/1/P2, +P1/P3 or R5/P1")
	}
	var reps *int64
	if r := g["reps"]; r != nil {
		n, err := strconv.ParseInt(*r, 10, 64)
		if err != nil {
			return nil, recErr(expr, "bad number of repetitions")
		}
		reps = &n
	}
	nonEmpty := func(s *string) *string {
		if s == nil || *s == "" {
			return nil
		}
		return s
	}
	start, stop, intv := nonEmpty(g["start"]), nonEmpty(g["end"]), nonEmpty(g["intv"])
	s := &intSeq{c: c}
	var hasStart bool
	s.first, hasStart, err = c.intPointExpr(start, ctxStart, format == 1 || format == 3)
	if err != nil {
		return nil, err
	}
	s.stop, s.hasStop, err = c.intPointExpr(stop, ctxStop, format == 1 || format == 4)
	if err == errMissingContext {
		return nil, recErr(expr, "this workflow requires a final cycle point")
	} else if err != nil {
		return nil, err
	}
	var step int64
	hasStep := false
	if intv != nil {
		d, err := parseIntegerInterval(*intv)
		if err != nil {
			return nil, err
		}
		step, hasStep = d.n, true
	}
	if !hasStart {
		return nil, recErr(expr, "needs an initial cycle point")
	}
	switch format {
	case 3:
		if intv == nil || (reps != nil && *reps <= 1) {
			hasStep, step = false, 0
			s.stop, s.hasStop = s.first, true
		} else if reps != nil && *reps != 0 {
			s.stop, s.hasStop = s.first+step*(*reps-1), true
		} else if ctxStop != nil {
			if step == 0 {
				return nil, recErr(expr, "zero interval")
			}
			s.stop, s.hasStop = *ctxStop-floorMod(*ctxStop-s.first, step), true
		}
	case 1:
		if *reps != 1 {
			// Cylc computes a fractional interval here and rejects it.
			return nil, recErr(expr, "Rn/start/end with n > 1 is not supported in integer cycling").withHint(
				"use R1/start, or start/Pn")
		}
		hasStep, step = false, 0
		s.stop, s.hasStop = s.first, true
	default:
		if reps != nil {
			if *reps <= 1 {
				s.first, hasStep, step = s.stop, false, 0
			} else {
				s.first = s.stop - step*(*reps-1)
			}
		} else {
			if ctxStop == nil || ctxStart == nil {
				return nil, recErr(expr, "this workflow requires a final cycle point")
			}
			if step == 0 {
				return nil, recErr(expr, "zero interval")
			}
			s.first = *ctxStart - floorMod(*ctxStop-s.first, step)
		}
	}
	if hasStep && step < 0 {
		return nil, recErr(expr, "negative intervals are not supported")
	}
	if hasStep && step != 0 && ctxStart != nil && s.first < *ctxStart {
		s.first = *ctxStart + floorMod(*ctxStart-s.first, step)
	}
	if hasStep && step != 0 && s.hasStop && ctxStop != nil && s.stop > *ctxStop {
		s.stop = *ctxStop - step + floorMod(*ctxStop-s.first, step)
	}
	s.step = step
	if excl != nil {
		s.hasExcl = true
		for _, e := range excl {
			if reRelativeInt.MatchString(e) {
				return nil, recErr(e, "an exclusion offset needs a context cycle point")
			}
			if reInteger.MatchString(e) {
				p, err := c.ParsePoint(e)
				if err != nil {
					return nil, err
				}
				s.addExclPoint(p.day)
				continue
			}
			var es, ee *int64
			st := s.first
			es = &st
			if s.hasStop {
				sp := s.stop
				ee = &sp
			}
			sub, err := c.newIntSeq(e, es, ee)
			if err != nil {
				return nil, withWhat(err, "exclusion", e)
			}
			s.exclSeqs = append(s.exclSeqs, sub)
		}
	}
	return s, nil
}

func (s *intSeq) addExclPoint(v int64) {
	for _, q := range s.exclPoints {
		if q == v {
			return
		}
	}
	s.exclPoints = append(s.exclPoints, v)
}

func (s *intSeq) pt(v int64) Point { return Point{c: s.c, day: v} }

func (s *intSeq) excluded(v int64) bool {
	for _, q := range s.exclPoints {
		if q == v {
			return true
		}
	}
	for _, q := range s.exclSeqs {
		if q.valid(v) {
			return true
		}
	}
	return false
}

func (s *intSeq) onSeq(v int64) bool {
	if s.excluded(v) {
		return false
	}
	if s.step != 0 {
		return floorMod(v-s.first, s.step) == 0
	}
	return v == s.first
}

func (s *intSeq) inBounds(v int64) bool {
	return v >= s.first && (!s.hasStop || v <= s.stop)
}

func (s *intSeq) valid(v int64) bool { return s.onSeq(v) && s.inBounds(v) }

func (s *intSeq) isOn(p Point) bool { return s.valid(p.day) }

func (s *intSeq) prevInt(v int64) (int64, bool) {
	for range maxSkip {
		if s.step == 0 {
			return 0, false
		}
		i := floorMod(v-s.first, s.step)
		prev := v - s.step
		if i != 0 {
			prev = v - i
		}
		if !s.inBounds(prev) {
			return 0, false
		}
		if !s.excluded(prev) {
			return prev, true
		}
		v = prev
	}
	return 0, false
}

func (s *intSeq) prev(p Point) (Point, bool) {
	v, ok := s.prevInt(p.day)
	return s.pt(v), ok
}

func (s *intSeq) nextInt(v int64) (int64, bool) {
	if s.step == 0 {
		return s.first, v < s.first
	}
	for range maxSkip {
		i := floorMod(v-s.first, s.step)
		next := v + s.step - i
		if !s.inBounds(next) {
			return 0, false
		}
		if !s.excluded(next) {
			return next, true
		}
		v = next
	}
	return 0, false
}

func (s *intSeq) next(p Point) (Point, bool) {
	v, ok := s.nextInt(p.day)
	return s.pt(v), ok
}

func (s *intSeq) nextOnSeq(v int64) (int64, bool) {
	if s.step == 0 {
		return 0, false
	}
	for range maxSkip {
		v += s.step
		if !s.inBounds(v) {
			return 0, false
		}
		if !s.excluded(v) {
			return v, true
		}
	}
	return 0, false
}

func (s *intSeq) nearestPrev(p Point) (Point, bool) {
	v := p.day
	if s.onSeq(v) {
		return s.prev(p)
	}
	if !s.inBounds(s.first) || s.first > v {
		return Point{}, false
	}
	if s.step == 0 {
		return s.pt(s.first), !s.excluded(s.first)
	}
	hi := v
	if s.hasStop && s.stop < hi {
		hi = s.stop
	}
	k := floorDiv(hi-s.first, s.step)
	for ; k > 0; k-- {
		if c := s.first + k*s.step; !s.excluded(c) {
			return s.pt(c), true
		}
	}
	return s.pt(s.first), !s.excluded(s.first)
}

func (s *intSeq) firstOnOrAfter(p Point) (Point, bool) {
	v := p.day
	var (
		r  int64
		ok bool
	)
	switch {
	case v <= s.first:
		r, ok = s.first, s.inBounds(s.first)
	case s.onSeq(v):
		r, ok = v, s.inBounds(v)
	default:
		r, ok = s.nextInt(v)
	}
	if ok && s.excluded(r) {
		r, ok = s.nextOnSeq(r)
	}
	return s.pt(r), ok
}

func (s *intSeq) start() (Point, bool) {
	if s.excluded(s.first) {
		v, ok := s.nextOnSeq(s.first)
		return s.pt(v), ok
	}
	return s.pt(s.first), true
}

func (s *intSeq) last() (Point, bool) {
	if !s.hasStop {
		return Point{}, false
	}
	if s.excluded(s.stop) {
		v, ok := s.prevInt(s.stop)
		return s.pt(v), ok
	}
	return s.pt(s.stop), true
}

func (s *intSeq) interval() Duration { return IntegerDuration(s.step) }

// String gives a canonical form: R1/5, R/1/P3, R4/1/P3, with exclusions.
func (s *intSeq) String() string {
	var b strings.Builder
	switch {
	case s.step == 0:
		b.WriteString("R1/" + strconv.FormatInt(s.first, 10))
	case s.hasStop:
		n := max(floorDiv(s.stop-s.first, s.step)+1, 0)
		b.WriteString("R" + strconv.FormatInt(n, 10) + "/" + strconv.FormatInt(s.first, 10) + "/P" + strconv.FormatInt(s.step, 10))
	default:
		b.WriteString("R/" + strconv.FormatInt(s.first, 10) + "/P" + strconv.FormatInt(s.step, 10))
	}
	if s.hasExcl {
		pts := append([]int64(nil), s.exclPoints...)
		sort.Slice(pts, func(i, j int) bool { return pts[i] < pts[j] })
		var parts []string
		for _, v := range pts {
			parts = append(parts, strconv.FormatInt(v, 10))
		}
		for _, q := range s.exclSeqs {
			parts = append(parts, q.String())
		}
		r := strings.Join(parts, ",")
		if strings.Contains(r, ",") {
			r = "(" + r + ")"
		}
		b.WriteString("!" + r)
	}
	return b.String()
}
