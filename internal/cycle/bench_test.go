package cycle

import (
	"testing"
)

func benchSeq(b *testing.B, expr string) (*Context, *Sequence, Point) {
	c := mustContext(b, Settings{InitialCyclePoint: "20000101T00Z", FinalCyclePoint: "21000101T00Z"})
	s, err := c.ParseRecurrence(expr)
	if err != nil {
		b.Fatal(err)
	}
	p, err := c.ParsePoint("20870614T1700Z") // ~770000 hours after the start
	if err != nil {
		b.Fatal(err)
	}
	return c, s, p
}

func BenchmarkAdd(b *testing.B) {
	c := mustContext(b, Settings{InitialCyclePoint: "20000101T00Z"})
	p := c.Initial()
	d, _ := c.ParseDuration("PT1H")
	b.ReportAllocs()
	for b.Loop() {
		p = p.Add(d)
	}
}

func BenchmarkAddMonth(b *testing.B) {
	c := mustContext(b, Settings{InitialCyclePoint: "20000131T00Z"})
	p := c.Initial()
	d, _ := c.ParseDuration("P1M")
	b.ReportAllocs()
	for b.Loop() {
		p = p.Add(d)
	}
}

func BenchmarkIsOnHourly(b *testing.B) {
	_, s, p := benchSeq(b, "PT1H")
	b.ReportAllocs()
	for b.Loop() {
		if !s.IsOn(p) {
			b.Fatal("not on")
		}
	}
}

func BenchmarkNextHourly(b *testing.B) {
	_, s, p := benchSeq(b, "PT1H")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.Next(p); !ok {
			b.Fatal("no next")
		}
	}
}

func BenchmarkNextHourlyWithExclusions(b *testing.B) {
	_, s, p := benchSeq(b, "PT1H!(T00, T12)")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.Next(p); !ok {
			b.Fatal("no next")
		}
	}
}

func BenchmarkIsOnMonthly(b *testing.B) {
	c, s, _ := benchSeq(b, "R/20000131T00Z/P1M")
	p, _ := c.ParsePoint("20870628T0000Z")
	b.ReportAllocs()
	for b.Loop() {
		if !s.IsOn(p) {
			b.Fatal("not on")
		}
	}
}

func BenchmarkString(b *testing.B) {
	c := mustContext(b, Settings{InitialCyclePoint: "20000101T00Z"})
	p := c.Initial()
	b.ReportAllocs()
	for b.Loop() {
		_ = p.String()
	}
}

func BenchmarkParsePoint(b *testing.B) {
	c := mustContext(b, Settings{InitialCyclePoint: "20000101T00Z"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ParsePoint("20100823T1800Z"); err != nil {
			b.Fatal(err)
		}
	}
}
