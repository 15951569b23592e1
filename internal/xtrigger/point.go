package xtrigger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gyre/internal/clock"
	"gyre/internal/cycle"
)

var (
	reIntPoint    = regexp.MustCompile(`^\s*[+-]?\d+\s*$`)
	reIntInterval = regexp.MustCompile(`^([+-]?)P(\d+)$`)
)

// adjustPoint writes a cycle point the way the target database does, so
// that it matches there as a string: the offset is added first, then the
// point is re-written in the database's cycle point format, as Cylc's
// adjust_point_to_db does. Points written without a time zone are taken
// to be in local time (localMin, minutes east of UTC), as isodatetime
// takes them.
//
// A database with no cycle_point_format is an integer-cycling one to
// Cylc. Gyre's run databases may not record the format yet, so there a
// date-time offset is still applied to a date-time point, which Cylc
// would refuse; the point is otherwise left as given.
func adjustPoint(point, offset string, params map[string]string, localMin int) (string, error) {
	if point == "" || strings.Contains(point, "*") {
		return point, nil
	}
	format, datetime := params["cycle_point_format"]
	if offset != "" {
		var err error
		if !datetime && reIntPoint.MatchString(point) && reIntInterval.MatchString(offset) {
			point, err = addIntOffset(point, offset)
		} else {
			point, err = addISOOffset(point, offset, localMin)
		}
		if err != nil {
			return "", err
		}
	}
	if !datetime {
		return point, nil
	}
	out, err := cycle.CyclePoint(cycle.CyclePointOptions{Point: point, Template: format, LocalUTCOffset: localMin})
	if err != nil {
		return "", fmt.Errorf("cycle point %q is not compatible with DB point format %q", point, format)
	}
	return out, nil
}

// addIntOffset is IntegerPoint(point) + IntegerInterval(offset).
func addIntOffset(point, offset string) (string, error) {
	p, err := strconv.ParseInt(strings.TrimSpace(point), 10, 64)
	if err != nil {
		return "", fmt.Errorf("cycle point %q: not an integer point", point)
	}
	m := reIntInterval.FindStringSubmatch(offset)
	n, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return "", fmt.Errorf("offset %q: %w", offset, err)
	}
	if m[1] == "-" {
		n = -n
	}
	return strconv.FormatInt(p+n, 10), nil
}

// addISOOffset is Cylc's add_offset: the point, moved by a signed ISO 8601
// duration, written as it was given (so precision the point's form lacks is
// dropped, as Cylc drops it).
func addISOOffset(point, offset string, localMin int) (string, error) {
	dur := strings.TrimPrefix(offset, "+")
	if !strings.HasPrefix(strings.TrimPrefix(dur, "-"), "P") {
		return "", fmt.Errorf("bad offset format %q: write an ISO 8601 duration such as PT6H, -P1D or P1 (integer cycling)", offset)
	}
	out, err := cycle.CyclePoint(cycle.CyclePointOptions{Point: point, Offset: dur, LocalUTCOffset: localMin})
	if err != nil {
		return "", fmt.Errorf("cycle point %q with offset %q: %w", point, offset, err)
	}
	return out, nil
}

// localOffset is the local time zone's offset now, in minutes east of
// UTC, as isodatetime reads it for points written without a zone.
func localOffset(env Env) int {
	loc := env.Location
	if loc == nil {
		loc = time.Local
	}
	clk := env.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	_, off := clk.Now().In(loc).Zone()
	return off / 60
}
