package task

import (
	"strings"
	"testing"
)

func TestStatusNamesRoundTrip(t *testing.T) {
	for s := Waiting; s <= Succeeded; s++ {
		got, ok := ParseStatus(s.String())
		if !ok || got != s {
			t.Errorf("ParseStatus(%q) = %v, %v", s, got, ok)
		}
	}
	if _, ok := ParseStatus("queued"); ok {
		t.Error("queued is a flag in Cylc 8, not a status")
	}
	var s Status
	if err := s.UnmarshalText([]byte("bogus")); err == nil {
		t.Error("UnmarshalText accepted a bogus status")
	}
}

func TestStatusClasses(t *testing.T) {
	active := map[Status]bool{Preparing: true, Submitted: true, Running: true}
	final := map[Status]bool{Expired: true, SubmitFailed: true, Failed: true, Succeeded: true}
	for s := Waiting; s <= Succeeded; s++ {
		if s.Active() != active[s] {
			t.Errorf("%v.Active() = %v", s, s.Active())
		}
		if s.Final() != final[s] {
			t.Errorf("%v.Final() = %v", s, s.Final())
		}
	}
}

func TestNormaliseQualifier(t *testing.T) {
	for q, want := range map[string]string{
		"succeed": "succeeded", "fail": "failed", "submit-fail": "submit-failed",
		"start": "started", "expire": "expired", "finish": "finished", "submitted": "submitted",
	} {
		got, std := NormaliseQualifier(q)
		if got != want || !std {
			t.Errorf("NormaliseQualifier(%q) = %q, %v", q, got, std)
		}
	}
	if got, std := NormaliseQualifier("x_ready"); got != "x_ready" || std {
		t.Errorf("custom output: got %q, %v", got, std)
	}
}

func outs(needs map[string]Need, custom ...string) []Output {
	o := StandardOutputDefs()
	for _, c := range custom {
		o = append(o, Output{Trigger: c, Message: c + " message"})
	}
	for i := range o {
		o[i].Need = needs[o[i].Trigger]
	}
	return o
}

// Cases follow Cylc's get_completion_expression documentation.
func TestDefaultCompletion(t *testing.T) {
	for _, tc := range []struct {
		needs  map[string]Need
		custom []string
		cylc7  bool
		want   string
	}{
		{nil, nil, false, "succeeded"},
		{map[string]Need{"succeeded": Optional}, nil, false, "succeeded or failed"},
		{map[string]Need{"failed": Optional, "succeeded": Optional}, nil, false, "succeeded or failed"},
		{map[string]Need{"x": Required}, []string{"x"}, false, "(succeeded and x)"},
		{map[string]Need{"x": Required, "succeeded": Optional}, []string{"x"}, false, "(x and succeeded) or failed"},
		{map[string]Need{"submit-failed": Optional}, nil, false, "succeeded or submit_failed"},
		{map[string]Need{"expired": Optional}, nil, false, "succeeded or expired"},
		{map[string]Need{"started": Required}, nil, false, "(started and succeeded)"},
		{nil, nil, true, "(submitted and succeeded)"},
		{map[string]Need{"failed": Required}, nil, false, "failed"},
	} {
		o := outs(tc.needs, tc.custom...)
		SettleNeeds(o, tc.cylc7)
		if got := DefaultCompletion(o); got != tc.want {
			t.Errorf("needs %v cylc7=%v: got %q, want %q", tc.needs, tc.cylc7, got, tc.want)
		}
		if _, err := ParseCompletion(DefaultCompletion(o)); err != nil {
			t.Errorf("default expression does not parse: %v", err)
		}
	}
}

func TestCompletionEval(t *testing.T) {
	c, err := ParseCompletion("(succeeded and x) or (failed and y)")
	if err != nil {
		t.Fatal(err)
	}
	set := func(vs ...string) func(string) bool {
		return func(v string) bool {
			for _, x := range vs {
				if x == v {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		done []string
		want bool
	}{
		{[]string{"succeeded"}, false},
		{[]string{"succeeded", "x"}, true},
		{[]string{"failed", "x"}, false},
		{[]string{"failed", "y"}, true},
		{nil, false},
	} {
		if got := c.Eval(set(tc.done...)); got != tc.want {
			t.Errorf("Eval(%v) = %v, want %v", tc.done, got, tc.want)
		}
	}
	if got := strings.Join(c.Vars(), ","); got != "failed,succeeded,x,y" {
		t.Errorf("Vars = %s", got)
	}
}

// Cases from Cylc's get_optional_outputs documentation.
func TestOptionalIn(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want map[string]bool
	}{
		{"(succeeded and (x or y)) or failed", map[string]bool{"failed": true, "succeeded": true, "x": true, "y": true}},
		{"(succeeded and x and y) or expired", map[string]bool{"expired": true, "succeeded": false, "x": false, "y": false}},
		{"(succeeded and towel) or (failed and bugblatter)", map[string]bool{"bugblatter": true, "failed": true, "succeeded": true, "towel": true}},
	} {
		c, err := ParseCompletion(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		got := c.OptionalIn()
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.expr, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s optional = %v, want %v", tc.expr, k, got[k], v)
			}
		}
	}
}

func TestCompletionErrors(t *testing.T) {
	for src, want := range map[string]string{
		"":                           "empty",
		"succeeded and":              "ends too soon",
		"(succeeded":                 "missing )",
		"succeeded or or failed":     `"or" needs something before it`,
		"not failed":                 `"not" is not allowed`,
		"succeeded or submit-failed": "submit_failed",
		"succeeded failed":           `unexpected "failed"`,
		"succeeded )":                `unexpected ")"`,
		"1x":                         `unexpected "1x"`,
	} {
		_, err := ParseCompletion(src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCompletion(%q) error = %v, want it to mention %q", src, err, want)
		}
	}
}

func FuzzParseCompletion(f *testing.F) {
	for _, s := range []string{"succeeded", "(a and b) or c", "((x))", "a or", "not", "submit-failed", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCompletion(s)
		if err != nil {
			return
		}
		// A parsed expression evaluates without panicking and reparses to
		// the same variables.
		c.Eval(func(string) bool { return true })
		c2, err := ParseCompletion(c.String())
		if err != nil || strings.Join(c2.Vars(), " ") != strings.Join(c.Vars(), " ") {
			t.Fatalf("reparse of %q: %v", s, err)
		}
	})
}
