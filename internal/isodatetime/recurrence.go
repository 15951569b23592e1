package isodatetime

import (
	"regexp"
	"strings"
)

// ISO 8601 recurrences for "gyre isodatetime", as isodatetime's
// TimeRecurrence (formats 1, 3 and 4): R[n]/start/end, R[n]/start/duration
// and R[n]/duration/end.

var idtRecurrenceForms = []*regexp.Regexp{
	regexp.MustCompile(`^R(?P<reps>\p{Nd}+)?/(?P<start>[^P][^/]*)/(?P<end>[^P].*)\n?$`),
	regexp.MustCompile(`^R(?P<reps>\p{Nd}+)?/(?P<start>[^P][^/]*)/(?P<intv>P.+)\n?$`),
	regexp.MustCompile(`^R(?P<reps>\p{Nd}+)?/(?P<intv>P.+)/(?P<end>[^P].*)\n?$`),
}

// idtRecurrence is an isodatetime TimeRecurrence (formats 1, 3 and 4).
type idtRecurrence struct {
	reps       int64 // 0: unbounded
	start, end *idtPoint
	dur        *idtDuration
}

func (e *idtEnv) parseRecurrence(s string) (*idtRecurrence, error) {
	for _, re := range idtRecurrenceForms {
		g, ok := idtGroups(re, s)
		if !ok {
			continue
		}
		r := &idtRecurrence{}
		huge := false
		if v, ok := g["reps"]; ok {
			n, fits := idtPyInt(v)
			if !fits || n > 1e12 {
				huge, n = true, 1e12
			}
			r.reps = n
			if n == 0 {
				r.reps = -1
			}
		}
		var err error
		var start, end idtPoint
		var dur idtDuration
		if v, ok := g["start"]; ok {
			if start, err = e.parser().parse(e.cal, v, false); err != nil {
				return nil, err
			}
			r.start = &start
		}
		if v, ok := g["end"]; ok {
			if end, err = e.parser().parse(e.cal, v, false); err != nil {
				return nil, err
			}
			r.end = &end
		}
		if v, ok := g["intv"]; ok {
			if dur, err = idtParseDuration(e.cal, v); err != nil {
				return nil, err
			}
			r.dur = &dur
		}
		return r, r.init(e.cal, huge)
	}
	return nil, idtSyntax("recurrence", s)
}

// init works out the format and bounds as TimeRecurrence's constructor
// does. With an astronomically large number of repetitions the far bound
// is dropped (isodatetime would compute it, very slowly).
func (r *idtRecurrence) init(c *idtCal, huge bool) error {
	if r.reps < 0 {
		return idtValue("Invalid recurrence info: Number of repetitions cannot be <= 0")
	}
	if r.dur != nil && r.dur.negative(c) {
		return idtValue("Invalid recurrence info: Duration cannot be < P0Y")
	}
	far := func(from idtPoint, d idtDuration) (*idtPoint, error) {
		if huge || !d.mulFits(r.reps-1) {
			return nil, nil
		}
		p, err := from.add(c, d.mul(r.reps-1))
		if e, ok := err.(*idtError); ok && strings.Contains(e.msg, "too large") {
			return nil, nil
		}
		return &p, err
	}
	zero := func(d idtDuration) bool {
		return d.isExact() && d.totalSeconds(c).float() == 0
	}
	var err error
	switch {
	case r.dur == nil: // format 1: start and the end of the first interval
		if r.reps == 1 {
			r.end = r.start
			return nil
		}
		k, err := r.start.cmp(c, *r.end)
		if err != nil {
			return err
		}
		if k == 0 {
			r.reps = 1
			r.end = r.start
			return nil
		}
		if k > 0 {
			return idtValue("Invalid recurrence info: Start point %s cannot be earlier than end point of first interval %s",
				idtMust(r.start.String(c)), idtMust(r.end.String(c)))
		}
		d, err := r.end.sub(c, *r.start)
		if err != nil {
			return err
		}
		r.dur = &d
		r.end = nil
		if r.reps > 0 {
			r.end, err = far(*r.start, d)
		}
		return err
	case r.end == nil: // format 3: start and duration
		if r.reps == 1 || zero(*r.dur) {
			r.end, r.reps, r.dur = r.start, 1, nil
		} else if r.reps > 0 {
			r.end, err = far(*r.start, *r.dur)
		}
	default: // format 4: duration and end, counting back
		if r.reps == 1 || zero(*r.dur) {
			r.start, r.reps, r.dur = r.end, 1, nil
		} else if r.reps > 0 {
			r.start, err = far(*r.end, r.dur.neg())
		}
	}
	return err
}

func idtMust(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	return s
}

func (r *idtRecurrence) inBounds(c *idtCal, p idtPoint) (bool, error) {
	if r.start != nil {
		k, err := p.cmp(c, *r.start)
		if err != nil || k < 0 {
			return false, err
		}
	}
	if r.end != nil {
		k, err := p.cmp(c, *r.end)
		if err != nil || k > 0 {
			return false, err
		}
	}
	return true, nil
}

// each calls fn on up to max points of the recurrence, forwards from the
// start or, without a start, backwards from the end, computing each point
// only when the previous one has been handled.
func (r *idtRecurrence) each(c *idtCal, max int64, fn func(idtPoint) error) error {
	point, step := r.start, r.dur
	if point == nil {
		point = r.end
		if step != nil {
			s := step.neg()
			step = &s
		}
	}
	single := r.reps == 1 || step == nil || step.isZero()
	for n := int64(0); point != nil; {
		ok, err := r.inBounds(c, *point)
		if err != nil || !ok {
			return err
		}
		if err := fn(*point); err != nil {
			return err
		}
		if n++; n >= max || single {
			return nil
		}
		next, err := point.add(c, *step)
		if err != nil {
			return err
		}
		point = &next
	}
	return nil
}
