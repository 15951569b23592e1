package param

import (
	"strings"
	"testing"
)

// fuzzSet is a small parameter set with integer (padded, negative) and
// string parameters, for the expansion fuzzers.
func fuzzSet(t *testing.T) *Set {
	s, err := NewSet([]KV{{"m", "1..3"}, {"n", "-1..1"}, {"p", "cat, dog"}, {"i", "0, 5, 10"}},
		[]KV{{"i", "_i%(i)03d"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// FuzzExpandName: any heading either expands or errors, never panics,
// and expanded names carry values of defined parameters only.
func FuzzExpandName(f *testing.F) {
	for _, tc := range expandCases {
		if tc.op == "name" {
			f.Add(tc.input)
		}
	}
	for _, s := range []string{"foo<m,n>, bar<p=dog>", "<m><n><p>", "a<m=3>b<i>c", "x<m-1>", "x<>", "x<m", "x<m>>y<", "%<m>%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, heading string) {
		s := fuzzSet(t)
		names, err := s.ExpandName(heading)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, n := range names {
			for k := range n.Values {
				if _, ok := s.Get(k); !ok {
					t.Fatalf("%q: value for undefined parameter %q", heading, k)
				}
			}
		}
	})
}

// FuzzExpandGraph: any graph line either expands or errors, never panics,
// and every parameter group is expanded. (Out-of-range nodes can survive:
// Cylc's removal misses two adjacent ones at the start of a line, and gyre
// does the same; see g_double_removed_quirk.)
func FuzzExpandGraph(f *testing.F) {
	for _, tc := range expandCases {
		if tc.op == "graph" {
			f.Add(tc.input)
		}
	}
	f.Add("a<m-1> & b<p+1> | c<n=0> => d<m,n,p>:fail? => e<i>[-P1D]")
	f.Fuzz(func(t *testing.T, line string) {
		s := fuzzSet(t)
		lines, err := s.ExpandGraph(line)
		if err != nil {
			return
		}
		for _, l := range lines {
			if reParams.MatchString(l) {
				t.Fatalf("%q: unexpanded parameters in %q", line, l)
			}
			if strings.ContainsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' }) {
				t.Fatalf("%q: whitespace left in %q", line, l)
			}
		}
	})
}

// FuzzNewSet: any [task parameters] value either parses or errors; parsed
// parameters are all-int or all-string with a usable default template.
func FuzzNewSet(f *testing.F) {
	for _, tc := range expandCases {
		for _, kv := range tc.items {
			f.Add(kv.Value)
		}
	}
	for _, s := range []string{"1..5..2, 7", "'a', \"b, c\"", "a, b # c", "-3..3", "072, 5", "x,,y", "1..2..", "+1, -1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		s, err := NewSet([]KV{{"m", value}}, nil)
		if err != nil {
			return
		}
		p, ok := s.Get("m")
		if !ok {
			t.Fatal("parameter m missing")
		}
		if len(p.Values) == 0 {
			return
		}
		if _, err := s.ExpandName("x<m>"); err != nil {
			t.Fatalf("%q: values %q do not expand: %v", value, p.Values, err)
		}
	})
}
