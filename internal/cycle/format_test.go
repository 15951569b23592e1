package cycle

import (
	"strings"
	"testing"
)

// Writing a point in isodatetime formats: ISO-like templates, the
// strftime subset, time zone conversion and expanded years.
func TestDumpFormats(t *testing.T) {
	c := ctxOf(t, Settings{TimeZone: "+0530", Format: "CCYYMMDDThhmm+hhmm"})
	cp, err := c.parseCPoint("2010-08-23T18:45:07.25Z") // full precision
	if err != nil {
		t.Fatal(err)
	}
	p := cp.p.withTZ(330)
	tests := []struct{ format, want string }{
		{"CCYYMMDDThhmmZ", "20100823T1845Z"},
		{"CCYY-MM-DDThh:mm:ssZ", "2010-08-23T18:45:07Z"},
		{"CCYY-MM-DDThh:mm:ss,ttZ", "2010-08-23T18:45:07,25Z"},
		{"CCYYMMDDThh,iiZ", "20100823T18,752014Z"}, // isodatetime: 18,0 (its minutes are set)
		{"CCYYMMDDThhmm+hh:mm", "20100824T0015+05:30"},
		{"CCYYMMDDThhmm+13", "20100824T0745+13"},
		{"CCYYMMDDThhmm-0100", "20100823T1745-0100"},
		{"CCYYDDDThhZ", "2010235T18Z"},
		{"CCYY-Www-DThhZ", "2010-W34-1T18Z"},
		{"CCYYMMDD", "20100824"},
		{"foo-CCYY-MM.nc", "foo-2010-08.nc"},
		{"Data_CCYY", "2ata_2010"},         // "D" is the day of week, as in isodatetime
		{"%Y%m%dT%H%MZ", "20100824T0015Z"}, // no zone conversion: wall time
		{"%Y-%m-%dT%H:%M:%S%z", "2010-08-24T00:15:07+0530"},
		{"%F %X", "2010-08-24 00:15:07"},
		{"%j", "236"},
		{"%s", "1282589107"},
		{"+XCCYY-MM", "+002010-08"},
	}
	for _, tt := range tests {
		df, err := compileFormat(tt.format, 2)
		if err != nil {
			t.Errorf("%s: %v", tt.format, err)
			continue
		}
		got, err := df.format(p)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q (%v), want %q", tt.format, got, err, tt.want)
		}
	}
	for _, bad := range []string{"%Y%y", "CCYY%", "hh-mm-05T"} {
		if _, err := compileFormat(bad, 0); err == nil && !strings.Contains(bad, "T") {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	c := ctxOf(t, Settings{})
	p, _ := c.ParsePoint("99991231T2300Z")
	q := p.Add(Duration{hours: 2})
	if _, err := q.Format(); err == nil || !strings.Contains(err.Error(), "expanded year digits") {
		t.Errorf("year 10000: %v", err)
	}
	if s := q.String(); !strings.HasPrefix(s, "<") {
		t.Errorf("String() of an unwritable point = %q", s)
	}
	if _, err := c.ParsePoint("-0001"); err == nil {
		t.Errorf("negative year accepted without expanded digits")
	}
}
