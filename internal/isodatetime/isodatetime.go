package isodatetime

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"gyre/internal/pyformat"
)

// Package isodatetime is metomi-isodatetime's command line (isodatetime
// 3.x), which Cylc puts in every job's environment: job scripts use it for
// date arithmetic (isodatetime "$CYLC_TASK_CYCLE_POINT" --offset=PT6H) and
// durations (isodatetime "$A" "$B" --as-total s). A run's .service/bin shim
// runs "gyre isodatetime", so its output must be exactly what the Python
// prints; the other files reproduce the library underneath (its own
// parser, calendars and formats: a point here keeps the form it was
// written in, which cycle points do not).

// Version is the metomi-isodatetime release whose behaviour this follows.
const Version = "3.1.0"

// idtNow and idtLocation are the clock and local time zone; tests fix them.
var (
	idtNow      = time.Now
	idtLocation = func() *time.Location { return time.Local }
)

// idtEnv holds one invocation's settings (isodatetime's DateTimeOperator).
type idtEnv struct {
	cal         *idtCal
	utc         bool
	parseFormat *string
	ref         *string
	now         func() time.Time
	loc         *time.Location
	local       idtZone // the local UTC offset now, assumed for zone-less points
}

func (e *idtEnv) parser() idtParser {
	if e.utc {
		return idtParser{assumed: idtZone{set: true}}
	}
	return idtParser{assumed: e.local}
}

// idtLocalZone is the UTC offset at t in (hours, minutes), as Python's
// time module reports it.
func idtLocalZone(t time.Time) idtZone {
	_, secs := t.Zone()
	s := int64(secs)
	sign := int64(1)
	if s < 0 {
		sign = -1
	}
	return idtZone{set: true, h: sign * idtFloorDiv(sign*s, 3600), m: idtFloorMod(idtFloorDiv(s, 60), sign*60)}
}

// Main runs the command with its arguments (not its name) and returns its
// exit status: 0, 1 for a bad value, 2 for a usage error, as the Python.
func Main(argv []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	a, err := idtParseArgs(argv)
	if err != nil {
		var h idtHelp
		if errors.As(err, &h) {
			_, _ = io.WriteString(stdout, idtHelpText)
			return 0
		}
		_, _ = io.WriteString(stderr, idtUsage)
		fmt.Fprintf(stderr, "isodatetime: error: %s\n", err)
		return 2
	}
	if a.version {
		fmt.Fprintln(stdout, Version)
		return 0
	}
	mode := ""
	if a.calendar != nil {
		mode = *a.calendar
	} else if v, ok := lookupEnv("ISODATETIMECALENDAR"); ok {
		mode = v
	}
	cal, ok := idtCalendar(mode)
	if !ok {
		fmt.Fprintf(stderr, "KeyError: %s: unknown calendar mode (from $ISODATETIMECALENDAR); use gregorian, 360day, 365day or 366day\n", pyformat.StrRepr(strings.ToLower(mode)))
		return 1
	}
	now, loc := idtNow(), idtLocation()
	e := &idtEnv{cal: cal, utc: a.utc, parseFormat: a.parseFormat, ref: a.ref,
		now: func() time.Time { return now }, loc: loc, local: idtLocalZone(now.In(loc))}
	if e.ref == nil {
		if v, ok := lookupEnv("ISODATETIMEREF"); ok {
			e.ref = &v
		}
	}
	items := a.items
	if len(items) == 1 && items[0] == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "isodatetime: reading standard input: %v\n", err)
			return 1
		}
		items = idtSplitLines(string(data))
	}
	out, err := e.run(items, a)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintln(stdout, out)
	return 0
}

func (e *idtEnv) run(items []string, a idtArgs) (string, error) {
	switch {
	case len(items) >= 2:
		return e.diff(items[0], items[1], a.offsets1, a.offsets2, a.printFormat, a.asTotal)
	case len(items) == 1 && strings.HasPrefix(items[0], "R"):
		var outs []string
		err := e.recurrence(items[0], a.printFormat, a.max, func(s string) { outs = append(outs, s) })
		return strings.Join(outs, "\n"), err
	case len(items) == 1 && a.asTotal != "":
		return e.asTotal(items[0], a.asTotal)
	case len(items) == 1:
		return e.point(&items[0], a.offsets1, a.printFormat)
	}
	return e.point(nil, a.offsets1, a.printFormat)
}

// idtSplitLines is Python's str.splitlines.
func idtSplitLines(s string) []string {
	var out []string
	rs := []rune(s)
	start := 0
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\r':
			out = append(out, string(rs[start:i]))
			if i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			start = i + 1
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, string(rs[start:i]))
			start = i + 1
		}
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

// nowPoint is the current time as isodatetime makes it: the Unix epoch in
// the local zone plus time.time() seconds.
func (e *idtEnv) nowPoint() (idtPoint, error) {
	ns := e.now().UnixNano()
	secs := float64(ns) / 1e9 // Python's time.time()
	if ns%1e9 == 0 {
		secs = float64(ns / 1e9)
	}
	p, err := e.epochPlus(secs)
	if err != nil {
		return p, err
	}
	return p.toTZ(e.cal, e.local.h, e.local.m)
}

// The formats tried, in order, before ISO 8601 (ctime, Unix date, and
// two ISO 8601 forms that print back in strftime).
var idtParseFormats = []string{"%a %b %d %H:%M:%S %Y", "%a %d %b %H:%M:%S %Z %Y", "%Y-%m-%dT%H:%M:%S", "%Y%m%dT%H%M%S"}

// dateParse reads a point ("now", "ref" or a date-time) and returns it with
// the format to print it in by default.
func (e *idtEnv) dateParse(s *string) (idtPoint, string, error) {
	if s != nil && *s == "ref" {
		s = e.ref
	}
	var (
		p      idtPoint
		format string
		err    error
	)
	switch {
	case s == nil || *s == "now":
		if p, err = e.nowPoint(); err != nil {
			return p, "", err
		}
		format = "CCYY-MM-DDThh:mm:ss+hh:mm"
		if e.utc || (p.tzH == 0 && p.tzM == 0) {
			format = "CCYY-MM-DDThh:mm:ssZ"
		}
	case e.parseFormat != nil:
		format = *e.parseFormat
		if p, err = e.strptime(*s, format); err != nil {
			return p, "", err
		}
	default:
		found := false
		for _, f := range idtParseFormats {
			p, err = e.strptime(*s, f)
			if err == nil {
				format, found = f, true
				break
			}
			if !idtIsValue(err) {
				return p, "", err
			}
		}
		if !found {
			if p, err = e.parser().parse(e.cal, *s, true); err != nil {
				return p, "", err
			}
			format = p.dump
		}
	}
	if e.utc {
		p, err = p.toUTC(e.cal)
	}
	return p, format, err
}

// strptime reads s with a strptime format: isodatetime's own subset of
// directives first, then Python's time.strptime (whose points are UTC).
func (e *idtEnv) strptime(s, format string) (idtPoint, error) {
	p, err := e.isoStrptime(s, format)
	if err == nil || !idtIsValue(err) {
		return p, err
	}
	v, err := e.cStrptime(s, format)
	if err != nil {
		return idtPoint{}, err
	}
	f := idtFields{year: v[0], month: idtI(v[1]), dom: idtI(v[2]),
		hour: idtF(float64(v[3])), min: idtF(float64(v[4])), sec: idtF(float64(v[5]))}
	return f.point(e.cal, false)
}

// shift adds an offset such as PT6H, -P1D or +P1M to p.
func (e *idtEnv) shift(p idtPoint, offset string) (idtPoint, error) {
	if offset == "" {
		return p, nil
	}
	neg := false
	if offset[0] == '-' || offset[0] == '+' {
		neg, offset = offset[0] == '-', offset[1:]
	}
	d, err := idtParseDuration(e.cal, offset)
	if err != nil {
		if idtIsValue(err) {
			return p, idtValue("%s: bad offset value", offset)
		}
		return p, err
	}
	if neg {
		d = d.neg()
	}
	return p.add(e.cal, d)
}

// format prints p in a strftime format (one with "%") or an ISO-like one.
func (e *idtEnv) format(p idtPoint, format string) (string, error) {
	if strings.Contains(format, "%") {
		return e.strftime(p, format)
	}
	return p.dumpISO(e.cal, format, 2)
}

// strftime is isodatetime's strftime, falling back on Python's datetime.
func (e *idtEnv) strftime(p idtPoint, format string) (string, error) {
	s, err := p.strftime(e.cal, format)
	if err != nil && idtIsValue(err) {
		return e.datetimeStrftime(p, format)
	}
	return s, err
}

func (e *idtEnv) point(s *string, offsets []string, printFormat *string) (string, error) {
	p, format, err := e.dateParse(s)
	if err != nil {
		return "", err
	}
	for _, o := range offsets {
		if p, err = e.shift(p, o); err != nil {
			return "", err
		}
	}
	if printFormat != nil && *printFormat != "" {
		format = *printFormat
	}
	return e.format(p, format)
}

func (e *idtEnv) diff(s1, s2 string, offsets1, offsets2 []string, printFormat *string, unit string) (string, error) {
	p1, _, err := e.dateParse(&s1)
	if err != nil {
		return "", err
	}
	p2, _, err := e.dateParse(&s2)
	if err != nil {
		return "", err
	}
	for _, o := range offsets1 {
		if p1, err = e.shift(p1, o); err != nil {
			return "", err
		}
	}
	for _, o := range offsets2 {
		if p2, err = e.shift(p2, o); err != nil {
			return "", err
		}
	}
	k, err := p2.cmp(e.cal, p1)
	if err != nil {
		return "", err
	}
	var d idtDuration
	sign := ""
	if k < 0 {
		d, err = p1.sub(e.cal, p2)
		sign = "-"
	} else {
		d, err = p2.sub(e.cal, p1)
	}
	if err != nil {
		return "", err
	}
	out := sign + d.String()
	if printFormat != nil && *printFormat != "" {
		var b strings.Builder
		b.WriteString(sign)
		for _, r := range *printFormat {
			var v float64
			switch r {
			case 'y':
				v = float64(d.years)
			case 'm':
				v = float64(d.months)
			case 'd':
				v = float64(d.days)
			case 'h':
				v = d.hours
			case 'M':
				v = d.minutes
			case 's':
				v = d.seconds
			default:
				b.WriteRune(r)
				continue
			}
			b.WriteString(idtNumberText(v))
		}
		out = b.String()
	}
	if unit != "" {
		return e.asTotal(out, unit)
	}
	return out, nil
}

// asTotal prints a duration as a number of seconds, minutes or hours.
func (e *idtEnv) asTotal(s, unit string) (string, error) {
	d, err := idtParseDuration(e.cal, strings.ReplaceAll(s, `\`, ""))
	if err != nil {
		return "", err
	}
	t := d.totalSeconds(e.cal)
	div := map[string]int64{"S": 1, "M": 60, "H": 3600}[strings.ToUpper(unit)]
	switch {
	case div == 1 && !t.isFloat:
		return fmt.Sprint(t.i), nil
	case div == 1:
		return pyformat.FloatRepr(t.f), nil
	case !t.isFloat:
		f, _ := new(big.Rat).SetFrac64(t.i, div).Float64()
		return pyformat.FloatRepr(f), nil
	}
	return pyformat.FloatRepr(t.f / float64(div)), nil
}

// recurrence emits up to max points of an ISO 8601 recurrence, each as it
// is reached (so an error stops the list where isodatetime stops).
func (e *idtEnv) recurrence(s string, printFormat *string, max int64, emit func(string)) error {
	r, err := e.parseRecurrence(s)
	if err != nil {
		return err
	}
	return r.each(e.cal, max, func(p idtPoint) error {
		var out string
		var err error
		if printFormat == nil {
			out, err = p.String(e.cal)
		} else {
			out, err = e.strftime(p, *printFormat)
		}
		if err == nil {
			emit(out)
		}
		return err
	})
}
