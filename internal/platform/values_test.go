package platform

import (
	"slices"
	"testing"
	"time"
)

// Expected values were produced with Cylc 8's own validator
// (cylc.flow.parsec.validate.CylcConfigValidator) on the same inputs.

func TestReadString(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		bad       bool
	}{
		{raw: "foo", want: "foo"},
		{raw: "  foo  # c", want: "foo"},
		{raw: `"a # b"  # c`, want: "a # b"},
		{raw: "'x'", want: "x"},
		{raw: "\"\"\"\n    a\n      b\n    \"\"\"", want: "a\n  b"},
		{raw: "'''one'''", want: "one"},
		{raw: "", want: ""},
		{raw: "'unclosed", bad: true},
		{raw: `"x" y`, bad: true},
	} {
		got, err := readString(tc.raw)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("readString(%q) = %q, %v; want %q, bad=%v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
}

func TestReadList(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string
		bad  bool
	}{
		{raw: "a, b, c", want: []string{"a", "b", "c"}},
		{raw: "a, b c ,   d", want: []string{"a", "b c", "d"}},
		{raw: "", want: nil},
		{raw: "a,", want: []string{"a"}},
		{raw: `"a", "b"`, want: []string{"a", "b"}},
		{raw: `'a', 'b' # x`, want: []string{"a", "b"}},
		{raw: `"a, b", c`, want: []string{"a, b", "c"}},
		{raw: "a # x, y", want: []string{"a"}},
		{raw: `"a" "b", c`, want: []string{"a b", "c"}},
		{raw: "a,,b", want: []string{"a", "", "b"}},
		{raw: `a, "b #c", d #e`, want: []string{"a", `"b #c"`, "d"}},
		{raw: `a, "b, c"`, want: []string{"a", `"b`, `c"`}},
		{raw: `"a\"b", c`, want: []string{`a"b`, "c"}},
		{raw: `"unclosed, b`, bad: true},
	} {
		got, err := readList(tc.raw)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("readList(%q) = %q, %v; want %q, bad=%v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
}

func TestReadBoolInt(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want bool
		bad  bool
	}{
		{"True", true, false}, {"true", true, false}, {"False", false, false},
		{"", false, false}, {`"True"`, true, false}, {"yes", false, true}, {"TRUE", false, true},
	} {
		got, err := readBool(tc.raw)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("readBool(%q) = %v, %v; want %v, bad=%v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
	for _, tc := range []struct {
		raw  string
		want int
		bad  bool
	}{
		{"1", 1, false}, {"1_000", 1000, false}, {" 7 ", 7, false}, {"+3", 3, false},
		{"", 0, false}, {"x", 0, true}, {"1.0", 0, true}, {"1__0", 0, true},
		{"99999999999999999999999", 0, true},
	} {
		got, err := readInt(tc.raw)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("readInt(%q) = %v, %v; want %v, bad=%v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
}

func TestParseDuration(t *testing.T) {
	// Seconds as isodatetime's Duration.get_seconds gives them.
	for _, tc := range []struct {
		s    string
		want time.Duration
		bad  bool
	}{
		{s: "PT1M", want: time.Minute},
		{s: "P1Y", want: 365 * 24 * time.Hour},
		{s: "P1M", want: 30 * 24 * time.Hour},
		{s: "P1W", want: 7 * 24 * time.Hour},
		{s: "PT1.5H", want: 90 * time.Minute},
		{s: "PT0,5M", want: 30 * time.Second},
		{s: "-PT1M", want: -time.Minute},
		{s: "P0001-02-03T04:05:06", want: 36993906 * time.Second},
		{s: "P00010203T040506", want: 36993906 * time.Second},
		{s: "P1Y2M3DT4H5M6S", want: 36993906 * time.Second},
		{s: "PT36H", want: 36 * time.Hour},
		{s: "PT1.5M30S", want: 2 * time.Minute},
		{s: "P1DT", want: 24 * time.Hour},
		{s: "PT", want: 0},
		{s: "P", want: 0},
		{s: "P0Y", want: 0},
		{s: "P1.5D", bad: true},
		{s: "P2W1D", bad: true},
		{s: "p1d", bad: true},
		{s: "P1Y1W", bad: true},
		{s: "+PT1M", bad: true},
		{s: "PT1H ", bad: true},
		{s: "1H", bad: true},
		{s: "P99999999999Y", bad: true},
	} {
		got, err := parseDuration(tc.s)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, bad=%v", tc.s, got, err, tc.want, tc.bad)
		}
	}
}

func TestReadIntervalList(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		raw  string
		want []time.Duration
		bad  bool
	}{
		{raw: "PT1M, 2*PT5M, PT10M", want: []time.Duration{60 * s, 300 * s, 300 * s, 600 * s}},
		{raw: "PT1H", want: []time.Duration{3600 * s}},
		{raw: "3*PT1M", want: []time.Duration{60 * s, 60 * s, 60 * s}},
		{raw: "P1D,", want: []time.Duration{86400 * s}},
		{raw: "", want: nil},
		{raw: "2 * PT1S", want: []time.Duration{s, s}},
		{raw: "-1*PT1M", want: nil},
		{raw: "0*PT1M, PT2S", want: []time.Duration{2 * s}},
		{raw: "x*PT1M", bad: true},
		{raw: "PT1M, bad", bad: true},
		{raw: "*PT1M", bad: true},
		{raw: "100000*PT1M", bad: true},
	} {
		got, err := readIntervalList(tc.raw)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("readIntervalList(%q) = %v, %v; want %v, bad=%v", tc.raw, got, err, tc.want, tc.bad)
		}
	}
}

func TestDedent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  a\n  b", "a\nb"},
		{"  a\n    b\n", "a\n  b\n"},
		{"\ta\n  b", "\ta\n  b"},
		{"    a\n\n  b", "  a\n\nb"},
	} {
		if got := dedent(tc.in); got != tc.want {
			t.Errorf("dedent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
