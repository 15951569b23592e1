package isodatetime

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
)

// This file parses ISO 8601 time points, durations and recurrences, and
// isodatetime's own strptime, the way metomi-isodatetime's TimePointParser
// (with up to 2 expanded year digits and no truncation) and DurationParser
// do. Python's "$" also matches before a final newline; every anchored
// pattern here allows that too.

// idtTemplate is one ISO 8601 form, e.g. "CCYY-MM-DD"; the form a point was
// written in is the format it is printed in.
type idtTemplate struct {
	expr string
	re   *regexp.Regexp
}

// The forms isodatetime accepts, by notation (basic, extended) and type
// (complete, reduced); in that order of preference.
var (
	idtDateForms = [2][2][]string{
		{ // basic
			{"CCYYMMDD", "+XCCYYMMDD", "CCYYDDD", "+XCCYYDDD", "CCYYWwwD", "+XCCYYWwwD"},
			{"CCYY-MM", "CCYY", "CC", "+XCCYY-MM", "+XCCYY", "+XCC", "CCYYWww", "+XCCYYWww"},
		},
		{ // extended
			{"CCYY-MM-DD", "+XCCYY-MM-DD", "CCYY-DDD", "+XCCYY-DDD", "CCYY-Www-D", "+XCCYY-Www-D"},
			{"CCYY-MM", "+XCCYY-MM", "CCYY-Www", "+XCCYY-Www"},
		},
	}
	idtTimeForms = [2][2][]string{
		{
			{"hhmmss", "hhmmss,tt", "hhmm,nn", "hh,ii", "hhmmss.tt", "hhmm.nn", "hh.ii"},
			{"hhmm", "hh"},
		},
		{
			{"hh:mm:ss", "hh:mm:ss,tt", "hh:mm,nn", "hh,ii", "hh:mm:ss.tt", "hh:mm.nn", "hh.ii"},
			{"hh:mm", "hh"},
		},
	}
	idtZoneForms = [2][]string{{"Z", "+hh", "+hhmm"}, {"Z", "+hh", "+hh:mm"}}

	idtDateTemplates [2][2][]idtTemplate
	idtTimeTemplates [2][2][]idtTemplate
	idtZoneTemplates [2][]idtTemplate
)

// idtFormTokens maps the letters of a form to regular expressions, longest
// first; anything else is literal.
var idtFormTokens = []struct{ tok, re string }{
	{"+X", `(?P<year_sign>[-+])(?P<expanded_year>[0-9][0-9])`},
	{"CC", `(?P<century>[0-9][0-9])`},
	{"YY", `(?P<year_of_century>[0-9][0-9])`},
	{"MM", `(?P<month_of_year>[0-9][0-9])`},
	{"DDD", `(?P<day_of_year>[0-9][0-9][0-9])`},
	{"DD", `(?P<day_of_month>[0-9][0-9])`},
	{"Www", `W(?P<week_of_year>[0-9][0-9])`},
	{"D", `(?P<day_of_week>[0-9])`},
	{"hh", `(?P<hour_of_day>[0-9][0-9])`},
	{"mm", `(?P<minute_of_hour>[0-9][0-9])`},
	{"ss", `(?P<second_of_minute>[0-9][0-9])`},
	{",ii", `,(?P<hour_of_day_decimal>[0-9]+)`},
	{".ii", `\.(?P<hour_of_day_decimal>[0-9]+)`},
	{",nn", `,(?P<minute_of_hour_decimal>[0-9]+)`},
	{".nn", `\.(?P<minute_of_hour_decimal>[0-9]+)`},
	{",tt", `,(?P<second_of_minute_decimal>[0-9]+)`},
	{".tt", `\.(?P<second_of_minute_decimal>[0-9]+)`},
}

var idtZoneTokens = []struct{ tok, re string }{
	{"Z", `(?P<time_zone_utc>Z)`},
	{"+", `(?P<time_zone_sign>[-+])`},
	{"hh", `(?P<time_zone_hour>[0-9][0-9])`},
	{"mm", `(?P<time_zone_minute>[0-9][0-9])`},
}

func idtCompileForm(expr string, toks []struct{ tok, re string }) idtTemplate {
	var b strings.Builder
	b.WriteString("^")
outer:
	for i := 0; i < len(expr); {
		for _, t := range toks {
			if strings.HasPrefix(expr[i:], t.tok) {
				b.WriteString(t.re)
				i += len(t.tok)
				continue outer
			}
		}
		b.WriteString(regexp.QuoteMeta(expr[i : i+1]))
		i++
	}
	b.WriteString("\n?$")
	return idtTemplate{expr: expr, re: regexp.MustCompile(b.String())}
}

func init() {
	for f := range 2 {
		for t := range 2 {
			for _, e := range idtDateForms[f][t] {
				idtDateTemplates[f][t] = append(idtDateTemplates[f][t], idtCompileForm(e, idtFormTokens))
			}
			for _, e := range idtTimeForms[f][t] {
				idtTimeTemplates[f][t] = append(idtTimeTemplates[f][t], idtCompileForm(e, idtFormTokens))
			}
		}
		for _, e := range idtZoneForms[f] {
			idtZoneTemplates[f] = append(idtZoneTemplates[f], idtCompileForm(e, idtZoneTokens))
		}
	}
}

func idtGroups(re *regexp.Regexp, s string) (map[string]string, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	g := map[string]string{}
	for i, name := range re.SubexpNames() {
		if name != "" && m[i] != "" {
			g[name] = m[i]
		}
	}
	return g, true
}

// idtFields are the parsed properties of a time point before validation
// (isodatetime's TimePoint constructor arguments).
type idtFields struct {
	year                      int64
	month, dom, doy, woy, dow *int64
	hour, min, sec            *float64
	hourDec, minDec, secDec   *float64
	tzH, tzM                  *int64
	nExp                      int
}

func idtI(v int64) *int64 { return &v }

func idtF(v float64) *float64 { return &v }

// idtZone is a parsed time zone, or none (the parser's default applies).
type idtZone struct {
	set  bool
	h, m int64
}

// idtParser is isodatetime's TimePointParser: zone-less points get the
// assumed zone (UTC in --utc mode) or the local one.
type idtParser struct {
	assumed idtZone
}

func (p idtParser) zoneOrDefault(z idtZone) idtZone {
	if z.set {
		return z
	}
	return p.assumed
}

// dateInfo matches a date against the forms (complete ones only when a
// time follows).
func (p idtParser) dateInfo(s string, completeOnly bool) (int, string, map[string]string, error) {
	for f := range 2 {
		for t := range 2 {
			if t == 1 && completeOnly {
				continue
			}
			for _, tp := range idtDateTemplates[f][t] {
				if g, ok := idtGroups(tp.re, s); ok {
					return f, tp.expr, g, nil
				}
			}
		}
	}
	return 0, "", nil, idtSyntax("date", s)
}

// timeInfo matches a time; notation is -1 for either, else the date's.
func (p idtParser) timeInfo(s string, notation int) (string, map[string]string, error) {
	for f := range 2 {
		if notation >= 0 && f != notation {
			continue
		}
		for t := range 2 {
			for _, tp := range idtTimeTemplates[f][t] {
				if g, ok := idtGroups(tp.re, s); ok {
					return tp.expr, g, nil
				}
			}
		}
	}
	return "", nil, idtSyntax("time", s)
}

func (p idtParser) zoneInfo(s string, notation int) (string, idtZone, error) {
	for f := range 2 {
		if notation >= 0 && f != notation {
			continue
		}
		for _, tp := range idtZoneTemplates[f] {
			if g, ok := idtGroups(tp.re, s); ok {
				return tp.expr, idtZoneFromGroups(g), nil
			}
		}
	}
	return "", idtZone{}, idtSyntax("time zone", s)
}

func idtZoneFromGroups(g map[string]string) idtZone {
	if g["time_zone_utc"] != "" {
		return idtZone{set: true}
	}
	h, _ := strconv.ParseInt(g["time_zone_hour"], 10, 64)
	m, _ := strconv.ParseInt(g["time_zone_minute"], 10, 64)
	if g["time_zone_sign"] == "-" {
		h, m = -h, -m
	}
	return idtZone{set: true, h: h, m: m}
}

// idtErrUnpack is Python's message for a split that gave too many parts.
func idtErrUnpack() error { return idtValue("too many values to unpack (expected 2)") }

// info splits a point into date, time and zone and matches each; expr is
// the form it was written in.
func (p idtParser) info(s string) (idtFields, string, error) {
	parts := strings.Split(s, "T")
	var (
		fields idtFields
		expr   string
		zone   idtZone
	)
	switch len(parts) {
	case 1:
		_, dexpr, dg, err := p.dateInfo(parts[0], false)
		if err != nil {
			return fields, "", err
		}
		expr = dexpr
		fields.setDate(dg)
	case 2:
		notation, dexpr, dg, err := p.dateInfo(parts[0], true)
		if err != nil {
			return fields, "", err
		}
		tt := parts[1]
		var tm, tz string
		hasZone := true
		switch {
		case strings.HasSuffix(tt, "Z"):
			tm, tz = tt[:len(tt)-1], "Z"
		case strings.Contains(tt, "+"):
			sp := strings.Split(tt, "+")
			if len(sp) != 2 {
				return fields, "", idtErrUnpack()
			}
			tm, tz = sp[0], "+"+sp[1]
		case strings.Contains(tt, "-"):
			i := strings.LastIndex(tt, "-")
			tm, tz = tt[:i], tt[i:]
			_, _, err1 := p.timeInfo(tm, notation)
			_, _, err2 := p.zoneInfo(tz, notation)
			if err1 != nil || err2 != nil {
				tm, hasZone = tt, false
			}
		default:
			tm, hasZone = tt, false
		}
		zexpr := ""
		if hasZone {
			if zexpr, zone, err = p.zoneInfo(tz, notation); err != nil {
				return fields, "", err
			}
		}
		texpr, tg, err := p.timeInfo(tm, notation)
		if err != nil {
			return fields, "", err
		}
		expr = dexpr + "T" + texpr + zexpr
		fields.setDate(dg)
		fields.setTime(tg)
	default:
		return fields, "", idtSyntax("time", s)
	}
	zone = p.zoneOrDefault(zone)
	fields.tzH, fields.tzM = idtI(zone.h), idtI(zone.m)
	return fields, expr, nil
}

func (f *idtFields) setDate(g map[string]string) {
	num := func(k string) int64 {
		v, _ := strconv.ParseInt(g[k], 10, 64)
		return v
	}
	f.year = num("year_of_century") + 100*num("century")
	if _, ok := g["expanded_year"]; ok {
		f.nExp = 2
		f.year += 10000 * num("expanded_year")
	}
	if g["year_sign"] == "-" {
		f.year = -f.year
	}
	for k, dst := range map[string]**int64{
		"month_of_year": &f.month, "day_of_month": &f.dom, "day_of_year": &f.doy,
		"week_of_year": &f.woy, "day_of_week": &f.dow,
	} {
		if _, ok := g[k]; ok {
			*dst = idtI(num(k))
		}
	}
}

func (f *idtFields) setTime(g map[string]string) {
	for k, dst := range map[string]**float64{
		"hour_of_day": &f.hour, "minute_of_hour": &f.min, "second_of_minute": &f.sec,
	} {
		if v, ok := g[k]; ok {
			x, _ := strconv.ParseFloat(v, 64)
			*dst = idtF(x)
		}
	}
	for k, dst := range map[string]**float64{
		"hour_of_day_decimal": &f.hourDec, "minute_of_hour_decimal": &f.minDec, "second_of_minute_decimal": &f.secDec,
	} {
		if v, ok := g[k]; ok {
			x, _ := strconv.ParseFloat("0."+v, 64)
			*dst = idtF(x)
		}
	}
}

// idtCheckZone validates a UTC offset as isodatetime's TimeZone does: the
// minutes take the sign of the hours.
func idtCheckZone(h, m int64) error {
	if h < -99 || h > 99 {
		return idtBounds("TimeZone hours", h)
	}
	lo, hi := int64(-59), int64(59)
	if h > 0 {
		lo = 0
	} else if h < 0 {
		hi = 0
	}
	if m < lo || m > hi {
		return idtBounds("TimeZone minutes", m)
	}
	return nil
}

// idtIntCast is isodatetime's _int_caster for a time field.
func idtIntCast(name string, v float64) (float64, error) {
	if v != math.Trunc(v) {
		return 0, idtValue("Non-integer like number for %s: %s", name, pyformat.FloatRepr(v))
	}
	return v, nil
}

// point validates fields as isodatetime's TimePoint constructor does and
// makes the point; for a duration-like point (P0000-00-00T01) defaults and
// bounds are skipped.
func (f idtFields) point(c *idtCal, isDuration bool) (idtPoint, error) {
	var p idtPoint
	p.year, p.nExp = f.year, f.nExp
	var err error
	if f.hour != nil {
		if p.hour, err = idtIntCast("hour_of_day", *f.hour); err != nil {
			return p, err
		}
	}
	if f.hourDec != nil {
		p.hour += *f.hourDec
	}
	if f.minDec != nil {
		if p.min, err = idtIntCast("minute_of_hour", *f.min); err != nil {
			return p, err
		}
		p.min += *f.minDec
		p.hasMin = true
	} else if f.min != nil {
		if p.min, err = idtIntCast("minute_of_hour", *f.min); err != nil {
			return p, err
		}
		p.hasMin = true
	}
	if f.secDec != nil {
		if p.sec, err = idtIntCast("second_of_minute", *f.sec); err != nil {
			return p, err
		}
		p.sec += *f.secDec
		p.hasSec = true
	} else if f.sec != nil {
		if p.sec, err = idtIntCast("second_of_minute", *f.sec); err != nil {
			return p, err
		}
		p.hasSec = true
	}
	if f.hourDec == nil && !p.hasMin {
		p.hasMin = true
	}
	if f.hourDec == nil && f.minDec == nil && !p.hasSec {
		p.hasSec = true
	}
	if f.tzH != nil {
		p.tzH = *f.tzH
	}
	if f.tzM != nil {
		p.tzM = *f.tzM
	}
	if err := idtCheckZone(p.tzH, p.tzM); err != nil {
		return p, err
	}
	truthy := func(v *int64) bool { return v != nil && *v != 0 }
	monthSet := truthy(f.month) || truthy(f.dom)
	weekSet := truthy(f.woy) || truthy(f.dow)
	switch {
	case monthSet && weekSet:
		return p, idtValue("Conflicting input: [week_of_year or day_of_week] but have [month_of_year or day_of_month]")
	case monthSet && f.doy != nil:
		return p, idtValue("Conflicting input: day_of_year but have [month_of_year or day_of_month]")
	case weekSet && f.doy != nil:
		return p, idtValue("Conflicting input: day_of_year but have [week_of_year or day_of_week]")
	}
	if isDuration {
		// Only read back by the duration parser.
		p.rep = idtCalRep
		switch {
		case f.woy != nil:
			p.rep, p.woy = idtWeekRep, *f.woy
		case f.doy != nil:
			p.rep, p.doy = idtOrdRep, *f.doy
		case f.month != nil:
			p.month = *f.month
			if f.dom != nil {
				p.day = *f.dom
			}
		default:
			p.rep = 255 // neither: a year (and time) only
		}
		return p, nil
	}
	month, dom, doy, woy, dow := f.month, f.dom, f.doy, f.woy, f.dow
	if doy == nil {
		if !weekSet {
			if month == nil {
				month = idtI(1)
			}
			if dom == nil {
				dom = idtI(1)
			}
		} else {
			if woy == nil {
				woy = idtI(1)
			}
			if dow == nil {
				dow = idtI(1)
			}
		}
	}
	if month != nil && (*month < 1 || *month > 12) {
		return p, idtBounds("month_of_year", *month)
	}
	maxDom := int64(31)
	if month != nil {
		maxDom = c.dim(*month, p.year)
	} else if !c.greg {
		maxDom = c.months[0]
		for _, d := range c.months {
			maxDom = max(maxDom, d)
		}
	}
	switch {
	case dom != nil && (*dom < 1 || *dom > maxDom):
		return p, idtBounds("day_of_month", *dom)
	case woy != nil && (*woy < 1 || *woy > c.weeksInYear(p.year)):
		return p, idtBounds("week_of_year", *woy)
	case doy != nil && (*doy < 1 || *doy > c.daysInYear(p.year)):
		return p, idtBounds("day_of_year", *doy)
	case dow != nil && (*dow < 1 || *dow > 7):
		return p, idtBounds("day_of_week", *dow)
	}
	// Python holds a time field as an int unless a decimal was added.
	val := func(v float64, dec *float64) any {
		if dec == nil {
			return int64(v)
		}
		return v
	}
	switch {
	case p.hour < 0 || p.hour > 24:
		return p, idtBounds("hour_of_day", val(p.hour, f.hourDec))
	case p.hour == 24 && p.hasMin && p.min != 0:
		return p, idtBounds("minute_of_hour", val(p.min, f.minDec))
	case p.hour == 24 && p.hasSec && p.sec != 0:
		return p, idtBounds("second_of_minute", val(p.sec, f.secDec))
	case p.hour != 24 && p.hasMin && (p.min < 0 || p.min >= 60):
		return p, idtBounds("minute_of_hour", val(p.min, f.minDec))
	case p.hour != 24 && p.hasSec && (p.sec < 0 || p.sec >= 60):
		return p, idtBounds("second_of_minute", val(p.sec, f.secDec))
	}
	switch {
	case month != nil:
		p.rep, p.month, p.day = idtCalRep, *month, *dom
	case doy != nil:
		p.rep, p.doy = idtOrdRep, *doy
	default:
		p.rep, p.woy, p.dow = idtWeekRep, *woy, *dow
	}
	return p, nil
}

// parse reads an ISO 8601 point; with asParsed it keeps the form it was
// written in as its print format.
func (p idtParser) parse(c *idtCal, s string, asParsed bool) (idtPoint, error) {
	f, expr, err := p.info(s)
	if err != nil {
		return idtPoint{}, err
	}
	pt, err := f.point(c, false)
	if err == nil && asParsed {
		pt.dump, pt.hasDump = expr, true
	}
	return pt, err
}
