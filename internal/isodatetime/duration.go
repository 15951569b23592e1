package isodatetime

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
)

// Durations for "gyre isodatetime": isodatetime's Duration (years and
// months nominal, the rest exact; hours, minutes and seconds possibly
// fractional), its parser and the way it prints.

// idtDuration is an isodatetime Duration. A week duration (P2W) keeps only
// weeks. Hours, minutes and seconds may be fractional; hmsInt records
// which of them Python holds as ints, which decides whether a total is
// printed as 3600 or 3600.0.
type idtDuration struct {
	years, months, days     int64
	weeks                   int64
	inWeeks                 bool
	hours, minutes, seconds float64
	hmsInt                  [3]bool
}

func (d idtDuration) toDays() idtDuration {
	if !d.inWeeks {
		return d
	}
	return idtDuration{days: d.weeks * 7, hmsInt: [3]bool{true, true, true}}
}

// mul multiplies every field by k (zero fields stay zero, never -0).
func (d idtDuration) mul(k int64) idtDuration {
	if d.inWeeks {
		d.weeks *= k
		return d
	}
	d.years *= k
	d.months *= k
	d.days *= k
	for _, f := range []*float64{&d.hours, &d.minutes, &d.seconds} {
		if *f != 0 {
			*f *= float64(k)
		}
	}
	return d
}

func (d idtDuration) neg() idtDuration { return d.mul(-1) }

// mulFits reports whether d.mul(k) keeps its whole-number fields within
// bounds (a far recurrence bound beyond them is treated as none).
func (d idtDuration) mulFits(k int64) bool {
	for _, v := range []int64{d.years, d.months, d.days, d.weeks} {
		if v != 0 && (k > idtMaxDurationField/max(v, -v)) {
			return false
		}
	}
	return true
}

func (d idtDuration) isZero() bool {
	if d.inWeeks {
		return d.weeks == 0
	}
	return d.years == 0 && d.months == 0 && d.days == 0 && d.hours == 0 && d.minutes == 0 && d.seconds == 0 &&
		!math.IsNaN(d.hours) && !math.IsNaN(d.minutes) && !math.IsNaN(d.seconds)
}

func (d idtDuration) isExact() bool { return d.inWeeks || (d.years == 0 && d.months == 0) }

// negative reports whether d is less than P0Y, comparing the rough
// (days, seconds) as isodatetime does.
func (d idtDuration) negative(c *idtCal) bool {
	days, secs := d.daysAndSeconds(c)
	return days.float() < 0 || (days.float() == 0 && secs.float() < 0)
}

// daysAndSeconds is isodatetime's rough conversion: a year is the
// calendar's non-leap year, a month 30 days.
func (d idtDuration) daysAndSeconds(c *idtCal) (idtNum, idtNum) {
	if d.inWeeks {
		return idtInt(d.weeks * 7), idtInt(0)
	}
	days := idtInt(d.years*c.roughYear() + d.months*30 + d.days)
	secs := d.hmsNum(0).mul(idtInt(3600)).add(d.hmsNum(1).mul(idtInt(60))).add(d.hmsNum(2))
	q, r := secs.divmod(idtInt(86400))
	return days.add(q), r
}

func (d idtDuration) hmsNum(i int) idtNum {
	v := []float64{d.hours, d.minutes, d.seconds}[i]
	if d.hmsInt[i] {
		return idtInt(int64(v))
	}
	return idtFloat(v)
}

// totalSeconds is isodatetime's Duration.get_seconds.
func (d idtDuration) totalSeconds(c *idtCal) idtNum {
	if d.inWeeks {
		return idtInt(d.weeks * 7 * 86400)
	}
	if d.isExact() {
		return idtInt(d.days * 86400).add(d.hmsNum(0).mul(idtInt(3600))).add(d.hmsNum(1).mul(idtInt(60))).add(d.hmsNum(2))
	}
	days, secs := d.daysAndSeconds(c)
	return days.mul(idtInt(86400)).add(secs)
}

// idtNum is a Python number: an int or a float, which print differently.
type idtNum struct {
	isFloat bool
	i       int64
	f       float64
}

func idtInt(i int64) idtNum { return idtNum{i: i} }

func idtFloat(f float64) idtNum { return idtNum{isFloat: true, f: f} }

func (a idtNum) float() float64 {
	if a.isFloat {
		return a.f
	}
	return float64(a.i)
}

func (a idtNum) add(b idtNum) idtNum {
	if a.isFloat || b.isFloat {
		return idtFloat(a.float() + b.float())
	}
	return idtInt(a.i + b.i)
}

func (a idtNum) mul(b idtNum) idtNum {
	if a.isFloat || b.isFloat {
		return idtFloat(a.float() * b.float())
	}
	return idtInt(a.i * b.i)
}

func (a idtNum) divmod(b idtNum) (idtNum, idtNum) {
	if a.isFloat || b.isFloat {
		q, r := pyformat.Divmod(a.float(), b.float())
		return idtFloat(q), idtFloat(r)
	}
	return idtInt(idtFloorDiv(a.i, b.i)), idtInt(idtFloorMod(a.i, b.i))
}

var (
	idtDurDate  = regexp.MustCompile(`^P(?:(\p{Nd}+)Y)?(?:(\p{Nd}+)M)?(?:(\p{Nd}+)D)?\n?$`)
	idtDurTime  = regexp.MustCompile(`^P(?:(\p{Nd}+)Y)?(?:(\p{Nd}+)M)?(?:(\p{Nd}+)D)?T(?:(\p{Nd}.*)H)?(?:(\p{Nd}.*)M)?(?:(\p{Nd}.*)S)?\n?$`)
	idtDurWeeks = regexp.MustCompile(`^P(\p{Nd}+)W\n?$`)
)

// idtMaxDurationField bounds the whole-number fields of a duration so that
// totals stay exact in 64-bit integers (Python's integers are unbounded).
const idtMaxDurationField = 99_999_999_999

// idtParseDuration is isodatetime's DurationParser: PnYnMnDTnHnMnS (hours,
// minutes and seconds may be decimal, with "." or ","), PnW, a leading "-"
// (an isodatetime extension), or the point-like P0000-00-00T01:00:00.
func idtParseDuration(c *idtCal, expr string) (idtDuration, error) {
	var d idtDuration
	sign := int64(1)
	if strings.HasPrefix(expr, "-") {
		sign, expr = -1, expr[1:]
	}
	whole := func(s string) (int64, error) {
		v, ok := idtPyInt(s)
		if !ok || v > idtMaxDurationField {
			return 0, idtValue("Invalid input (too large to compute): duration: %s", expr)
		}
		return v * sign, nil
	}
	frac := func(s string) (float64, error) {
		v, err := idtPyFloat(strings.ReplaceAll(s, ",", "."))
		return v * float64(sign), err
	}
	if m := idtDurDate.FindStringSubmatch(expr); m != nil {
		for i, dst := range []*int64{&d.years, &d.months, &d.days} {
			if m[i+1] != "" {
				v, err := whole(m[i+1])
				if err != nil {
					return d, err
				}
				*dst = v
			}
		}
		return d, nil
	}
	if m := idtDurTime.FindStringSubmatch(expr); m != nil {
		for i, dst := range []*int64{&d.years, &d.months, &d.days} {
			if m[i+1] != "" {
				v, err := whole(m[i+1])
				if err != nil {
					return d, err
				}
				*dst = v
			}
		}
		for i, dst := range []*float64{&d.hours, &d.minutes, &d.seconds} {
			if m[i+4] != "" {
				v, err := frac(m[i+4])
				if err != nil {
					return d, err
				}
				*dst = v
			}
		}
		return d, nil
	}
	if m := idtDurWeeks.FindStringSubmatch(expr); m != nil {
		v, err := whole(m[1])
		if err != nil {
			return d, err
		}
		return idtDuration{weeks: v, inWeeks: true}, nil
	}
	if !strings.HasPrefix(expr, "P") || sign == -1 {
		return d, idtSyntax("duration", expr)
	}
	// A point-like duration: read as a point, unchecked, in UTC.
	f, _, err := idtParser{assumed: idtZone{set: true}}.info(expr[1:])
	if err != nil {
		if e, ok := err.(*idtError); ok && e.kind == idtSyntaxErr {
			return d, idtSyntax("duration", expr)
		}
		return d, err
	}
	pt, err := f.point(c, true)
	if err != nil {
		return d, err
	}
	if pt.rep == idtWeekRep {
		return d, idtSyntax("duration", expr)
	}
	if pt.year > idtMaxDurationField || pt.year < -idtMaxDurationField {
		return d, idtValue("Invalid input (too large to compute): duration: %s", expr)
	}
	d.years = pt.year
	switch pt.rep {
	case idtCalRep:
		d.months, d.days = pt.month, pt.day
	case idtOrdRep:
		d.days = pt.doy
	}
	d.hours, d.hmsInt[0] = pt.hour, f.hourDec == nil
	if pt.hasMin {
		d.minutes, d.hmsInt[1] = pt.min, f.minDec == nil
	}
	if pt.hasSec {
		d.seconds, d.hmsInt[2] = pt.sec, f.secDec == nil
	}
	return d, nil
}

// idtNumberText prints a whole float as an int, else as Python's str().
func idtNumberText(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v):
		return pyformat.FloatRepr(v)
	case math.Abs(v) < 1e18:
		return strconv.FormatInt(int64(v), 10)
	}
	return new(big.Float).SetFloat64(v).Text('f', 0)
}

// String is isodatetime's str(Duration): P0Y when null, a leading "-" when
// every field is negative, "," for the decimal point.
func (d idtDuration) String() string {
	vals := []float64{float64(d.years), float64(d.months), float64(d.days), d.hours, d.minutes, d.seconds}
	if d.inWeeks {
		vals = []float64{float64(d.weeks)}
	}
	truthy, neg := false, false
	for _, v := range vals {
		if v != 0 {
			truthy = true
		}
		if v > 0 {
			neg = false
			break
		}
		if v < 0 {
			neg = true
		}
	}
	if !truthy {
		return "P0Y"
	}
	if neg {
		return "-" + d.mul(-1).String()
	}
	if d.inWeeks {
		return fmt.Sprintf("P%dW", d.weeks)
	}
	var b strings.Builder
	b.WriteString("P")
	for i, v := range vals {
		if v != 0 {
			b.WriteString(idtNumberText(v))
			b.WriteByte("YMDHMS"[i])
		}
		if i == 2 {
			b.WriteString("T")
		}
	}
	return strings.ReplaceAll(strings.TrimSuffix(b.String(), "T"), ".", ",")
}
