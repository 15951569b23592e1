package pyformat

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// Expected values in this file are Python 3's own output of tmpl % vals.

func TestMapping(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		vals map[string]any
		want string
	}{
		{"_%(m)s", map[string]any{"m": 1}, "_1"},
		{"_m%(m)02d", map[string]any{"m": 3}, "_m03"},
		{"_%(i)+03d", map[string]any{"i": -1}, "_-01"},
		{"_%(i)+03d", map[string]any{"i": 2}, "_+02"},
		{"%(a)s%%", map[string]any{"a": "x"}, "x%"},
		{"%(a)-4s|", map[string]any{"a": "x"}, "x   |"},
		{"%(a)5.2f", map[string]any{"a": 3}, " 3.00"},
		{"%(a)x", map[string]any{"a": 255}, "ff"},
		{"%(a)r", map[string]any{"a": "q"}, "'q'"},
		{"%(a) d", map[string]any{"a": 5}, " 5"},
		{"%(a)05s", map[string]any{"a": "ab"}, "   ab"},
		{"%(a).3d", map[string]any{"a": -5}, "-005"},
		{"%(a)08.3d", map[string]any{"a": 5}, "00000005"},
		{"%(a)#x", map[string]any{"a": 255}, "0xff"},
		{"%(a)#o", map[string]any{"a": 255}, "0o377"},
		{"%(a)#06x", map[string]any{"a": 255}, "0x00ff"},
		{"%(a)#.3x", map[string]any{"a": 255}, "0x0ff"},
		{"%(a)#X", map[string]any{"a": 255}, "0XFF"},
		{"%(a)-#8x|", map[string]any{"a": 255}, "0xff    |"},
		{"%(a)+.2x", map[string]any{"a": -255}, "-ff"},
		{"%(a)r", map[string]any{"a": 5}, "5"},
		{"%(a)a", map[string]any{"a": "é"}, `'\xe9'`},
		{"%(a)r", map[string]any{"a": "it's"}, `"it's"`},
		{"%(a)r", map[string]any{"a": "tab\there"}, `'tab\there'`},
		{"%(a)5c", map[string]any{"a": 65}, "    A"},
		{"%(a)c", map[string]any{"a": "z"}, "z"},
		{"%(a)g", map[string]any{"a": 1e+20}, "1e+20"},
		{"%(a)5.1e", map[string]any{"a": -3}, "-3.0e+00"},
		{"%(a)010.2f", map[string]any{"a": -3.5}, "-000003.50"},
		{"%(a)s", map[string]any{"a": 1.0}, "1.0"},
		{"%(a)s", map[string]any{"a": 1e+16}, "1e+16"},
		{"%(a)s", map[string]any{"a": 0.0001}, "0.0001"},
		{"%(a)s", map[string]any{"a": 1e-05}, "1e-05"},
		{"%(a)d", map[string]any{"a": true}, "1"},
		{"%(a)s", map[string]any{"a": true}, "True"},
		{"%(a)d", map[string]any{"a": -2.7}, "-2"},
		{"%(a)ld", map[string]any{"a": 7}, "7"},
		{"%(a).2s", map[string]any{"a": "héllo"}, "hé"},
		{"%(a)-5d|", map[string]any{"a": -3}, "-3   |"},
		{"%(a)E", map[string]any{"a": 12345.678}, "1.234568E+04"},
		{"%(a)G", map[string]any{"a": 1.234e-05}, "1.234E-05"},
		{"%(a)F", map[string]any{"a": math.Inf(1)}, "INF"},
		{"%(a)+f", map[string]any{"a": math.Inf(-1)}, "-inf"},
		{"%(a)u", map[string]any{"a": 12}, "12"},
		{"%(a)i", map[string]any{"a": -12}, "-12"},
		{"%(a)o", map[string]any{"a": -8}, "-10"},
		{"a%(x)sb%(y)dc", map[string]any{"x": "-", "y": 42}, "a-b42c"},
		{"no template", map[string]any{}, "no template"},
		{"%(a)s", map[string]any{"a": nil}, "None"},
	} {
		got, err := Mapping(c.tmpl, c.vals)
		if err != nil || got != c.want {
			t.Errorf("Mapping(%q, %v) = %q, %v; want %q", c.tmpl, c.vals, got, err, c.want)
		}
	}
}

func TestMappingErrors(t *testing.T) {
	for _, c := range []struct {
		tmpl    string
		vals    map[string]any
		err     error
		key     string
		unkeyed bool
	}{
		{"%(a)d", map[string]any{"a": "x"}, ErrWrongType, "a", false},
		{"%(a)x", map[string]any{"a": 1.5}, ErrWrongType, "a", false},
		{"%(a)f", map[string]any{"a": "1"}, ErrWrongType, "a", false},
		{"%(a)c", map[string]any{"a": "ab"}, ErrWrongType, "a", false},
		{"%(a)c", map[string]any{"a": -1}, ErrWrongType, "a", false},
		{"%s", map[string]any{"a": 1}, ErrWrongType, "", true},
		{"%(b)s", map[string]any{"a": 1}, ErrMissingKey, "b", false},
		{"%(a", map[string]any{"a": 1}, ErrBadSyntax, "", false},
		{"%(a)z", map[string]any{"a": 1}, ErrBadSyntax, "a", false},
		{"%(a)3%", map[string]any{"a": 1}, ErrBadSyntax, "a", false},
		{"%(a)05", map[string]any{"a": 1}, ErrBadSyntax, "a", false},
		{"x%", map[string]any{}, ErrBadSyntax, "", false},
		{"%(a)99999999999999999999d", map[string]any{"a": 1}, ErrBadSyntax, "a", false},
		{"%(a).99999999999999999999d", map[string]any{"a": 1}, ErrBadSyntax, "a", false},
	} {
		got, err := Mapping(c.tmpl, c.vals)
		var e *Error
		if !errors.Is(err, c.err) || !errors.As(err, &e) || got != "" {
			t.Errorf("Mapping(%q) = %q, %v; want error %v", c.tmpl, got, err, c.err)
			continue
		}
		if e.Key != c.key || e.Unkeyed != c.unkeyed || e.Error() == "" {
			t.Errorf("Mapping(%q): error %+v, want key %q unkeyed %v", c.tmpl, e, c.key, c.unkeyed)
		}
	}
}

// FuzzMapping checks that any template gives a result or a typed error,
// never a panic, and that text without '%' is returned unchanged.
func FuzzMapping(f *testing.F) {
	for _, s := range []string{"_%(m)03d", "%(n)s%%", "%(m)#-+ 010.3x", "%(n)r%(m)c", "%(x)e",
		"%(m)99999d", "%(", "%", "plain", "%(n)a", "%(m)lld", "%(b)d", "%(f).3g"} {
		f.Add(s)
	}
	vals := map[string]any{"m": -7, "n": "x'\"é", "b": true, "f": 2.5, "x": math.NaN()}
	f.Fuzz(func(t *testing.T, tmpl string) {
		got, err := Mapping(tmpl, vals)
		if err != nil {
			if !errors.Is(err, ErrMissingKey) && !errors.Is(err, ErrWrongType) && !errors.Is(err, ErrBadSyntax) {
				t.Errorf("Mapping(%q): untyped error %v", tmpl, err)
			}
			return
		}
		if !strings.Contains(tmpl, "%") && got != tmpl {
			t.Errorf("Mapping(%q) = %q: changed text without a template", tmpl, got)
		}
		if utf8.ValidString(tmpl) && !utf8.ValidString(got) {
			t.Errorf("Mapping(%q) = %q: invalid UTF-8", tmpl, got)
		}
	})
}
