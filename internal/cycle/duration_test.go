package cycle

import (
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	c := ctxOf(t, Settings{})
	tests := []struct{ in, want string }{
		{"P1Y2M3DT4H5M6S", "P1Y2M3DT4H5M6S"},
		{"PT6H", "PT6H"}, {"P2W", "P2W"}, {"-P2W", "-P2W"}, {"P0W", "P0Y"},
		{"PT0.5H", "PT0,5H"}, {"PT1,5M", "PT1,5M"}, {"PT10.25S", "PT10,25S"},
		{"-P1D", "-P1D"}, {"+PT6H", "PT6H"}, {"-PT1H30M", "-PT1H30M"},
		{"P", "P0Y"}, {"PT", "P0Y"}, {"P1DT", "P1D"}, {"PT36H", "PT36H"},
		{"P0001-02-03T04:05:06", "P1Y2M3DT4H5M6S"}, {"P10", "P1000Y"}, {"P2010", "P2010Y"},
		{"P1000000000Y", "P1000000000Y"}, {"PT1.25H", "PT1,25H"}, {"PT0.0001S", "PT0,0001S"},
		{"PT0.00001S", "PT1e-05S"},
		{"P1", "ERR"}, {"P1M1Y", "ERR"}, {"P1.5D", "ERR"}, {"PT30M1H", "ERR"},
		{"P1W2D", "ERR"}, {"1D", "ERR"}, {"--P1D", "P1D"}, // Cylc retries without the first "-"
		{"PT1,5,5H", "ERR"},
	}
	for _, tt := range tests {
		d, err := c.ParseDuration(tt.in)
		got := "ERR"
		if err == nil {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %s (%v), want %s", tt.in, got, err, tt.want)
		}
	}
	_, err := c.ParseDuration("P1M1Y")
	if err == nil || !strings.Contains(err.Error(), `"P1M1Y"`) || !strings.Contains(err.Error(), "e.g. P1D") {
		t.Errorf("error = %v", err)
	}
}

func TestIntegerIntervals(t *testing.T) {
	c := ctxOf(t, Settings{CyclingMode: "integer"})
	for in, want := range map[string]string{"P3": "P3", "-P1": "-P1", "+P2": "P2", "P0": "P0", "PT1H": "ERR", "3": "ERR", "P1Y": "ERR"} {
		d, err := c.ParseDuration(in)
		got := "ERR"
		if err == nil {
			got = d.String()
			if !d.IsInteger() {
				t.Errorf("%s: not an integer interval", in)
			}
		}
		if got != want {
			t.Errorf("ParseDuration(%q) = %s, want %s", in, got, want)
		}
	}
	d, _ := c.ParseDuration("P3")
	if d.Cycles() != 3 || d.Neg().String() != "-P3" || d.Add(IntegerDuration(2)).String() != "P5" {
		t.Errorf("integer arithmetic wrong")
	}
}

func TestDurationArithmetic(t *testing.T) {
	c := ctxOf(t, Settings{})
	d := func(s string) Duration {
		v, err := c.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ got, want string }{
		{d("P1D").Add(d("PT6H")).String(), "P1DT6H"},
		{d("P1W").Add(d("P1W")).String(), "P2W"},
		{d("P1W").Add(d("P1D")).String(), "P8D"},
		{d("P1Y2M").Mul(3).String(), "P3Y6M"},
		{d("PT1H").Neg().String(), "-PT1H"},
		{d("-PT1H").Abs().String(), "PT1H"},
		{d("P1Y").Add(d("-P1M")).String(), "P1Y-1M"},
		{d("-P1Y").Add(d("P1M")).String(), "P-1Y1M"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
	// ordering: a year is 365 days (360 in the 360-day calendar), a month 30
	order := []struct {
		a, b string
		want int
	}{
		{"P1Y", "P365D", 0}, {"P1Y", "P364D", 1}, {"P1M", "P30D", 0}, {"PT24H", "P1D", 0},
		{"PT25H", "P1D", 1}, {"P1W", "P6D", 1}, {"-P1D", "P0Y", -1}, {"P2W", "P15D", -1},
	}
	for _, o := range order {
		if got := d(o.a).Compare(d(o.b)); got != o.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", o.a, o.b, got, o.want)
		}
	}
	c360 := ctxOf(t, Settings{CyclingMode: "360day"})
	y, _ := c360.ParseDuration("P1Y")
	dd, _ := c360.ParseDuration("P360D")
	if y.Compare(dd) != 0 {
		t.Errorf("360day: P1Y != P360D")
	}
	if !d("P1D").IsExact() || d("P1M").IsExact() || !d("P0Y").IsZero() {
		t.Errorf("IsExact/IsZero wrong")
	}
}

func TestPyRepr(t *testing.T) {
	for f, want := range map[float64]string{
		0.5: "0.5", 1234567.5: "1234567.5", 1e-05: "1e-05", 0.0001: "0.0001",
		1.5e16: "1.5e+16", 123456789012345.6: "123456789012345.6", -2.25: "-2.25",
		1.0 / 3: "0.3333333333333333", 1e22 + 0.5: "1e+22",
	} {
		if got := pyRepr(f); got != want {
			t.Errorf("pyRepr(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestRunaheadLimit(t *testing.T) {
	c := ctxOf(t, Settings{})
	ci := ctxOf(t, Settings{CyclingMode: "integer"})
	tests := []struct {
		c    *Context
		in   string
		want string
	}{
		{c, "P3", "P3"}, {c, "PT12H", "PT12H"}, {c, "P3D", "P3D"}, {c, "6", "PT6H"},
		{c, "P0", "P0"}, {ci, "P3", "P3"}, {ci, "PT12H", "ERR"}, {c, "-P1D", "ERR"},
		{c, "P10", "P10"}, {c, "soon", "ERR"},
	}
	for _, tt := range tests {
		d, err := tt.c.RunaheadLimit(tt.in)
		got := "ERR"
		if err == nil {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("RunaheadLimit(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if d, _ := c.RunaheadLimit("P3"); !d.IsInteger() || d.Cycles() != 3 {
		t.Errorf("P3 is not 3 cycles")
	}
}
