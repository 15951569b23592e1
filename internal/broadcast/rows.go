package broadcast

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gyre/internal/config"
)

// Row is one stored setting in the form of Cylc's broadcast_states table,
// so that the scheduler can persist broadcasts and restore them on
// restart: Key is the setting's path as Cylc writes it, "[environment]X",
// "[events]execution timeout", "script".
type Row struct {
	Point, Namespace, Key, Value string
}

// Rows lists every stored setting, by point and namespace (sorted), then
// in the order the settings are held.
func (s *Store) Rows() []Row {
	var rows []Row
	pts := slices.Clone(s.root.children)
	slices.SortStableFunc(pts, func(a, b *node) int { return strings.Compare(a.key, b.key) })
	for _, p := range pts {
		nss := slices.Clone(p.children)
		slices.SortStableFunc(nss, func(a, b *node) int { return strings.Compare(a.key, b.key) })
		for _, ns := range nss {
			ns.walk(func(path []string, value string) {
				rows = append(rows, Row{p.key, ns.key, config.Setting{Path: path}.Key(), value})
			})
		}
	}
	return rows
}

// Load adds rows (from Rows, or from a Cylc run database) to the store,
// without validation: a restart keeps broadcasts even to namespaces a
// reload has since removed, as Cylc does. Cylc's names for all points are
// read as AllPoints and Cylc 7 keys are upgraded. Rows that cannot be read
// are skipped and returned in the error; the others are loaded.
func (s *Store) Load(rows []Row) error {
	var errs []error
	for _, r := range rows {
		path, err := parsePath(r.Key)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("broadcast row %s/%s %q: %w", r.Point, r.Namespace, r.Key, err))
			continue
		case r.Point == "" || r.Namespace == "":
			errs = append(errs, fmt.Errorf("broadcast row %q/%q %q: no point or namespace", r.Point, r.Namespace, r.Key))
			continue
		}
		point := r.Point
		if slices.Contains(allPointsAliases, point) {
			point = AllPoints
		}
		s.root.ensure(point).ensure(r.Namespace).set(path, r.Value)
	}
	return errors.Join(errs...)
}
