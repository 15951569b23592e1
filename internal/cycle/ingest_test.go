package cycle

import (
	"strings"
	"testing"
	"time"
)

func TestIngestPoint(t *testing.T) {
	c := ctxOf(t, Settings{UTCMode: true})
	tests := []struct {
		now  time.Time
		in   string
		want string
	}{
		// Cylc's test_next_simple / test_previous_simple (now 2010-08-08T15:41Z)
		{at(2010, 8, 8, 15, 41), "next(T2100Z)", "20100808T2100Z"},
		{at(2010, 8, 8, 15, 41), "next(T00)", "20100809T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(T-15)", "20100808T1615Z"},
		{at(2010, 8, 8, 15, 41), "next(T-45)", "20100808T1545Z"},
		{at(2010, 8, 8, 15, 41), "next(-10)", "21100101T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(-1008)", "21100801T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(--10)", "20101001T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(--0325)", "20110325T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(---10)", "20100810T0000Z"},
		{at(2010, 8, 8, 15, 41), "next(---05T1200Z)", "20100905T1200Z"},
		{at(2010, 8, 8, 15, 41), "next(T15)", "20100809T1500Z"},
		{at(2010, 8, 8, 15, 41), "next(T-41)", "20100808T1541Z"},
		{at(2010, 8, 8, 15, 41), "previous(T2100Z)", "20100807T2100Z"},
		{at(2010, 8, 8, 15, 41), "previous(T00)", "20100808T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(T-15)", "20100808T1515Z"},
		{at(2010, 8, 8, 15, 41), "previous(T-45)", "20100808T1445Z"},
		{at(2010, 8, 8, 15, 41), "previous(-10)", "20100101T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(-1008)", "20100801T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(--10)", "20091001T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(--0325)", "20100325T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(---10)", "20100710T0000Z"},
		{at(2010, 8, 8, 15, 41), "previous(---05T1200Z)", "20100805T1200Z"},
		{at(2010, 8, 8, 15, 41), "previous(T15)", "20100808T1500Z"},
		{at(2010, 8, 8, 15, 41), "previous(T-41)", "20100808T1441Z"},
		// lists and offsets (now 2010-08-08T15:40Z)
		{at(2010, 8, 8, 15, 40), "next(T-00;T-15;T-30;T-45)", "20100808T1545Z"},
		{at(2010, 8, 8, 15, 40), "previous(T-00;T-15;T-30;T-45)", "20100808T1530Z"},
		{at(2010, 8, 8, 15, 40), "next(T00;T06;T12;T18)", "20100808T1800Z"},
		{at(2010, 8, 8, 15, 40), "previous(T00;T06;T12;T18)", "20100808T1200Z"},
		{at(2010, 8, 8, 15, 40), "PT15M", "20100808T1555Z"},
		{at(2010, 8, 8, 15, 40), "-PT18H", "20100807T2140Z"},
		{at(2010, 8, 8, 15, 40), "-P2W", "20100725T1540Z"},
		{at(2010, 8, 8, 15, 40), "P6M", "20110208T1540Z"},
		{at(2010, 8, 8, 15, 40), "-P5Y", "20050808T1540Z"},
		{at(2010, 8, 8, 15, 40), "next(T06) +P1D", "20100810T0600Z"},
		{at(2010, 8, 8, 15, 40), "previous(T-30) -PT12H", "20100808T0330Z"},
		{at(2010, 8, 8, 15, 40), "next(T00;T06;T12;T18) -P1W", "20100801T1800Z"},
		{at(2010, 8, 8, 15, 40), "previous(T00;T06;T12;T18) +PT1H", "20100808T1300Z"},
		{at(2010, 8, 8, 15, 40), "next(-W-1)", "20100809T0000Z"},
		{at(2010, 8, 8, 15, 40), "previous(-W-4)", "20100805T0000Z"},
		{at(2010, 8, 8, 15, 40), "next(-010)", "20110110T0000Z"},
		{at(2010, 8, 8, 15, 40), "previous(-101)", "20100411T0000Z"},
		{at(2010, 8, 8, 15, 40), "next(-W40-1)", "20101004T0000Z"},
		{at(2010, 8, 8, 15, 40), "previous(-W05-1)", "20100201T0000Z"},
		{at(2010, 8, 8, 15, 40), "next(-W05-5)", "20110204T0000Z"},
		{at(2010, 8, 8, 15, 40), "previous(-W40-4)", "20091001T0000Z"},
		// the user guide's examples (now 2018-03-14T15:12Z)
		{at(2018, 3, 14, 15, 12), "next(T-00)", "20180314T1600Z"},
		{at(2018, 3, 14, 15, 12), "previous(T-00)", "20180314T1500Z"},
		{at(2018, 3, 14, 15, 12), "next(T-00; T-15; T-30; T-45)", "20180314T1515Z"},
		{at(2018, 3, 14, 15, 12), "next(T06:30Z)", "20180315T0630Z"},
		{at(2018, 3, 14, 15, 12), "previous(T06:30) -P1D", "20180313T0630Z"},
		{at(2018, 3, 14, 15, 12), "next(T00; T06; T12; T18)+P1W", "20180321T1800Z"},
		{at(2018, 3, 14, 15, 12), "PT1H", "20180314T1612Z"},
		{at(2018, 3, 14, 15, 12), "-P1M", "20180214T1512Z"},
		{at(2018, 3, 14, 15, 12), "next(-00)", "21000101T0000Z"},
		{at(2018, 3, 14, 15, 12), "previous(--01)", "20180101T0000Z"},
		{at(2018, 3, 14, 15, 12), "next(---01)", "20180401T0000Z"},
		{at(2018, 3, 14, 15, 12), "previous(--1225)", "20171225T0000Z"},
		{at(2018, 3, 14, 15, 12), "next(-2006)", "20200601T0000Z"},
		{at(2018, 3, 14, 15, 12), "previous(-W101)", "20180305T0000Z"},
		{at(2018, 3, 14, 15, 12), "next(-W-1; -W-3; -W-5)", "20180314T0000Z"},
		{at(2018, 3, 14, 15, 12), "next(-001; -091; -181; -271)", "20180401T0000Z"},
		{at(2018, 3, 14, 15, 12), "previous(-365T12Z)", "20171231T1200Z"},
		{at(2018, 3, 14, 15, 12), "T15:00Z", "20180315T1500Z"},
		{at(2018, 3, 14, 15, 12), "19951231T0630", "19951231T0630Z"},
		{at(2018, 3, 14, 15, 12), "now", "20180314T1512Z"},
		{at(2018, 3, 14, 15, 12), "now+PT1H", "20180314T1612Z"},
		{at(2018, 3, 14, 15, 12), "2010", "20100101T0000Z"},
	}
	for _, tt := range tests {
		p, err := c.IngestPoint(tt.in, tt.now)
		got := "ERR"
		if err == nil {
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("IngestPoint(%q) at %s = %s (%v), want %s", tt.in, tt.now.Format(time.RFC3339), got, err, tt.want)
		}
	}
	for _, bad := range []string{"next (T-00, T-30)", "next (wildebeest)", "next(T00))", "previous(20100101T00)"} {
		_, err := c.IngestPoint(bad, at(2018, 3, 14, 15, 12))
		if err == nil {
			t.Errorf("IngestPoint(%q) accepted", bad)
		}
	}
	_, err := c.IngestPoint("next (T-00, T-30)", at(2018, 3, 14, 15, 12))
	if err == nil || !strings.Contains(err.Error(), "T-00;T-30") {
		t.Errorf("comma list hint missing: %v", err)
	}
	c360 := ctxOf(t, Settings{CyclingMode: "360day"})
	if _, err := c360.IngestPoint("next(T00)", at(2018, 3, 14, 15, 12)); err == nil {
		t.Errorf("next() accepted in a 360-day calendar")
	}
}

func at(y, mo, d, h, mi int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC) }

// "now" follows UTC mode: local wall-clock time otherwise.
func TestNowTimeZone(t *testing.T) {
	now := time.Date(2018, 3, 14, 22, 12, 0, 0, time.FixedZone("", 13*3600))
	for _, tt := range []struct {
		utc  bool
		tz   string
		want string
	}{
		{true, "", "20180314T0912Z"},
		{false, "", "20180314T0912Z"},
		{false, "+13", "20180314T2212+13"},
		{true, "+13", "20180314T2212+13"},
	} {
		c := ctxOf(t, Settings{UTCMode: tt.utc, TimeZone: tt.tz})
		p, err := c.IngestPoint("now", now)
		if err != nil || p.String() != tt.want {
			t.Errorf("utc=%v tz=%s: now = %s (%v), want %s", tt.utc, tt.tz, p, err, tt.want)
		}
	}
	c := ctxOf(t, Settings{TimeZone: "Z"})
	// next(T00) is resolved in the cycle point time zone, then written there
	p, err := c.IngestPoint("next(T00)", now)
	if err != nil || p.String() != "20180315T0000Z" {
		t.Errorf("next(T00) = %s (%v)", p, err)
	}
}

func TestBounds(t *testing.T) {
	now := at(2018, 3, 14, 15, 12)
	tests := []struct {
		s         Settings
		icp, fcp  string
		errSubstr string
	}{
		{Settings{InitialCyclePoint: "20100101T00", FinalCyclePoint: "+P1D"}, "20100101T0000Z", "20100102T0000Z", ""},
		{Settings{InitialCyclePoint: "2010", FinalCyclePoint: "2000 +P1D +P1Y"}, "", "", "after the final cycle point"},
		{Settings{InitialCyclePoint: "2000", FinalCyclePoint: "2000 +P1D +P1Y"}, "20000101T0000Z", "20010102T0000Z", ""},
		{Settings{InitialCyclePoint: "20100101T00", FinalCyclePoint: "T18"}, "20100101T0000Z", "20100101T1800Z", ""},
		{Settings{InitialCyclePoint: "20100101T00", FinalCyclePoint: "2010-02-01T00:00Z"}, "20100101T0000Z", "20100201T0000Z", ""},
		{Settings{InitialCyclePoint: "previous(T00)", InitialConstraints: []string{"T00", "T12"}}, "20180314T0000Z", "", ""},
		{Settings{InitialCyclePoint: "20100101T06", InitialConstraints: []string{"T00", "T12"}}, "", "", "does not meet the constraints"},
		{Settings{InitialCyclePoint: "20100101T06", InitialConstraints: []string{"T-30"}}, "", "", "does not meet"},
		{Settings{InitialCyclePoint: "20100101T0630", InitialConstraints: []string{"T-30"}}, "20100101T0630Z", "", ""},
		{Settings{InitialCyclePoint: "20100201T00", InitialConstraints: []string{"01T00"}}, "20100201T0000Z", "", ""},
		{Settings{InitialCyclePoint: "2010", FinalCyclePoint: "20100105T06", FinalConstraints: []string{"T00"}}, "", "", "final cycle point"},
		{Settings{}, "", "", "requires an initial cycle point"},
		{Settings{InitialCyclePoint: "2010", FinalCyclePoint: "soon"}, "", "", `final cycle point "soon"`},
		{Settings{CyclingMode: "integer"}, "1", "", ""},
		{Settings{CyclingMode: "integer", InitialCyclePoint: "3", FinalCyclePoint: "+P15"}, "3", "18", ""},
		{Settings{CyclingMode: "integer", InitialCyclePoint: "3", FinalCyclePoint: "7"}, "3", "7", ""},
		{Settings{CyclingMode: "integer", InitialCyclePoint: "now"}, "", "", "not an integer"},
		{Settings{CyclingMode: "integer", InitialCyclePoint: "3", FinalCyclePoint: "1"}, "", "", "after the final"},
		{Settings{CyclingMode: "julian"}, "", "", "unknown calendar"},
		{Settings{TimeZone: "+5:30", InitialCyclePoint: "2010"}, "", "", "cycle point time zone"},
		{Settings{Format: "CCYY-MM-DDThh:mm", InitialCyclePoint: "2010"}, "", "", "illegal character"},
		{Settings{Format: "CCYYMMDDThhmmZ", ExpandedYearDigits: 2, InitialCyclePoint: "2010"}, "", "", "+X"},
		{Settings{Format: "CCYY-MM-DDThhmmZ", InitialCyclePoint: "2010"}, "", "", "cannot be read back"},
		{Settings{Format: "%Y%m%dT%H%y", InitialCyclePoint: "2010"}, "", "", "strftime"},
	}
	for _, tt := range tests {
		c, err := NewContext(tt.s, now)
		if tt.errSubstr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("%+v: error %v, want %q", tt.s, err, tt.errSubstr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", tt.s, err)
			continue
		}
		if got := c.Initial().String(); got != tt.icp {
			t.Errorf("%+v: initial %s, want %s", tt.s, got, tt.icp)
		}
		f, ok := c.Final()
		if got := pstr(f, ok); (tt.fcp == "" && ok) || (tt.fcp != "" && got != tt.fcp) {
			t.Errorf("%+v: final %s, want %s", tt.s, got, tt.fcp)
		}
	}
}

func TestPointRelative(t *testing.T) {
	c := ctxOf(t, Settings{})
	base, _ := c.ParsePoint("20100101T0600Z")
	for in, want := range map[string]string{
		"+P1D": "20100102T0600Z", "-PT6H": "20100101T0000Z", "+P1D-PT1H": "20100102T0500Z",
		"T00": "20100102T0000Z", "T12": "20100101T1200Z", "01T00": "20100201T0000Z",
		"2000 +P1D +P1Y": "20010102T0000Z", "20100105T00Z": "20100105T0000Z", "W-1": "20100104T0600Z",
	} {
		p, err := c.PointRelative(in, base)
		if err != nil || p.String() != want {
			t.Errorf("PointRelative(%q) = %s (%v), want %s", in, p, err, want)
		}
	}
	if !c.IsOffsetAbsolute("20100101T00") || c.IsOffsetAbsolute("-PT6H") || c.IsOffsetAbsolute("P1D") {
		t.Errorf("IsOffsetAbsolute wrong")
	}
	ci := ctxOf(t, Settings{CyclingMode: "integer"})
	b, _ := ci.ParsePoint("5")
	for in, want := range map[string]string{"+P2": "7", "-P1": "4", "9": "9"} {
		p, err := ci.PointRelative(in, b)
		if err != nil || p.String() != want {
			t.Errorf("integer PointRelative(%q) = %s (%v), want %s", in, p, err, want)
		}
	}
	if ci.IsOffsetAbsolute("-P1") || !ci.IsOffsetAbsolute("3") {
		t.Errorf("integer IsOffsetAbsolute wrong")
	}
}
