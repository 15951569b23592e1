package jinja

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Cylc's Jinja2 filters (cylc/flow/jinja/filters/*.py).

// filterPad is pad(value, length, fillchar=' '): str(value) right-justified.
func filterPad(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("pad", []string{"length", "fillchar"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	var n int
	if ls, ok := a[0].(string); ok {
		if n, err = parsePyInt(ls, 10); err != nil {
			return nil, err
		}
	} else if num, ok := asNumber(a[0]); ok {
		if n, err = truncToInt(num); err != nil {
			return nil, err
		}
	} else {
		return nil, typeErr("int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(a[0]))
	}
	fill, err := toStr(orDefault(a[1], " "))
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(fill) != 1 {
		return nil, typeErr("The fill character must be exactly one character long")
	}
	return justify(s, n, fill, "rjust")
}

// filterStrftime is strftime(iso8601_datetime, strftime_str,
// strptime_str=None).
func filterStrftime(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("strftime", []string{"strftime_str", "strptime_str"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	out, err := toStr(a[0])
	if err != nil {
		return nil, err
	}
	var p isoPoint
	if in := orDefault(a[1], nil); in != nil && in != "" {
		inFmt, err := toStr(in)
		if err != nil {
			return nil, err
		}
		p, err = strptime(s, inFmt)
		if err != nil {
			return nil, err
		}
	} else if p, err = parseISOPoint(s, time.Local); err != nil {
		return nil, err
	}
	return p.strftime(out)
}

// filterDurationAs is duration_as(iso8601_duration, units): the duration
// in seconds, minutes, hours, days or weeks, as a float.
func filterDurationAs(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("duration_as", []string{"units"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	units, err := toStr(a[0])
	if err != nil {
		return nil, err
	}
	var per float64
	switch strings.ToLower(units) {
	case "s", "seconds":
		per = 1
	case "m", "minutes":
		per = 60
	case "h", "hours":
		per = 3600
	case "d", "days":
		per = 86400
	case "w", "weeks":
		per = 7 * 86400
	default:
		return nil, valueErr("No matching units found for %s (use s, m, h, d, w or seconds, minutes, hours, days, weeks)", units)
	}
	secs, err := durationSeconds(s)
	if err != nil {
		return nil, err
	}
	return secs / per, nil
}
