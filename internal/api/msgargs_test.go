package api

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseMessageArgs(t *testing.T) {
	tests := []struct {
		args     []string
		severity string
		timeout  time.Duration
		operands []string
		err      string
	}{
		{args: []string{"hello"}, operands: []string{"hello"}},
		{args: []string{"--", "w", "1/a/01", "-x"}, operands: []string{"w", "1/a/01", "-x"}},
		{args: []string{"--severity=WARNING", "a"}, severity: "WARNING", operands: []string{"a"}},
		{args: []string{"--severity", "WARNING", "a"}, severity: "WARNING", operands: []string{"a"}},
		{args: []string{"-s", "DEBUG", "a"}, severity: "DEBUG", operands: []string{"a"}},
		{args: []string{"-sERROR", "a"}, severity: "ERROR", operands: []string{"a"}},
		{args: []string{"-p", "CRITICAL", "a"}, severity: "CRITICAL", operands: []string{"a"}},
		{args: []string{"--priority=CUSTOM", "a"}, severity: "CUSTOM", operands: []string{"a"}},
		{args: []string{"a", "--severity=WARNING", "b"}, severity: "WARNING", operands: []string{"a", "b"}},
		{args: []string{"w", "j", "-"}, operands: []string{"w", "j", "-"}},
		{args: []string{"--comms-timeout=2.5", "a"}, timeout: 2500 * time.Millisecond, operands: []string{"a"}},
		{args: []string{"-v", "-vv", "--quiet", "--debug", "a"}, operands: []string{"a"}},
		{args: []string{"--severity=", "a"}, operands: []string{"a"}},
		{args: []string{"--severty=WARNING", "a"}, err: "no such option: --severty (did you mean --severity?)"},
		{args: []string{"-5 degrees"}, err: "no such option: -5"},
		{args: []string{"--severity"}, err: "option --severity requires a value"},
		{args: []string{"--severity=A|B", "x"}, err: "one word such as WARNING"},
		{args: []string{"--comms-timeout=soon", "x"}, err: "want a number of seconds"},
		{args: []string{"--debug=yes", "x"}, err: "takes no value"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			opts, operands, err := parseMessageArgs(tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if opts.severity != tt.severity || opts.commsTimeout != tt.timeout || !reflect.DeepEqual(operands, tt.operands) {
				t.Errorf("got severity %q timeout %v operands %q; want %q %v %q",
					opts.severity, opts.commsTimeout, operands, tt.severity, tt.timeout, tt.operands)
			}
		})
	}
}

// The expectations come from Cylc 8.7's TaskMessageValidator and
// message.py's splitting (computed with Cylc's own code while writing this).
func TestSplitSeverity(t *testing.T) {
	tests := []struct {
		in, def string
		want    TaskMessage
		err     string
	}{
		{in: "hello", want: TaskMessage{Severity: "INFO", Text: "hello"}},
		{in: "  hello  ", want: TaskMessage{Severity: "INFO", Text: "hello"}},
		{in: "hello", def: "WARNING", want: TaskMessage{Severity: "WARNING", Text: "hello"}},
		{in: "WARNING: disk full", def: "DEBUG", want: TaskMessage{Severity: "WARNING", Text: "disk full"}},
		{in: "WARNING:disk full", want: TaskMessage{Severity: "WARNING", Text: "disk full"}},
		{in: "CRITICAL: failed/ERR", want: TaskMessage{Severity: "CRITICAL", Text: "failed/ERR"}},
		{in: "my_sev: a: b", want: TaskMessage{Severity: "my_sev", Text: "a: b"}},
		{in: "ÉTAT: ok", want: TaskMessage{Severity: "ÉTAT", Text: "ok"}},
		{in: "42: x", want: TaskMessage{Severity: "42", Text: "x"}},
		{in: "x:", want: TaskMessage{Severity: "x", Text: ""}},
		{in: "WARNING:\nmulti\nline\n", want: TaskMessage{Severity: "WARNING", Text: "multi\nline"}},
		{in: "_cylcx", want: TaskMessage{Severity: "INFO", Text: "_cylcx"}},
		{in: "foo bar: baz", err: "cannot contain ':' unless it occurs at the end of the first word"},
		{in: ":x", err: "end of the first word"},
		{in: "a-b: c", err: "end of the first word"},
		{in: " WARNING: x", err: "end of the first word"},
		{in: "WARNING : x", err: "end of the first word"},
		{in: "_cylc: x", err: "cannot start with '_cylc'"},
	}
	for _, tt := range tests {
		got, err := splitSeverity(tt.in, tt.def)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("splitSeverity(%q): error %v, want one containing %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("splitSeverity(%q, %q) = %+v, %v; want %+v", tt.in, tt.def, got, err, tt.want)
		}
	}
}

func TestReadStdinMessages(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello\nworld!\n\nHi\n\nWARNING:Hey!\n", []string{"Hello\nworld!\n", "Hi\n", "WARNING:Hey!\n"}},
		{"\n\n  \t\none\n \ntwo", []string{"one\n", "two"}},
		{"a\r\nb\r\n\r\nc", []string{"a\r\nb\r\n", "c"}},
	}
	for _, tt := range tests {
		got, err := readStdinMessages(strings.NewReader(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("readStdinMessages(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatEventTime(t *testing.T) {
	nz := time.FixedZone("NZDT", 13*3600)
	india := time.FixedZone("IST", 5*3600+1800)
	west := time.FixedZone("X", -3*3600)
	at := time.Date(2026, 1, 2, 3, 4, 5, 999_000_000, time.UTC)
	tests := []struct {
		t    time.Time
		utc  bool
		want string
	}{
		{at, false, "2026-01-02T03:04:05Z"},
		{at.In(nz), false, "2026-01-02T16:04:05+13:00"},
		{at.In(nz), true, "2026-01-02T03:04:05Z"},
		{at.In(india), false, "2026-01-02T08:34:05+05:30"},
		{at.In(west), false, "2026-01-02T00:04:05-03:00"},
	}
	for _, tt := range tests {
		if got := formatEventTime(tt.t, tt.utc); got != tt.want {
			t.Errorf("formatEventTime(%v, %v) = %s, want %s", tt.t, tt.utc, got, tt.want)
		}
	}
}
