package cycle

import (
	"strconv"
	"strings"
)

// This file reads ISO 8601 date-times the way isodatetime's TimePointParser
// does: a string is split at "T", the date part is matched against an
// ordered list of templates (basic before extended; complete, truncated,
// reduced), then the time and time zone. The first matching template wins,
// which decides ambiguous strings such as "-2010" (truncated -YYMM).

// captures holds the raw matched groups of one template.
type captures struct {
	trunc                    int
	sign                     byte
	expanded                 string
	hasExpanded              bool
	century, yoc, yod        int
	hasCentury, hasYoC       bool
	hasYoD                   bool
	month, doy, dom          int
	week, dow                int
	hour, minute, second     int
	hasHour, hasMin, hasSec  bool
	hourDec, minDec, secDec  string
	tzSign                   byte
	tzHour, tzMin            int
	hasTZ, hasTZMin, isZ     bool
	hasMonth, hasDoY, hasDoM bool
	hasWeek, hasDoW          bool
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits reads exactly n digits at s[i:].
func digits(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for j := i; j < i+n; j++ {
		if !isDigit(s[j]) {
			return 0, false
		}
		v = v*10 + int(s[j]-'0')
	}
	return v, true
}

// match matches the whole of s against toks, filling c.
func match(toks []ptok, s string, nExp int, c *captures) bool {
	i := 0
	for _, t := range toks {
		switch t.kind {
		case kLit, kTrunc:
			if i >= len(s) || s[i] != t.lit {
				return false
			}
			if t.kind == kTrunc {
				c.trunc++
			}
			i++
		case kSign, kTZSign:
			if i >= len(s) || (s[i] != '+' && s[i] != '-') {
				return false
			}
			if t.kind == kSign {
				c.sign = s[i]
			} else {
				c.tzSign = s[i]
			}
			i++
		case kExpanded:
			if i+nExp > len(s) {
				return false
			}
			for j := i; j < i+nExp; j++ {
				if !isDigit(s[j]) {
					return false
				}
			}
			c.expanded, c.hasExpanded = s[i:i+nExp], true
			i += nExp
		case kZ:
			if i >= len(s) || s[i] != 'Z' {
				return false
			}
			c.isZ, c.hasTZ = true, true
			i++
		case kHourDec, kMinuteDec, kSecondDec:
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i {
				return false
			}
			switch t.kind {
			case kHourDec:
				c.hourDec = s[i:j]
			case kMinuteDec:
				c.minDec = s[i:j]
			default:
				c.secDec = s[i:j]
			}
			i = j
		default:
			v, ok := digits(s, i, t.width)
			if !ok {
				return false
			}
			i += t.width
			switch t.kind {
			case kCentury:
				c.century, c.hasCentury = v, true
			case kYoC:
				c.yoc, c.hasYoC = v, true
			case kYoD:
				c.yod, c.hasYoD = v, true
			case kMonth:
				c.month, c.hasMonth = v, true
			case kDoY:
				c.doy, c.hasDoY = v, true
			case kDoM:
				c.dom, c.hasDoM = v, true
			case kWeek:
				c.week, c.hasWeek = v, true
			case kDoW:
				c.dow, c.hasDoW = v, true
			case kHour:
				c.hour, c.hasHour = v, true
			case kMinute:
				c.minute, c.hasMin = v, true
			case kSecond:
				c.second, c.hasSec = v, true
			case kTZHour:
				c.tzHour, c.hasTZ = v, true
			case kTZMinute:
				c.tzMin, c.hasTZMin = v, true
			}
		}
	}
	return i == len(s)
}

// isoParser holds the settings of one TimePointParser.
type isoParser struct {
	nExp           int   // num_expanded_year_digits
	allowTruncated bool  // ISO 8601:2000 truncations
	assumedTZ      int32 // minutes east of UTC for zone-less input
}

// syntaxErr mirrors isodatetime's ISO8601SyntaxError wording.
func syntaxErr(part, s string) *Error {
	return &Error{What: "cycle point", Value: s, Msg: "invalid ISO 8601 " + part + " representation"}
}

func (p *isoParser) dateInfo(s string, noReduced bool) (int, int, string, captures, error) {
	for f := range 2 {
		for _, ty := range [3]int{tComplete, tTruncated, tReduced} {
			if (ty == tReduced && noReduced) || (ty == tTruncated && !p.allowTruncated) {
				continue
			}
			for _, t := range dateTmpl[f][ty] {
				var c captures
				if match(t.toks, s, p.nExp, &c) {
					return f, ty, t.expr, c, nil
				}
			}
		}
	}
	return 0, 0, "", captures{}, syntaxErr("date", s)
}

// timeInfo matches a time; badFormat -1 allows both formats.
func (p *isoParser) timeInfo(s string, badFormat int, allowTrunc bool, c *captures) (string, bool) {
	for f := range 2 {
		if f == badFormat {
			continue
		}
		for _, ty := range [3]int{tComplete, tReduced, tTruncated} {
			if ty == tTruncated && !allowTrunc {
				continue
			}
			for _, t := range timeTmpl[f][ty] {
				cc := *c
				if match(t.toks, s, p.nExp, &cc) {
					*c = cc
					return t.expr, true
				}
			}
		}
	}
	return "", false
}

func (p *isoParser) tzInfo(s string, badFormat int, c *captures) (string, bool) {
	for f := range 2 {
		if f == badFormat {
			continue
		}
		for _, t := range tzTmpl[f] {
			cc := *c
			if match(t.toks, s, p.nExp, &cc) {
				*c = cc
				return t.expr, true
			}
		}
	}
	return "", false
}

// parse reads s into fields (not yet bounds-checked).
func (p *isoParser) parse(s string) (fields, error) {
	f, err := p.parseParts(s)
	if err != nil {
		return f, withWhat(err, "cycle point", s)
	}
	return f, nil
}

func (p *isoParser) parseParts(s string) (fields, error) {
	parts := strings.Split(s, "T")
	var (
		c        captures
		expr     string
		dateTrun bool
	)
	switch len(parts) {
	case 1:
		_, _, e, cc, err := p.dateInfo(s, false)
		if err != nil {
			return fields{}, err
		}
		c, expr = cc, e
	case 2:
		date, ttz := parts[0], parts[1]
		badFormat := -1
		if date == "" && p.allowTruncated {
			dateTrun = true
		} else {
			f, ty, e, cc, err := p.dateInfo(date, true)
			if err != nil {
				return fields{}, err
			}
			c, expr = cc, e
			if ty != tTruncated {
				badFormat = 1 - f
			}
			dateTrun = c.trunc > 0
		}
		allowTruncTime := dateTrun
		var tm, tz string
		hasTZ := true
		switch {
		case strings.HasSuffix(ttz, "Z"):
			tm, tz = ttz[:len(ttz)-1], "Z"
		case strings.Contains(ttz, "+"):
			if strings.Count(ttz, "+") > 1 {
				return fields{}, syntaxErr("time", ttz)
			}
			tm, tz, _ = strings.Cut(ttz, "+")
			tz = "+" + tz
		case strings.Contains(ttz, "-"):
			k := strings.LastIndex(ttz, "-")
			tm, tz = ttz[:k], ttz[k:]
			probe := c
			if _, ok := p.timeInfo(tm, badFormat, allowTruncTime, &probe); !ok {
				tm, hasTZ = ttz, false
			} else if _, ok := p.tzInfo(tz, badFormat, &probe); !ok {
				tm, hasTZ = ttz, false
			}
		default:
			tm, hasTZ = ttz, false
		}
		var tzExpr string
		if hasTZ {
			e, ok := p.tzInfo(tz, badFormat, &c)
			if !ok {
				return fields{}, syntaxErr("time zone", tz)
			}
			tzExpr = e
		}
		te, ok := p.timeInfo(tm, badFormat, allowTruncTime, &c)
		if !ok {
			return fields{}, syntaxErr("time", tm)
		}
		expr += "T" + te + tzExpr
		if dateTrun && c.trunc == 0 {
			c.trunc = -1 // T-only string: truncated date
		}
		if strings.HasPrefix(te, "-") {
			c.trunc = max(c.trunc, 1)
		}
	default:
		return fields{}, syntaxErr("date-time", s)
	}
	return p.toFields(s, &c, expr)
}

// toFields applies isodatetime's _create_timepoint_from_info rules.
func (p *isoParser) toFields(s string, c *captures, expr string) (fields, error) {
	f := fields{expr: expr}
	f.truncated = c.trunc != 0
	if f.truncated {
		if c.hasYoD {
			f.truncProp = propDecade
		}
		if c.hasYoC {
			f.truncProp = propCentury
		}
	} else if !c.hasCentury && c.hasYoC {
		f.truncProp = propCentury
		f.truncated = true
	}
	yearPresent := !f.truncated || c.hasYoD || c.hasCentury || c.hasYoC || c.hasExpanded || c.sign != 0
	if yearPresent {
		var y int64
		if c.hasYoD {
			y += int64(c.yod)
			f.truncProp = propDecade
		}
		y += int64(c.yoc) + 100*int64(c.century)
		if c.hasExpanded {
			if c.expanded == "" {
				return fields{}, &Error{What: "cycle point", Value: s, Msg: "signed (expanded) year needs [scheduler]cycle point num expanded year digits > 0"}
			}
			e, err := strconv.ParseInt(c.expanded, 10, 64)
			if err != nil || e > 1e13 {
				return fields{}, pointErr(s, "year out of range")
			}
			y += 10000 * e
			f.expanded = true
		}
		if c.sign == '-' {
			y = -y
		}
		f.hasYear, f.year = true, y
	}
	f.month, f.dom, f.doy, f.woy, f.dow = -1, -1, -1, -1, -1
	if c.hasMonth {
		f.month = c.month
	}
	if c.hasDoM {
		f.dom = c.dom
	}
	if c.hasDoY {
		f.doy = c.doy
	}
	if c.hasWeek {
		f.woy = c.week
	}
	if c.hasDoW {
		f.dow = c.dow
	}
	if c.hasHour {
		f.hasHour, f.hour = true, float64(c.hour)
		if c.hourDec != "" {
			f.hour += decimal(c.hourDec)
		}
	}
	if c.hasMin {
		f.hasMinute, f.minute = true, float64(c.minute)
		if c.minDec != "" {
			f.minute += decimal(c.minDec)
		}
	}
	if c.hasSec {
		f.hasSecond, f.second = true, float64(c.second)
		if c.secDec != "" {
			f.second += decimal(c.secDec)
		}
	}
	if c.hasTZ {
		f.hasTZ = true
		if !c.isZ {
			h, m := c.tzHour, c.tzMin
			tz := int32(h*60 + m)
			if c.tzSign == '-' {
				tz = -tz
			}
			if h > 99 || m > 59 {
				return fields{}, pointErr(s, "time zone offset out of range")
			}
			f.tz = tz
		}
	} else {
		f.tz = p.assumedTZ
	}
	return f, nil
}

func decimal(d string) float64 {
	v, _ := strconv.ParseFloat("0."+d, 64)
	return v
}
