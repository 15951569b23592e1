package broadcast

import (
	"cmp"
	"slices"
	"strings"

	"gyre/internal/config"
)

// Change is one setting set or cancelled at a cycle point ("*" for all)
// and namespace.
type Change struct {
	Point, Namespace string
	Setting          config.Setting
}

// Rejection is one command-line option value that had no effect: a bad
// point, namespace or setting of a Put, or a point, namespace or cancelled
// setting that matched no broadcast in Cancel and Clear.
type Rejection struct {
	Option string // the long option it came from: "point", "namespace", "set", "cancel"
	Value  string // as given: "20100808T00", "[environment]X=1", "[environment]X"
	Reason string // why, for Put; empty when it simply matched nothing
}

// Report is what a Store operation did, for the command's answer and the
// workflow log. Changes are ordered by point then namespace, as Cylc
// reports them; Rejected by option then value.
type Report struct {
	Cancelled bool // Changes are cancellations (Cancel, Clear, Expire)
	Changes   []Change
	Rejected  []Rejection
}

// String lists the changes, one per line after a heading:
//
//	Broadcast set:
//	+ [*/root] [environment]BCAST=ROOT
//
// and is "" when nothing changed.
func (r Report) String() string {
	if len(r.Changes) == 0 {
		return ""
	}
	var b strings.Builder
	title, sign := "Broadcast set:", "+"
	if r.Cancelled {
		title, sign = "Broadcast cancelled:", "-"
	}
	b.WriteString(title)
	for _, c := range r.Changes {
		b.WriteString("\n" + sign + " [" + c.Point + "/" + c.Namespace + "] " + c.Setting.Key() + "=" + c.Setting.Value)
	}
	return b.String()
}

// Err describes the rejected options, nil when there are none. The
// command exits with an error then, even if some changes were made, as
// `cylc broadcast` does.
func (r Report) Err() error {
	if len(r.Rejected) == 0 {
		return nil
	}
	return rejectedError(r)
}

type rejectedError Report

func (e rejectedError) Error() string {
	var b strings.Builder
	if e.Cancelled {
		b.WriteString("nothing to cancel or clear for these options:")
	} else {
		b.WriteString("broadcast rejected for these options:")
	}
	for _, rj := range e.Rejected {
		b.WriteString("\n  --" + rj.Option + "=" + rj.Value)
		if rj.Reason != "" {
			b.WriteString(": " + strings.ReplaceAll(rj.Reason, "\n", "\n    "))
		}
	}
	return b.String()
}

// sortReport puts a report in its documented order and drops repeated
// repeats (a setting given twice; a bad setting is found once per point
// and namespace).
func sortReport(r *Report) {
	seen := map[string]bool{}
	r.Changes = slices.DeleteFunc(r.Changes, func(c Change) bool {
		k := c.Point + "\x00" + c.Namespace + "\x00" + c.Setting.Key() + "\x00" + c.Setting.Value
		dup := seen[k]
		seen[k] = true
		return dup
	})
	slices.SortStableFunc(r.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Point, b.Point), cmp.Compare(a.Namespace, b.Namespace))
	})
	slices.SortStableFunc(r.Rejected, func(a, b Rejection) int {
		return cmp.Or(cmp.Compare(a.Option, b.Option), cmp.Compare(a.Value, b.Value))
	})
	r.Rejected = slices.CompactFunc(r.Rejected, func(a, b Rejection) bool {
		return a.Option == b.Option && a.Value == b.Value
	})
}
