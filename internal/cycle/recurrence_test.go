package cycle

import (
	"strings"
	"testing"
	"time"
)

func mustContext(t testing.TB, s Settings) *Context {
	t.Helper()
	c, err := NewContext(s, time.Date(2018, 3, 14, 15, 12, 34, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pointStrings(ps []Point) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return strings.Join(out, " ")
}

// Recurrence formats 1, 3 and 4 and Cylc's abbreviations of them, with
// the context points of Cylc's own time parser tests.
func TestRecurrenceFormats(t *testing.T) {
	c := mustContext(t, Settings{InitialCyclePoint: "19991226T0930Z", FinalCyclePoint: "20010506T1200+0200"})
	tests := []struct {
		expr, str, points string
	}{
		// format 1: R[n]/start/end-of-first-interval
		{"R5/T06/04T1230-0300", "R5/19991227T0600Z/20010604T1530Z",
			"19991227T0600Z 20010604T1530Z 20021112T0100Z 20040420T1030Z 20050927T2000Z"},
		{"R10/T12+P10D/-P1Y", "R10/20000105T1200Z/20000506T1000Z",
			"20000105T1200Z 20000506T1000Z 20000905T0800Z 20010105T0600Z 20010507T0400Z 20010906T0200Z"},
		{"R/^/20000101T0930Z", "R/19991226T0930Z/20000101T0930Z",
			"19991226T0930Z 20000101T0930Z 20000107T0930Z"},
		// format 3: R[n]/start/duration, with truncated starts
		{"T06", "R/19991227T0600Z/P1D", "19991227T0600Z 19991228T0600Z"},
		{"T1230", "R/19991226T1230Z/P1D", "19991226T1230Z 19991227T1230Z"},
		{"04T00", "R/20000104T0000Z/P1M", "20000104T0000Z 20000204T0000Z"},
		{"01T06/PT2H", "R/20000101T0600Z/PT2H", "20000101T0600Z 20000101T0800Z"},
		{"0501T/P4Y3M", "R/20000501T0000Z/P4Y3M", "20000501T0000Z 20040801T0000Z"},
		{"P1YT5H", "R/19991226T0930Z/P1YT5H", "19991226T0930Z 20001226T1430Z"},
		{"PT5M", "R/19991226T0930Z/PT5M", "19991226T0930Z 19991226T0935Z"},
		{"R/T-40", "R/19991226T0940Z/PT1H", "19991226T0940Z 19991226T1040Z"},
		{"R/150401T", "R/20150401T0000Z/P100Y", "20150401T0000Z 21150401T0000Z"},
		{"R5/T04-0300", "R5/19991227T0700Z/P1D", "19991227T0700Z 19991228T0700Z"},
		{"R2/T23Z/", "R2/19991226T2300Z/P1D", "19991226T2300Z 19991227T2300Z"},
		{"R/19991226T2359Z/P1W", "R/19991226T2359Z/P1W", "19991226T2359Z 20000102T2359Z"},
		{"R/-P1W/P1W", "R/19991219T0930Z/P1W", "19991219T0930Z 19991226T0930Z"},
		{"R/+P1D/P1Y", "R/19991227T0930Z/P1Y", "19991227T0930Z 20001227T0930Z"},
		{"R/T06-P1D/PT1H", "R/19991226T0600Z/PT1H", "19991226T0600Z 19991226T0700Z"},
		{"R/T12/PT10,5H", "R/19991226T1200Z/PT10,5H", "19991226T1200Z 19991226T2230Z"},
		{"R/T12/PT10.5H", "R/19991226T1200Z/PT10,5H", "19991226T1200Z 19991226T2230Z"},
		{"R5/+P10Y5M4D/PT2H", "R5/20100529T0930Z/PT2H", "20100529T0930Z 20100529T1130Z"},
		{"R30/-P200D/P10D", "R30/19990609T0930Z/P10D", "19990609T0930Z 19990619T0930Z"},
		{"R//P1Y", "R/19991226T0930Z/P1Y", "19991226T0930Z 20001226T0930Z"},
		{"R5//P1D", "R5/19991226T0930Z/P1D", "19991226T0930Z 19991227T0930Z"},
		{"R1", "R1/19991226T0930Z/P0Y", "19991226T0930Z"},
		{"R1/^", "R1/19991226T0930Z/P0Y", "19991226T0930Z"},
		{"+PT6H/PT6H", "R/19991226T1530Z/PT6H", "19991226T1530Z 19991226T2130Z"},
		{"^+PT6H/PT12H", "R/19991226T1530Z/PT12H", "19991226T1530Z 19991227T0330Z"},
		{"R1/min(T00,T06+PT1H)", "R1/19991227T0000Z/P0Y", "19991227T0000Z"},
		{"R1/min(T10,T06+PT1H)", "R1/19991226T1000Z/P0Y", "19991226T1000Z"},
		{"W-1", "R/19991227T0930Z/P7D", "19991227T0930Z 20000103T0930Z"},
		{"---05", "R/20000105T0930Z/P1M", "20000105T0930Z 20000205T0930Z"},
		{"P10", "R/19991226T0930Z/P1000Y", "19991226T0930Z 29991226T0930Z"},
		// format 4: R[n]/duration/end, counting back from the end
		{"PT6H/20000101T0500Z", "R25/19991226T0500Z/PT6H", "19991226T0500Z 19991226T1100Z"},
		{"P12D/+P2W", "R44/19991221T1000Z/P12D", "19991221T1000Z 20000102T1000Z"},
		{"R2/P1W/-P1M1D", "R2/P1W/20010405T1000Z", "20010329T1000Z 20010405T1000Z"},
		{"R3/P6D/T12+02", "R3/P6D/20010506T1000Z", "20010424T1000Z 20010430T1000Z 20010506T1000Z"},
		{"R4/P6DT12H/01T00+02", "R4/P6DT12H/20010531T2200Z", "20010512T1000Z 20010518T2200Z"},
		{"R5/P1D/20010506T1200+0200", "R5/P1D/20010506T1000Z", "20010502T1000Z 20010503T1000Z"},
		{"R6/PT5M/+PT2M", "R6/PT5M/20010506T1002Z", "20010506T0937Z 20010506T0942Z"},
		{"R7/P20Y/-P20Y", "R7/P20Y/19810506T1000Z", "18610506T1000Z 18810506T1000Z"},
		{"R8/P3YT2H/T18-02", "R8/P3YT2H/20010506T2000Z", "19800506T0600Z 19830506T0800Z"},
		{"R9/PT3H/31T", "R9/PT3H/20010531T0000Z", "20010530T0000Z 20010530T0300Z"},
		{"R10/P1Y/", "R10/P1Y/20010506T1000Z", "19920506T1000Z 19930506T1000Z"},
		{"R3/P2Y/02T", "R3/P2Y/20010602T0000Z", "19970602T0000Z 19990602T0000Z 20010602T0000Z"},
		{"R/P2Y", "R2/19990506T1000Z/P2Y", "19990506T1000Z 20010506T1000Z"},
		{"R48/PT2H", "R48/PT2H/20010506T1000Z", "20010502T1200Z 20010502T1400Z"},
		{"R100/P21Y/", "R100/P21Y/20010506T1000Z", ""}, // starts in year -78
		{"R1/$", "R1/20010506T1000Z/P0Y", "20010506T1000Z"},
		{"R1//$", "R1/P0Y/20010506T1000Z", "20010506T1000Z"},
		{"R1/P0Y", "R1/P0Y/20010506T1000Z", "20010506T1000Z"},
		{"R1/$-P1D", "R1/20010505T1000Z/P0Y", "20010505T1000Z"},
		{"R1//-P1D", "R1/P0Y/20010505T1000Z", "20010505T1000Z"},
	}
	for _, tt := range tests {
		s, err := c.ParseRecurrence(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if got := s.String(); got != tt.str {
			t.Errorf("%s: String() = %q, want %q", tt.expr, got, tt.str)
		}
		want := strings.Fields(tt.points)
		if got := strings.Fields(pointStrings(s.Points(max(len(want), 1)))); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: points %v, want %v", tt.expr, got, want)
		}
	}
}

func TestRecurrenceErrors(t *testing.T) {
	c := mustContext(t, Settings{InitialCyclePoint: "20000101T00Z"})
	for _, expr := range []string{
		"///", "2010", "R/2010", "P1", "R0/T00/P1D", "PT1H!(T01, T02)!T03",
		"PT1H!T01,T02", "R1/$", "PT6H/$", "R/-P1D/P1D/extra", "T25", "20",
		"R/2000/P-1D", "PT1H!", "R1/P1D/$", "wombat", "R/T00/-P1D",
	} {
		if s, err := c.ParseRecurrence(expr); err == nil {
			t.Errorf("%s: want an error, got %s", expr, s)
		} else if !strings.Contains(err.Error(), expr) {
			t.Errorf("%s: error %q does not name the recurrence", expr, err)
		}
	}
}

func seqPoints(t *testing.T, c *Context, expr string, n int) string {
	t.Helper()
	s, err := c.ParseRecurrence(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return pointStrings(s.Points(n))
}

// Exclusions, as in Cylc's unit tests.
func TestExclusions(t *testing.T) {
	tests := []struct {
		icp, fcp, expr string
		n              int
		want           string
	}{
		{"20000101T00Z", "", "PT1H!20000101T02Z", 4, "20000101T0000Z 20000101T0100Z 20000101T0300Z 20000101T0400Z"},
		{"20000101T00Z", "", "PT1H!20000101T00Z+PT1H", 4, "20000101T0000Z 20000101T0200Z 20000101T0300Z 20000101T0400Z"},
		{"20000101T01Z", "", "20000101T01Z/PT1H!20000101T02Z", 4, "20000101T0100Z 20000101T0300Z 20000101T0400Z 20000101T0500Z"},
		{"20000101T00Z", "20000101T05Z", "20000101T01Z/PT1H!(20000101T02Z,20000101T03Z)", 3, "20000101T0100Z 20000101T0400Z 20000101T0500Z"},
		{"20000101T00Z", "", "PT1H!(20000101T02Z,20000101T03Z)", 4, "20000101T0000Z 20000101T0100Z 20000101T0400Z 20000101T0500Z"},
		{"20000101T00Z", "", "PT3H!T06", 10, "20000101T0000Z 20000101T0300Z 20000101T0900Z 20000101T1200Z 20000101T1500Z 20000101T1800Z 20000101T2100Z 20000102T0000Z 20000102T0300Z 20000102T0900Z"},
		{"20000101T00Z", "", "T-00!(T00, T06, T12, T18)", 7, "20000101T0100Z 20000101T0200Z 20000101T0300Z 20000101T0400Z 20000101T0500Z 20000101T0700Z 20000101T0800Z"},
		{"20000101T00Z", "", "PT5M!T-15", 5, "20000101T0000Z 20000101T0005Z 20000101T0010Z 20000101T0020Z 20000101T0025Z"},
		{"20170422T00Z", "", "T00!W-1T00", 9, "20170422T0000Z 20170423T0000Z 20170425T0000Z 20170426T0000Z 20170427T0000Z 20170428T0000Z 20170429T0000Z 20170430T0000Z 20170502T0000Z"},
		{"20000101T01Z", "", "PT1H!PT3H", 6, "20000101T0200Z 20000101T0300Z 20000101T0500Z 20000101T0600Z 20000101T0800Z 20000101T0900Z"},
		{"20000101T00Z", "", "T-00!T-00/PT3H", 6, "20000101T0100Z 20000101T0200Z 20000101T0400Z 20000101T0500Z 20000101T0700Z 20000101T0800Z"},
		{"20000101T12Z", "", "T12!P3D", 6, "20000102T1200Z 20000103T1200Z 20000105T1200Z 20000106T1200Z 20000108T1200Z 20000109T1200Z"},
		{"20000101T01Z", "", "T01/PT1H!+PT3H/PT3H", 6, "20000101T0100Z 20000101T0200Z 20000101T0300Z 20000101T0500Z 20000101T0600Z 20000101T0800Z"},
		{"20000101T00Z", "", "T-00 ! 2000", 3, "20000101T0100Z 20000101T0200Z 20000101T0300Z"},
		{"20000101T00Z", "", "T-00 ! (2000, PT2H)", 4, "20000101T0100Z 20000101T0300Z 20000101T0500Z 20000101T0700Z"},
		{"20000101T00Z", "", "T05/PT1H!PT3H", 4, "20000101T0600Z 20000101T0700Z 20000101T0900Z 20000101T1000Z"},
		{"20000101T00Z", "20000102T12Z", "PT12H!$", 4, "20000101T0000Z 20000101T1200Z 20000102T0000Z 20000103T0000Z"},
		{"20000101T00Z", "20000102T12Z", "T00 ! ^", 2, "20000102T0000Z 20000103T0000Z"},
	}
	for _, tt := range tests {
		c := mustContext(t, Settings{InitialCyclePoint: tt.icp, FinalCyclePoint: tt.fcp})
		if got := seqPoints(t, c, tt.expr, tt.n); got != tt.want {
			t.Errorf("%s from %s: got %s, want %s", tt.expr, tt.icp, got, tt.want)
		}
	}
	c := mustContext(t, Settings{InitialCyclePoint: "2000", FinalCyclePoint: "2001"})
	s, err := c.ParseRecurrence("PT1H!(20000101T10Z, PT6H)")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := c.ParseRecurrence(s.String())
	if err != nil || s2.String() != s.String() {
		t.Errorf("exclusion string does not round trip: %q -> %v %v", s, s2, err)
	}
	if want := "R/20000101T0000Z/PT1H!(20000101T1000Z,R/20000101T0000Z/PT6H)"; s.String() != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

// Sequence methods around exclusions, as in Cylc's test_exclusions_extensive.
func TestSequenceMethods(t *testing.T) {
	c := mustContext(t, Settings{TimeZone: "+05", InitialCyclePoint: "20000101T00", FinalCyclePoint: "20000101T06"})
	s, err := c.ParseRecurrence("PT1H!(20000101T02,20000101T03)")
	if err != nil {
		t.Fatal(err)
	}
	p := func(h string) Point {
		q, err := c.ParsePoint("20000101T" + h + "+05")
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	str := func(q Point, ok bool) string {
		if !ok {
			return "none"
		}
		return q.String()
	}
	checks := []struct{ what, got, want string }{
		{"IsOn(02)", pyBool(s.IsOn(p("02"))), "False"},
		{"IsOn(03)", pyBool(s.IsOn(p("03"))), "False"},
		{"IsOn(04)", pyBool(s.IsOn(p("04"))), "True"},
		{"Prev(02)", str(s.Prev(p("02"))), "20000101T0100+05"},
		{"Prev(04)", str(s.Prev(p("04"))), "20000101T0100+05"},
		{"NearestPrev(04)", str(s.NearestPrev(p("04"))), "20000101T0100+05"},
		{"NearestPrev(0330)", str(s.NearestPrev(p("0330"))), "20000101T0100+05"},
		{"Next(01)", str(s.Next(p("01"))), "20000101T0400+05"},
		{"Next(03)", str(s.Next(p("03"))), "20000101T0400+05"},
		{"Next(0130)", str(s.Next(p("0130"))), "20000101T0400+05"},
		{"Prev(00)", str(s.Prev(p("00"))), "none"},
		{"Last", str(s.Last()), "none"},
		{"First", str(s.First()), "20000101T0000+05"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %s, want %s", ch.what, ch.got, ch.want)
		}
	}
	s, _ = c.ParseRecurrence("PT1H!20000101T00")
	if got := str(s.FirstOnOrAfter(p("00"))); got != "20000101T0100+05" {
		t.Errorf("FirstOnOrAfter = %s", got)
	}
	if got := str(s.Start()); got != "20000101T0100+05" {
		t.Errorf("Start = %s", got)
	}
	s, _ = c.ParseRecurrence("R3/PT2H")
	if got := str(s.Last()); got != "20000101T0600+05" {
		t.Errorf("Last = %s", got)
	}
	if got := s.Interval().String(); got != "PT2H" {
		t.Errorf("Interval = %s", got)
	}
}

// Monthly and yearly sequences clamp the day of month at each step, and
// stay clamped, as isodatetime does.
func TestNominalSequences(t *testing.T) {
	tests := []struct {
		cal, icp, expr string
		n              int
		want           string
	}{
		{"", "20000131T00Z", "P1M", 5, "20000131T0000Z 20000229T0000Z 20000329T0000Z 20000429T0000Z 20000529T0000Z"},
		{"", "20000131T00Z", "P2M", 3, "20000131T0000Z 20000329T0000Z 20000529T0000Z"},
		{"", "20000229T00Z", "P1Y", 3, "20000229T0000Z 20010228T0000Z 20020228T0000Z"},
		{"", "20000229T00Z", "P4Y", 4, "20000229T0000Z 20040229T0000Z 20080229T0000Z 20120229T0000Z"},
		{"", "20960229T00Z", "P4Y", 3, "20960229T0000Z 21000228T0000Z 21040228T0000Z"},
		{"", "20000131T00Z", "P1M1D", 3, "20000131T0000Z 20000301T0000Z 20000402T0000Z"},
		{"360day", "20000130T00Z", "P1M", 3, "20000130T0000Z 20000230T0000Z 20000330T0000Z"},
		{"365day", "20000131T00Z", "P1M", 3, "20000131T0000Z 20000228T0000Z 20000328T0000Z"},
		{"366day", "20010229T00Z", "P1Y", 2, "20010229T0000Z 20020229T0000Z"},
		{"", "20000115T00Z", "P1Y6M", 3, "20000115T0000Z 20010715T0000Z 20030115T0000Z"},
	}
	for _, tt := range tests {
		c := mustContext(t, Settings{CyclingMode: tt.cal, InitialCyclePoint: tt.icp})
		s, err := c.ParseRecurrence(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := pointStrings(s.Points(tt.n)); got != tt.want {
			t.Errorf("%s %s from %s: got %s, want %s", tt.cal, tt.expr, tt.icp, got, tt.want)
		}
		// every point is on the sequence; the day after one is not, and its
		// nearest previous point is that one. (Prev subtracts the interval,
		// which after clamping is not the inverse of Next, as in Cylc.)
		pts := s.Points(tt.n)
		day := Duration{days: 1}
		for _, p := range pts {
			if !s.IsOn(p) {
				t.Errorf("%s: %s not on sequence", tt.expr, p)
			}
			q := p.Add(day)
			if s.IsOn(q) {
				t.Errorf("%s: %s on sequence", tt.expr, q)
			}
			if r, ok := s.NearestPrev(q); !ok || !r.Equal(p) {
				t.Errorf("%s: NearestPrev(%s) = %s, want %s", tt.expr, q, r, p)
			}
		}
	}
}

func TestSplitSections(t *testing.T) {
	got := SplitSections("T0230, PT3H!     (T09,    T12  ) , T1945")
	want := []string{"T0230", "PT3H!     (T09,    T12  )", "T1945"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
}

// Sequences are shared by the scheduler's goroutines; the cached walk of
// mixed nominal intervals must be safe for that (run with -race).
func TestSequenceConcurrentUse(t *testing.T) {
	c := mustContext(t, Settings{InitialCyclePoint: "20000131T00Z"})
	s, err := c.ParseRecurrence("P1M1D")
	if err != nil {
		t.Fatal(err)
	}
	want := s.Points(40)
	done := make(chan string, 4)
	for g := range 4 {
		go func() {
			for i := len(want) - 1 - g; i >= 0; i -= 4 {
				if !s.IsOn(want[i]) {
					done <- want[i].String()
					return
				}
			}
			done <- ""
		}()
	}
	for range 4 {
		if bad := <-done; bad != "" {
			t.Errorf("%s not on the sequence", bad)
		}
	}
}
