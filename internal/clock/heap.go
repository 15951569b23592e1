package clock

import "time"

// deadlines is an indexed min-heap of keyed deadlines: each entry knows its
// position, so re-arming or cancelling a key is O(log n) instead of a scan.
// Equal deadlines come out in the order they were (re-)armed, which keeps
// batches deterministic for replay.
type deadlines[K comparable] struct {
	items []*entry[K]
	byKey map[K]*entry[K]
	seq   uint64
	free  []*entry[K] // recycled entries: retry and poll timers churn
}

// maxFree bounds the recycled entries kept.
const maxFree = 1024

type entry[K comparable] struct {
	key   K
	at    time.Time
	seq   uint64
	index int
}

func (d *deadlines[K]) len() int { return len(d.items) }

// set arms key for at, replacing any earlier deadline for it.
func (d *deadlines[K]) set(key K, at time.Time) {
	if d.byKey == nil {
		d.byKey = make(map[K]*entry[K])
	}
	d.seq++
	if e, ok := d.byKey[key]; ok {
		e.at, e.seq = at, d.seq
		d.fix(e.index)
		return
	}
	var e *entry[K]
	if n := len(d.free); n > 0 {
		e, d.free = d.free[n-1], d.free[:n-1]
	} else {
		e = new(entry[K])
	}
	*e = entry[K]{key: key, at: at, seq: d.seq, index: len(d.items)}
	d.byKey[key] = e
	d.items = append(d.items, e)
	d.up(e.index)
}

// remove disarms key and reports whether it was armed.
func (d *deadlines[K]) remove(key K) bool {
	e, ok := d.byKey[key]
	if !ok {
		return false
	}
	d.removeAt(e.index)
	return true
}

// first returns the earliest deadline.
func (d *deadlines[K]) first() (time.Time, bool) {
	if len(d.items) == 0 {
		return time.Time{}, false
	}
	return d.items[0].at, true
}

// popDue removes and returns, earliest first, every key due by now.
func (d *deadlines[K]) popDue(now time.Time) []Due[K] {
	var due []Due[K]
	for len(d.items) > 0 && !d.items[0].at.After(now) {
		e := d.items[0]
		due = append(due, Due[K]{Key: e.key, At: e.at})
		d.removeAt(0)
	}
	return due
}

func (d *deadlines[K]) removeAt(i int) {
	e := d.items[i]
	last := len(d.items) - 1
	if i != last {
		d.swap(i, last)
	}
	d.items[last] = nil
	d.items = d.items[:last]
	delete(d.byKey, e.key)
	if i != last {
		d.fix(i)
	}
	if len(d.free) < maxFree {
		*e = entry[K]{}
		d.free = append(d.free, e)
	}
}

func (d *deadlines[K]) less(i, j int) bool {
	a, b := d.items[i], d.items[j]
	if a.at.Equal(b.at) {
		return a.seq < b.seq
	}
	return a.at.Before(b.at)
}

func (d *deadlines[K]) swap(i, j int) {
	d.items[i], d.items[j] = d.items[j], d.items[i]
	d.items[i].index = i
	d.items[j].index = j
}

func (d *deadlines[K]) fix(i int) {
	if !d.down(i) {
		d.up(i)
	}
}

func (d *deadlines[K]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !d.less(i, parent) {
			return
		}
		d.swap(i, parent)
		i = parent
	}
}

// down sifts i towards the leaves and reports whether it moved.
func (d *deadlines[K]) down(i int) bool {
	start, n := i, len(d.items)
	for {
		child := 2*i + 1
		if child >= n {
			break
		}
		if r := child + 1; r < n && d.less(r, child) {
			child = r
		}
		if !d.less(child, i) {
			break
		}
		d.swap(i, child)
		i = child
	}
	return i > start
}
