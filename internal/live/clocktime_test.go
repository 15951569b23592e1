package live

import (
	"testing"
	"time"
)

// The wall-clock times stop --wall-clock takes, as Cylc reads them:
// local time (here +01:00) unless a zone is given.
func TestParseClockTime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	for _, c := range []struct {
		in   string
		want string // RFC 3339 in UTC, or "" for an error
	}{
		{"2030-01-01T06:30Z", "2030-01-01T06:30:00Z"},
		{"20300101T0630Z", "2030-01-01T06:30:00Z"},
		{"2030-01-01T06:30:15+02:00", "2030-01-01T04:30:15Z"},
		{"2030-01-01T06", "2030-01-01T05:00:00Z"},
		{"2030-01-01", "2029-12-31T23:00:00Z"},
		{" 2030-06-01T12:00Z ", "2030-06-01T12:00:00Z"},
		{"", ""},
		{"PT1H", ""},
		{"tomorrow", ""},
		{"2030-13-01", ""},
		{"0001", ""},
		{"1969-12-31T23:59Z", ""},
	} {
		got, err := ParseClockTime(c.in, now)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ParseClockTime(%q) = %v; want an error", c.in, got)
		case c.want != "" && err != nil:
			t.Errorf("ParseClockTime(%q): %v", c.in, err)
		case c.want != "" && got.UTC().Format(time.RFC3339) != c.want:
			t.Errorf("ParseClockTime(%q) = %s; want %s", c.in, got.UTC().Format(time.RFC3339), c.want)
		}
	}
}

func FuzzParseClockTime(f *testing.F) {
	for _, s := range []string{"2030-01-01T06:30Z", "20300101T0630+0530", "2030-W01-1", "2030-001", "PT1H", "", "+002030-01-01", "2030-01-01T24:00"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseClockTime(s, now)
		if err == nil && got.IsZero() {
			t.Errorf("ParseClockTime(%q) gave the zero time without an error", s)
		}
	})
}
