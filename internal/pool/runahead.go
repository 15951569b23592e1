package pool

import (
	"sort"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// bucket holds the pool's tasks at one cycle point: how many there are and
// which of them are held back by the runahead limit.
type bucket struct {
	pt       cycle.Point
	n        int
	runahead []*Proxy
}

// pointIndex keeps the pool's distinct points in order. The number of
// distinct points is bounded by the runahead window, so a sorted slice is
// both simple and fast.
type pointIndex struct {
	buckets []*bucket
}

func (x *pointIndex) find(pt cycle.Point) (int, bool) {
	i := sort.Search(len(x.buckets), func(i int) bool { return x.buckets[i].pt.Compare(pt) >= 0 })
	return i, i < len(x.buckets) && x.buckets[i].pt.Compare(pt) == 0
}

func (x *pointIndex) add(t *Proxy) {
	i, ok := x.find(t.Point)
	if !ok {
		x.buckets = append(x.buckets, nil)
		copy(x.buckets[i+1:], x.buckets[i:])
		x.buckets[i] = &bucket{pt: t.Point}
	}
	b := x.buckets[i]
	b.n++
	t.bucket = b
	if t.Runahead {
		b.runahead = append(b.runahead, t)
	}
}

// remove drops t; it reports whether t's point left the index.
func (x *pointIndex) remove(t *Proxy) bool {
	b := t.bucket
	if b == nil {
		return false
	}
	x.unrunahead(t)
	t.bucket = nil
	b.n--
	if b.n > 0 {
		return false
	}
	i, ok := x.find(b.pt)
	if ok {
		x.buckets = append(x.buckets[:i], x.buckets[i+1:]...)
	}
	return true
}

func (x *pointIndex) unrunahead(t *Proxy) {
	b := t.bucket
	if b == nil {
		return
	}
	for i, r := range b.runahead {
		if r == t {
			b.runahead = append(b.runahead[:i], b.runahead[i+1:]...)
			return
		}
	}
}

func (x *pointIndex) first() *bucket {
	if len(x.buckets) == 0 {
		return nil
	}
	return x.buckets[0]
}

// base is the runahead base point: the earliest point with tasks in the
// pool (in Cylc 7 mode, ignoring points where every task failed).
func (p *Pool) base() (cycle.Point, bool) {
	for _, b := range p.points.buckets {
		if p.def.Cylc7 && p.allFailed(b) {
			continue
		}
		return b.pt, true
	}
	var best cycle.Point
	found := false
	for _, s := range p.def.Sequences {
		if pt, ok := s.FirstOnOrAfter(p.def.Start); ok && (!found || pt.Compare(best) < 0) {
			best, found = pt, true
		}
	}
	return best, found
}

// allFailed is only needed in Cylc 7 mode, and only for the lowest points.
func (p *Pool) allFailed(b *bucket) bool {
	n := 0
	for _, t := range p.tasks {
		if t.bucket == b {
			if t.Status != task.Failed {
				return false
			}
			n++
		}
	}
	return n > 0
}

// computeRunahead recomputes the runahead limit when the base point (or
// the future-trigger allowance) has changed. Limits count cycles of all
// the workflow's sequences from the base point, or span an interval.
func (p *Pool) computeRunahead() {
	base, ok := p.base()
	if !ok {
		return
	}
	if p.hasLimit && !p.forceRunahead && p.hasPrevBase && base.Compare(p.prevBase) == 0 {
		return
	}
	p.forceRunahead = false
	if !p.hasPrevBase || base.Compare(p.prevBase) != 0 {
		p.baseMoved(base)
	}
	p.prevBase, p.hasPrevBase = base, true
	ra := p.def.Runahead
	var pts []cycle.Point
	for _, s := range p.def.Sequences {
		pt, ok := s.FirstOnOrAfter(base)
		for count := 1; ok; count++ {
			if ra.IsCycles {
				if count > ra.Cycles+1 {
					break
				}
			} else if pt.Compare(base.Add(ra.Interval)) > 0 {
				break
			}
			pts = append(pts, pt)
			pt, ok = s.Next(pt)
		}
	}
	limit := base
	if len(pts) > 0 {
		sort.Slice(pts, func(i, j int) bool { return pts[i].Compare(pts[j]) < 0 })
		pts = dedupPoints(pts)
		if ra.IsCycles {
			limit = pts[min(ra.Cycles, len(pts)-1)]
		} else {
			limit = pts[len(pts)-1]
		}
	}
	if p.hasMaxFuture {
		limit = limit.Add(p.maxFuture)
	}
	if p.def.HasStop && limit.Compare(p.def.Stop) > 0 {
		limit = p.def.Stop
	}
	if !p.hasLimit || limit.Compare(p.limit) != 0 {
		p.logf(Debug, "Runahead limit: %s", limit)
	}
	p.limit, p.hasLimit = limit, true
}

func dedupPoints(pts []cycle.Point) []cycle.Point {
	out := pts[:0]
	for i, pt := range pts {
		if i == 0 || pt.Compare(out[len(out)-1]) != 0 {
			out = append(out, pt)
		}
	}
	return out
}

// releaseRunahead releases every runahead task at or below the limit.
// Releasing spawns the next instance of parentless tasks, which may land
// in a later bucket, so buckets are walked by index until beyond the limit.
func (p *Pool) releaseRunahead() {
	if !p.hasLimit {
		return
	}
	for i := 0; i < len(p.points.buckets); i++ {
		b := p.points.buckets[i]
		if b.pt.Compare(p.limit) > 0 {
			break
		}
		for len(b.runahead) > 0 {
			// Taken out whole, in order: removing them one at a time
			// from the front would make a wide point quadratic.
			batch := b.runahead
			b.runahead = nil
			for _, t := range batch {
				p.release(t)
			}
		}
	}
}
