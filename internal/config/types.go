package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gyre/internal/flowfile"
)

// Value parsers, one per schema type, following parsec's coercers. Each
// returns the Go value (nil for an empty setting) or an error whose text is
// the detail shown after the offending value.

// maxRangeValues bounds integer ranges (1..N) in parameters and N*VALUE
// multipliers in interval lists, which Cylc would expand until memory runs
// out.
const maxRangeValues = 1_000_000

var (
	reIntRange   = regexp.MustCompile(`^([+\-]?\d+)\s*\.\.\s*([+\-]?\d+)(?:\s*\.\.\s*(\d+))?$`)
	reNameSuffix = regexp.MustCompile(`^[\w\-+%@]+$`)
	reXtrigger   = regexp.MustCompile(`^(\w+)\((.*)\)(?::(\w+))?`)
)

// coerce reads the raw values of a setting as type t.
func coerce(t vtype, values []flowfile.Value, label string) (any, error) {
	raw := ""
	if len(values) > 0 {
		raw = values[len(values)-1].Text
	}
	switch t {
	case tString, tCyclePointOffsets:
		if len(values) > 1 { // repeated graph strings are joined
			parts := make([]string, len(values))
			for i, v := range values {
				s, err := stripAndUnquote(v.Text)
				if err != nil {
					return nil, err
				}
				parts[i] = s
			}
			return strings.Join(parts, "\n"), nil
		}
		return stripAndUnquote(raw)
	case tBool:
		return coerceBool(raw)
	case tInt:
		s, err := stripAndUnquote(raw)
		if err != nil || s == "" {
			return nil, err
		}
		if v, ok := pyInt(s); ok {
			return v, nil
		}
		return nil, fmt.Errorf("not an integer")
	case tFloat:
		s, err := stripAndUnquote(raw)
		if err != nil || s == "" {
			return nil, err
		}
		if v, ok := pyFloat(s); ok {
			return v, nil
		}
		return nil, fmt.Errorf("not a number")
	case tStringList:
		return stripAndUnquoteList(raw)
	case tSpacelessList:
		lst, err := stripAndUnquoteList(raw)
		if err != nil {
			return nil, err
		}
		for _, it := range lst {
			if strings.Contains(it, " ") {
				return nil, fmt.Errorf("list item %q cannot contain a space character", it)
			}
		}
		return lst, nil
	case tInterval:
		return coerceInterval(raw)
	case tIntervalList:
		return coerceIntervalList(raw)
	case tCyclePoint:
		return coerceCyclePoint(raw)
	case tCyclePointFormat, tTimeZone:
		s, err := stripAndUnquote(raw)
		if err != nil || s == "" {
			return nil, err
		}
		check := checkCyclePointFormat
		if t == tTimeZone {
			check = checkTimeZone
		}
		if err := check(s); err != nil {
			return nil, err
		}
		return s, nil
	case tParamList:
		return coerceParamList(raw)
	case tXtrigger:
		return coerceXtrigger(raw, label)
	}
	return nil, fmt.Errorf("unknown type")
}

func coerceBool(raw string) (any, error) {
	s, err := stripAndUnquote(raw)
	if err != nil {
		return nil, err
	}
	switch s {
	case "True", "true":
		return true, nil
	case "False", "false":
		return false, nil
	case "":
		return nil, nil
	}
	return nil, errNoDetail
}

// errNoDetail marks a bad value whose type hint says it all.
var errNoDetail = errors.New("")

func coerceInterval(raw string) (any, error) {
	s, err := stripAndUnquote(raw)
	if err != nil || s == "" {
		return nil, err
	}
	iv, err := parseDuration(s)
	if err != nil {
		return nil, err
	}
	return iv, nil
}

func coerceIntervalList(raw string) (any, error) {
	items, err := stripAndUnquoteList(raw)
	if err != nil {
		return nil, err
	}
	out := []Interval{}
	for _, it := range items {
		mult := 1
		val := it
		if m, v, ok := strings.Cut(it, "*"); ok {
			n, ok := pyInt(m)
			if !ok {
				return nil, fmt.Errorf("bad multiplier in %q", it)
			}
			mult, val = n, v
		}
		if mult > maxRangeValues-len(out) {
			return nil, fmt.Errorf("more than %d intervals", maxRangeValues)
		}
		iv, err := coerceInterval(val)
		if err != nil {
			return nil, err
		}
		if iv == nil {
			return nil, fmt.Errorf("empty interval in list")
		}
		for i := 0; i < mult; i++ {
			out = append(out, iv.(Interval))
		}
	}
	return out, nil
}

func coerceCyclePoint(raw string) (any, error) {
	if raw == "" {
		return nil, nil
	}
	s, err := stripAndUnquote(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case s == "now", strings.Contains(s, "next"), strings.Contains(s, "previous"):
		// Resolved later, once UTC mode is known.
		return s, nil
	case s != "" && strings.Trim(s, "0123456789") == "":
		// An integer point, or an old-style date-time.
		return s, nil
	case strings.Contains(s, "P"):
		// An offset from now... or from the initial point.
		if _, err := parseDuration(s); err != nil {
			return nil, err
		}
		if strings.HasPrefix(s, "+") {
			return nil, fmt.Errorf("invalid ISO 8601 duration representation: %s", s)
		}
		return s, nil
	}
	if err := checkTimePoint(s); err != nil {
		return nil, err
	}
	return s, nil
}

// coerceParamList reads a [task parameters] value: names, or integers and
// integer ranges START..END[..STEP], not both.
func coerceParamList(raw string) (any, error) {
	items, err := stripAndUnquoteList(raw)
	if err != nil {
		return nil, err
	}
	var strs []string
	var ints []int
	onlyStr, onlyInt := false, false
	for _, it := range items {
		if rng, ok, err := parseIntRange(it); ok {
			if err != nil {
				return nil, err
			}
			if onlyStr {
				return nil, fmt.Errorf("mixing int range and str")
			}
			onlyInt = true
			for _, v := range rng {
				strs = append(strs, strconv.Itoa(v))
			}
			continue
		}
		if !reNameSuffix.MatchString(it) {
			return nil, fmt.Errorf("%s: bad value", it)
		}
		if _, isInt := pyInt(it); !isInt || strings.Contains(it, "_") {
			if onlyInt {
				return nil, fmt.Errorf("mixing int range and str")
			}
			onlyStr = true
		}
		strs = append(strs, it)
	}
	if onlyStr {
		return strs, nil
	}
	for _, s := range strs {
		v, ok := pyInt(s)
		if !ok || strings.Contains(s, "_") {
			return strs, nil
		}
		ints = append(ints, v)
	}
	if ints == nil {
		ints = []int{}
	}
	return ints, nil
}

// parseIntRange expands START..END[..STEP]; ok=false if s is not a range.
func parseIntRange(s string) (vals []int, ok bool, err error) {
	m := reIntRange.FindStringSubmatch(s)
	if m == nil {
		return nil, false, nil
	}
	lo, err1 := strconv.Atoi(m[1])
	hi, err2 := strconv.Atoi(m[2])
	step := 1
	if m[3] != "" {
		var err3 error
		step, err3 = strconv.Atoi(m[3])
		if err3 != nil || step == 0 {
			return nil, true, fmt.Errorf("%s: bad range step", s)
		}
	}
	if err1 != nil || err2 != nil {
		return nil, true, fmt.Errorf("%s: number out of range", s)
	}
	if hi >= lo && (hi-lo)/step >= maxRangeValues {
		return nil, true, fmt.Errorf("%s: more than %d values", s, maxRangeValues)
	}
	for v := lo; v <= hi; v += step {
		vals = append(vals, v)
	}
	return vals, true, nil
}
