package cycle

import "time"

// Exact returns d as a time.Duration when it has no nominal part (years or
// months, whose length depends on the date) and fits; wall-clock triggers
// and expiry add such offsets to times rather than to cycle points, which
// keeps seconds that a point's format does not show.
func (d Duration) Exact() (time.Duration, bool) {
	if d.integer || d.years != 0 || d.months != 0 {
		return 0, false
	}
	days, ns := d.exactParts()
	const maxDays = int64(time.Duration(1<<63-1) / (24 * time.Hour))
	if days > maxDays || days < -maxDays {
		return 0, false
	}
	return time.Duration(days)*24*time.Hour + time.Duration(ns), true
}
