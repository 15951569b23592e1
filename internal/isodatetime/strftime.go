package isodatetime

import (
	"strconv"
	"strings"
	"time"
)

// isodatetime's last resort for printing: Python's datetime.strftime,
// which ends in glibc's strftime (C locale); reproduced here for the
// directives isodatetime's own dumper lacks (%a, %b, %e, %y, ...).

// datetimeStrftime is isodatetime's last resort: Python's
// datetime(...).strftime(format) on the point's calendar date and time,
// without its time zone.
func (e *idtEnv) datetimeStrftime(p idtPoint, format string) (string, error) {
	y, m, d, err := p.calendarDate(e.cal)
	if err != nil {
		return "", err
	}
	h, mi, s := p.hms()
	micro := int64(1e6 * (s - float64(int64(s))))
	hour, minute, sec := int64(h), int64(mi), int64(s)
	if err := idtCheckDate(y, m, d); err != nil {
		return "", err
	}
	switch {
	case hour < 0 || hour > 23:
		return "", idtValue("hour must be in 0..23")
	case minute < 0 || minute > 59:
		return "", idtValue("minute must be in 0..59")
	case sec < 0 || sec > 59:
		return "", idtValue("second must be in 0..59")
	case micro < 0 || micro > 999999:
		return "", idtValue("microsecond must be in 0..999999")
	}
	t := time.Date(int(y), time.Month(m), int(d), int(hour), int(minute), int(sec), 0, time.UTC)
	// datetime.strftime replaces %z, %Z (empty for a naive datetime) and %f.
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		switch format[i] {
		case 'z', 'Z':
		case 'f':
			b.WriteString(strings.Repeat("0", 6-len(strconv.FormatInt(micro, 10))) + strconv.FormatInt(micro, 10))
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	f := b.String()
	limit := 1024
	for limit < 256*len(f) {
		limit *= 2
	}
	out := e.cStrftime(f, t, limit)
	if len(out) >= limit {
		return "", nil // Python gives up and returns "" when it does not fit
	}
	return out, nil
}

// cStrftime is glibc's strftime in the C locale for a struct tm whose
// tm_isdst is -1 (so %z prints nothing). Output beyond limit is cut short.
func (e *idtEnv) cStrftime(f string, t time.Time, limit int) string {
	var b strings.Builder
	for i := 0; i < len(f) && b.Len() < limit; i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		start := i
		i++
		pad, upper, swap := byte(0), false, false
		for ; i < len(f) && strings.IndexByte("_-0^#", f[i]) >= 0; i++ {
			switch f[i] {
			case '^':
				upper = true
			case '#':
				swap = true
			default:
				pad = f[i]
			}
		}
		width := -1
		for ; i < len(f) && f[i] >= '0' && f[i] <= '9'; i++ {
			width = min(max(width, 0)*10+int(f[i]-'0'), limit)
		}
		mod := byte(0)
		if i < len(f) && (f[i] == 'E' || f[i] == 'O') {
			mod = f[i]
			i++
		}
		bad := func() {
			if i >= len(f) {
				i = len(f) - 1
			}
			s := f[start : i+1]
			if i == len(f)-1 && start < len(f) && strings.IndexByte("_-0^#EO0123456789", f[i]) >= 0 {
				s = f[start:]
			}
			if upper {
				s = strings.ToUpper(s)
			}
			b.WriteString(idtCPad(s, width, pad, ' '))
		}
		if i >= len(f) {
			i = len(f) - 1
			s := f[start:]
			if upper {
				s = strings.ToUpper(s)
			}
			b.WriteString(idtCPad(s, width, pad, ' '))
			break
		}
		c := f[i]
		text := func(s string, toUpper bool) {
			if toUpper {
				s = strings.ToUpper(s)
			}
			b.WriteString(idtCPad(s, width, pad, ' '))
		}
		number := func(digits int, v int64, space bool) {
			b.WriteString(idtCNumber(v, digits, width, pad, space))
		}
		yday := int64(t.YearDay() - 1)
		wday := int64(t.Weekday())
		hour12 := int64(t.Hour() % 12)
		if hour12 == 0 {
			hour12 = 12
		}
		sub := func(s string) { text(e.cStrftime(s, t, limit), upper) }
		switch {
		case mod == 'E' && strings.IndexByte("aAbBdDeFgGhHIjklmMSUVwW", c) >= 0,
			mod == 'O' && strings.IndexByte("aAcDFxXY", c) >= 0,
			mod != 0 && strings.IndexByte("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%", c) < 0:
			bad()
			continue
		}
		switch c {
		case '%':
			text("%", false)
		case 'n':
			text("\n", false)
		case 't':
			text("\t", false)
		case 'a':
			text(t.Weekday().String()[:3], upper || swap)
		case 'A':
			text(t.Weekday().String(), upper || swap)
		case 'b', 'h':
			text(t.Month().String()[:3], upper || swap)
		case 'B':
			text(t.Month().String(), upper || swap)
		case 'p':
			s := "AM"
			if t.Hour() >= 12 {
				s = "PM"
			}
			if swap {
				s = strings.ToLower(s)
			}
			text(s, false)
		case 'P':
			s := "am"
			if t.Hour() >= 12 {
				s = "pm"
			}
			text(s, false)
		case 'Z':
			text("", false)
		case 'z':
		case 'c':
			sub("%a %b %e %H:%M:%S %Y")
		case 'D', 'x':
			sub("%m/%d/%y")
		case 'F':
			sub("%Y-%m-%d")
		case 'r':
			sub("%I:%M:%S %p")
		case 'R':
			sub("%H:%M")
		case 'T', 'X':
			sub("%H:%M:%S")
		case 'C':
			number(1, int64(t.Year()/100), false)
		case 'Y':
			number(1, int64(t.Year()), false)
		case 'G':
			y, _ := t.ISOWeek()
			number(1, int64(y), false)
		case 'g':
			y, _ := t.ISOWeek()
			number(2, int64(y%100), false)
		case 'V':
			_, w := t.ISOWeek()
			number(2, int64(w), false)
		case 'y':
			number(2, int64(t.Year()%100), false)
		case 'm':
			number(2, int64(t.Month()), false)
		case 'd':
			number(2, int64(t.Day()), false)
		case 'e':
			number(2, int64(t.Day()), true)
		case 'H':
			number(2, int64(t.Hour()), false)
		case 'k':
			number(2, int64(t.Hour()), true)
		case 'I':
			number(2, hour12, false)
		case 'l':
			number(2, hour12, true)
		case 'M':
			number(2, int64(t.Minute()), false)
		case 'S':
			number(2, int64(t.Second()), false)
		case 'j':
			number(3, yday+1, false)
		case 'u':
			number(1, (wday+6)%7+1, false)
		case 'w':
			number(1, wday, false)
		case 'U':
			number(2, (yday+7-wday)/7, false)
		case 'W':
			number(2, (yday+7-(wday+6)%7)/7, false)
		case 's':
			local := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, e.loc)
			number(1, local.Unix(), false)
		default:
			bad()
		}
	}
	return b.String()
}

// idtCPad pads s to width with zeros (flag 0) or spaces.
func idtCPad(s string, width int, pad, def byte) string {
	if width <= len(s) {
		return s
	}
	fill := def
	if pad == '0' {
		fill = '0'
	} else if pad == '_' || pad == '-' {
		fill = ' '
	}
	return strings.Repeat(string(fill), width-len(s)) + s
}

// idtCNumber formats a number as glibc does: zero-padded (space-padded for
// %e, %k, %l) to its usual digits, or to the width; "-" drops the usual
// padding, "_" pads with spaces, "0" with zeros.
func idtCNumber(v int64, digits, width int, pad byte, space bool) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	fill := byte('0')
	if space {
		fill = ' '
	}
	switch pad {
	case '_', '-':
		fill = ' '
	case '0':
		fill = '0'
	}
	w := width
	if w < 0 {
		w = digits
		if pad == '-' {
			w = 0
		}
	}
	sign := ""
	if neg {
		sign = "-"
	}
	short := w - len(sign) - len(s)
	if short <= 0 {
		return sign + s
	}
	if fill == ' ' {
		return strings.Repeat(" ", short) + sign + s
	}
	return sign + strings.Repeat("0", short) + s
}
