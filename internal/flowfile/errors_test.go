package flowfile

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		want string // the whole Error() text
	}{
		{"bracket mismatch, missing close", "[[a]\n", 1,
			"flow.cylc:1: bracket mismatch in section heading (2 '[' but 1 ']'): \"[[a]\"\n" +
				"  hint: a heading needs as many ']' as '[', e.g. [[a]]"},
		{"bracket mismatch, extra close", "[a]\n[[b]]]\n", 2,
			"flow.cylc:2: bracket mismatch in section heading (2 '[' but 3 ']'): \"[[b]]]\"\n" +
				"  hint: a heading needs as many ']' as '[', e.g. [[b]]"},
		{"bracket mismatch, odd name", "[a]\n  [[ ]]\n", 2,
			"flow.cylc:2: bracket mismatch in section heading (2 '[' but 1 ']'): \"[[ ]]\"\n" +
				"  hint: a heading needs as many ']' as '['"},
		{"heading jumps two levels", "[a]\nx = 1\n[[[b]]]\n", 3,
			"flow.cylc:3: section heading at level 3 directly under level 1: \"[[[b]]]\"\n" +
				"  hint: headings may go only one level deeper at a time: add the missing parent section, or write [[b]]"},
		{"first heading too deep", "[[a]]\n", 1,
			"flow.cylc:1: section heading at level 2 directly under level 0: \"[[a]]\"\n" +
				"  hint: headings may go only one level deeper at a time: add the missing parent section, or write [a]"},
		{"invalid line", "[a]\nfoo bar\n", 2,
			"flow.cylc:2: invalid line: \"foo bar\"\n" +
				"  hint: expected a [section] heading, a \"key = value\" setting or a # comment"},
		{"colon instead of equals", "[a]\n  title: foo\n", 2,
			"flow.cylc:2: invalid line: \"title: foo\"\n" +
				"  hint: settings are written \"key = value\""},
		{"bad character in a key", "[a]\nfoo@bar = 1\n", 2,
			"flow.cylc:2: invalid line: \"foo@bar = 1\"\n" +
				"  hint: '@' cannot be part of a setting name: use letters, digits, spaces and _ + - : . , ! / ( ) ^ $, then optionally a <parameter> part"},
		{"no key before =", "= 5\n", 1,
			"flow.cylc:1: invalid line: \"= 5\"\n" +
				"  hint: a setting needs a name before the \"=\""},
		{"empty heading", "[]\n", 1,
			"flow.cylc:1: invalid line: \"[]\"\n" +
				"  hint: a section heading is [name], [[name]], [[[name]]] … with only a # comment after it"},
		{"text after a heading", "[a] x\n", 1,
			"flow.cylc:1: invalid line: \"[a] x\"\n" +
				"  hint: a section heading is [name], [[name]], [[[name]]] … with only a # comment after it"},
		{"Jinja2 without the hashbang", "[a]\n{% set x = 1 %}\n", 2,
			"flow.cylc:2: invalid line: \"{% set x = 1 %}\"\n" +
				"  hint: this looks like Jinja2, which is processed only when the first line of the file is #!Jinja2"},
		{"upper-case hashbang is not Jinja2 (as in Cylc)", "#!JINJA2\n{{ x }}\n", 2,
			"flow.cylc:2: invalid line: \"{{ x }}\"\n" +
				"  hint: this looks like Jinja2, which is processed only when the first line of the file is #!Jinja2"},
		{"include without a path", "%include\n", 1,
			"flow.cylc:1: invalid line: \"%include\"\n" +
				"  hint: %include needs a file path: %include path/to/file.cylc"},
		{"whitespace after continuation", "[a]\nx = 1 \\ \ny = 2\n", 2,
			"flow.cylc:2: whitespace after the line continuation character \"\\\": \"x = 1 \\\\\"\n" +
				"  hint: delete the whitespace after the backslash (or the backslash, if the line should not continue)"},
		{"tab after continuation", "[a]\nx = 1\\\t\n", 2,
			"flow.cylc:2: whitespace after the line continuation character \"\\\": \"x = 1\\\\\"\n" +
				"  hint: delete the whitespace after the backslash (or the backslash, if the line should not continue)"},
		{"multi-line string not closed", "[a]\nx = 1\ny = \"\"\"\nfoo\n", 3,
			"flow.cylc:3: multi-line string not closed: \"y = \\\"\\\"\\\"\"\n" +
				"  hint: add a line with the closing \"\"\""},
		{"text after single-line closing quotes", "[a]\nx = '''a''' b\n", 2,
			"flow.cylc:2: invalid line: text after the closing ''': \"x = '''a''' b\"\n" +
				"  hint: only a # comment may follow the closing '''"},
		{"text after multi-line closing quotes", "[a]\nx = \"\"\"\na\nb\"\"\" c\n", 4,
			"flow.cylc:4: invalid line: text after the closing \"\"\" of the value opened at flow.cylc:2: \"b\\\"\\\"\\\" c\"\n" +
				"  hint: only a # comment may follow the closing \"\"\""},
		{"unclosed value swallows headings (Cylc's test_unclosed_multiline)",
			"\n[scheduling]\n    [[graph]]\n        R1 = \"\"\"\n            foo\n\n[runtime]\n    [[foo]]\n        script = \"\"\"\n            echo hello world\n        \"\"\"\n", 10,
			"flow.cylc:10: invalid line: \"echo hello world\"\n" +
				"  hint: did you forget to close [scheduling][graph]R1 (opened at flow.cylc:4)? Its value runs on past the heading [runtime] at flow.cylc:7"},
		{"setting then section of the same name", "[a]\nx = 1\n[[x]]\n", 3,
			"flow.cylc:3: section [a][x] clashes with the setting [a]x at flow.cylc:2: \"[[x]]\"\n" +
				"  hint: a name is either a section or a setting, not both: rename one of them"},
		{"section then setting of the same name", "[a]\n[[x]]\n[a]\nx = 1\n", 4,
			"flow.cylc:4: setting [a]x clashes with the section [a][x] at flow.cylc:2: \"x = 1\"\n" +
				"  hint: a name is either a section or a setting, not both: rename one of them"},
		{"top-level clash", "a = 1\n[a]\n", 2,
			"flow.cylc:2: section [a] clashes with the setting a at flow.cylc:1: \"[a]\"\n" +
				"  hint: a name is either a section or a setting, not both: rename one of them"},
		{"invalid UTF-8", "[a]\nx = \xff\n", 2,
			"flow.cylc:2: the file is not valid UTF-8 text\n" +
				"  hint: save the file with UTF-8 encoding"},
		{"Jinja2 not configured", "#!Jinja2\n[a]\n", 1,
			"flow.cylc:1: Jinja2 support not configured: \"#!Jinja2\"\n" +
				"  hint: this file starts with #!Jinja2 but no Jinja2 renderer was supplied to the loader"},
		{"include with mismatched quotes (Cylc's 61-include-missing-quote)", "%include 'foo.cylc\n", 1,
			"flow.cylc:1: mismatched quotes in %include: \"%include 'foo.cylc\"\n" +
				"  hint: write %include 'foo.cylc', or leave the path unquoted"},
		{"include with other mismatched quotes", "  %include \"foo.cylc'\n", 1,
			"flow.cylc:1: mismatched quotes in %include: \"%include \\\"foo.cylc'\"\n" +
				"  hint: write %include \"foo.cylc\", or leave the path unquoted"},
		{"include of nothing", "%include ''\n", 1,
			"flow.cylc:1: %include without a file path: \"%include ''\"\n" +
				"  hint: write %include path/to/file.cylc (relative to the workflow directory)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("flow.cylc", t.TempDir(), []byte(tc.src), Options{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			if e.Pos.Line != tc.line || e.Pos.File != "flow.cylc" {
				t.Errorf("Pos = %v, want flow.cylc:%d", e.Pos, tc.line)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Error()\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	long := strings.Repeat("x", 200)
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Error{Msg: "boom"}, "boom"},
		{Error{Pos: Pos{File: "f.cylc"}, Msg: "boom"}, "f.cylc: boom"},
		{Error{Pos: Pos{File: "f.cylc", Line: 2}, Msg: "boom", Source: "  a\tb  "}, "f.cylc:2: boom: \"a\\tb\""},
		{Error{Pos: Pos{File: "f.cylc", Line: 2}, Msg: "boom", Hint: "fix it"}, "f.cylc:2: boom\n  hint: fix it"},
		{Error{Pos: Pos{File: "f.cylc", Line: 2, AfterJinja2: true}, Msg: "boom"}, "f.cylc:2 (after Jinja2 processing): boom"},
		{Error{Pos: Pos{File: "f", Line: 1}, Msg: "m", Source: long}, "f:1: m: \"" + strings.Repeat("x", 120) + "…\""},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error()\n got: %s\nwant: %s", got, tc.want)
		}
	}
	cause := errors.New("disk on fire")
	if err := (&Error{Msg: "x", cause: cause}); !errors.Is(err, cause) {
		t.Errorf("errors.Is does not reach the cause")
	}
}
