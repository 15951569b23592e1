package jinja

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A deliberately small ISO 8601 date-time reader for Cylc's strftime and
// duration_as filters, following metomi-isodatetime's TimePointParser and
// DurationParser for the forms workflows write: calendar, ordinal and week
// dates (basic or extended, optionally with a 2-digit expanded year),
// times with decimal fractions, and Z/±hh/±hhmm/±hh:mm zones. Truncated
// forms are not accepted, as TimePointParser's defaults don't accept them.
// Cycle-point arithmetic belongs to the cycle package, not here.

type isoPoint struct {
	year, month, day     int
	hour, minute, second int
	tzMinutes            int // offset east of UTC
}

func isoSyntaxErr(kind, s string) error {
	return &evalError{kind: "ISO8601SyntaxError", msg: "Invalid ISO 8601 " + kind + " representation: " + s}
}

var (
	reDateBasic    = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})(\d{2})(\d{2})$`)
	reDateExt      = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})-(\d{2})-(\d{2})$`)
	reOrdBasic     = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})(\d{3})$`)
	reOrdExt       = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})-(\d{3})$`)
	reWeekBasic    = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})W(\d{2})(\d)?$`)
	reWeekExt      = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})-W(\d{2})(?:-(\d))?$`)
	reMonth        = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})-(\d{2})$`)
	reYear         = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{4})$`)
	reCentury      = regexp.MustCompile(`^(?:([-+])(\d{2}))?(\d{2})$`)
	reTimeBasic    = regexp.MustCompile(`^(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?$`)
	reTimeExt      = regexp.MustCompile(`^(\d{2})(?::(\d{2})(?::(\d{2}))?)?(?:[.,](\d+))?$`)
	reZoneBasic    = regexp.MustCompile(`^([-+])(\d{2})(\d{2})?$`)
	reZoneExt      = regexp.MustCompile(`^([-+])(\d{2})(?::(\d{2}))?$`)
	reDurationYMD  = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)
	reDurationTime = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?T(?:(\d.*?)H)?(?:(\d.*?)M)?(?:(\d.*?)S)?$`)
	reDurationWeek = regexp.MustCompile(`^P(\d+)W$`)
	// reDurationAlt is the alternative format, a date-time after the P:
	// P0001-02-03T04:05:06 or P00010203T040506.
	reDurationAlt = regexp.MustCompile(`^P(\d{4})(?:(-?)(\d{2})(?:-?(\d{2}))?)?(?:T(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)?$`)
)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// expandedYear applies an optional sign and two expanded-year digits.
func expandedYear(sign, extra, year string) int {
	y := atoi(extra)*10000 + atoi(year)
	if sign == "-" {
		y = -y
	}
	return y
}

// parseISOPoint reads an ISO 8601 date-time. Points without a zone take
// the zone of local, as TimePointParser assumes the local time zone.
func parseISOPoint(s string, local *time.Location) (isoPoint, error) {
	var p isoPoint
	datePart, timePart, hasTime := strings.Cut(s, "T")
	if strings.Contains(timePart, "T") {
		return p, isoSyntaxErr("time", s)
	}
	basic, err := p.parseDate(datePart, hasTime)
	if err != nil {
		return p, err
	}
	zone, hasZone := "", false
	if hasTime {
		timeStr := timePart
		switch {
		case strings.HasSuffix(timePart, "Z"):
			timeStr, zone, hasZone = timePart[:len(timePart)-1], "Z", true
		case strings.Contains(timePart, "+"):
			i := strings.Index(timePart, "+")
			timeStr, zone, hasZone = timePart[:i], timePart[i:], true
		case strings.Contains(timePart, "-"):
			i := strings.LastIndex(timePart, "-")
			timeStr, zone, hasZone = timePart[:i], timePart[i:], true
		}
		if err := p.parseTime(timeStr, basic); err != nil {
			return p, err
		}
		if hasZone && zone != "Z" {
			re := reZoneExt
			if basic {
				re = reZoneBasic
			}
			m := re.FindStringSubmatch(zone)
			if m == nil {
				return p, isoSyntaxErr("time zone", zone)
			}
			p.tzMinutes = atoi(m[2])*60 + atoi(m[3])
			if m[1] == "-" {
				p.tzMinutes = -p.tzMinutes
			}
		}
	}
	if err := p.checkBounds(); err != nil {
		return p, err
	}
	if !hasZone && local != nil {
		t := time.Date(p.year, time.Month(p.month), p.day, p.hour, p.minute, p.second, 0, local)
		_, off := t.Zone()
		p.tzMinutes = off / 60
	}
	return p, nil
}

// parseDate fills the date fields and reports whether the date was written
// in basic (unpunctuated) format. Reduced dates (year-month, year,
// century) are allowed only without a time, as in TimePointParser.
func (p *isoPoint) parseDate(s string, hasTime bool) (bool, error) {
	p.month, p.day = 1, 1
	if m := reDateBasic.FindStringSubmatch(s); m != nil {
		p.year, p.month, p.day = expandedYear(m[1], m[2], m[3]), atoi(m[4]), atoi(m[5])
		return true, nil
	}
	if m := reDateExt.FindStringSubmatch(s); m != nil {
		p.year, p.month, p.day = expandedYear(m[1], m[2], m[3]), atoi(m[4]), atoi(m[5])
		return false, nil
	}
	ordinal := func(m []string) error {
		p.year = expandedYear(m[1], m[2], m[3])
		doy := atoi(m[4])
		if doy < 1 || doy > daysInYear(p.year) {
			return outOfBounds("day_of_year", doy)
		}
		t := time.Date(p.year, 1, doy, 0, 0, 0, 0, time.UTC)
		p.month, p.day = int(t.Month()), t.Day()
		return nil
	}
	if m := reOrdBasic.FindStringSubmatch(s); m != nil {
		return true, ordinal(m)
	}
	if m := reOrdExt.FindStringSubmatch(s); m != nil {
		return false, ordinal(m)
	}
	week := func(m []string) error {
		if m[5] == "" && hasTime {
			return isoSyntaxErr("date", s)
		}
		y := expandedYear(m[1], m[2], m[3])
		w, d := atoi(m[4]), 1
		if m[5] != "" {
			d = atoi(m[5])
		}
		if w < 1 || w > isoWeeks(y) {
			return outOfBounds("week_of_year", w)
		}
		if d < 1 || d > 7 {
			return outOfBounds("day_of_week", d)
		}
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		wd := int(jan4.Weekday()+6) % 7 // Monday is 0
		t := jan4.AddDate(0, 0, -wd+(w-1)*7+d-1)
		p.year, p.month, p.day = t.Year(), int(t.Month()), t.Day()
		return nil
	}
	if m := reWeekBasic.FindStringSubmatch(s); m != nil {
		return true, week(m)
	}
	if m := reWeekExt.FindStringSubmatch(s); m != nil {
		return false, week(m)
	}
	if !hasTime {
		if m := reMonth.FindStringSubmatch(s); m != nil {
			p.year, p.month = expandedYear(m[1], m[2], m[3]), atoi(m[4])
			return true, nil
		}
		if m := reYear.FindStringSubmatch(s); m != nil {
			p.year = expandedYear(m[1], m[2], m[3])
			return true, nil
		}
		if m := reCentury.FindStringSubmatch(s); m != nil {
			p.year = expandedYear(m[1], m[2], m[3]+"00")
			return true, nil
		}
	}
	return false, isoSyntaxErr("date", s)
}

// parseTime fills the time fields; a decimal fraction applies to the last
// unit given.
func (p *isoPoint) parseTime(s string, basic bool) error {
	re := reTimeExt
	if basic {
		re = reTimeBasic
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return isoSyntaxErr("time", s)
	}
	secs := float64(atoi(m[1])) * 3600
	unit := 3600.0
	if m[2] != "" {
		secs += float64(atoi(m[2])) * 60
		unit = 60
	}
	if m[3] != "" {
		secs += float64(atoi(m[3]))
		unit = 1
	}
	if m[4] != "" {
		frac, _ := strconv.ParseFloat("0."+m[4], 64)
		secs += frac * unit
	}
	if atoi(m[1]) > 24 {
		return outOfBounds("hour_of_day", atoi(m[1]))
	}
	if m[2] != "" && atoi(m[2]) > 59 {
		return outOfBounds("minute_of_hour", atoi(m[2]))
	}
	if m[3] != "" && atoi(m[3]) > 59 {
		return outOfBounds("second_of_minute", atoi(m[3]))
	}
	whole := int(math.Floor(secs + 1e-6))
	p.hour, p.minute, p.second = whole/3600, whole/60%60, whole%60
	return nil
}

// isoWeeks is the number of ISO weeks in year y: 53 when it starts on a
// Thursday, or on a Wednesday in a leap year.
func isoWeeks(y int) int {
	jan1 := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Weekday()
	if jan1 == time.Thursday || jan1 == time.Wednesday && daysInYear(y) == 366 {
		return 53
	}
	return 52
}

func outOfBounds(prop string, v int) error {
	return &evalError{kind: "BadInputError", msg: fmt.Sprintf("Invalid input (out of bounds): %s: %d", prop, v)}
}

func daysInYear(y int) int {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 366
	}
	return 365
}

func (p *isoPoint) checkBounds() error {
	if p.month < 1 || p.month > 12 {
		return outOfBounds("month_of_year", p.month)
	}
	last := time.Date(p.year, time.Month(p.month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if p.day < 1 || p.day > last {
		return outOfBounds("day_of_month", p.day)
	}
	return nil
}

// strftimeProps maps each directive isodatetime accepts to its output.
func (p isoPoint) directive(d byte) (string, bool) {
	switch d {
	case 'd':
		return fmt.Sprintf("%02d", p.day), true
	case 'F':
		return fmt.Sprintf("%04d-%02d-%02d", absInt(p.year), p.month, p.day), true
	case 'H':
		return fmt.Sprintf("%02d", p.hour), true
	case 'j':
		return fmt.Sprintf("%03d", time.Date(p.year, time.Month(p.month), p.day, 0, 0, 0, 0, time.UTC).YearDay()), true
	case 'm':
		return fmt.Sprintf("%02d", p.month), true
	case 'M':
		return fmt.Sprintf("%02d", p.minute), true
	case 's':
		t := time.Date(p.year, time.Month(p.month), p.day, p.hour, p.minute, p.second, 0, time.FixedZone("", p.tzMinutes*60))
		return strconv.FormatInt(t.Unix(), 10), true
	case 'S':
		return fmt.Sprintf("%02d", p.second), true
	case 'X':
		return fmt.Sprintf("%02d:%02d:%02d", p.hour, p.minute, p.second), true
	case 'Y':
		return fmt.Sprintf("%04d", absInt(p.year)), true
	case 'z':
		sign, off := "+", p.tzMinutes
		if off < 0 {
			sign, off = "-", -off
		}
		return fmt.Sprintf("%s%02d%02d", sign, off/60, off%60), true
	}
	return "", false
}

func strftimeSyntaxErr(tok string) error {
	return &evalError{kind: "StrftimeSyntaxError", msg: "Invalid strftime/strptime representation: " + tok}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// strftime formats p with isodatetime's subset of strftime directives:
// %d %F %H %j %m %M %s %S %X %Y %z.
func (p isoPoint) strftime(format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) || !isWordByte(format[i+1]) {
			if format[i] == '%' && i+1 < len(format) && format[i+1] == '%' {
				i++
			}
			b.WriteByte(format[i])
			continue
		}
		out, ok := p.directive(format[i+1])
		if !ok {
			return "", strftimeSyntaxErr(format[i : i+2])
		}
		if (format[i+1] == 'Y' || format[i+1] == 'F') && (p.year < 0 || p.year > 9999) {
			return "", &evalError{kind: "TimePointDumperBoundsError", msg: fmt.Sprintf("Cannot dump TimePoint year: %d not in bounds 0 to 9999.", p.year)}
		}
		b.WriteString(out)
		i++
	}
	return b.String(), nil
}

// strptime parses s with a strftime-style format built from the same
// directives.
func strptime(s, format string) (isoPoint, error) {
	fields := map[byte]string{
		'd': `(?P<d>\d{2})`, 'H': `(?P<H>\d{2})`, 'j': `(?P<j>\d{3})`, 'm': `(?P<m>\d{2})`,
		'M': `(?P<M>\d{2})`, 'S': `(?P<S>\d{2})`, 'Y': `(?P<Y>\d{4})`,
		'F': `(?P<Y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})`, 'X': `(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})`,
		'z': `(?P<zs>[-+])(?P<zh>\d{2})(?P<zm>\d{2})`, 's': `(?P<s>\d+[,.]?\d*)`,
	}
	var re strings.Builder
	re.WriteString("^")
	seen := map[byte]bool{}
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && isWordByte(format[i+1]) {
			f, ok := fields[format[i+1]]
			if !ok {
				return isoPoint{}, strftimeSyntaxErr(format[i : i+2])
			}
			if seen[format[i+1]] {
				return isoPoint{}, &evalError{kind: "StrptimeConversionError", msg: "repeated directive %" + string(format[i+1]) + " in " + format}
			}
			seen[format[i+1]] = true
			re.WriteString(f)
			i++
			continue
		}
		re.WriteString(regexp.QuoteMeta(format[i : i+1]))
	}
	re.WriteString("$")
	rx, err := regexp.Compile(re.String())
	if err != nil {
		return isoPoint{}, &evalError{kind: "StrptimeConversionError", msg: "Bad strptime format " + format}
	}
	m := rx.FindStringSubmatch(s)
	if m == nil {
		return isoPoint{}, &evalError{kind: "StrptimeConversionError", msg: "Bad conversion for strftime: '" + format + "', '" + s + "'"}
	}
	p := isoPoint{year: 0, month: 1, day: 1}
	for i, name := range rx.SubexpNames() {
		switch name {
		case "Y":
			p.year = atoi(m[i])
		case "m":
			p.month = atoi(m[i])
		case "d":
			p.day = atoi(m[i])
		case "H":
			p.hour = atoi(m[i])
		case "M":
			p.minute = atoi(m[i])
		case "S":
			p.second = atoi(m[i])
		case "zh":
			p.tzMinutes += atoi(m[i]) * 60
		case "zm":
			p.tzMinutes += atoi(m[i])
		}
	}
	if idx := rx.SubexpIndex("zs"); idx >= 0 && m[idx] == "-" {
		p.tzMinutes = -p.tzMinutes
	}
	if idx := rx.SubexpIndex("j"); idx >= 0 {
		t := time.Date(p.year, 1, atoi(m[idx]), 0, 0, 0, 0, time.UTC)
		p.month, p.day = int(t.Month()), t.Day()
	}
	if idx := rx.SubexpIndex("s"); idx >= 0 {
		f, _ := strconv.ParseFloat(strings.ReplaceAll(m[idx], ",", "."), 64)
		t := time.Unix(int64(f), 0).UTC()
		p = isoPoint{year: t.Year(), month: int(t.Month()), day: t.Day(), hour: t.Hour(), minute: t.Minute(), second: t.Second()}
	}
	return p, p.checkBounds()
}

// durationSeconds is DurationParser().parse(s).get_seconds(): years count
// 365 days and months 30, as isodatetime's rough conversion does.
func durationSeconds(s string) (float64, error) {
	sign := 1.0
	body := s
	if strings.HasPrefix(body, "-") {
		sign, body = -1, body[1:]
	}
	if m := reDurationWeek.FindStringSubmatch(body); m != nil {
		return sign * float64(atoi(m[1])) * 7 * 86400, nil
	}
	var ymd, hms []string
	if m := reDurationYMD.FindStringSubmatch(body); m != nil {
		ymd = m[1:4]
	} else if m := reDurationTime.FindStringSubmatch(body); m != nil {
		ymd, hms = m[1:4], m[4:7]
	} else if m := reDurationAlt.FindStringSubmatch(body); m != nil && sign > 0 {
		ymd, hms = []string{m[1], m[3], m[4]}, m[5:8]
	} else {
		return 0, isoSyntaxErr("duration", s)
	}
	total := float64(atoi(ymd[0]))*365*86400 + float64(atoi(ymd[1]))*30*86400 + float64(atoi(ymd[2]))*86400
	for i, v := range hms {
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil {
			return 0, valueErr("could not convert string to float: %s", reprString(v))
		}
		total += f * []float64{3600, 60, 1}[i]
	}
	return sign * total, nil
}
