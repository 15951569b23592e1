package cycle

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var reInteger = regexp.MustCompile(`^\s*[-+]?\d+(_\d+)*\s*$`)

// ParsePoint reads an absolute cycle point: an integer, or an ISO 8601
// date-time in any complete or reduced form (basic or extended, calendar,
// ordinal or week date, with or without time zone; zone-less points are in
// the cycle point time zone). Truncated points need a context: use
// PointRelative.
func (c *Context) ParsePoint(s string) (Point, error) {
	s = strings.TrimSpace(s)
	if c.integer {
		if !reInteger.MatchString(s) {
			return Point{}, pointErr(s, "not an integer cycle point")
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil {
			return Point{}, pointErr(s, "integer out of range")
		}
		return Point{c: c, day: n}, nil
	}
	f, err := c.pointFields(s)
	if err != nil {
		return Point{}, c.pointHint(err, s)
	}
	if f.truncated {
		return Point{}, pointErr(s, "truncated ISO 8601 dates are not permitted here").withHint(
			"write a complete date-time such as 2000-01-01T00Z")
	}
	p, err := c.fromFields(s, f)
	if err != nil {
		return Point{}, err
	}
	return c.checked(c.canon(p), s)
}

func (c *Context) pointHint(err error, s string) error {
	if e, ok := err.(*Error); ok && (strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")) && e.Hint == "" &&
		!strings.Contains(e.Msg, "expanded") {
		e2 := *e
		e2.Value = s
		e2.Hint = fmt.Sprintf("incompatible with [scheduler]cycle point num expanded year digits = %d?", c.nExp)
		return &e2
	}
	return err
}

// checked makes sure the point can be written in the cycle point format.
func (c *Context) checked(p Point, s string) (Point, error) {
	if c.writable(p) {
		return p, nil
	}
	if _, err := c.dump.format(p); err != nil {
		if e, ok := err.(*Error); ok {
			e2 := *e
			e2.Value = s
			return Point{}, &e2
		}
		return Point{}, err
	}
	return p, nil
}

// pointFields parses a date-time string as Cylc's point_parse does:
// strftime formats are tried first, then ISO 8601.
func (c *Context) pointFields(s string) (fields, error) {
	if c.dump.strftime {
		if f, ok := c.strptime(s); ok {
			if err := f.finish(s, c.cal); err == nil {
				return f, nil
			}
		}
	}
	f, ok := fastFields(s)
	if !ok {
		var err error
		if f, err = c.parser.parse(s); err != nil {
			return f, err
		}
	}
	if err := f.finish(s, c.cal); err != nil {
		return f, err
	}
	return f, nil
}

// fastFields reads the default cycle point form CCYYMMDDThhmmZ directly;
// it gives the same result as the template search, which tries this form
// first.
func fastFields(s string) (fields, bool) {
	if len(s) != 14 || s[8] != 'T' || s[13] != 'Z' {
		return fields{}, false
	}
	y, ok1 := digits(s, 0, 4)
	mo, ok2 := digits(s, 4, 2)
	d, ok3 := digits(s, 6, 2)
	h, ok4 := digits(s, 9, 2)
	mi, ok5 := digits(s, 11, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return fields{}, false
	}
	return fields{expr: "CCYYMMDDThhmmZ", hasYear: true, year: int64(y), month: mo, dom: d,
		doy: -1, woy: -1, dow: -1, hasHour: true, hour: float64(h), hasMinute: true,
		minute: float64(mi), hasTZ: true}, true
}

// strptime reads s with a strftime-style cycle point format.
func (c *Context) strptime(s string) (fields, bool) {
	var (
		cp   captures
		seen [nProps]bool
		i    int
	)
	epoch, hasEpoch := 0.0, false
	for _, sg := range c.dump.segs {
		if sg.prop != pLit {
			if seen[sg.prop] {
				return fields{}, false // duplicate group: isodatetime cannot compile it
			}
			seen[sg.prop] = true
		}
		switch sg.prop {
		case pLit:
			if !strings.HasPrefix(s[i:], sg.lit) {
				return fields{}, false
			}
			i += len(sg.lit)
		case pTZSign:
			if i >= len(s) || (s[i] != '+' && s[i] != '-') {
				return fields{}, false
			}
			cp.tzSign, cp.hasTZ = s[i], true
			i++
		case pEpoch:
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i {
				return fields{}, false
			}
			if j < len(s) && (s[j] == ',' || s[j] == '.') {
				j++
			}
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			v, err := strconv.ParseFloat(strings.Replace(s[i:j], ",", ".", 1), 64)
			if err != nil {
				return fields{}, false
			}
			epoch, hasEpoch, i = v, true, j
		default:
			w := sg.width
			v, ok := digits(s, i, w)
			if !ok {
				return fields{}, false
			}
			i += w
			switch sg.prop {
			case pCentury:
				cp.century, cp.hasCentury = v, true
			case pYoC:
				cp.yoc, cp.hasYoC = v, true
			case pMonth:
				cp.month, cp.hasMonth = v, true
			case pDoM:
				cp.dom, cp.hasDoM = v, true
			case pDoY:
				cp.doy, cp.hasDoY = v, true
			case pHour:
				cp.hour, cp.hasHour = v, true
			case pMinute:
				cp.minute, cp.hasMin = v, true
			case pSecond:
				cp.second, cp.hasSec = v, true
			case pTZHour:
				cp.tzHour, cp.hasTZ = v, true
			case pTZMinute:
				cp.tzMin, cp.hasTZMin = v, true
			default:
				return fields{}, false
			}
		}
	}
	if i != len(s) {
		return fields{}, false
	}
	if hasEpoch {
		// seconds since the Unix epoch, read in UTC
		secs := int64(epoch)
		dn := c.cal.dayNumber(1970, 1, 1) + floorDiv(secs, 86400)
		y, m, d := c.cal.civil(dn)
		r := floorMod(secs, 86400)
		f := fields{hasYear: true, year: y, month: m, dom: d, doy: -1, woy: -1, dow: -1,
			hasHour: true, hour: float64(r / 3600), hasMinute: true, minute: float64(r / 60 % 60),
			hasSecond: true, second: float64(r%60) + (epoch - float64(int64(epoch))), hasTZ: true}
		return f, true
	}
	f, err := c.parser.toFields(s, &cp, "")
	if err != nil {
		return fields{}, false
	}
	return f, true
}
