package cycle

import (
	"strconv"
	"strings"
)

// recurrence is an ISO 8601 recurrence (isodatetime's TimeRecurrence):
// format 1 R[n]/start/end-of-first-interval, format 3 R[n]/start/duration
// and format 4 R[n]/duration/end. Its points are kept at full precision;
// the sequence rounds them to the cycle point format.
type recurrence struct {
	c      *Context
	format int
	reps   int64 // 0 = unbounded
	start  Point
	end    Point
	hasEnd bool
	second Point // format 1: end of the first interval
	dur    Duration
	oneOff bool // a single point: R1, or a null duration
	st     stepper
}

// newRecurrence applies TimeRecurrence's rules for completing and checking
// a recurrence from its given parts (reps 0 = unbounded).
func newRecurrence(c *Context, expr string, reps int64, start, end *Point, dur *Duration) (*recurrence, error) {
	r := &recurrence{c: c, reps: reps}
	if dur != nil && dur.Compare(Duration{cal: c.cal}) < 0 {
		return nil, recErr(expr, "duration "+dur.String()+" cannot be negative")
	}
	switch {
	case dur == nil:
		r.format = 1
		if reps == 1 {
			if start == nil {
				return nil, recErr(expr, "needs a start point")
			}
			r.start, r.end, r.hasEnd, r.second, r.oneOff = *start, *start, true, *start, true
			break
		}
		if start == nil || end == nil {
			return nil, recErr(expr, "needs a start point and either an interval or an end point").withHint(
				"a date-time alone is not a recurrence: write e.g. R1/2000 or 2000/P1D")
		}
		r.start = *start
		switch start.Compare(*end) {
		case 0:
			r.reps, r.second, r.end, r.hasEnd, r.oneOff = 1, *end, *end, true, true
		case 1:
			return nil, recErr(expr, "start point cannot be later than the end of the first interval")
		default:
			r.second = *end
			r.dur = end.Sub(*start)
			if reps != 0 {
				r.end, r.hasEnd = start.addRaw(r.dur.Mul(reps-1)), true
			}
		}
	case end == nil && start != nil:
		r.format = 3
		r.start = *start
		if reps == 1 || dur.IsZero() {
			r.end, r.hasEnd, r.reps, r.oneOff = *start, true, 1, true
		} else {
			r.dur = *dur
			if reps != 0 {
				r.end, r.hasEnd = start.addRaw(dur.Mul(reps-1)), true
			}
		}
	case start == nil && end != nil:
		r.format = 4
		r.end, r.hasEnd = *end, true
		if reps == 1 || dur.IsZero() {
			r.start, r.reps, r.oneOff = *end, 1, true
		} else {
			r.dur = *dur
			if reps == 0 {
				return nil, recErr(expr, "an unbounded recurrence counting back from its end needs an initial cycle point")
			}
			r.start = end.addRaw(dur.Mul(-(reps - 1)))
		}
	default:
		return nil, recErr(expr, "needs a start point, an interval or an end point")
	}
	if !r.oneOff {
		if days, ns := r.dur.exactParts(); r.dur.IsExact() && days == 0 && ns == 0 {
			return nil, recErr(expr, "interval "+r.dur.String()+" is too small")
		}
		r.st = newStepper(r.start, r.dur)
	}
	return r, nil
}

func (r *recurrence) inBounds(p Point) bool {
	return r.start.Compare(p) <= 0 && (!r.hasEnd || p.Compare(r.end) <= 0)
}

// at returns the k-th point if it is within bounds.
func (r *recurrence) at(k int64) (Point, bool) {
	if k < 0 {
		return Point{}, false
	}
	if r.oneOff {
		return r.start, k == 0
	}
	p := r.st.at(k)
	return p, !r.hasEnd || p.Compare(r.end) <= 0
}

// floor returns the index of the last point at or before p, or -1.
func (r *recurrence) floor(p Point) int64 {
	if r.start.Compare(p) > 0 {
		return -1
	}
	if r.oneOff {
		return 0
	}
	if r.hasEnd && p.Compare(r.end) > 0 {
		p = r.end
	}
	return r.st.floor(p)
}

// valid is TimeRecurrence.get_is_valid: p is one of the points.
func (r *recurrence) valid(p Point) bool {
	if !r.inBounds(p) {
		return false
	}
	q, ok := r.at(r.floor(p))
	return ok && q.Compare(p) == 0
}

// firstFrom returns the first point at or after p (strictly after if
// strict).
func (r *recurrence) firstFrom(p Point, strict bool) (Point, int64, bool) {
	var k int64
	if r.start.Compare(p) > 0 || (!strict && r.start.Compare(p) == 0) {
		k = 0
	} else {
		k = r.floor(p)
		if q, _ := r.at(k); k >= 0 && (strict || q.Compare(p) != 0) {
			k++
		}
	}
	q, ok := r.at(k)
	return q, k, ok
}

// next is TimeRecurrence.get_next: p + duration if within bounds.
func (r *recurrence) next(p Point) (Point, bool) {
	if r.reps == 1 || r.oneOff {
		return Point{}, false
	}
	q := p.addRaw(r.dur)
	return q, r.inBounds(q)
}

// prev is TimeRecurrence.get_prev: p - duration if within bounds.
func (r *recurrence) prev(p Point) (Point, bool) {
	if r.reps == 1 || r.oneOff {
		return Point{}, false
	}
	q := p.addRaw(r.dur.Neg())
	return q, r.inBounds(q)
}

// bounded reports whether the recurrence has a last point.
func (r *recurrence) bounded() bool { return r.hasEnd }

func (r *recurrence) lastIndex() int64 {
	if r.oneOff {
		return 0
	}
	return r.floor(r.end)
}

func (r *recurrence) pstr(p Point) string {
	s, err := r.c.dump.format(p)
	if err != nil {
		return "?"
	}
	return s
}

// String is isodatetime's recurrence string, e.g. R/20000101T0000Z/PT6H.
func (r *recurrence) String() string {
	var b strings.Builder
	b.WriteByte('R')
	if r.reps != 0 {
		b.WriteString(strconv.FormatInt(r.reps, 10))
	}
	b.WriteByte('/')
	dur := "P0Y"
	if !r.oneOff {
		dur = r.dur.String()
	}
	switch r.format {
	case 1:
		b.WriteString(r.pstr(r.start) + "/" + r.pstr(r.second))
	case 3:
		b.WriteString(r.pstr(r.start) + "/" + dur)
	default:
		b.WriteString(dur + "/" + r.pstr(r.end))
	}
	return b.String()
}
