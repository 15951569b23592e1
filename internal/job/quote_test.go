package job

import "testing"

// Expected values were computed with Python's "tmpl % params" (Cylc's
// interpolate_template), "unchanged" where Python raises.
func TestInterpolateParams(t *testing.T) {
	params := []EnvVar{{"i", "3"}, {"m", "ens"}, {"n", "-7"}}
	for _, tc := range []struct{ in, want string }{
		{"foo%(i)03d", "foo003"},
		{"%(m)s_%(i)d", "ens_3"},
		{"x%(i)5dx", "x    3x"},
		{"x%(i)-5dx", "x3    x"},
		{"%(i)+d", "+3"},
		{"%(i)x %(i)X %(i)o", "3 3 3"},
		{"%(i).2f", "3.00"},
		{"%(i)e", "3.000000e+00"},
		{"%(m)r", "'ens'"},
		{"%(i)r", "3"},
		{"%%(i)d %(i)d", "%(i)d 3"},
		{"%(n)04d", "-007"},
		{"%(m)10s|", "       ens|"},
		{"%(m)-6s|", "ens   |"},
		{"%(nope)s", "%(nope)s"},             // KeyError
		{"%(m)d", "%(m)d"},                   // TypeError
		{"%(as", "%(as"},                     // ValueError
		{"%(i)s %s", "%(i)s %s"},             // TypeError
		{"no template %s", "no template %s"}, // no "%(": left alone
		{"$HOME/%(m)s", "$HOME/ens"},
	} {
		if got := interpolateParams(tc.in, params); got != tc.want {
			t.Errorf("interpolateParams(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Cases from Cylc's test_get_variable_value_definition.
func TestEnvValue(t *testing.T) {
	params := []EnvVar{{"i", "3"}}
	for _, tc := range []struct{ in, want string }{
		{"~foo/bar bar", `~foo/"bar bar"`},
		{"~/bar bar", `~/"bar bar"`},
		{"~/a", `~/"a"`},
		{"test", `"test"`},
		{"~", `~`},
		{"~a", `~a`},
		{"foo%s", `"foo%s"`},
		{"foo%(i)d", `"foo3"`},
		{"~one ~two", `"~one ~two"`},
		{"$(date) $X", `"$(date) $X"`},
	} {
		if got := envValue(tc.in, params); got != tc.want {
			t.Errorf("envValue(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestQuoting(t *testing.T) {
	for _, tc := range []struct {
		fn       func(string) string
		in, want string
	}{
		{singleQuote, "a b", `'a b'`},
		{singleQuote, "it's", `'it'\''s'`},
		{doubleQuote, "flow/run1", `"flow/run1"`},
		{doubleQuote, `a"$b`, `"a\"\$b"`},
		{homePath, "/abs/run dir", `'/abs/run dir'`},
		{homePath, "$HOME/cylc-run/x", `"${HOME}"/'cylc-run/x'`},
		{homePath, "~/cylc-run/x", `"${HOME}"/'cylc-run/x'`},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"gregorain", ` (did you mean "gregorian"?)`},
		{"Integer", ` (did you mean "integer"?)`},
		{"365days", ` (did you mean "365day"?)`},
		{"julian", ""},
	} {
		if got := didYouMean(tc.in, cyclingModes); got != tc.want {
			t.Errorf("didYouMean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
