package pyformat

import (
	"math"
	"testing"
)

// Expected values in this file are Python 3's own repr()/str() output.

func TestFloatRepr(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0.0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {1.0, "1.0"}, {1.5, "1.5"},
		{0.1, "0.1"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
		{9999999999999998.0, "9999999999999998.0"},
		{1.2345678901234568e+17, "1.2345678901234568e+17"}, {0.0001, "0.0001"},
		{1e-05, "1e-05"}, {1.5e-07, "1.5e-07"}, {2.5e+20, "2.5e+20"},
		{1.0 / 3, "0.3333333333333333"}, {1e100, "1e+100"}, {-2.0, "-2.0"},
		{12345.678, "12345.678"}, {123456789012345.6, "123456789012345.6"},
		{5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	} {
		if got := FloatRepr(c.f); got != c.want {
			t.Errorf("FloatRepr(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func TestStrRepr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "''"}, {"a", "'a'"}, {"it's", `"it's"`}, {`say "hi"`, `'say "hi"'`},
		{`both '" q`, `'both \'" q'`}, {"tab\there", `'tab\there'`},
		{`back\slash`, `'back\\slash'`}, {"nl\n", `'nl\n'`}, {"é", "'é'"},
		{"\x01", `'\x01'`}, {"\x7f", `'\x7f'`}, {"\u0085", `'\x85'`},
		{"\u200b", `'\u200b'`}, {"😀", "'😀'"}, {"\U000e0001", `'\U000e0001'`},
	} {
		if got := StrRepr(c.in); got != c.want {
			t.Errorf("StrRepr(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

type stringer struct{}

func (stringer) String() string { return "S" }

func TestStr(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "None"}, {true, "True"}, {false, "False"}, {-7, "-7"},
		{2.0, "2.0"}, {1e16, "1e+16"}, {"x y", "x y"}, {stringer{}, "S"},
	} {
		if got := Str(c.v); got != c.want {
			t.Errorf("Str(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// tenth is a variable so that 0.1 + 0.2 is float64 arithmetic, not an
// exact constant.
var tenth = 0.1

// The cases metomi-isodatetime's output depends on: float and string
// reprs and divmod, as Python 3 computes them.
func TestPythonNumbersAsIsodatetimePrintsThem(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{3600.0, "3600.0"}, {1e-05, "1e-05"}, {1e+16, "1e+16"}, {1000000000000000.0, "1000000000000000.0"},
		{0.0001, "0.0001"}, {1.5, "1.5"}, {100.0, "100.0"}, {123456789012345.6, "123456789012345.6"},
		{1e+100, "1e+100"}, {math.Copysign(0, -1), "-0.0"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"},
		{math.NaN(), "nan"}, {tenth + 0.2, "0.30000000000000004"}, {-2.5e-07, "-2.5e-07"}, {5e-324, "5e-324"},
		{1.7976931348623157e+308, "1.7976931348623157e+308"}, {9999999999999998.0, "9999999999999998.0"},
		{12345678.9, "12345678.9"},
	} {
		if got := FloatRepr(c.v); got != c.want {
			t.Errorf("FloatRepr(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for _, c := range []struct{ s, want string }{
		{"abc", "'abc'"}, {"it's", `"it's"`}, {`say "hi"`, `'say "hi"'`}, {`both '" `, `'both \'" '`},
		{"tab\there", `'tab\there'`}, {"é", "'é'"}, {"\x7f", `'\x7f'`}, {"\u200b", `'\u200b'`}, {"nl\n", `'nl\n'`}, {`\`, `'\\'`},
	} {
		if got := StrRepr(c.s); got != c.want {
			t.Errorf("StrRepr(%q) = %s, want %s", c.s, got, c.want)
		}
	}
	for _, c := range []struct{ a, b, q, r float64 }{
		{7.5, 2.0, 3.0, 1.5}, {-7.5, 2.0, -4.0, 0.5}, {7.5, -2.0, -4.0, -0.5}, {86399.99, 60.0, 1439.0, 59.99000000000524},
		{-1e-09, 60.0, -1.0, 59.999999999}, {1e+300, 24.0, 4.166666666666667e+298, 0.0},
	} {
		if q, r := Divmod(c.a, c.b); q != c.q || r != c.r {
			t.Errorf("Divmod(%v, %v) = %v, %v, want %v, %v", c.a, c.b, q, r, c.q, c.r)
		}
	}
}
