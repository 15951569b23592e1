package cycle

import (
	"strings"
)

// Sequence is the set of cycle points of one graph section heading (a
// recurrence such as "T00", "PT6H", "R1/$", "P1!3"), with Cylc's methods
// for moving along it. Date-time sequences are not bounded by the final
// cycle point unless the recurrence itself is (the scheduler applies the
// final point); integer sequences are, as in Cylc.
//
// Methods are O(1) or O(log n) for sequences whose interval is exact
// (days, hours, ...), whole months or whole years; mixed nominal intervals
// such as P1M1D walk once and cache.
type Sequence struct {
	c    *Context
	impl seqImpl
}

type seqImpl interface {
	isOn(p Point) bool
	next(p Point) (Point, bool)
	prev(p Point) (Point, bool)
	nearestPrev(p Point) (Point, bool)
	firstOnOrAfter(p Point) (Point, bool)
	start() (Point, bool)
	last() (Point, bool)
	interval() Duration
	String() string
}

// IsOn reports whether p is a point of the sequence, within its bounds and
// not excluded (Cylc's is_valid).
func (s *Sequence) IsOn(p Point) bool { return s.impl.isOn(p) }

// Next returns the first point of the sequence after p (p need not be on
// the sequence); ok is false past the end.
func (s *Sequence) Next(p Point) (Point, bool) { return s.impl.next(p) }

// Prev returns the point one interval before p, skipping exclusions
// (Cylc's get_prev_point, meant for points on the sequence).
func (s *Sequence) Prev(p Point) (Point, bool) { return s.impl.prev(p) }

// NearestPrev returns the last point of the sequence before p, for any p
// (Cylc's get_nearest_prev_point).
func (s *Sequence) NearestPrev(p Point) (Point, bool) { return s.impl.nearestPrev(p) }

// FirstOnOrAfter returns the first point at or after p (Cylc's
// get_first_point).
func (s *Sequence) FirstOnOrAfter(p Point) (Point, bool) { return s.impl.firstOnOrAfter(p) }

// First returns the first point at or after the initial cycle point: where
// tasks on this sequence start.
func (s *Sequence) First() (Point, bool) { return s.impl.firstOnOrAfter(s.c.initial) }

// Start returns the first point of the sequence, which may be before the
// initial cycle point (Cylc's get_start_point).
func (s *Sequence) Start() (Point, bool) { return s.impl.start() }

// Last returns the last point of a bounded sequence (Cylc's
// get_stop_point); ok is false for an unbounded one.
func (s *Sequence) Last() (Point, bool) { return s.impl.last() }

// Interval returns the step of the sequence (the null interval for a
// one-off sequence).
func (s *Sequence) Interval() Duration { return s.impl.interval() }

// String returns the sequence in canonical form, e.g.
// "R/20000101T0000Z/PT6H!20000101T1200Z". Equal strings mean equal
// sequences.
func (s *Sequence) String() string { return s.impl.String() }

// Points returns up to n points of the sequence from its start.
func (s *Sequence) Points(n int) []Point {
	var out []Point
	p, ok := s.Start()
	for ok && len(out) < n {
		out = append(out, p)
		p, ok = s.Next(p)
	}
	return out
}

// ParseRecurrence reads a graph section heading (one recurrence, see
// SplitSections) into a Sequence relative to the initial and final cycle
// points. "^" and "$" stand for the initial and final cycle points. All
// ISO 8601 recurrence formats and Cylc's abbreviations are accepted: R1,
// T00, PT6H, +PT6H/PT6H, R1/$, R5/P2D, R//PT1H, R1/P0Y, R/T00/P1D,
// R1/min(T00,T06+PT1H), ^+PT6H/PT12H, R1/$-P1D, with exclusions (PT1H!T06,
// PT1H!(T06, 20000101T12Z), PT1H!PT6H); in integer cycling P3, +P1/P3,
// R/P1!(2,3,7), R1, R/1/P2.
func (c *Context) ParseRecurrence(s string) (*Sequence, error) {
	orig := s
	if c.initial.c != nil {
		s = strings.ReplaceAll(s, "^", c.initial.String())
	}
	if strings.Contains(s, "$") {
		if !c.hasFinal {
			return nil, recErr(orig, "final cycle point referenced ($) but not defined")
		}
		s = strings.ReplaceAll(s, "$", c.final.String())
	}
	var ctxStart, ctxEnd *Point
	if c.initial.c != nil {
		ctxStart = &c.initial
	}
	if c.hasFinal {
		ctxEnd = &c.final
	}
	var (
		impl seqImpl
		err  error
	)
	if c.integer {
		impl, err = c.parseIntSeq(s, ctxStart, ctxEnd)
	} else {
		impl, err = c.parseISOSeq(s, ctxStart, ctxEnd)
	}
	if err != nil {
		return nil, withWhat(err, "recurrence", orig)
	}
	return &Sequence{c: c, impl: impl}, nil
}

// SplitSections splits a graph section heading that lists several
// recurrences ("T00, T12", "PT3H!(T09, T12), T1945") at commas outside
// parentheses.
func SplitSections(section string) []string {
	var (
		out   []string
		depth int
		last  int
	)
	for i := 0; i < len(section); i++ {
		switch section[i] {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(section[last:i]))
				last = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(section[last:]))
}

// parseExclusion splits "PT1H ! (T06, T12)" into the recurrence and its
// exclusions, as Cylc's parse_exclusion does.
func parseExclusion(expr string) (string, []string, error) {
	switch strings.Count(expr, "!") {
	case 0:
		return expr, nil, nil
	case 1:
	default:
		return "", nil, recErr(expr, "only one set of exclusions per expression permitted")
	}
	rem, excl, _ := strings.Cut(expr, "!")
	t := strings.TrimSpace(excl)
	if strings.Contains(excl, ",") && !(strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")) {
		return "", nil, recErr(expr, "a list of exclusions must be enclosed in parentheses").withHint(
			"write e.g. PT1H!(T06, T12)")
	}
	excl = strings.Map(func(r rune) rune {
		if r == ' ' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, excl)
	return strings.TrimSpace(rem), strings.Split(excl, ","), nil
}
