package cycle

import (
	"math/big"
	"math/bits"
	"sort"
	"sync"
)

// A stepper gives the points start + k*step of a recurrence without
// walking from the start: at(k) is the k-th point (k >= 0) and floor(p)
// the largest k whose point is at or before p (-1 if none). Repeated
// nominal additions are path dependent in isodatetime (the day of month is
// clamped at every step), so each kind of step has its own closed form;
// only mixed nominal steps (P1Y1M, P1M1D) fall back to a cached walk.
type stepper interface {
	at(k int64) Point
	floor(p Point) int64
}

func newStepper(start Point, d Duration) stepper {
	switch {
	case d.years == 0 && d.months == 0:
		days, ns := d.exactParts()
		return &exactStepper{start: start, sd: days, sns: ns}
	case d.years == 0 && d.exactPartZero():
		return &monthStepper{start: start, m: d.months}
	case d.months == 0 && d.exactPartZero():
		return newYearStepper(start, d.years)
	}
	return &walkStepper{start: start, d: d, pts: []Point{start}}
}

// exactPartZero reports whether d has no day or time part.
func (d Duration) exactPartZero() bool {
	return d.days == 0 && d.hours == 0 && d.minutes == 0 && d.seconds == 0
}

// exactStepper steps by a fixed length: sd days and sns nanoseconds.
type exactStepper struct {
	start Point
	sd    int64
	sns   int64
}

func (s *exactStepper) at(k int64) Point {
	p := s.start
	if s.sns == 0 {
		p.day += k * s.sd
		return p
	}
	hi, lo := bits.Mul64(uint64(k), uint64(s.sns))
	q, r := bits.Div64(hi, lo, uint64(nsPerDay))
	p.day, p.ns = carry(p.day+k*s.sd+int64(q), p.ns+int64(r))
	return p
}

func (s *exactStepper) floor(p Point) int64 {
	pd, pn := p.utc()
	sd, sn := s.start.utc()
	d, n := carry(pd-sd, pn-sn) // p = start + d days + n ns, 0 <= n < 1 day
	if s.sns == 0 {
		return max(floorDiv(d, s.sd), -1)
	}
	if d > -100000 && d < 100000 && s.sd < 100000 {
		return max(floorDiv(d*nsPerDay+n, s.sd*nsPerDay+s.sns), -1)
	}
	num := new(big.Int).Mul(big.NewInt(d), big.NewInt(nsPerDay))
	num.Add(num, big.NewInt(n))
	den := new(big.Int).Mul(big.NewInt(s.sd), big.NewInt(nsPerDay))
	den.Add(den, big.NewInt(s.sns))
	k := new(big.Int).Div(num, den) // Euclidean division: floor for den > 0
	if !k.IsInt64() {
		if k.Sign() < 0 {
			return -1
		}
		return 1 << 62
	}
	return max(k.Int64(), -1)
}

// monthStepper steps by m months: k steps of m months cross the same
// months as one step of k*m, so the k-th point is start + P(k*m)M.
type monthStepper struct {
	start Point
	m     int64
}

func (s *monthStepper) at(k int64) Point {
	p := s.start
	p.day = addMonths(p.c.cal, p.day, k*s.m)
	return p
}

func (s *monthStepper) floor(p Point) int64 {
	cal := s.start.c.cal
	q := p.withTZ(s.start.tz)
	y, m, _ := cal.civil(q.day)
	sy, sm, _ := cal.civil(s.start.day)
	k := floorDiv((y*12+int64(m))-(sy*12+int64(sm)), s.m)
	if k < 0 {
		return -1
	}
	if s.at(k).Compare(p) > 0 {
		k--
	}
	return k
}

// yearStepper steps by y years. The day of month (day of year, week of
// year) is clamped whenever a year lacks it (29 February) and stays
// clamped; the clamping pattern repeats within 400 steps.
type yearStepper struct {
	start   Point
	y       int64
	year0   int64
	m0      int // month (calendar dates)
	v0      int // day of month, day of year or week
	wd0     int // day of week (week dates)
	changes []yearClamp
}

type yearClamp struct {
	k int64
	v int
}

func newYearStepper(start Point, y int64) *yearStepper {
	s := &yearStepper{start: start, y: y}
	cal := start.c.cal
	switch start.c.rep {
	case repOrdinal:
		s.year0, s.v0 = cal.ordinal(start.day)
	case repWeek:
		s.year0, s.v0, s.wd0 = cal.weekDate(start.day)
	default:
		s.year0, s.m0, s.v0 = cal.civil(start.day)
	}
	v := s.v0
	for k := int64(1); k <= 400; k++ {
		if mx := s.maxIn(s.year0 + k*y); mx < v {
			v = mx
			s.changes = append(s.changes, yearClamp{k, v})
		}
	}
	return s
}

func (s *yearStepper) maxIn(year int64) int {
	cal := s.start.c.cal
	switch s.start.c.rep {
	case repOrdinal:
		return cal.daysInYear(year)
	case repWeek:
		return cal.weeksInYear(year)
	}
	return cal.daysInMonth(year, s.m0)
}

func (s *yearStepper) at(k int64) Point {
	v := s.v0
	for _, c := range s.changes {
		if k >= c.k {
			v = c.v
		}
	}
	year := s.year0 + k*s.y
	p := s.start
	cal := p.c.cal
	switch p.c.rep {
	case repOrdinal:
		p.day = cal.fromOrdinal(year, v)
	case repWeek:
		p.day = cal.fromWeekDate(year, v, s.wd0)
	default:
		p.day = cal.dayNumber(year, s.m0, v)
	}
	return p
}

func (s *yearStepper) floor(p Point) int64 {
	cal := s.start.c.cal
	q := p.withTZ(s.start.tz)
	var year int64
	switch p.c.rep {
	case repOrdinal:
		year, _ = cal.ordinal(q.day)
	case repWeek:
		year, _, _ = cal.weekDate(q.day)
	default:
		year, _, _ = cal.civil(q.day)
	}
	k := floorDiv(year-s.year0, s.y)
	if k < 0 {
		return -1
	}
	if s.at(k).Compare(p) > 0 {
		k--
	}
	return k
}

// walkStepper adds a mixed nominal duration repeatedly, caching the points
// it has seen so that later queries are a binary search.
type walkStepper struct {
	mu    sync.Mutex
	start Point
	d     Duration
	pts   []Point
}

const walkCacheMax = 1 << 18

func (s *walkStepper) extendTo(k int64) Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	for int64(len(s.pts)) <= k && len(s.pts) < walkCacheMax {
		s.pts = append(s.pts, s.pts[len(s.pts)-1].addRaw(s.d))
	}
	if k < int64(len(s.pts)) {
		return s.pts[k]
	}
	p := s.pts[len(s.pts)-1]
	for i := int64(len(s.pts)) - 1; i < k; i++ {
		p = p.addRaw(s.d)
	}
	return p
}

func (s *walkStepper) at(k int64) Point { return s.extendTo(k) }

func (s *walkStepper) floor(p Point) int64 {
	if s.start.Compare(p) > 0 {
		return -1
	}
	s.mu.Lock()
	for s.pts[len(s.pts)-1].Compare(p) <= 0 && len(s.pts) < walkCacheMax {
		s.pts = append(s.pts, s.pts[len(s.pts)-1].addRaw(s.d))
	}
	n := len(s.pts)
	last := s.pts[n-1]
	if last.Compare(p) > 0 {
		k := sort.Search(n, func(i int) bool { return s.pts[i].Compare(p) > 0 })
		s.mu.Unlock()
		return int64(k - 1)
	}
	s.mu.Unlock()
	k := int64(n - 1)
	for q := last.addRaw(s.d); q.Compare(p) <= 0; q = q.addRaw(s.d) {
		k++
	}
	return k
}
