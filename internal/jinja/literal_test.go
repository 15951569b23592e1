package jinja

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseValue(t *testing.T) {
	for _, tc := range parseValueCases {
		v, err := ParseValue(tc.in)
		switch tc.outcome {
		case "ok":
			if err != nil {
				t.Errorf("%q: unexpected error %v", tc.in, err)
				continue
			}
			rv, err := fromGo(v)
			if err != nil {
				t.Errorf("%q: %v", tc.in, err)
				continue
			}
			if got, _ := repr(rv); got != tc.repr {
				t.Errorf("%q: got %s, want %s", tc.in, got, tc.repr)
			}
		case "quote":
			if err == nil || !strings.Contains(err.Error(), "note string values must be quoted") {
				t.Errorf("%q: want the must-be-quoted hint, got %v", tc.in, err)
			}
		case "syntax":
			if err == nil || !strings.Contains(err.Error(), "values must be valid Python literals") {
				t.Errorf("%q: want the valid-literal hint, got %v", tc.in, err)
			}
		}
		if err != nil && !strings.HasPrefix(err.Error(), "invalid template variable: "+tc.in) {
			t.Errorf("%q: error does not name the value: %v", tc.in, err)
		}
	}
}

func TestParseValueTypes(t *testing.T) {
	v, err := ParseValue("{'a': [1, (2, 'x')], 'b': {3}}")
	if err != nil {
		t.Fatal(err)
	}
	d, ok := v.(*Dict)
	if !ok || d.Len() != 2 {
		t.Fatalf("got %#v", v)
	}
	a, _ := d.Get("a")
	if !reflect.DeepEqual(a, []any{1, Tuple{2, "x"}}) {
		t.Errorf("a = %#v", a)
	}
	b, _ := d.Get("b")
	if s, ok := b.(*Set); !ok || !reflect.DeepEqual(s.Items(), []any{3}) {
		t.Errorf("b = %#v", b)
	}
	if !reflect.DeepEqual(d.Keys(), []any{"a", "b"}) {
		t.Errorf("keys = %v", d.Keys())
	}
	for in, hint := range map[string]string{
		"b'x'": "gyre supports int, float, str, bool, None, list, tuple, dict and set values",
		"1j":   "gyre supports int",
		"...":  "gyre supports int",
	} {
		if _, err := ParseValue(in); err == nil || !strings.Contains(err.Error(), hint) {
			t.Errorf("%s: got %v", in, err)
		}
	}
}

func TestParseSet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		val  any
		err  string
	}{
		{in: "TASKNAME='foo'", name: "TASKNAME", val: "foo"},
		{in: " STEP = 2 ", name: "STEP", val: 2},
		{in: "X=a=b", err: "invalid template variable: a=b"},
		{in: "X='a=b'", name: "X", val: "a=b"},
		{in: "L=[1, 2]", name: "L", val: []any{1, 2}},
		{in: "NOEQUALS", err: `template variables must be set with NAME=VALUE, not "NOEQUALS"`},
		{in: "=1", err: "empty name"},
		{in: "X=foo", err: "note string values must be quoted"},
	} {
		name, val, err := ParseSet(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: want error containing %q, got %v", tc.in, tc.err, err)
			}
			continue
		}
		if err != nil || name != tc.name || !reflect.DeepEqual(val, tc.val) {
			t.Errorf("%q: got %q %#v %v", tc.in, name, val, err)
		}
	}
}

func TestParseSetFile(t *testing.T) {
	content := "# comment line\n\nTASKNAME=\"foo\"\n  STEP = '2'  # trailing comment\nN=3\n"
	vars, err := ParseSetFile("vars.txt", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"TASKNAME": "foo", "STEP": "2", "N": 3}; !reflect.DeepEqual(vars, want) {
		t.Errorf("got %#v", vars)
	}
	// Cylc cuts at "#" before parsing, even inside quotes.
	if _, err := ParseSetFile("vars.txt", []byte("X='a#b'\n")); err == nil || !strings.Contains(err.Error(), "vars.txt:1:") {
		t.Errorf("quoted #: got %v", err)
	}
	_, err = ParseSetFile("vars.txt", []byte("A=1\njunk\nmore junk\n"))
	if err == nil || err.Error() != "template variables must be set with NAME=VALUE:\n * vars.txt:2: junk\n * vars.txt:3: more junk" {
		t.Errorf("bad lines: got %v", err)
	}
	if _, err := ParseSetFile("v", []byte("A=1\nB=oops\n")); err == nil || !strings.HasPrefix(err.Error(), "v:2: invalid template variable: oops") {
		t.Errorf("bad value: got %v", err)
	}
}

func TestParseSetList(t *testing.T) {
	name, items, err := ParseSetList(`M=a,"b,c",'d'`)
	if err != nil || name != "M" || !reflect.DeepEqual(items, []any{"a", "b,c", "d"}) {
		t.Errorf("got %q %#v %v", name, items, err)
	}
	if _, _, err := ParseSetList("nothing"); err == nil {
		t.Error("want error for a missing =")
	}
}
