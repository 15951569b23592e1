package param

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// expandCase is one row of expand_cases_test.go, whose expectations were
// computed with Cylc 8.7's own code (see the generated file's header).
type expandCase struct {
	name       string
	items      []KV
	templates  []KV
	op         string // "name", "graph" or "parent"
	input      string
	values     map[string]string
	newSetErr  bool
	params     []Param
	errMsg     string // Cylc's message; gyre's may add a hint after it
	names      []Expanded
	lines      []string // sorted
	parent     string
	parentUsed map[string]string
}

func TestExpand(t *testing.T) {
	for _, tc := range expandCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSet(tc.items, tc.templates)
			if tc.newSetErr {
				if err == nil {
					t.Fatalf("NewSet accepted %v", tc.items)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.Params()
			for i := range got {
				got[i].ints = nil
				if len(got[i].Values) == 0 {
					got[i].Values = nil
				}
			}
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tc.params) {
				t.Errorf("params:\n got %+v\nwant %+v", got, tc.params)
			}
			var gotErr error
			switch tc.op {
			case "name":
				var names []Expanded
				names, gotErr = s.ExpandName(tc.input)
				if gotErr == nil && !reflect.DeepEqual(names, tc.names) {
					t.Errorf("names:\n got %v\nwant %v", names, tc.names)
				}
			case "graph":
				var lines []string
				lines, gotErr = s.ExpandGraph(tc.input)
				sort.Strings(lines)
				if gotErr == nil && !reflect.DeepEqual(lines, append([]string{}, tc.lines...)) {
					t.Errorf("lines:\n got %q\nwant %q", lines, tc.lines)
				}
			case "parent":
				var name string
				var used map[string]string
				name, used, gotErr = s.ExpandParent(tc.input, tc.values)
				if used == nil {
					used = map[string]string{}
				}
				if gotErr == nil && (name != tc.parent || !reflect.DeepEqual(used, tc.parentUsed)) {
					t.Errorf("parent: got %q %v, want %q %v", name, used, tc.parent, tc.parentUsed)
				}
			}
			switch {
			case tc.errMsg == "" && gotErr != nil:
				t.Errorf("unexpected error: %v", gotErr)
			case tc.errMsg != "" && gotErr == nil:
				t.Errorf("want error %q", tc.errMsg)
			case tc.errMsg != "" && !strings.HasPrefix(gotErr.Error(), tc.errMsg):
				t.Errorf("error:\n got %q\nwant %q", gotErr, tc.errMsg)
			}
		})
	}
}

func TestNewSetErrors(t *testing.T) {
	for _, tc := range []struct {
		items []KV
		want  string
	}{
		{[]KV{{"m", "1..3, a"}}, "[task parameters]m = 1..3, a: mixing int range and str"},
		{[]KV{{"m", "a b"}}, "[task parameters]m = a b: a b: bad value"},
		{[]KV{{"m", "1..5..0"}}, "range step must not be zero"},
		{[]KV{{"m", "0..99999999999"}}, "more than 1048576 values"},
		{[]KV{{"m", "foo<a,b>"}}, "names containing commas must be quoted"},
		{[]KV{{"m-n", "1"}}, "parameter names must be letters, digits and underscores"},
		{[]KV{{"m", "'a, b"}}, "no closing quotation"},
	} {
		if _, err := NewSet(tc.items, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.items, err, tc.want)
		}
	}
}

func TestInterpolate(t *testing.T) {
	s, err := NewSet([]KV{{"m", "1..3"}, {"n", "cat, dog"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tmpl string
		vals map[string]string
		want string
		err  string
	}{
		{"member_%(m)03d_%(n)s", map[string]string{"m": "2", "n": "cat"}, "member_002_cat", ""},
		{"no template here", nil, "no template here", ""},
		{"100%(m)d%%", map[string]string{"m": "1"}, "1001%", ""},
		{"%(z)s", map[string]string{"m": "1"}, "", "parameter z is not defined."},
		{"%(n)d", map[string]string{"n": "cat"}, "", "wrong data type for parameter n"},
		{"%(m", map[string]string{"m": "1"}, "", "bad template syntax"},
	} {
		got, err := s.Interpolate(tc.tmpl, tc.vals)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: got %q, %v; want error %q", tc.tmpl, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.tmpl, got, err, tc.want)
		}
	}
}

func TestSuggestions(t *testing.T) {
	s, err := NewSet([]KV{{"member", "1..3"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ExpandName("foo<membr>")
	if err == nil || err.Error() != "parameter membr is not defined in foo<membr> (did you mean member?)" {
		t.Errorf("got %v", err)
	}
	_, err = s.ExpandGraph("a<membr> => b")
	if err == nil || !strings.HasSuffix(err.Error(), "(did you mean member?)") {
		t.Errorf("got %v", err)
	}
}

func TestGet(t *testing.T) {
	s, err := NewSet([]KV{{"m", "0..10"}, {"templates", "ignored"}}, []KV{{"m", `"%(m)s" # quoted with comment`}})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := s.Get("m")
	if !ok || !p.Ints || p.Template != "%(m)s" || len(p.Values) != 11 || p.Values[10] != "10" {
		t.Errorf("got %+v", p)
	}
	if _, ok := s.Get("templates"); ok {
		t.Error("the templates subsection is not a parameter")
	}
}
