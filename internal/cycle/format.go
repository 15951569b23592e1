package cycle

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file turns a cycle point format ("CCYYMMDDThhmmZ", "%Y%m%dT%H%MZ",
// "+XCCYY-MM-DD") into a list of segments, the way isodatetime's
// TimePointDumper does it: the format is split at "T" into date, time and
// time zone parts, and fixed tokens (CC, YY, MM, DDD, DD, Www, D, z, X, hh,
// mm, ss, ...) are replaced in isodatetime's order. Everything else is
// copied literally. Formats containing "%" use the strftime subset instead.

// Property codes of format segments.
const (
	pLit byte = iota
	pYearSign
	pExpanded
	pCentury
	pYoC
	pMonth
	pDoY
	pDoM
	pWeek
	pDoW
	pYoD
	pHour
	pMinute
	pSecond
	pHourDec
	pMinuteDec
	pSecondDec
	pTZSign
	pTZHour
	pTZMinute
	pEpoch
	nProps
)

type seg struct {
	prop  byte
	width int // zero-padding width for numbers
	lit   string
}

// zone handling of a format
const (
	zoneNone    = iota // no zone written: wall time is re-read in the assumed zone
	zoneFixed          // converted to a fixed zone ("Z", "+13") before writing
	zoneDynamic        // the point's own offset is written (+hh:mm tokens, %z)
)

type dumpFormat struct {
	raw      string
	nExp     int
	segs     []seg
	has      [nProps]bool
	strftime bool
	zone     int
	zoneTZ   int32
}

type rule struct {
	pat  string
	prop byte
	w    int
	pre  string // literal written before the value (the W of Www)
}

var dateRules = []rule{
	{"CC", pCentury, 2, ""}, {"YY", pYoC, 2, ""}, {"MM", pMonth, 2, ""},
	{"DDD", pDoY, 3, ""}, {"DD", pDoM, 2, ""}, {"Www", pWeek, 2, "W"},
	{"D", pDoW, 1, ""}, {"z", pYoD, 1, ""},
}

// substitute replaces every occurrence of r.pat in the literal segments.
func substitute(segs []seg, r rule) []seg {
	var out []seg
	for _, s := range segs {
		if s.prop != pLit || !strings.Contains(s.lit, r.pat) {
			out = append(out, s)
			continue
		}
		rest := s.lit
		for {
			i := strings.Index(rest, r.pat)
			if i < 0 {
				break
			}
			if lit := rest[:i] + r.pre; lit != "" {
				out = append(out, seg{lit: lit})
			}
			out = append(out, seg{prop: r.prop, width: r.w})
			rest = rest[i+len(r.pat):]
		}
		if rest != "" {
			out = append(out, seg{lit: rest})
		}
	}
	return out
}

// substituteAt replaces pat only at byte offset at of the original string,
// for isodatetime's anchored time rules (^hh, (?<=^hh)mm, ...).
func substituteAt(segs []seg, at int, pat string, prop byte, w int) []seg {
	if len(segs) == 0 || segs[0].prop != pLit {
		return segs
	}
	// offsets are only meaningful while the first segment is untouched
	s := segs[0].lit
	if !strings.HasPrefix(s[min(at, len(s)):], pat) || at > len(s) {
		return segs
	}
	var out []seg
	if at > 0 {
		out = append(out, seg{lit: s[:at]})
	}
	out = append(out, seg{prop: prop, width: w})
	if rest := s[at+len(pat):]; rest != "" {
		out = append(out, seg{lit: rest})
	}
	return append(out, segs[1:]...)
}

// parseTZDesignator reads a fixed zone such as "Z", "+13", "-0530" or
// "+05:30" into minutes east of UTC.
func parseTZDesignator(s string, basicOnly bool) (int32, bool) {
	p := &isoParser{}
	var c captures
	bad := -1
	if basicOnly {
		bad = fExtended
	}
	if _, ok := p.tzInfo(s, bad, &c); !ok {
		return 0, false
	}
	if c.isZ {
		return 0, true
	}
	if c.tzMin > 59 {
		return 0, false
	}
	tz := int32(c.tzHour*60 + c.tzMin)
	if c.tzSign == '-' {
		tz = -tz
	}
	return tz, true
}

func formatErr(f, msg string) *Error {
	return &Error{What: "cycle point format", Value: f, Msg: msg}
}

// compileFormat compiles a cycle point format for n expanded year digits.
func compileFormat(f string, nExp int) (*dumpFormat, error) {
	if strings.Contains(f, "%") {
		if df, ok := compileStrftime(f, nExp); ok {
			return df, nil
		}
		return nil, formatErr(f, "unsupported strftime directive").withHint(
			"supported are %F %H %M %S %Y %d %j %m %s %z")
	}
	df := &dumpFormat{raw: f, nExp: nExp}
	parts := strings.Split(f, "T")
	date, tm, tz := parts[0], "", ""
	hasTime := len(parts) > 1
	if hasTime {
		tm = parts[1]
		switch {
		case strings.HasSuffix(tm, "Z"):
			tm, tz = tm[:len(tm)-1], "Z"
			df.zone = zoneFixed
		case strings.Contains(tm, "+hh"):
			if strings.Count(tm, "+") > 1 {
				return nil, formatErr(f, "more than one time zone sign")
			}
			tm, tz, _ = strings.Cut(tm, "+")
			tz = "+" + tz
			df.zone = zoneDynamic
		case strings.Contains(tm, "+"):
			if strings.Count(tm, "+") > 1 {
				return nil, formatErr(f, "more than one time zone sign")
			}
			tm, tz, _ = strings.Cut(tm, "+")
			tz = "+" + tz
		case strings.Contains(strings.TrimLeft(tm, "-"), "-"):
			if strings.Count(tm, "-") > 1 {
				return nil, formatErr(f, "more than one time zone sign")
			}
			tm, tz, _ = strings.Cut(tm, "-")
			tz = "-" + tz
		}
		if tz != "" && df.zone == zoneNone {
			if off, ok := parseTZDesignator(tz, false); ok {
				df.zone, df.zoneTZ = zoneFixed, off
			}
		}
	}
	// date part
	segs := []seg{{lit: date}}
	if date == "" {
		segs = nil
	}
	var out []seg
	for _, s := range segs { // "+" directly before X is the year sign
		rest := s.lit
		for {
			i := strings.Index(rest, "+X")
			if i < 0 {
				break
			}
			if i > 0 {
				out = append(out, seg{lit: rest[:i]})
			}
			out = append(out, seg{prop: pYearSign})
			rest = rest[i+1:]
		}
		if rest != "" {
			out = append(out, seg{lit: rest})
		}
	}
	segs = out
	for _, r := range dateRules {
		segs = substitute(segs, r)
	}
	segs = substitute(segs, rule{"X", pExpanded, nExp, ""})
	if hasTime {
		t := []seg{{lit: tm}}
		if tm == "" {
			t = nil
		}
		switch {
		case strings.HasPrefix(tm, "hhmm"):
			t = substituteAt(t, 2, "mm", pMinute, 2)
		case strings.HasPrefix(tm, "hh:mm"):
			t = substituteAt(t, 3, "mm", pMinute, 2)
		case strings.HasPrefix(tm, "-mm"):
			t = substituteAt(t, 1, "mm", pMinute, 2)
		}
		t = substituteAt(t, 0, "hh", pHour, 2)
		for _, r := range []rule{
			{",ii", pHourDec, 0, ","}, {".ii", pHourDec, 0, "."},
			{",nn", pMinuteDec, 0, ","}, {".nn", pMinuteDec, 0, "."},
			{"ss", pSecond, 2, ""},
			{",tt", pSecondDec, 0, ","}, {".tt", pSecondDec, 0, "."},
		} {
			t = substitute(t, r)
		}
		z := []seg{{lit: tz}}
		if tz == "" {
			z = nil
		}
		for _, r := range []rule{{"mm", pTZMinute, 2, ""}, {"hh", pTZHour, 2, ""}, {"+", pTZSign, 0, ""}} {
			z = substitute(z, r)
		}
		segs = append(segs, seg{lit: "T"})
		segs = append(segs, t...)
		segs = append(segs, z...)
	}
	for _, s := range segs {
		if s.prop == pLit && strings.Contains(s.lit, "%") {
			return nil, formatErr(f, "stray '%'")
		}
	}
	df.segs = mergeLits(segs)
	for _, s := range df.segs {
		df.has[s.prop] = true
	}
	return df, nil
}

func (e *Error) withHint(h string) *Error { e.Hint = h; return e }

func mergeLits(segs []seg) []seg {
	var out []seg
	for _, s := range segs {
		if s.prop == pLit && len(out) > 0 && out[len(out)-1].prop == pLit {
			out[len(out)-1].lit += s.lit
			continue
		}
		out = append(out, s)
	}
	return out
}

// strftime directives isodatetime supports, as segment lists.
var strftimeDirectives = map[byte][]seg{
	'd': {{prop: pDoM, width: 2}},
	'F': {{prop: pCentury, width: 2}, {prop: pYoC, width: 2}, {lit: "-"}, {prop: pMonth, width: 2}, {lit: "-"}, {prop: pDoM, width: 2}},
	'H': {{prop: pHour, width: 2}},
	'j': {{prop: pDoY, width: 3}},
	'm': {{prop: pMonth, width: 2}},
	'M': {{prop: pMinute, width: 2}},
	's': {{prop: pEpoch}},
	'S': {{prop: pSecond, width: 2}},
	'X': {{prop: pHour, width: 2}, {lit: ":"}, {prop: pMinute, width: 2}, {lit: ":"}, {prop: pSecond, width: 2}},
	'Y': {{prop: pCentury, width: 2}, {prop: pYoC, width: 2}},
	'z': {{prop: pTZSign}, {prop: pTZHour, width: 2}, {prop: pTZMinute, width: 2}},
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func compileStrftime(f string, nExp int) (*dumpFormat, bool) {
	df := &dumpFormat{raw: f, nExp: nExp, strftime: true}
	var segs []seg
	for i := 0; i < len(f); i++ {
		if f[i] == '%' && i+1 < len(f) && isWordByte(f[i+1]) {
			d, ok := strftimeDirectives[f[i+1]]
			if !ok {
				return nil, false
			}
			segs = append(segs, d...)
			i++
			continue
		}
		if f[i] == '%' {
			return nil, false
		}
		segs = append(segs, seg{lit: f[i : i+1]})
	}
	df.segs = mergeLits(segs)
	for _, s := range df.segs {
		df.has[s.prop] = true
	}
	if df.has[pTZSign] {
		df.zone = zoneDynamic
	}
	return df, true
}

// useWeekYear reports whether the year written is the ISO week-year.
func (df *dumpFormat) useWeekYear(r rep) bool {
	noCal := !df.has[pMonth] && !df.has[pDoM] && !df.has[pDoY]
	return noCal && (df.has[pWeek] || df.has[pDoW] || r == repWeek)
}

func decimalString(frac float64) string {
	if frac >= 0.9999995 {
		return "999999"
	}
	s := strconv.FormatFloat(frac, 'f', 6, 64)
	_, s, _ = strings.Cut(s, ".")
	if s = strings.TrimRight(s, "0"); s == "" {
		return "0"
	}
	return s
}

// pad appends v (>= 0) zero-padded to w digits.
func pad(b []byte, v int64, w int) []byte {
	var d [20]byte
	i := len(d)
	for v >= 10 {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	d[i] = byte('0' + v)
	for n := len(d) - i; n < w; n++ {
		b = append(b, '0')
	}
	return append(b, d[i:]...)
}

// format writes a date-time point.
func (df *dumpFormat) format(p Point) (string, error) {
	if df.zone == zoneFixed {
		p = p.withTZ(df.zoneTZ)
	}
	cal := p.c.cal
	var (
		year           int64
		month, dom     int
		wyear          int64
		week, dow, doy int
	)
	year, month, dom = cal.civil(p.day)
	if df.has[pWeek] || df.has[pDoW] || df.useWeekYear(p.c.rep) {
		wyear, week, dow = cal.weekDate(p.day)
		if df.useWeekYear(p.c.rep) {
			year = wyear
		}
	}
	if df.has[pDoY] {
		_, doy = cal.ordinal(p.day)
	}
	ay := year
	if ay < 0 {
		ay = -ay
	}
	if df.has[pCentury] && (!df.has[pExpanded] || df.nExp == 0) && (year < 0 || year > 9999) {
		return "", pointErr(strconv.FormatInt(year, 10), "year outside 0..9999 cannot be written in cycle point format "+
			strconv.Quote(df.raw)).withHint("set [scheduler]cycle point num expanded year digits")
	}
	if df.has[pExpanded] {
		lim := int64(math.Pow10(df.nExp+4)) - 1
		if ay > lim {
			return "", pointErr(strconv.FormatInt(year, 10), fmt.Sprintf("year needs more than %d expanded year digits", df.nExp))
		}
	}
	var buf [48]byte
	b := buf[:0]
	for _, s := range df.segs {
		switch s.prop {
		case pLit:
			b = append(b, s.lit...)
		case pYearSign:
			if year < 0 {
				b = append(b, '-')
			} else {
				b = append(b, '+')
			}
		case pExpanded:
			b = pad(b, ay/10000, s.width)
		case pCentury:
			b = pad(b, ay%10000/100, 2)
		case pYoC:
			b = pad(b, ay%100, 2)
		case pYoD:
			b = pad(b, ay%10, 1)
		case pMonth:
			b = pad(b, int64(month), 2)
		case pDoM:
			b = pad(b, int64(dom), 2)
		case pDoY:
			b = pad(b, int64(doy), 3)
		case pWeek:
			b = pad(b, int64(week), 2)
		case pDoW:
			b = pad(b, int64(dow), 1)
		case pHour:
			b = pad(b, p.ns/3600e9, 2)
		case pMinute:
			b = pad(b, p.ns/60e9%60, 2)
		case pSecond:
			b = pad(b, p.ns/1e9%60, 2)
		case pHourDec:
			b = append(b, decimalString(float64(p.ns%3600e9)/3600e9)...)
		case pMinuteDec:
			b = append(b, decimalString(float64(p.ns%60e9)/60e9)...)
		case pSecondDec:
			b = append(b, decimalString(float64(p.ns%1e9)/1e9)...)
		case pTZSign:
			if p.tz < 0 {
				b = append(b, '-')
			} else {
				b = append(b, '+')
			}
		case pTZHour:
			b = pad(b, int64(absI32(p.tz)/60), 2)
		case pTZMinute:
			b = pad(b, int64(absI32(p.tz)%60), 2)
		case pEpoch:
			d, ns := p.utc()
			secs := (d-cal.dayNumber(1970, 1, 1))*86400 + floorDiv(ns, 1e9)
			if secs < 0 && ns%1e9 != 0 {
				secs++ // int() truncates towards zero
			}
			b = strconv.AppendInt(b, secs, 10)
		}
	}
	return string(b), nil
}

func absI32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
