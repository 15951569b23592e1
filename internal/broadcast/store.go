// Package broadcast keeps the overrides that `cylc broadcast` makes to the
// [runtime] settings of a running workflow: which settings, at which cycle
// points ("*" for all of them) and for which namespaces (a family's
// broadcast reaches all its members). It parses the command's arguments
// (-s, --cancel, -F), stores, cancels, clears and expires broadcasts,
// answers with what changed, merges the overrides that apply to one task
// in Cylc's order of precedence, prints them as `cylc broadcast --display`
// does, and turns them into rows for the run database and back.
//
// Precedence follows Cylc 8.7 (broadcast_mgr.py): for a task at point P
// the all-points broadcasts are applied first, then those for P; within
// each, namespaces from root down the task's inheritance (MRO) to the task
// itself. So a point-specific broadcast beats an all-points one, and a
// task's own beats its family's, which beats root's.
//
// The package is pure and has no notion of a loaded workflow: validation
// is delegated to a Checker (WorkflowChecker checks against a
// config.Workflow), and the caller applies the merged overrides with
// config.Workflow.RuntimeWith when it builds a job.
package broadcast

import (
	"slices"

	"gyre/internal/config"
)

// AllPoints is the point of a broadcast to every cycle point.
const AllPoints = "*"

// allPointsAliases are other names Cylc accepts for AllPoints.
var allPointsAliases = []string{"all-cycle-points", "all-cycles"}

// Store holds the broadcasts of one workflow. It is not safe for
// concurrent use: the scheduler actor owns it.
type Store struct {
	check Checker
	root  node // point → namespace → section … → value
}

// NewStore makes an empty store that validates with c; nil accepts every
// point, namespace and setting as given.
func NewStore(c Checker) *Store {
	s := &Store{}
	s.SetChecker(c)
	return s
}

// SetChecker replaces the Checker, e.g. after a reload. Broadcasts already
// held are kept as they are, as in Cylc.
func (s *Store) SetChecker(c Checker) {
	if c == nil {
		c = acceptAll{}
	}
	s.check = c
}

// Put broadcasts settings to the given points and namespaces; none given
// means AllPoints and root, the defaults of `cylc broadcast`. Each
// setting, point and namespace is validated by the Checker; what fails is
// reported in Report.Rejected with its reason and the rest is still
// applied (as in Cylc). Points are stored in their standard form.
func (s *Store) Put(points, namespaces []string, settings []config.Setting) Report {
	var rep Report
	var pts, nss []string
	for _, p := range defaulted(points, AllPoints) {
		std, err := s.standardPoint(p)
		if err != nil {
			rep.Rejected = append(rep.Rejected, Rejection{"point", p, err.Error()})
			continue
		}
		pts = appendNew(pts, std)
	}
	for _, ns := range defaulted(namespaces, "root") {
		if err := s.check.Namespace(ns); err != nil {
			rep.Rejected = append(rep.Rejected, Rejection{"namespace", ns, err.Error()})
			continue
		}
		nss = appendNew(nss, ns)
	}
	for _, set := range settings {
		shown := set.Key() + "=" + set.Value
		if len(set.Path) == 0 {
			rep.Rejected = append(rep.Rejected, Rejection{"set", shown, "empty setting name"})
			continue
		}
		if err := s.check.Setting(set); err != nil {
			rep.Rejected = append(rep.Rejected, Rejection{"set", shown, err.Error()})
			continue
		}
		for _, p := range pts {
			for _, ns := range nss {
				combined := append(flatten(s.root.get(p, ns)), set)
				if err := s.check.Combined(ns, combined); err != nil {
					rep.Rejected = append(rep.Rejected, Rejection{"set", shown, err.Error()})
					continue
				}
				s.root.ensure(p).ensure(ns).set(set.Path, set.Value)
				rep.Changes = append(rep.Changes, Change{p, ns, cloneSetting(set)})
			}
		}
	}
	sortReport(&rep)
	return rep
}

// Cancel removes the settings at paths from the given points and
// namespaces (none given: AllPoints and root, as for Put). A point,
// namespace or path for which nothing was removed is reported in
// Rejected.
func (s *Store) Cancel(points, namespaces []string, paths [][]string) Report {
	pts := s.matchPoints(defaulted(points, AllPoints))
	nss := defaulted(namespaces, "root")
	keys := make([]string, len(paths))
	for i, p := range paths {
		keys[i] = config.Setting{Path: p}.Key()
	}
	return s.remove(pts, nss, keys)
}

// Clear removes every setting at the given points and namespaces; none
// given matches all (so Clear(nil, nil) removes everything). A point or
// namespace for which nothing was removed is reported in Rejected.
func (s *Store) Clear(points, namespaces []string) Report {
	var nss []string
	for _, ns := range namespaces {
		nss = appendNew(nss, ns)
	}
	return s.remove(s.matchPoints(points), nss, nil)
}

// Expire clears every broadcast to a point for which before is true:
// the caller decides the order of points, so that the store needs no
// cycling arithmetic. AllPoints broadcasts never expire. An empty report
// means there was nothing to expire.
func (s *Store) Expire(before func(point string) bool) Report {
	var pts []string
	for _, p := range s.root.children {
		if p.key != AllPoints && before(p.key) {
			pts = append(pts, p.key)
		}
	}
	if len(pts) == 0 {
		return Report{Cancelled: true}
	}
	return s.remove(pts, nil, nil)
}

// For returns the overrides that apply to a task at point whose
// inheritance is mro (the task first, root last, as config.Namespace.MRO),
// merged in Cylc's order of precedence: one setting per path, with the
// winning value, in the order in which the settings are to be applied
// (config.Workflow.RuntimeWith).
func (s *Store) For(point string, mro []string) []config.Setting {
	var merged node
	for _, p := range cyclesFor(point) {
		pn := s.root.child(p)
		for i := len(mro) - 1; i >= 0; i-- {
			if nn := pn.child(mro[i]); nn != nil {
				merged.merge(nn)
			}
		}
	}
	return flatten(&merged)
}

// cyclesFor lists the points whose broadcasts reach a task at point, in
// increasing precedence.
func cyclesFor(point string) []string {
	if point == AllPoints {
		return []string{AllPoints}
	}
	return []string{AllPoints, point}
}

// remove deletes settings at points (nil: all) and namespaces (nil: all)
// whose key is in keys (nil: all), and reports what it removed and which
// of the given options matched nothing.
func (s *Store) remove(points, namespaces, keys []string) Report {
	rep := Report{Cancelled: true}
	hitPoint, hitNS, hitKey := map[string]bool{}, map[string]bool{}, map[string]bool{}
	s.root.prune(func(path []string) bool {
		if len(path) < 3 ||
			(points != nil && !slices.Contains(points, path[0])) ||
			(namespaces != nil && !slices.Contains(namespaces, path[1])) {
			return false
		}
		key := config.Setting{Path: path[2:]}.Key()
		return keys == nil || slices.Contains(keys, key)
	}, func(path []string, value string) {
		set := config.Setting{Path: slices.Clone(path[2:]), Value: value}
		hitPoint[path[0]], hitNS[path[1]], hitKey[set.Key()] = true, true, true
		rep.Changes = append(rep.Changes, Change{path[0], path[1], set})
	})
	for _, o := range []struct {
		option string
		values []string
		hit    map[string]bool
	}{{"point", points, hitPoint}, {"namespace", namespaces, hitNS}, {"cancel", keys, hitKey}} {
		for _, v := range o.values {
			if !o.hit[v] {
				rep.Rejected = append(rep.Rejected, Rejection{Option: o.option, Value: v})
			}
		}
	}
	sortReport(&rep)
	return rep
}

// standardPoint is the stored form of a point: AllPoints for "*" and its
// aliases, else the Checker's standard form.
func (s *Store) standardPoint(p string) (string, error) {
	if p == AllPoints || slices.Contains(allPointsAliases, p) {
		return AllPoints, nil
	}
	return s.check.Point(p)
}

// matchPoints standardises points to match stored ones, without repeats
// (nil for none); a point that does not parse is kept as given, to be
// reported as matching nothing.
func (s *Store) matchPoints(points []string) []string {
	var out []string
	for _, p := range points {
		if std, err := s.standardPoint(p); err == nil {
			p = std
		}
		out = appendNew(out, p)
	}
	return out
}

// flatten lists the leaves below n as settings, in order.
func flatten(n *node) []config.Setting {
	var out []config.Setting
	if n == nil {
		return out
	}
	n.walk(func(path []string, value string) {
		out = append(out, config.Setting{Path: slices.Clone(path), Value: value})
	})
	return out
}

func cloneSetting(s config.Setting) config.Setting {
	return config.Setting{Path: slices.Clone(s.Path), Value: s.Value}
}

// defaulted is list without repeats, or def if list is empty.
func defaulted(list []string, def string) []string {
	if len(list) == 0 {
		return []string{def}
	}
	var out []string
	for _, v := range list {
		out = appendNew(out, v)
	}
	return out
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
