package isodatetime

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"gyre/internal/pyformat"
)

// This file prints time points as metomi-isodatetime's TimePointDumper
// does: an ISO 8601-like format ("CCYY-MM-DDThh:mmZ") is rewritten into a
// Python %-format over the point's properties, rule by rule on the format
// text (so stray letters such as the D of "Day" are fields too, as in
// isodatetime); a strftime format is translated directive by directive.

type idtRule struct {
	match, repl, prop string
	prefix            string // the rule applies only after this prefix of the text
}

// The rewriting rules, applied in order to the date, time and time zone
// parts of a format. A rule with a prefix replaces only the match right
// after it.
var (
	idtDateRules = []idtRule{
		{match: "CC", repl: "%(century)02d", prop: "century"},
		{match: "YY", repl: "%(year_of_century)02d", prop: "year_of_century"},
		{match: "MM", repl: "%(month_of_year)02d", prop: "month_of_year"},
		{match: "DDD", repl: "%(day_of_year)03d", prop: "day_of_year"},
		{match: "DD", repl: "%(day_of_month)02d", prop: "day_of_month"},
		{match: "Www", repl: "W%(week_of_year)02d", prop: "week_of_year"},
		{match: "D", repl: "%(day_of_week)01d", prop: "day_of_week"},
		{match: "z", repl: "%(year_of_decade)01d", prop: "year_of_decade"},
	}
	idtTimeRules = []idtRule{
		{prefix: "hh", match: "mm", repl: "%(minute_of_hour)02d", prop: "minute_of_hour"},
		{prefix: "hh:", match: "mm", repl: "%(minute_of_hour)02d", prop: "minute_of_hour"},
		{prefix: "-", match: "mm", repl: "%(minute_of_hour)02d", prop: "minute_of_hour"},
		{prefix: "^", match: "hh", repl: "%(hour_of_day)02d", prop: "hour_of_day"},
		{match: ",ii", repl: ",%(hour_of_day_decimal_string)s", prop: "hour_of_day_decimal_string"},
		{match: ".ii", repl: ".%(hour_of_day_decimal_string)s", prop: "hour_of_day_decimal_string"},
		{match: ",nn", repl: ",%(minute_of_hour_decimal_string)s", prop: "minute_of_hour_decimal_string"},
		{match: ".nn", repl: ".%(minute_of_hour_decimal_string)s", prop: "minute_of_hour_decimal_string"},
		{match: "ss", repl: "%(second_of_minute)02d", prop: "second_of_minute"},
		{match: ",tt", repl: ",%(second_of_minute_decimal_string)s", prop: "second_of_minute_decimal_string"},
		{match: ".tt", repl: ".%(second_of_minute_decimal_string)s", prop: "second_of_minute_decimal_string"},
	}
	idtZoneRules = []idtRule{
		{match: "mm", repl: "%(time_zone_minute_abs)02d", prop: "time_zone_minute_abs"},
		{match: "hh", repl: "%(time_zone_hour_abs)02d", prop: "time_zone_hour_abs"},
		{match: "+", repl: "%(time_zone_sign)s", prop: "time_zone_sign"},
	}
)

func idtApplyRules(s string, rules []idtRule, props []string) (string, []string) {
	for _, r := range rules {
		var t string
		switch r.prefix {
		case "":
			t = strings.ReplaceAll(s, r.match, r.repl)
		case "^":
			t = s
			if strings.HasPrefix(s, r.match) {
				t = r.repl + s[len(r.match):]
			}
		default:
			t = s
			if strings.HasPrefix(s, r.prefix+r.match) {
				t = r.prefix + r.repl + s[len(r.prefix)+len(r.match):]
			}
		}
		if t != s {
			props = append(props, r.prop)
		}
		s = t
	}
	return s, props
}

// idtISOExpression rewrites an ISO-like format into a %-format, the
// properties it uses and the time zone it asks for (a "Z" or an explicit
// offset such as +0100 converts the point; "+hh:mm" prints the point's own).
func idtISOExpression(format string, nExp int) (string, []string, *idtZone, error) {
	parts := strings.Split(format, "T")
	date, tm, tz := parts[0], "", ""
	var custom *idtZone
	if len(parts) > 1 {
		tm = parts[1]
		split := func(sep string) error {
			sp := strings.Split(tm, sep)
			if len(sp) != 2 {
				return idtErrUnpack()
			}
			tm, tz = sp[0], sep+sp[1]
			return nil
		}
		switch {
		case strings.HasSuffix(tm, "Z"):
			tm, tz, custom = tm[:len(tm)-1], "Z", &idtZone{set: true}
		case strings.Contains(tm, "+hh"):
			if err := split("+"); err != nil {
				return "", nil, nil, err
			}
		case strings.Contains(tm, "+"), strings.Contains(strings.TrimLeft(tm, "-"), "-"):
			sep := "+"
			if !strings.Contains(tm, "+") {
				sep = "-"
			}
			if err := split(sep); err != nil {
				return "", nil, nil, err
			}
			if _, z, err := (idtParser{}).zoneInfo(tz, -1); err == nil {
				custom = &z
			}
		}
	}
	var props []string
	// "+" before X is the year's sign; X the expanded year digits.
	if s := strings.ReplaceAll(date, "+X", "%(year_sign)sX"); s != date {
		date, props = s, append(props, "year_sign")
	}
	date, props = idtApplyRules(date, idtDateRules, props)
	if s := strings.ReplaceAll(date, "X", fmt.Sprintf("%%(expanded_year_digits)0%dd", nExp)); s != date {
		date, props = s, append(props, "expanded_year_digits")
	}
	expr := date
	if len(parts) > 1 {
		tm, props = idtApplyRules(tm, idtTimeRules, props)
		tz, props = idtApplyRules(tz, idtZoneRules, props)
		expr += "T" + tm + tz
	}
	return expr, props, custom, nil
}

// idtStrftimeDirective splits a strftime format; \w as in Python.
var idtStrftimeDirective = regexp.MustCompile(`%[\p{L}\p{N}_]`)

var idtStrftimeTable = map[string][]string{
	"%d": {"day_of_month"},
	"%F": {"century", "year_of_century", "-", "month_of_year", "-", "day_of_month"},
	"%H": {"hour_of_day"},
	"%j": {"day_of_year"},
	"%m": {"month_of_year"},
	"%M": {"minute_of_hour"},
	"%s": {"seconds_since_unix_epoch"},
	"%S": {"second_of_minute"},
	"%X": {"hour_of_day", ":", "minute_of_hour", ":", "second_of_minute"},
	"%Y": {"century", "year_of_century"},
	"%z": {"time_zone_sign", "time_zone_hour_abs", "time_zone_minute_abs"},
}

// idtPropFormats is the %-format of each property.
var idtPropFormats = map[string]string{
	"century": "%(century)02d", "year_of_century": "%(year_of_century)02d",
	"month_of_year": "%(month_of_year)02d", "day_of_month": "%(day_of_month)02d",
	"day_of_year": "%(day_of_year)03d", "hour_of_day": "%(hour_of_day)02d",
	"minute_of_hour": "%(minute_of_hour)02d", "second_of_minute": "%(second_of_minute)02d",
	"seconds_since_unix_epoch": "%(seconds_since_unix_epoch)s", "time_zone_sign": "%(time_zone_sign)s",
	"time_zone_hour_abs": "%(time_zone_hour_abs)02d", "time_zone_minute_abs": "%(time_zone_minute_abs)02d",
}

func idtStrftimeExpression(format string) (string, []string, error) {
	var b strings.Builder
	var props []string
	last := 0
	for _, loc := range idtStrftimeDirective.FindAllStringIndex(format, -1) {
		b.WriteString(format[last:loc[0]])
		last = loc[1]
		tok := format[loc[0]:loc[1]]
		names, ok := idtStrftimeTable[tok]
		if !ok {
			return "", nil, idtValue("Invalid strftime/strptime representation: %s", tok)
		}
		for _, n := range names {
			if f, ok := idtPropFormats[n]; ok {
				b.WriteString(f)
				props = append(props, n)
			} else {
				b.WriteString(n)
			}
		}
	}
	b.WriteString(format[last:])
	return b.String(), props, nil
}

// dumpISO prints p in an ISO-like format with a dumper allowing nExp
// expanded year digits.
func (p idtPoint) dumpISO(c *idtCal, format string, nExp int) (string, error) {
	expr, props, custom, err := idtISOExpression(format, nExp)
	if err != nil {
		return "", err
	}
	return p.dumpExpression(c, expr, props, custom, nExp)
}

// strftime is isodatetime's own strftime (a subset of directives).
func (p idtPoint) strftime(c *idtCal, format string) (string, error) {
	expr, props, err := idtStrftimeExpression(format)
	if err != nil {
		return "", err
	}
	return p.dumpExpression(c, expr, props, nil, p.nExp)
}

func idtHasProp(props []string, names ...string) bool {
	for _, p := range props {
		for _, n := range names {
			if p == n {
				return true
			}
		}
	}
	return false
}

func (p idtPoint) dumpExpression(c *idtCal, expr string, props []string, custom *idtZone, nExp int) (string, error) {
	var err error
	dateProps := idtHasProp(props, "month_of_year", "day_of_month", "day_of_year")
	if idtHasProp(props, "week_of_year", "day_of_week") {
		if !dateProps {
			if p, err = p.toWeek(c); err != nil {
				return "", err
			}
		}
	} else if p.rep == idtWeekRep && dateProps {
		if p, err = p.toCalendar(c); err != nil {
			return "", err
		}
	}
	if custom != nil {
		if custom.h == 0 && custom.m == 0 {
			p, err = p.toUTC(c)
		} else {
			if err := idtCheckZone(custom.h, custom.m); err != nil {
				return "", err
			}
			p, err = p.toTZ(c, custom.h, custom.m)
		}
		if err != nil {
			return "", err
		}
	}
	vals := map[string]idtPyVal{}
	var keys []string
	for _, name := range props {
		v, err := p.prop(c, name)
		if err != nil {
			return "", err
		}
		if _, seen := vals[name]; !seen {
			keys = append(keys, name)
		}
		vals[name] = v
		lo, hi := int64(0), int64(9999)
		switch {
		case name == "century" && (!idtHasProp(props, "expanded_year_digits") || nExp == 0):
		case name == "expanded_year_digits":
			hi = int64(math.Pow10(nExp+4)) - 1
			lo = -hi
		default:
			continue
		}
		if p.year < lo || p.year > hi {
			return "", idtValue("Cannot dump TimePoint year: %d not in bounds %d to %d.", p.year, lo, hi)
		}
	}
	return idtPercent(expr, keys, vals)
}

// prop is the value of a property isodatetime's dumper reads.
func (p idtPoint) prop(c *idtCal, name string) (idtPyVal, error) {
	ay := p.year
	if ay < 0 {
		ay = -ay
	}
	pyInt := func(v int64) idtPyVal { return idtPyVal{kind: 'i', i: v} }
	switch name {
	case "year_sign":
		if p.year >= 0 {
			return idtPyVal{kind: 's', s: "+"}, nil
		}
		return idtPyVal{kind: 's', s: "-"}, nil
	case "century":
		return pyInt(ay % 10000 / 100), nil
	case "year_of_century":
		return pyInt(ay % 100), nil
	case "year_of_decade":
		return pyInt(ay % 10), nil
	case "expanded_year_digits":
		return idtPyVal{kind: 'f', f: math.Abs(float64(p.year) / 10000)}, nil
	case "month_of_year", "day_of_month":
		_, m, d, err := p.calendarDate(c)
		if name == "month_of_year" {
			return pyInt(m), err
		}
		return pyInt(d), err
	case "day_of_year":
		_, d, err := p.ordinalDate(c)
		return pyInt(d), err
	case "week_of_year", "day_of_week":
		_, w, d, err := p.weekDate(c)
		if name == "week_of_year" {
			return pyInt(w), err
		}
		return pyInt(d), err
	case "hour_of_day":
		return idtPyVal{kind: 'f', f: p.hour}, nil
	case "minute_of_hour", "second_of_minute":
		_, m, s := p.hms()
		if p.hasMin {
			m = p.min
		}
		if p.hasSec {
			s = p.sec
		}
		if name == "minute_of_hour" {
			return idtPyVal{kind: 'f', f: m}, nil
		}
		return idtPyVal{kind: 'f', f: s}, nil
	case "hour_of_day_decimal_string", "minute_of_hour_decimal_string", "second_of_minute_decimal_string":
		v, _ := p.prop(c, strings.TrimSuffix(name, "_decimal_string"))
		return idtPyVal{kind: 's', s: idtDecimalString(v.f)}, nil
	case "time_zone_minute_abs":
		return pyInt(max(p.tzM, -p.tzM)), nil
	case "time_zone_hour_abs":
		return pyInt(max(p.tzH, -p.tzH)), nil
	case "time_zone_sign":
		if p.tzH < 0 || p.tzM < 0 {
			return idtPyVal{kind: 's', s: "-"}, nil
		}
		return idtPyVal{kind: 's', s: "+"}, nil
	case "seconds_since_unix_epoch":
		epoch := idtPoint{year: 1970, month: 1, day: 1, hasMin: true, hasSec: true}
		d, err := p.sub(c, epoch)
		if err != nil {
			return idtPyVal{}, err
		}
		days, secs := d.daysAndSeconds(c)
		t := idtInt(86400).mul(days).add(secs)
		if t.isFloat {
			if math.IsNaN(t.f) || math.IsInf(t.f, 0) {
				return idtPyVal{}, idtValue("cannot convert float NaN to integer")
			}
			return pyInt(int64(t.f)), nil
		}
		return pyInt(t.i), nil
	}
	return idtPyVal{}, &idtError{kind: idtKeyErr, msg: pyformat.StrRepr(name)}
}

// idtDecimalString is the digits after the decimal point of v's fraction,
// to 6 places (never rounding up to the next unit).
func idtDecimalString(v float64) string {
	d := v - math.Trunc(v)
	if d >= 0.9999995 {
		return "999999"
	}
	s := fmt.Sprintf("%0.6f", d)
	_, s, _ = strings.Cut(s, ".")
	if s = strings.TrimRight(s, "0"); s == "" {
		return "0"
	}
	return s
}

// String is the point as isodatetime's str() prints it: in its own format,
// or in full extended notation (CCYY-MM-DDThh:mm:ss plus zone).
func (p idtPoint) String(c *idtCal) (string, error) {
	if p.hasDump {
		return p.dumpISO(c, p.dump, p.nExp)
	}
	var year string
	switch {
	case p.nExp > 0:
		sign := "+"
		if p.year < 0 {
			sign = "-"
		}
		year = fmt.Sprintf("%s%0*d", sign, 4+p.nExp, max(p.year, -p.year))
	case p.year < 0:
		return "", &idtError{kind: idtOverflowErr, msg: fmt.Sprintf("Year %d can only be represented in expanded format", p.year)}
	default:
		year = fmt.Sprintf("%04d", p.year)
	}
	f := year + "-MM-DD"
	switch p.rep {
	case idtOrdRep:
		f = year + "-DDD"
	case idtWeekRep:
		f = year + "-Www-D"
	}
	f += "Thh"
	switch {
	case !p.hasMin:
		f += ",ii"
	case !p.hasSec:
		f += ":mm,nn"
	case p.sec != math.Trunc(p.sec):
		f += ":mm:ss,tt"
	default:
		f += ":mm:ss"
	}
	if p.tzH == 0 && p.tzM == 0 {
		f += "Z"
	} else {
		f += "+hh:mm"
	}
	return p.dumpISO(c, f, p.nExp)
}
