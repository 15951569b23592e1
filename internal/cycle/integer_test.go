package cycle

import (
	"strings"
	"testing"
)

func intCtx(t *testing.T, icp, fcp string) *Context {
	t.Helper()
	return mustContext(t, Settings{CyclingMode: "integer", InitialCyclePoint: icp, FinalCyclePoint: fcp})
}

func allPoints(s *Sequence) string {
	return pointStrings(s.Points(50))
}

func TestIntegerSequences(t *testing.T) {
	tests := []struct {
		icp, fcp, expr, want, str string
	}{
		{"1", "5", "R/P1!3", "1 2 4 5", "R5/1/P1!3"},
		{"1", "10", "R/P1!(2,3,7)", "1 4 5 6 8 9 10", "R10/1/P1!(2,3,7)"},
		{"1", "10", "R/P1!(2,2,2)", "1 3 4 5 6 7 8 9 10", "R10/1/P1!2"},
		{"1", "10", "P1 ! P2", "2 4 6 8 10", "R10/1/P1!R5/1/P2"},
		{"1", "10", "P1 ! +P1/P2", "1 3 5 7 9", "R10/1/P1!R5/2/P2"},
		{"1", "10", "P1 ! (P2, 6, 8) ", "2 4 10", ""},
		{"1", "10", "P1 !(P2,     6,8) ", "2 4 10", ""},
		{"1", "10", "R/1/P3", "1 4 7 10", "R4/1/P3"},
		{"1", "10", "R/-1/P2", "1 3 5 7 9", ""},
		{"1", "10", "R1", "1", "R1/1"},
		{"1", "10", "R1/$", "10", "R1/10"},
		{"1", "10", "R1/^", "1", "R1/1"},
		{"1", "10", "R5/P2", "2 4 6 8 10", ""},
		{"1", "10", "P3/-P1", "1 4 7", ""},
		{"1", "10", "R1//-P2", "8", ""},
		{"1", "10", "R/-P2/P3", "3 6", ""},
		{"1", "10", "+P1/P3", "2 5 8", ""},
		{"2", "", "R2/3/P3", "3 6", "R2/3/P3"},
		{"1", "5", "R//P2", "1 3 5", ""},
		{"1", "7", "R5//P1", "1 2 3 4 5", ""},
		{"1", "7", "R/P1", "1 2 3 4 5 6 7", ""},
		{"1", "20", "P2/7", "2 4 6", ""},
		{"1", "16", "R/1/P2!P3", "3 5 9 11 15", ""},
		{"1", "", "P1", "", "R/1/P1"},
	}
	for _, tt := range tests {
		c := intCtx(t, tt.icp, tt.fcp)
		s, err := c.ParseRecurrence(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		got := allPoints(s)
		if tt.fcp == "" && tt.want == "" {
			got = pointStrings(s.Points(3))
			tt.want = "1 2 3"
		}
		if got != tt.want {
			t.Errorf("%s [%s..%s]: points %s, want %s", tt.expr, tt.icp, tt.fcp, got, tt.want)
		}
		if tt.str != "" && s.String() != tt.str {
			t.Errorf("%s: String() = %s, want %s", tt.expr, s, tt.str)
		}
	}
}

func TestIntegerSequenceMethods(t *testing.T) {
	c := intCtx(t, "1", "10")
	p := func(v string) Point {
		q, err := c.ParsePoint(v)
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
	s, _ := c.ParseRecurrence("R/P1!(2,3,7)")
	checks := []struct{ what, got, want string }{
		{"IsOn(3)", pyBool(s.IsOn(p("3"))), "False"},
		{"Prev(3)", str(s.Prev(p("3"))), "1"},
		{"Prev(4)", str(s.Prev(p("4"))), "1"},
		{"NearestPrev(3)", str(s.NearestPrev(p("3"))), "1"},
		{"NearestPrev(4)", str(s.NearestPrev(p("4"))), "1"},
		{"Next(3)", str(s.Next(p("3"))), "4"},
		{"Next(2)", str(s.Next(p("2"))), "4"},
		{"Next(10)", str(s.Next(p("10"))), "none"},
		{"Interval", s.Interval().String(), "P1"},
	}
	s2, _ := c.ParseRecurrence("R/P1!(1,3,4)")
	checks = append(checks,
		struct{ what, got, want string }{"FirstOnOrAfter(1)", str(s2.FirstOnOrAfter(p("1"))), "2"},
		struct{ what, got, want string }{"FirstOnOrAfter(0)", str(s2.FirstOnOrAfter(p("0"))), "2"},
		struct{ what, got, want string }{"Start", str(s2.Start()), "2"})
	s3, _ := c.ParseRecurrence("R/P1!(8,9,10)")
	checks = append(checks, struct{ what, got, want string }{"Last", str(s3.Last()), "7"})
	s4, _ := c.ParseRecurrence("R1/5")
	checks = append(checks,
		struct{ what, got, want string }{"one-off Next(1)", str(s4.Next(p("1"))), "5"},
		struct{ what, got, want string }{"one-off Next(5)", str(s4.Next(p("5"))), "none"})
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %s, want %s", ch.what, ch.got, ch.want)
		}
	}
}

func TestIntegerErrors(t *testing.T) {
	c := intCtx(t, "1", "10")
	for _, expr := range []string{
		"zz0+za", "P1 !(6,8), P2 ", "R3/1/7", "R/1/P0", "R/1/-P1", "T00", "PT1H", "^+P1/P3", "P1!+P1",
	} {
		if s, err := c.ParseRecurrence(expr); err == nil {
			t.Errorf("%q: want an error, got %s", expr, s)
		} else if !strings.Contains(err.Error(), strings.TrimSpace(expr)) && !strings.Contains(err.Error(), expr) {
			t.Errorf("%q: error %q does not name it", expr, err)
		}
	}
	c2 := intCtx(t, "1", "")
	if _, err := c2.ParseRecurrence("R5/P2"); err == nil || !strings.Contains(err.Error(), "final cycle point") {
		t.Errorf("R5/P2 without a final point: %v", err)
	}
}
