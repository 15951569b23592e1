package platform

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Cylc stores every interval setting as seconds (isodatetime's
// Duration.get_seconds: a year is 365 days, a month 30), so P1M of polling
// delay is 30 days whatever the date. Platforms only need that fixed length,
// which is why this small parser is enough here and cycle arithmetic stays
// in internal/cycle.

var (
	// PnYnMnD, optionally followed by T and hours, minutes, seconds; the time
	// fields may have a decimal fraction (',' or '.').
	reDurDate = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$`)
	reDurTime = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?T` +
		`(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?$`)
	reDurWeek = regexp.MustCompile(`^P(\d+)W$`)
	// The alternative form written like a date-time: PYYYY-MM-DDThh:mm:ss,
	// extended or basic.
	reDurAltExt   = regexp.MustCompile(`^P(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$`)
	reDurAltBasic = regexp.MustCompile(`^P(\d{4})(\d{2})(\d{2})(?:T(\d{2})(?:(\d{2})(\d{2})?)?)?$`)
)

// parseDuration converts an ISO 8601 duration to a fixed length of time as
// Cylc does, including its leading minus sign for negative intervals.
func parseDuration(s string) (time.Duration, error) {
	body, neg := strings.CutPrefix(s, "-")
	bad := fmt.Errorf("invalid ISO 8601 duration representation: %s", s)
	var f [6]float64 // years, months, days, hours, minutes, seconds
	var m []string
	switch {
	case reDurDate.MatchString(body):
		m = reDurDate.FindStringSubmatch(body)
	case reDurTime.MatchString(body):
		m = reDurTime.FindStringSubmatch(body)
	case reDurWeek.MatchString(body):
		w, _ := strconv.ParseFloat(reDurWeek.FindStringSubmatch(body)[1], 64)
		m = []string{"", "", "", strconv.FormatFloat(w*7, 'f', -1, 64)}
	case reDurAltExt.MatchString(body):
		m = reDurAltExt.FindStringSubmatch(body)
	case reDurAltBasic.MatchString(body):
		m = reDurAltBasic.FindStringSubmatch(body)
	default:
		return 0, bad
	}
	for i, v := range m[1:] {
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil {
			return 0, bad
		}
		f[i] = x
	}
	secs := ((f[0]*365+f[1]*30+f[2])*24+f[3])*3600 + f[4]*60 + f[5]
	if neg {
		secs = -secs
	}
	ns := math.Round(secs * 1e9)
	if math.IsInf(ns, 0) || math.IsNaN(ns) || math.Abs(ns) >= math.MaxInt64 {
		return 0, fmt.Errorf("interval too long: %s", s)
	}
	return time.Duration(ns), nil
}
