package cycle

import (
	"strings"
	"testing"
	"time"
)

func ctxOf(t testing.TB, s Settings) *Context {
	t.Helper()
	c, err := newContext(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParsePointForms(t *testing.T) {
	tests := []struct {
		tz, fmt string
		nExp    int
		in      string
		want    string
	}{
		{"", "", 0, "20100101T0000Z", "20100101T0000Z"},
		{"", "", 0, "2010-01-01T00:00Z", "20100101T0000Z"},
		{"", "", 0, "2010-01-01T06", "20100101T0600Z"},
		{"", "", 0, "2010", "20100101T0000Z"},
		{"", "", 0, "2010-02", "20100201T0000Z"},
		{"", "", 0, "201002", "20100201T0000Z"}, // YYMMDD: truncated -> error below? no: see errors
		{"", "", 0, "2010-W01-1", "20100104T0000Z"},
		{"", "", 0, "2010W011T06", "20100104T0600Z"},
		{"", "", 0, "2009-W53-7", "20100103T0000Z"},
		{"", "", 0, "2010-060", "20100301T0000Z"},
		{"", "", 0, "2012060T12", "20120229T1200Z"},
		{"", "", 0, "20100101T1030:30", "ERR"},
		{"", "", 0, "2010-01-01T10:30:30", "20100101T1030Z"},
		{"", "", 0, "2010-01-01T10,5", "20100101T1030Z"},
		{"", "", 0, "20100101T0000+13", "20091231T1100Z"},
		{"", "", 0, "2010-01-01T00:00-05:30", "20100101T0530Z"},
		{"", "", 0, "20100101T24", "20100102T0000Z"},
		{"+13", "", 0, "20100101T00", "20100101T0000+13"},
		{"+13", "", 0, "20100101T00Z", "20100101T1300+13"},
		{"-0530", "", 0, "20100101T00Z", "20091231T1830-0530"},
		{"", "CCYY-MM-DDThhZ", 0, "20100101T1259Z", "2010-01-01T12Z"},
		{"", "%Y%m%dT%H%MZ", 0, "20100101T1259Z", "20100101T1259Z"},
		{"+02", "%Y%m%dT%H%MZ", 0, "20100101T0000Z", "20100101T0000Z"},
		{"", "CCYYMMDDThhmmss", 0, "2010-01-01T12:59:58", "20100101T125958"},
		{"", "CCYYMMDDThhmmss", 0, "20100101T12:59:58", "ERR"}, // basic date, extended time
		{"", "", 2, "+002010-01-01", "+0020100101T0000Z"},
		{"", "", 2, "-000001-06-30T12Z", "-0000010630T1200Z"},
		{"", "", 7, "-13800000000-02-29T05:30", "-138000000000229T0530Z"},
		{"", "CCYYWwwDThhZ", 0, "2010-01-04T06Z", "2010W011T06Z"},
	}
	for _, tt := range tests {
		c := ctxOf(t, Settings{TimeZone: tt.tz, Format: tt.fmt, ExpandedYearDigits: tt.nExp})
		p, err := c.ParsePoint(tt.in)
		got := "ERR"
		if err == nil {
			got = p.String()
		}
		if tt.in == "201002" {
			tt.want = "ERR" // "YYMMDD": a truncated date, not 2010-02
		}
		if got != tt.want {
			t.Errorf("[%s %s %d] ParsePoint(%q) = %s (%v), want %s", tt.tz, tt.fmt, tt.nExp, tt.in, got, err, tt.want)
		}
	}
}

func TestParsePointErrors(t *testing.T) {
	c := ctxOf(t, Settings{})
	tests := []struct{ in, msg string }{
		{"2010-13-01", "month 13 out of range 1..12"},
		{"2010-02-29", "day of month 29 out of range 1..28"},
		{"2010-02-30T00Z", "day of month 30 out of range 1..28"},
		{"2010-W53-1", "week of year 53 out of range 1..52"},
		{"2010-366", "day of year 366 out of range 1..365"},
		{"2010-01-01T25", "hour 25 out of range 0..24"},
		{"2010-01-01T24:30", "hour 24 needs zero minutes"},
		{"2010-01-01T12:60", "minute 60 out of range"},
		{"T06", "truncated ISO 8601 dates are not permitted"},
		{"+20100101", "expanded"},
		{"2010-1-1", "invalid ISO 8601"},
		{"2010-01-01T00:00+1:00", "invalid ISO 8601 time zone"},
		{"yesterday", "invalid ISO 8601 date"},
		{"2010-01-01TT00", "invalid ISO 8601 date-time"},
	}
	for _, tt := range tests {
		_, err := c.ParsePoint(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), tt.in) {
			t.Errorf("ParsePoint(%q) error = %v, want it to mention %q and the value", tt.in, err, tt.msg)
		}
	}
	c360 := ctxOf(t, Settings{CyclingMode: "360day"})
	if _, err := c360.ParsePoint("2010-02-30"); err != nil {
		t.Errorf("360day 2010-02-30: %v", err)
	}
	if _, err := c360.ParsePoint("2010-01-31"); err == nil {
		t.Errorf("360day 2010-01-31 accepted")
	}
	c2 := ctxOf(t, Settings{ExpandedYearDigits: 2})
	if _, err := c2.ParsePoint("+2010-01-01"); err == nil || !strings.Contains(err.Error(), "expanded year digits = 2") {
		t.Errorf("expanded-year hint missing: %v", err)
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		cal, tz, p, d, want string
	}{
		{"", "", "20000131T0000Z", "P1M", "20000229T0000Z"},
		{"", "", "20000131T0000Z", "P2M", "20000329T0000Z"},
		{"", "", "20000131T0000Z", "P13M", "20010228T0000Z"},
		{"", "", "20000331T0000Z", "-P1M", "20000229T0000Z"},
		{"", "", "20000229T0000Z", "P1Y", "20010228T0000Z"},
		{"", "", "20000229T0000Z", "P4Y", "20040229T0000Z"},
		{"", "", "20000229T0000Z", "-P1Y", "19990228T0000Z"},
		{"", "", "20000130T0000Z", "P1M1D", "20000229T0000Z"}, // days first, then the month
		{"", "", "20001231T2300Z", "PT2H", "20010101T0100Z"},
		{"", "", "20000101T0000Z", "PT0.5H", "20000101T0030Z"},
		{"", "", "20000101T0000Z", "P2W", "20000115T0000Z"},
		{"", "", "20000101T0000Z", "-PT1M", "19991231T2359Z"},
		{"", "", "20000101T0000Z", "P100000D", "22731016T0000Z"},
		{"", "", "20000101T0000Z", "PT1000000H", "21140129T1600Z"},
		{"360day", "", "20000130T0000Z", "P1D", "20000201T0000Z"},
		{"360day", "", "20000230T0000Z", "P1M", "20000330T0000Z"},
		{"360day", "", "20001230T0000Z", "P1D", "20010101T0000Z"},
		{"360day", "", "20000101T0000Z", "P360D", "20010101T0000Z"},
		{"365day", "", "20000228T0000Z", "P1D", "20000301T0000Z"},
		{"365day", "", "20000101T0000Z", "P365D", "20010101T0000Z"},
		{"366day", "", "20010228T0000Z", "P1D", "20010229T0000Z"},
		{"366day", "", "20010229T0000Z", "P1Y", "20020229T0000Z"},
		{"", "+13", "20000131T2300+13", "P1M", "20000229T2300+13"},
		{"", "-0530", "20000101T0000-0530", "PT6H", "20000101T0600-0530"},
	}
	for _, tt := range tests {
		c := ctxOf(t, Settings{CyclingMode: tt.cal, TimeZone: tt.tz})
		p, err := c.ParsePoint(tt.p)
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.ParseDuration(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Add(d).String(); got != tt.want {
			t.Errorf("%s %s + %s = %s, want %s", tt.cal, tt.p, tt.d, got, tt.want)
		}
	}
}

func TestSubAndCompare(t *testing.T) {
	c := ctxOf(t, Settings{})
	p := func(s string) Point {
		q, err := c.ParsePoint(s)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	tests := []struct{ a, b, want string }{
		{"20100102T0600Z", "20100101T0000Z", "P1DT6H"},
		{"20100101T0000Z", "20100102T0600Z", "-P1DT6H"},
		{"20100101T0000Z", "20100101T0000Z", "P0Y"},
		{"20110101T0000Z", "20100101T0000Z", "P365D"},
		{"20130101T0000Z", "20120101T0000Z", "P366D"},
		{"20100101T0030Z", "20091231T2345Z", "PT45M"},
	}
	for _, tt := range tests {
		if got := p(tt.a).Sub(p(tt.b)).String(); got != tt.want {
			t.Errorf("%s - %s = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
	c13 := ctxOf(t, Settings{TimeZone: "+13", Format: "CCYYMMDDThhmm+hhmm"})
	a, _ := c13.ParsePoint("20100101T1300+13")
	b, _ := c13.ParsePoint("20100101T0000Z")
	if a.Compare(b) != 0 || !a.Equal(b) || a.String() == b.String() {
		t.Errorf("same instant in two zones: %s vs %s compare %d", a, b, a.Compare(b))
	}
	if got := a.Sub(b).String(); got != "P0Y" {
		t.Errorf("zone difference: %s", got)
	}
	ci := ctxOf(t, Settings{CyclingMode: "integer"})
	i1, _ := ci.ParsePoint("3")
	i2, _ := ci.ParsePoint("10")
	if got := i1.Sub(i2).String(); got != "-P7" {
		t.Errorf("integer sub = %s", got)
	}
	if i1.Compare(a) != -1 || a.Compare(i1) != 1 || (Point{}).Compare(i1) != 1 {
		t.Errorf("cross-type ordering wrong")
	}
}

func TestPointTime(t *testing.T) {
	c := ctxOf(t, Settings{TimeZone: "-0530"})
	p, err := c.ParsePoint("20100101T0000Z")
	if err != nil {
		t.Fatal(err)
	}
	tm, ok := p.Time()
	if !ok || !tm.Equal(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v, %v", tm, ok)
	}
	if y, m, d := p.Date(); y != 2009 || m != 12 || d != 31 {
		t.Errorf("Date() = %d-%d-%d", y, m, d)
	}
	if h, mi, _, _ := p.Clock(); h != 18 || mi != 30 {
		t.Errorf("Clock() = %d:%d", h, mi)
	}
	if p.UTCOffset() != -330 {
		t.Errorf("UTCOffset() = %d", p.UTCOffset())
	}
	c360 := ctxOf(t, Settings{CyclingMode: "360day"})
	q, _ := c360.ParsePoint("20100101")
	if _, ok := q.Time(); ok {
		t.Errorf("360day point has a wall-clock time")
	}
}
