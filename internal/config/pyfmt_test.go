package config

import (
	"math"
	"testing"
)

// Expected values in this file are Python 3's own output.

func TestPyFloatRepr(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0.0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {1.0, "1.0"}, {1.5, "1.5"}, {0.1, "0.1"},
		{1e+16, "1e+16"}, {1000000000000000.0, "1000000000000000.0"},
		{1.2345678901234568e+17, "1.2345678901234568e+17"}, {0.0001, "0.0001"},
		{1e-05, "1e-05"}, {1.5e-07, "1.5e-07"}, {2.5e+20, "2.5e+20"},
		{1.0 / 3, "0.3333333333333333"}, {1e+100, "1e+100"}, {-2.0, "-2.0"},
		{3.0000001, "3.0000001"}, {10.0, "10.0"}, {100.0, "100.0"}, {1e+22, "1e+22"},
		{12345.678, "12345.678"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	} {
		if got := pyFloatRepr(c.f); got != c.want {
			t.Errorf("pyFloatRepr(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func TestPyStrRepr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a", "'a'"}, {"it's", `"it's"`}, {`say "hi"`, `'say "hi"'`},
		{`both '" q`, `'both \'" q'`}, {"tab\there", `'tab\there'`},
		{`back\slash`, `'back\\slash'`}, {"nl\n", `'nl\n'`}, {"é", "'é'"},
		{"\x01", `'\x01'`}, {"a, b", "'a, b'"},
	} {
		if got := pyStrRepr(c.in); got != c.want {
			t.Errorf("pyStrRepr(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestPyDedent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  a\n  b", "a\nb"}, {"  a\n    b\n", "a\n  b\n"}, {"\ta\n  b", "\ta\n  b"},
		{"  a\n \n  b", "a\n\nb"}, {"a\n  b", "a\n  b"}, {"   \n  x\n", "\nx\n"},
		{"  x\n\t\ty", "  x\n\t\ty"},
	} {
		if got := pyDedent(c.in); got != c.want {
			t.Errorf("pyDedent(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPyIntFloat(t *testing.T) {
	for _, c := range []struct {
		in string
		n  int
		ok bool
	}{{"1", 1, true}, {" -7 ", -7, true}, {"+5", 5, true}, {"1_000", 1000, true}, {"07", 7, true},
		{"1__0", 0, false}, {"_1", 0, false}, {"1.0", 0, false}, {"", 0, false}, {"0x10", 0, false}} {
		n, ok := pyInt(c.in)
		if ok != c.ok || n != c.n {
			t.Errorf("pyInt(%q) = %d, %v; want %d, %v", c.in, n, ok, c.n, c.ok)
		}
	}
	for _, c := range []struct {
		in string
		f  float64
		ok bool
	}{{"1", 1, true}, {".5", 0.5, true}, {"5.", 5, true}, {"1_0.5", 10.5, true}, {"-1e3", -1000, true},
		{"1e400", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true}, {"1e", 0, false},
		{"0x10", 0, false}, {"x", 0, false}, {".", 0, false}} {
		f, ok := pyFloat(c.in)
		if ok != c.ok || f != c.f {
			t.Errorf("pyFloat(%q) = %v, %v; want %v, %v", c.in, f, ok, c.f, c.ok)
		}
	}
}

func TestIntListJoin(t *testing.T) {
	// Cylc's doctests for parsec.util.intlistjoin.
	for _, c := range []struct {
		in   []int
		want string
	}{
		{[]int{}, ""}, {[]int{10}, "10"}, {[]int{10, 10}, "10, 10"}, {[]int{10, 10, 10}, "3*10"},
		{[]int{10, 11}, "10, 11"}, {[]int{10, 11, 12}, "10..12"},
		{[]int{-1, 1, 3, 5, 0, 0, 0, 8, 9, 11, -1, 0, 1, 2}, "-1..5..2, 3*0, 8, 9, 11, -1..2"},
		{[]int{-1, 1, 3, 5, 0, 0, 0, 8, 9, 11, 11, 12}, "-1..5..2, 3*0, 8, 9, 11, 11, 12"},
		{[]int{-10, -10, -1, 1, 3, 5, 0, 0, 0, 8, 9, 11, -1, 0, 1, 2}, "-10, -10, -1..5..2, 3*0, 8, 9, 11, -1..2"},
		{[]int{64747, -10, -10, -10, -1, 1, 3, 5, 0, 0, 0, 8, 9, 11, -1, 0, 1, 2, 3, 4, 19, 19, 19, 20, 20, 20, 21, 22, 23},
			"64747, 3*-10, -1..5..2, 3*0, 8, 9, 11, -1..4, 3*19, 3*20, 21..23"},
	} {
		if got := intListJoin(c.in); got != c.want {
			t.Errorf("intListJoin(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
