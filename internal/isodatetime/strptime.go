package isodatetime

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gyre/internal/pyformat"
)

// Reading points with a strptime format for "gyre isodatetime":
// isodatetime's own strptime (a subset of directives) and, when that fails,
// Python's time.strptime in the C locale, which isodatetime falls back on.

// idtStrptimeGroups are the patterns isodatetime's strptime reads each
// property with.
var idtStrptimeGroups = map[string]string{
	"century": `(?P<century>[0-9][0-9])`, "year_of_century": `(?P<year_of_century>[0-9][0-9])`,
	"month_of_year": `(?P<month_of_year>[0-9][0-9])`, "day_of_month": `(?P<day_of_month>[0-9][0-9])`,
	"day_of_year": `(?P<day_of_year>[0-9][0-9][0-9])`, "hour_of_day": `(?P<hour_of_day>[0-9][0-9])`,
	"minute_of_hour": `(?P<minute_of_hour>[0-9][0-9])`, "second_of_minute": `(?P<second_of_minute>[0-9][0-9])`,
	"time_zone_sign": `(?P<time_zone_sign>[-+])`, "time_zone_hour_abs": `(?P<time_zone_hour>[0-9][0-9])`,
	"time_zone_minute_abs":     `(?P<time_zone_minute>[0-9][0-9])`,
	"seconds_since_unix_epoch": `(?P<seconds_since_unix_epoch>[0-9]+[,.]?[0-9]*)`,
}

// epochPlus is the Unix epoch in the local time zone plus secs seconds.
func (e *idtEnv) epochPlus(secs float64) (idtPoint, error) {
	epoch, err := idtPoint{year: 1970, month: 1, day: 1, hasMin: true, hasSec: true}.toTZ(e.cal, e.local.h, e.local.m)
	if err != nil {
		return epoch, err
	}
	return epoch.add(e.cal, idtDuration{seconds: secs})
}

// isoStrptime is isodatetime's own strptime, which knows %d %F %H %j %m %M
// %s %S %X %Y %z.
func (e *idtEnv) isoStrptime(data, format string) (idtPoint, error) {
	var b strings.Builder
	b.WriteString("^")
	last, dup := 0, false
	seen := map[string]bool{}
	for _, loc := range idtStrftimeDirective.FindAllStringIndex(format, -1) {
		b.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
		last = loc[1]
		tok := format[loc[0]:loc[1]]
		names, ok := idtStrftimeTable[tok]
		if !ok {
			return idtPoint{}, idtValue("Invalid strftime/strptime representation: %s", tok)
		}
		for _, n := range names {
			re, ok := idtStrptimeGroups[n]
			if !ok {
				b.WriteString(n)
				continue
			}
			dup = dup || seen[n]
			seen[n] = true
			b.WriteString(re)
		}
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	b.WriteString("\n?$")
	bad := func(what string) error {
		return idtValue("Bad conversion for strftime/strptime input '%s': '%s'", format, what)
	}
	if dup {
		return idtPoint{}, bad(b.String())
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return idtPoint{}, bad(b.String())
	}
	g, ok := idtGroups(re, data)
	if !ok {
		return idtPoint{}, bad(data)
	}
	num := func(k string) int64 { v, _ := strconv.ParseInt(g[k], 10, 64); return v }
	f := idtFields{year: num("year_of_century") + 100*num("century")}
	for k, dst := range map[string]**int64{"month_of_year": &f.month, "day_of_month": &f.dom, "day_of_year": &f.doy} {
		if _, ok := g[k]; ok {
			*dst = idtI(num(k))
		}
	}
	for k, dst := range map[string]**float64{"hour_of_day": &f.hour, "minute_of_hour": &f.min, "second_of_minute": &f.sec} {
		if _, ok := g[k]; ok {
			*dst = idtF(float64(num(k)))
		}
	}
	_, hasH := g["time_zone_hour"]
	tzH, tzM := num("time_zone_hour"), num("time_zone_minute")
	_, hasM := g["time_zone_minute"]
	zoned := hasH || hasM || g["time_zone_sign"] != ""
	if s, ok := g["seconds_since_unix_epoch"]; ok {
		secs, err := idtPyFloat(s)
		if err != nil {
			return idtPoint{}, err
		}
		p, err := e.epochPlus(secs)
		if err != nil {
			return idtPoint{}, err
		}
		f.year, f.month, f.dom, f.doy = p.year, idtI(p.month), idtI(p.day), nil
		f.hour, f.min, f.sec = idtF(p.hour), idtF(p.min), idtF(p.sec)
		tzH, tzM, hasM, zoned = p.tzH, p.tzM, true, true
	}
	if zoned {
		if g["time_zone_sign"] == "-" {
			tzH = -tzH
			if hasM {
				tzM = -tzM
			}
		}
		f.tzH, f.tzM = idtI(tzH), idtI(tzM)
	} else {
		z := e.parser().assumed
		f.tzH, f.tzM = idtI(z.h), idtI(z.m)
	}
	return f.point(e.cal, false)
}

var (
	idtWeekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	idtMonths   = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// Python's whitespace, for the \s of its patterns.
const idtPySpace = `[\t\n\v\f\r \x{1c}-\x{1f}\x{85}\p{Z}]`

// idtAlternatives is a group matching any of names, longest first.
func idtAlternatives(group string, names []string) string {
	sorted := append([]string(nil), names...)
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if len(sorted[j]) > len(sorted[i]) {
				sorted[i], sorted[j] = sorted[j], sorted[i]
			}
		}
	}
	for i, n := range sorted {
		sorted[i] = regexp.QuoteMeta(strings.ToLower(n))
	}
	return "(?P<" + group + ">" + strings.Join(sorted, "|") + ")"
}

func idtAbbrev(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n[:3]
	}
	return out
}

// idtStrptimeDirectives are _strptime's patterns, C locale.
func (e *idtEnv) strptimeDirectives() map[rune]string {
	d := `\p{Nd}`
	m := map[rune]string{
		'd': `(?P<d>3[0-1]|[1-2]` + d + `|0[1-9]|[1-9]| [1-9])`,
		'f': `(?P<f>[0-9]{1,6})`,
		'H': `(?P<H>2[0-3]|[0-1]` + d + `|` + d + `)`,
		'I': `(?P<I>1[0-2]|0[1-9]|[1-9])`,
		'G': `(?P<G>` + d + d + d + d + `)`,
		'j': `(?P<j>36[0-6]|3[0-5]` + d + `|[1-2]` + d + d + `|0[1-9]` + d + `|00[1-9]|[1-9]` + d + `|0[1-9]|[1-9])`,
		'm': `(?P<m>1[0-2]|0[1-9]|[1-9])`,
		'M': `(?P<M>[0-5]` + d + `|` + d + `)`,
		'S': `(?P<S>6[0-1]|[0-5]` + d + `|` + d + `)`,
		'U': `(?P<U>5[0-3]|[0-4]` + d + `|` + d + `)`,
		'W': `(?P<W>5[0-3]|[0-4]` + d + `|` + d + `)`,
		'w': `(?P<w>[0-6])`,
		'u': `(?P<u>[1-7])`,
		'V': `(?P<V>5[0-3]|0[1-9]|[1-4]` + d + `|` + d + `)`,
		'y': `(?P<y>` + d + d + `)`,
		'Y': `(?P<Y>` + d + d + d + d + `)`,
		'z': `(?P<z>[+-]` + d + d + `:?[0-5]` + d + `(:?[0-5]` + d + `(\.` + d + `{1,6})?)?|(?-i:Z))`,
		'A': idtAlternatives("A", idtWeekdays),
		'a': idtAlternatives("a", idtAbbrev(idtWeekdays)),
		'B': idtAlternatives("B", idtMonths),
		'b': idtAlternatives("b", idtAbbrev(idtMonths)),
		'p': idtAlternatives("p", []string{"am", "pm"}),
		'Z': idtAlternatives("Z", e.zoneNames()),
		'%': "%",
	}
	sub := func(f string) string { s, _ := e.strptimePattern(f, m); return s }
	m['c'] = sub("%a %b %d %H:%M:%S %Y")
	m['x'] = sub("%m/%d/%y")
	m['X'] = sub("%H:%M:%S")
	return m
}

// zoneNames are the zone names %Z accepts: UTC, GMT and the local ones.
func (e *idtEnv) zoneNames() []string {
	names := []string{"utc", "gmt"}
	y := e.now().In(e.loc).Year()
	for _, m := range []time.Month{time.January, time.July} {
		n, _ := time.Date(y, m, 1, 0, 0, 0, 0, e.loc).Zone()
		if n = strings.ToLower(n); n != "" && !strings.Contains(strings.Join(names, ","), n) {
			names = append(names, n)
		}
	}
	return names
}

var idtRegexSpecials = regexp.MustCompile(`([\\.^$*+?(){}\[\]|])`)

var idtPySpaces = regexp.MustCompile(idtPySpace + `+`)

// strptimePattern is TimeRE.pattern: the format with regex characters
// escaped, whitespace made flexible and directives replaced.
func (e *idtEnv) strptimePattern(format string, dirs map[rune]string) (string, error) {
	f := idtRegexSpecials.ReplaceAllString(format, `\$1`)
	f = idtPySpaces.ReplaceAllString(f, `\s+`)
	var b strings.Builder
	for {
		i := strings.IndexByte(f, '%')
		if i < 0 {
			break
		}
		b.WriteString(strings.ReplaceAll(f[:i], `\s+`, idtPySpace+`+`))
		r, n := utf8.DecodeRuneInString(f[i+1:])
		if n == 0 {
			return "", idtValue("stray %% in format '%s'", format)
		}
		pat, ok := dirs[r]
		if !ok {
			bad := string(r)
			if r == '\\' {
				bad = "%"
			}
			return "", idtValue("'%s' is a bad directive in format '%s'", bad, format)
		}
		b.WriteString(pat)
		f = f[i+1+n:]
	}
	b.WriteString(strings.ReplaceAll(f, `\s+`, idtPySpace+`+`))
	return b.String(), nil
}

// cStrptime is Python's time.strptime(data, format): the date and time it
// reads (other fields are dropped by isodatetime).
func (e *idtEnv) cStrptime(data, format string) ([6]int64, error) {
	var out [6]int64
	pat, err := e.strptimePattern(format, e.strptimeDirectives())
	if err != nil {
		return out, err
	}
	re, err := regexp.Compile(`(?i)^(?:` + pat + `)`)
	if err != nil {
		return out, &idtError{kind: idtRegexErr, msg: err.Error()}
	}
	seen := map[string]bool{}
	for _, n := range re.SubexpNames() {
		if n != "" && seen[n] {
			return out, &idtError{kind: idtRegexErr, msg: "redefinition of group name " + pyformat.StrRepr(n)}
		}
		seen[n] = true
	}
	loc := re.FindStringSubmatchIndex(data)
	if loc == nil {
		return out, idtValue("time data %s does not match format %s", pyformat.StrRepr(data), pyformat.StrRepr(format))
	}
	if loc[1] != len(data) {
		return out, idtValue("unconverted data remains: %s", data[loc[1]:])
	}
	g := map[string]string{}
	for i, n := range re.SubexpNames() {
		if n != "" && loc[2*i] >= 0 {
			g[n] = data[loc[2*i]:loc[2*i+1]]
		}
	}
	num := func(k string) int64 { v, _ := idtPyInt(g[k]); return v }
	var (
		year, isoYear, isoWeek, week, weekday, julian *int64
		month, day                                    = int64(1), int64(1)
		hour, minute, second                          int64
		weekStartsMon                                 bool
	)
	index := func(names []string, v string) int64 {
		for i, n := range names {
			if strings.EqualFold(n, v) {
				return int64(i)
			}
		}
		return 0
	}
	for _, k := range re.SubexpNames() {
		v, ok := g[k]
		if !ok {
			continue
		}
		switch k {
		case "y":
			y := num("y")
			if y <= 68 {
				y += 2000
			} else {
				y += 1900
			}
			year = &y
		case "Y":
			year = idtI(num("Y"))
		case "G":
			isoYear = idtI(num("G"))
		case "m":
			month = num("m")
		case "B":
			month = index(idtMonths, v) + 1
		case "b":
			month = index(idtAbbrev(idtMonths), v) + 1
		case "d":
			day = num("d")
		case "H":
			hour = num("H")
		case "I":
			hour = num("I")
			switch strings.ToLower(g["p"]) {
			case "", "am":
				if hour == 12 {
					hour = 0
				}
			case "pm":
				if hour != 12 {
					hour += 12
				}
			}
		case "M":
			minute = num("M")
		case "S":
			second = num("S")
		case "A":
			weekday = idtI(index(idtWeekdays, v))
		case "a":
			weekday = idtI(index(idtAbbrev(idtWeekdays), v))
		case "w":
			w := (num("w") + 6) % 7
			weekday = &w
		case "u":
			weekday = idtI(num("u") - 1)
		case "j":
			julian = idtI(num("j"))
		case "U", "W":
			week = idtI(num(k))
			weekStartsMon = k == "W"
		case "V":
			isoWeek = idtI(num("V"))
		case "z":
			if z := v; z != "Z" && len(z) > 3 && z[3] == ':' && len(z) > 6 && z[6] != ':' {
				return out, idtValue("Inconsistent use of : in %s", v)
			}
		}
	}
	if year == nil && isoYear != nil {
		if isoWeek == nil || weekday == nil {
			return out, idtValue("ISO year directive '%%G' must be used with the ISO week directive '%%V' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
		}
		if julian != nil {
			return out, idtValue("Day of the year directive '%%j' is not compatible with ISO year directive '%%G'. Use '%%Y' instead.")
		}
	} else if week == nil && isoWeek != nil {
		if weekday == nil {
			return out, idtValue("ISO week directive '%%V' must be used with the ISO year directive '%%G' and a weekday directive ('%%A', '%%a', '%%w', or '%%u').")
		}
		return out, idtValue("ISO week directive '%%V' is incompatible with the year directive '%%Y'. Use the ISO year '%%G' instead.")
	}
	leapFix := false
	y := int64(1900)
	switch {
	case year != nil:
		y = *year
	case month == 2 && day == 29:
		y, leapFix = 1904, true
	}
	if julian == nil && weekday != nil {
		switch {
		case week != nil:
			jan1, err := idtGregOrdinal(y, 1, 1)
			if err != nil {
				return out, err
			}
			first := (jan1 + 6) % 7 // Monday = 0
			wd := *weekday
			if !weekStartsMon {
				first = (first + 1) % 7
				wd = (wd + 1) % 7
			}
			j := int64(0)
			if *week == 0 {
				j = 1 + wd - first
			} else {
				j = 1 + (7-first)%7 + 7*(*week-1) + wd
			}
			julian = &j
		case isoYear != nil && isoWeek != nil:
			jan4, err := idtGregOrdinal(*isoYear, 1, 4)
			if err != nil {
				return out, err
			}
			ordinal := *isoWeek*7 + *weekday + 1 - ((jan4+6)%7 + 1 + 3)
			y = *isoYear
			if ordinal < 1 {
				a, err := idtGregOrdinal(y, 1, 1)
				if err != nil {
					return out, err
				}
				y--
				b, err := idtGregOrdinal(y, 1, 1)
				if err != nil {
					return out, err
				}
				ordinal += a - b
			}
			julian = &ordinal
		}
		if julian != nil && *julian <= 0 {
			y--
			*julian += 365
			if idtGregLeap(y) {
				*julian++
			}
		}
	}
	if julian == nil {
		if _, err := idtGregOrdinal(y, month, day); err != nil {
			return out, err
		}
	} else {
		start, err := idtGregOrdinal(y, 1, 1)
		if err != nil {
			return out, err
		}
		g, _ := idtCalendar("gregorian")
		o := start + *julian - 1
		if o < 1 {
			return out, idtValue("ordinal must be >= 1")
		}
		yy, doy := g.yearOf(g.yearStart(1) + o - 1)
		if yy > 9999 {
			return out, idtValue("year %d is out of range", yy)
		}
		y = yy
		month, day = g.monthDay(yy, doy)
	}
	if leapFix {
		y = 1900
	}
	return [6]int64{y, month, day, hour, minute, second}, nil
}

func idtGregLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// idtGregOrdinal is Python's date(y, m, d).toordinal(), with its checks.
func idtGregOrdinal(y, m, d int64) (int64, error) {
	if err := idtCheckDate(y, m, d); err != nil {
		return 0, err
	}
	g, _ := idtCalendar("gregorian")
	return g.yearStart(y) + g.dayOfYear(y, m, d) - g.yearStart(1), nil
}

func idtCheckDate(y, m, d int64) error {
	switch {
	case y < 1 || y > 9999:
		return idtValue("year %d is out of range", y)
	case m < 1 || m > 12:
		return idtValue("month must be in 1..12")
	}
	dim := []int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && idtGregLeap(y) {
		dim = 29
	}
	if d < 1 || d > dim {
		return idtValue("day is out of range for month")
	}
	return nil
}
