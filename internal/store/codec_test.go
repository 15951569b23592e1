package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gyre/internal/store/persist"
)

func TestFlowNumsCodec(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{
		{nil, "[]"},
		{[]int{1}, "[1]"},
		{[]int{7}, "[7]"},
		{[]int{2, 1}, "[1, 2]"},
		{[]int{1, 1, 3}, "[1, 3]"},
		{[]int{10, 2, 33}, "[2, 10, 33]"},
	} {
		if got := encodeFlowNums(c.in); got != c.want {
			t.Errorf("encodeFlowNums(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want []int
		err  bool
	}{
		{"[1]", []int{1}, false},
		{"[1, 2]", []int{1, 2}, false},
		{"[]", []int{}, false},
		{"[2,1]", []int{1, 2}, false},
		{" [ 3 , 3 ] ", []int{3}, false},
		{"[1234567890]", []int{1234567890}, false},
		{"null", nil, true},
		{"", nil, true},
		{"[1.5]", nil, true},
		{"[01]", nil, true},
		{"{}", nil, true},
		{`["1"]`, nil, true},
		{"[1, 2", nil, true},
	} {
		got, err := decodeFlowNums(c.in)
		if (err != nil) != c.err || !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("decodeFlowNums(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("%q", c.in)) {
			t.Errorf("error %q does not quote the value", err)
		}
	}
}

func TestOutputsCodec(t *testing.T) {
	outs := []persist.Output{
		{Trigger: "submitted", Message: "submitted"},
		{Trigger: "x", Message: `say "hi" \ now`},
		{Trigger: "u", Message: "ünïcode 😀 \x7f\x01 tab\t"},
	}
	// Python: json.dumps({"submitted": "submitted", "x": 'say "hi" \\ now', "u": "ünïcode 😀 \x7f\x01 tab\t"})
	const python = `{"submitted": "submitted", "x": "say \"hi\" \\ now", "u": "\u00fcn\u00efcode \ud83d\ude00 \u007f\u0001 tab\t"}`
	if got := encodeOutputs(outs); got != python {
		t.Errorf("encodeOutputs:\n got %s\nwant %s", got, python)
	}
	if got := encodeOutputs(nil); got != "{}" {
		t.Errorf("encodeOutputs(nil) = %s", got)
	}
	for _, c := range []struct {
		in   string
		want []persist.Output
		err  string
	}{
		{python, outs, ""},
		{"{}", []persist.Output{}, ""},
		{"", nil, ""},
		{`["submitted", "custom message"]`, std("submitted", "custom message"), ""},
		{`{"b": "2", "a": "1"}`, []persist.Output{{Trigger: "b", Message: "2"}, {Trigger: "a", Message: "1"}}, ""}, // completion order kept
		{`null`, nil, "want a JSON object or list"},
		{`{"a": 1}`, nil, "not a string"},
		{`[1]`, nil, "not a string"},
		{`{"a": "1"} x`, nil, "unexpected text"},
		{`{"a": "1"} {}`, nil, "unexpected text"},
		{`{"a": "1"`, nil, "EOF"},
	} {
		got, err := decodeOutputs(c.in)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("decodeOutputs(%q): %v", c.in, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("decodeOutputs(%q) error = %v, want %q", c.in, err, c.err)
		case c.err == "" && !reflect.DeepEqual(got, c.want):
			t.Errorf("decodeOutputs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTimeCodec(t *testing.T) {
	nz := time.FixedZone("NZDT", 13*3600)
	at := time.Date(2026, 1, 2, 16, 4, 5, 123456789, nz)
	for _, c := range []struct {
		t      time.Time
		layout string
		want   any
	}{
		{time.Time{}, layoutTime, nil},
		{at, layoutTime, "2026-01-02T16:04:05+13:00"},
		{at.UTC(), layoutTime, "2026-01-02T03:04:05Z"},
		{at.UTC(), layoutIsoTime, "2026-01-02T03:04:05+00:00"},
		{at.UTC(), layoutTimeUsec, "2026-01-02T03:04:05.123456Z"},
	} {
		if got := dbTime(c.t, c.layout); got != c.want {
			t.Errorf("dbTime(%v, %s) = %v, want %v", c.t, c.layout, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"", time.Time{}, false},
		{"2026-01-02T16:04:05+13:00", at.Truncate(time.Second), false},
		{"2026-01-02T03:04:05Z", at.Truncate(time.Second), false},
		{"2026-01-02T03:04:05.123456Z", at.Truncate(time.Microsecond), false},
		{"2026-01-02T03:04:05", at.Truncate(time.Second), false},
		{"20260102T030405Z", at.Truncate(time.Second), false},
		{"yesterday", time.Time{}, true},
	} {
		got, err := parseDBTime(c.in)
		if (err != nil) != c.err || !got.Equal(c.want) {
			t.Errorf("parseDBTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if got := dbEpoch(time.Unix(1767326645, 500000000)); got != 1767326645.5 {
		t.Errorf("dbEpoch = %v", got)
	}
	if got, err := parseEpoch("1767326645.5"); err != nil || !got.Equal(time.Unix(1767326645, 500000000)) {
		t.Errorf("parseEpoch = %v, %v", got, err)
	}
	for _, bad := range []string{"soon", "NaN", "1e300"} {
		if _, err := parseEpoch(bad); err == nil {
			t.Errorf("parseEpoch(%q) accepted", bad)
		}
	}
}

func TestPythonNumbers(t *testing.T) {
	if got := encodeDelays([]float64{30, 0.5, 1e21, 1.25e-7}); got != "[30.0, 0.5, 1e+21, 1.25e-07]" {
		t.Errorf("encodeDelays = %s", got)
	}
	if got := encodeStrings([]string{"foo", "FAM", "root"}); got != `["foo", "FAM", "root"]` {
		t.Errorf("encodeStrings = %s", got)
	}
}

func FuzzDecodeFlowNums(f *testing.F) {
	for _, s := range []string{"[1]", "[1, 2]", "[]", "[2,1]", " [ 3 , 3 ] ", "null", "[01]", "[1.5]", "[-1]", "[99999999999999999999]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeFlowNums(s)
		// Oracle: the JSON decoder, then sorted as a set.
		var want []int
		jerr := json.Unmarshal([]byte(s), &want)
		if jerr != nil || want == nil {
			if err == nil {
				t.Fatalf("decodeFlowNums(%q) = %v, but it is not a JSON list of ints", s, got)
			}
			return
		}
		if err != nil {
			t.Fatalf("decodeFlowNums(%q): %v, but JSON reads %v", s, err, want)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if !slices.Equal(got, want) {
			t.Fatalf("decodeFlowNums(%q) = %v, want %v", s, got, want)
		}
		again, err := decodeFlowNums(encodeFlowNums(got))
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("round trip of %v: %v, %v", got, again, err)
		}
	})
}

func FuzzDecodeOutputs(f *testing.F) {
	for _, s := range []string{`{"submitted": "submitted", "x": "msg"}`, `["a", "b"]`, `{}`, ``, `null`, `{"a": 1}`, `{"\u00fc": "\ud83d\ude00"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		outs, err := decodeOutputs(s)
		if err != nil {
			if !strings.Contains(err.Error(), "outputs") {
				t.Fatalf("error %q does not say what was being read", err)
			}
			return
		}
		if !json.Valid([]byte(s)) && strings.TrimSpace(s) != "" {
			t.Fatalf("decodeOutputs accepted invalid JSON %q", s)
		}
		enc := encodeOutputs(outs)
		if !json.Valid([]byte(enc)) {
			t.Fatalf("encodeOutputs wrote invalid JSON %q", enc)
		}
		again, err := decodeOutputs(enc)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", enc, err)
		}
		if len(outs) != len(again) || len(outs) > 0 && !reflect.DeepEqual(outs, again) {
			t.Fatalf("round trip: %q -> %q -> %q", outs, enc, again)
		}
	})
}

func FuzzPyString(f *testing.F) {
	for _, s := range []string{"", "plain", `quo"te\`, "ünï 😀", "\x00\x1f\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		writePyString(&b, s)
		for _, c := range b.Bytes() {
			if c < 0x20 || c > 0x7e {
				t.Fatalf("non-printable-ASCII byte %#x in %q", c, b.String())
			}
		}
		var back string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, b.String(), err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q -> %s -> %q", s, b.String(), back)
		}
	})
}
