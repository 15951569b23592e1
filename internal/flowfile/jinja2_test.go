package flowfile

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// canned is a fake Jinja2 renderer: it checks the template it is given and
// returns fixed output, standing in for the real engine (internal/jinja).
type canned struct {
	t       *testing.T
	wantSrc string
	out     string
	err     error
	calls   int
	gotName string
	gotDir  string
}

func (c *canned) render(name, dir, src string) (string, error) {
	c.calls++
	c.gotName, c.gotDir = name, dir
	if src != c.wantSrc {
		c.t.Errorf("template source\n got: %q\nwant: %q", src, c.wantSrc)
	}
	return c.out, c.err
}

// lineErr is a template error that knows its line, as internal/jinja's do.
type lineErr struct {
	line int
	msg  string
}

func (e lineErr) Error() string     { return e.msg }
func (e lineErr) TemplateLine() int { return e.line }

func TestJinja2(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantSrc string // what the renderer must receive
		out     string // what it returns
		tree    string
		lines   string // processed lines as "pos text"
	}{
		{
			name: "loop output: unique lines map back, generated ones are numbered after processing",
			src: "#!Jinja2\n[runtime]\n{% for t in [\"b\", \"c\"] %}\n    [[{{ t }}]]\n" +
				"        script = true\n{% endfor %}\n",
			wantSrc: "#!Jinja2\n[runtime]\n{% for t in [\"b\", \"c\"] %}\n    [[{{ t }}]]\n        script = true\n{% endfor %}",
			out:     "[runtime]\n\n    [[b]]\n        script = true\n\n    [[c]]\n        script = true\n\n",
			tree:    "[runtime]@2\n  [b]@2\n    script = \"true\"@5\n  [c]@4\n    script = \"true\"@5\n",
			lines: "flow.cylc:2 [runtime]\n" +
				"flow.cylc:2 (after Jinja2 processing)     [[b]]\n" +
				"flow.cylc:5         script = true\n" +
				"flow.cylc:4 (after Jinja2 processing)     [[c]]\n" +
				"flow.cylc:5         script = true\n",
		},
		{
			name:    "a line repeated in the template cannot be traced",
			src:     "#!jinja2\n[a]\nx = 1\n[b]\nx = 1\n",
			wantSrc: "#!jinja2\n[a]\nx = 1\n[b]\nx = 1",
			out:     "[a]\nx = 1\n[b]\nx = 1\n",
			tree:    "[a]@2\n  x = \"1\"@2\n[b]@4\n  x = \"1\"@4\n",
			lines: "flow.cylc:2 [a]\nflow.cylc:2 (after Jinja2 processing) x = 1\n" +
				"flow.cylc:4 [b]\nflow.cylc:4 (after Jinja2 processing) x = 1\n",
		},
		{
			name:    "output is split like Python's splitlines, blank lines dropped",
			src:     "#!Jinja2 any text after the hashbang\n[a]\n",
			wantSrc: "#!Jinja2 any text after the hashbang\n[a]",
			out:     "[a]\r\nx = 1\vy = 2\u2028  \t\n\nz = 3",
			tree:    "[a]@2\n  x = \"1\"@2\n  y = \"2\"@3\n  z = \"3\"@4\n",
			lines: "flow.cylc:2 [a]\nflow.cylc:2 (after Jinja2 processing) x = 1\n" +
				"flow.cylc:3 (after Jinja2 processing) y = 2\nflow.cylc:4 (after Jinja2 processing) z = 3\n",
		},
		{
			name:    "continuation lines are joined after rendering",
			src:     "#!Jinja2\n[a]\nx = {{ a }} \\\n  {{ b }}\ny = 2\n",
			wantSrc: "#!Jinja2\n[a]\nx = {{ a }} \\\n  {{ b }}\ny = 2",
			out:     "[a]\nx = 1 \\\n  2\ny = 2",
			tree:    "[a]@2\n  x = \"1   2\"@2\n  y = \"2\"@5\n",
			lines:   "flow.cylc:2 [a]\nflow.cylc:2 (after Jinja2 processing) x = 1   2\nflow.cylc:5 y = 2\n",
		},
		{
			name:    "empty output",
			src:     "#!Jinja2\n{# nothing #}\n",
			wantSrc: "#!Jinja2\n{# nothing #}",
			out:     "\n",
			tree:    "",
			lines:   "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &canned{t: t, wantSrc: tc.wantSrc, out: tc.out}
			f, err := Parse("flow.cylc", "wdir", []byte(tc.src), Options{Template: c.render})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.calls != 1 || c.gotName != "flow.cylc" || c.gotDir != "wdir" {
				t.Errorf("renderer called %d times with name %q dir %q", c.calls, c.gotName, c.gotDir)
			}
			if !f.Jinja2 {
				t.Error("Jinja2 = false")
			}
			if got := dump(f.Root); got != tc.tree {
				t.Errorf("tree\n got:\n%s\nwant:\n%s", got, tc.tree)
			}
			var lines strings.Builder
			for _, l := range f.Lines {
				fmt.Fprintf(&lines, "%s %s\n", l.Pos, l.Text)
			}
			if lines.String() != tc.lines {
				t.Errorf("lines\n got:\n%s\nwant:\n%s", lines.String(), tc.lines)
			}
		})
	}
}

func TestJinja2Errors(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		out     string
		err     error
		wantPos string
		want    string
	}{
		{
			name:    "invalid rendered line (Cylc's test_parse_invalid_line)",
			src:     "#!jinja2\n{{ name }}\n",
			out:     "Cylc\n",
			wantPos: "flow.cylc:1 (after Jinja2 processing)",
			want: "flow.cylc:1 (after Jinja2 processing): invalid line: \"Cylc\"\n" +
				"  hint: expected a [section] heading, a \"key = value\" setting or a # comment",
		},
		{
			name:    "invalid line traced to the template",
			src:     "#!Jinja2\n[a]\n{% if true %}\noops\n{% endif %}\n",
			out:     "[a]\n\noops\n",
			wantPos: "flow.cylc:4",
			want: "flow.cylc:4: invalid line: \"oops\"\n" +
				"  hint: expected a [section] heading, a \"key = value\" setting or a # comment",
		},
		{
			name:    "template error at its template line",
			src:     "#!Jinja2\n[a]\nx = {{ name \n",
			err:     lineErr{3, "unexpected end of template, expected 'end of print statement'."},
			wantPos: "flow.cylc:3",
			want:    "flow.cylc:3: Jinja2 error: unexpected end of template, expected 'end of print statement'.: \"x = {{ name\"",
		},
		{
			name:    "wrapped template error is still located",
			src:     "#!Jinja2\n{{ x }}\n",
			err:     fmt.Errorf("rendering: %w", lineErr{2, "'x' is undefined"}),
			wantPos: "flow.cylc:2",
			want:    "flow.cylc:2: Jinja2 error: rendering: 'x' is undefined: \"{{ x }}\"",
		},
		{
			name: "error text in internal/jinja's format",
			src:  "#!Jinja2\n[a]\nx = 1\ny = {{ y }}\n",
			err: lineErr{4, "flow.cylc:4: Jinja2 UndefinedError: 'y' is undefined\n" +
				"    [a]\n    x = 1\n    y = {{ y }}  <-- UndefinedError"},
			wantPos: "flow.cylc:4",
			want:    "flow.cylc:4: Jinja2 UndefinedError: 'y' is undefined: \"y = {{ y }}\"",
		},
		{
			name: "error inside a Jinja2-included template",
			src:  "#!Jinja2\n[a]\n{% include 'macros.j2' %}\n",
			err: lineErr{3, "macros.j2:4: Jinja2 TypeError: bad operand\n    {{ 1 + 'a' }}  <-- TypeError\n" +
				"  (included from flow.cylc:3)"},
			wantPos: "flow.cylc:3",
			want: "flow.cylc:3: macros.j2:4: Jinja2 TypeError: bad operand: \"{% include 'macros.j2' %}\"\n" +
				"  hint: included from flow.cylc:3",
		},
		{
			name:    "template error without a line",
			src:     "#!Jinja2\n{{ x }}\n",
			err:     errors.New("boom"),
			wantPos: "flow.cylc:0",
			want:    "flow.cylc: Jinja2 error: boom",
		},
		{
			name:    "template error beyond the template",
			src:     "#!Jinja2\n{% include 'x' %}\n",
			err:     lineErr{7, "in x: boom"},
			wantPos: "flow.cylc:0",
			want:    "flow.cylc: Jinja2 error: in x: boom (template line 7)",
		},
		{
			name:    "located errors from the renderer pass through",
			src:     "#!Jinja2\n[a]\n",
			err:     &Error{Pos: Pos{File: "macros.j2", Line: 4}, Msg: "bad macro"},
			wantPos: "macros.j2:4",
			want:    "macros.j2:4: bad macro",
		},
		{
			name:    "continuation error in untraceable output",
			src:     "#!Jinja2\n[a]\n{{ x }}\n",
			out:     "[a]\n\nx = 1 \\ \n",
			wantPos: "flow.cylc:2 (after Jinja2 processing)",
			want: "flow.cylc:2 (after Jinja2 processing): whitespace after the line continuation character \"\\\": \"x = 1 \\\\\"\n" +
				"  hint: delete the whitespace after the backslash (or the backslash, if the line should not continue)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			render := func(name, dir, src string) (string, error) { return tc.out, tc.err }
			_, err := Parse("flow.cylc", "", []byte(tc.src), Options{Template: render})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if e.Pos.String() != tc.wantPos {
				t.Errorf("Pos = %v, want %s", e.Pos, tc.wantPos)
			}
			if err.Error() != tc.want {
				t.Errorf("Error()\n got: %s\nwant: %s", err.Error(), tc.want)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("error does not wrap the renderer's error")
			}
		})
	}
}

// The hashbang may come from an included file, and the template is the
// inlined text; a template error inside an included file is reported there.
func TestJinja2WithIncludes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"flow.cylc": "%include head.cylc\n[a]\n%include body.cylc\n",
		"head.cylc": "#!jinja2\n{% set x = 1 %}\n",
		"body.cylc": "x = {{ x }}\ny = {{ y }}\n",
	})
	c := &canned{t: t, wantSrc: "#!jinja2\n{% set x = 1 %}\n[a]\nx = {{ x }}\ny = {{ y }}", out: "[a]\nx = 1\n"}
	f, err := Load(dir, Options{Template: c.render})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Jinja2 || f.Lines[0].Pos != (Pos{File: filepath.Join(dir, "flow.cylc"), Line: 2}) {
		t.Errorf("Jinja2 = %v, first line from %v", f.Jinja2, f.Lines[0].Pos)
	}

	c.err = lineErr{5, "'y' is undefined"}
	_, err = Load(dir, Options{Template: c.render})
	var e *Error
	if !errors.As(err, &e) || e.Pos != (Pos{File: filepath.Join(dir, "body.cylc"), Line: 2}) {
		t.Errorf("error %v at %v, want body.cylc:2", err, e)
	}
}

func TestJinja2NotConfigured(t *testing.T) {
	_, err := Parse("flow.cylc", "", []byte("#!jinja2\n[a]\n"), Options{})
	var e *Error
	if !errors.As(err, &e) || e.Msg != "Jinja2 support not configured" || e.Pos.Line != 1 {
		t.Errorf("error = %v", err)
	}
}
