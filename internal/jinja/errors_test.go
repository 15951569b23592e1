package jinja

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func renderErr(t *testing.T, dir, src string) *Error {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	out, err := (&Renderer{Environ: testEnviron}).Render("flow.cylc", dir, src, nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v (output %q)", err, out)
	}
	return e
}

// TestErrorReport checks what a user sees: position, message, the source
// lines Cylc would show, and the include chain.
func TestErrorReport(t *testing.T) {
	e := renderErr(t, "", "#!Jinja2\n# line before\n{% set x = %}\n# line after\n")
	want := "flow.cylc:3: Jinja2 TemplateSyntaxError: Expected an expression, got 'end of statement block'\n" +
		"    #!Jinja2\n    # line before\n    {% set x = %}  <-- TemplateSyntaxError"
	if e.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", e.Error(), want)
	}
	if e.TemplateLine() != 3 {
		t.Errorf("TemplateLine() = %d, want 3", e.TemplateLine())
	}

	// Context is at most four lines, ending at the error line.
	e = renderErr(t, "", "#!jinja2\na\nb\nc\nd\n{{ nope }}\n")
	if got := strings.Join(e.Context, "|"); got != "b|c|d|{{ nope }}" {
		t.Errorf("context = %q", got)
	}
}

func TestErrorInInclude(t *testing.T) {
	e := renderErr(t, templatesDir, "#!jinja2\n[runtime]\n\n{% include 'bad-syntax.cylc' %}\n")
	if filepath.Base(e.File) != "bad-syntax.cylc" || e.Line != 2 {
		t.Errorf("error at %s:%d, want bad-syntax.cylc:2", e.File, e.Line)
	}
	if len(e.Stack) != 1 || e.Stack[0].File != "flow.cylc" || e.Stack[0].Line != 4 {
		t.Errorf("stack = %+v, want the include at flow.cylc:4", e.Stack)
	}
	if e.TemplateLine() != 4 {
		t.Errorf("TemplateLine() = %d, want the include's line 4", e.TemplateLine())
	}
	if got := strings.Join(e.Context, "|"); got != "# an included file with a syntax error on line 2|{% for x in [1, 2 %}" {
		t.Errorf("context = %q", got)
	}
	if !strings.Contains(e.Error(), "(included from flow.cylc:4)") {
		t.Errorf("Error() lacks the include position:\n%s", e.Error())
	}

	// Nested includes record every step, innermost first.
	dir := t.TempDir()
	write(t, dir, "outer.cylc", "x\n{% include 'inner.cylc' %}\n")
	write(t, dir, "inner.cylc", "{{ missing_var }}\n")
	e = renderErr(t, dir, "#!jinja2\n{% include 'outer.cylc' %}\n")
	if e.Kind != "UndefinedError" || filepath.Base(e.File) != "inner.cylc" || e.Line != 1 {
		t.Errorf("got %s at %s:%d", e.Kind, e.File, e.Line)
	}
	if len(e.Stack) != 2 || filepath.Base(e.Stack[0].File) != "outer.cylc" || e.Stack[0].Line != 2 || e.Stack[1].Line != 2 {
		t.Errorf("stack = %+v", e.Stack)
	}
}

func TestErrorInImportedMacro(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "lib.cylc", "{% macro inner() %}\n{{ 1 + 'x' }}\n{% endmacro %}\n{% macro outer() %}{{ inner() }}{% endmacro %}\n")
	e := renderErr(t, dir, "#!jinja2\n{% from 'lib.cylc' import outer %}\n\n{{ outer() }}\n")
	if e.Kind != "TypeError" || filepath.Base(e.File) != "lib.cylc" || e.Line != 2 {
		t.Errorf("got %s at %s:%d", e.Kind, e.File, e.Line)
	}
	if len(e.Stack) != 1 || e.Stack[0].File != "flow.cylc" || e.Stack[0].Line != 4 || e.TemplateLine() != 4 {
		t.Errorf("stack = %+v, template line %d", e.Stack, e.TemplateLine())
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"#!jinja2\n{% set N_MEMBERS = 3 %}\n{{ N_MEMBER }}", "'N_MEMBER' is undefined (did you mean 'N_MEMBERS'?)"},
		{"#!jinja2\n{% set d = {'walltime': 1} %}{{ d.waltime }}", "'dict object' has no attribute 'waltime' (did you mean 'walltime'?)"},
		{"#!jinja2\n{{ 'x'|uper }}", "No filter named 'uper'. Did you mean 'upper'?"},
		{"#!jinja2\n{{ 1 is od }}", "No test named 'od'. Did you mean 'odd'?"},
		{"#!jinja2\n{{ environ['HOEM'] }}", "'os._Environ object' has no attribute 'HOEM' (did you mean 'HOME'?)"},
	} {
		if e := renderErr(t, "", tc.src); e.Msg != tc.want {
			t.Errorf("%q: got %q, want %q", tc.src, e.Msg, tc.want)
		}
	}
}

// TestDeliberateDifferences pins where gyre knowingly differs from
// Python Jinja2.
func TestDeliberateDifferences(t *testing.T) {
	for _, tc := range []struct{ name, src, kind, msg string }{
		// Python integers are unbounded; gyre's are 64-bit.
		{"int overflow", "{{ 2 ** 63 }}", "OverflowError", "integer result does not fit in 64 bits (gyre does not implement Python's big integers)"},
		{"int literal too big", "{{ 99999999999999999999 }}", "TemplateSyntaxError", "integer literal 99999999999999999999 is too large (gyre integers are 64-bit)"},
		// Python would eventually raise MemoryError; gyre refuses early.
		{"huge repeat", "{{ 'x' * 10 ** 12 }}", "MemoryError", "string repetition is too large"},
		// Python raises RecursionError after about 1000 frames.
		{"macro recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError", "maximum recursion depth exceeded while calling macro 'f'"},
		// Template inheritance is not supported.
		{"extends", "{% extends 'x' %}", "TemplateSyntaxError", "the 'extends' tag is not supported by gyre (Cylc workflows have no template inheritance or autoescaping)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := renderErr(t, "", "#!jinja2\n"+tc.src)
			if e.Kind != tc.kind || e.Msg != tc.msg || e.Line != 2 {
				t.Errorf("got %s %q at line %d", e.Kind, e.Msg, e.Line)
			}
		})
	}
	t.Run("include recursion", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "self.cylc", "{% include 'self.cylc' %}\n")
		e := renderErr(t, dir, "#!jinja2\n{% include 'self.cylc' %}")
		if e.Kind != "RecursionError" || e.TemplateLine() != 2 {
			t.Errorf("got %s %q, template line %d", e.Kind, e.Msg, e.TemplateLine())
		}
	})
	t.Run("set order", func(t *testing.T) {
		// Python orders sets by hash; gyre keeps insertion order.
		v, err := ParseValue("{3, 1, 2}")
		if err != nil {
			t.Fatal(err)
		}
		out, err := (&Renderer{}).Render("f", t.TempDir(), "#!jinja2\n{{ S }}", map[string]any{"S": v})
		if err != nil || out != "{3, 1, 2}\n" {
			t.Errorf("got %q, %v", out, err)
		}
	})
}

func TestPythonModules(t *testing.T) {
	var logged []string
	r := &Renderer{Environ: []string{"HOME=/h"}, Log: func(level, msg string) { logged = append(logged, level+": "+msg) }}
	src := "#!jinja2\n{% from 'cylc.flow' import LOG %}{% do LOG.info('n=%d', 3) %}{% do LOG.debug('hi') %}" +
		"{% import 'math' as math %}{{ math.floor(2.7) }} {{ math.sqrt(16) }} {{ '%.4f' % math.pi }}\n" +
		"{% from 'os' import environ, getenv %}{{ environ['HOME'] }} {{ getenv('NOPE', 'd') }}\n" +
		"{% import '__python__.math' as m2 %}{{ m2.ceil(1.2) }}"
	out, err := r.Render("flow.cylc", t.TempDir(), src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "2 4.0 3.1416\n/h d\n2\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if strings.Join(logged, ";") != "info: n=3;debug: hi" {
		t.Errorf("logged %q", logged)
	}
	e := renderErr(t, "", "#!jinja2\n{% from 'sys' import argv %}")
	if e.Kind != "TemplateNotFound" || !strings.HasPrefix(e.Msg, "sys (no such template in ") {
		t.Errorf("got %s %q", e.Kind, e.Msg)
	}
}

func TestRenderGoVars(t *testing.T) {
	vars := map[string]any{
		"strs":  []string{"a", "b"},
		"nums":  []any{int64(1), uint8(2), float32(0.5)},
		"m":     map[string]any{"b": 2, "a": []any{true, nil}},
		"mm":    map[string]string{"k": "v"},
		"tuple": Tuple{1, "x"},
	}
	out, err := (&Renderer{}).Render("f", t.TempDir(), "#!jinja2\n{{ strs }} {{ nums }} {{ m }} {{ mm }} {{ tuple }}", vars)
	if err != nil {
		t.Fatal(err)
	}
	if want := "['a', 'b'] [1, 2, 0.5] {'a': [True, None], 'b': 2} {'k': 'v'} (1, 'x')\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	_, err = (&Renderer{}).Render("f", t.TempDir(), "#!jinja2\n{{ x }}", map[string]any{"x": struct{}{}})
	if err == nil || !strings.Contains(err.Error(), "template variable x: unsupported Go type struct {}") {
		t.Errorf("unsupported type: got %v", err)
	}
}

func TestRenderUsesProcessEnvironment(t *testing.T) {
	t.Setenv("CYLC_GYRE_TEST_VAR", "from-env")
	out, err := Render("flow.cylc", t.TempDir(), "#!jinja2\n{{ CYLC_GYRE_TEST_VAR }} {{ environ['CYLC_GYRE_TEST_VAR'] }}", nil)
	if err != nil || out != "from-env from-env\n" {
		t.Errorf("got %q, %v", out, err)
	}
}

// TestListsAreShared checks Python's reference semantics, which Cylc's own
// do-extension test relies on: a list changed inside a loop or a macro is
// the same list outside it.
func TestListsAreShared(t *testing.T) {
	src := "#!jinja2\n{% set L = [] %}{% set D = {} %}" +
		"{% macro add(x) %}{% do L.append(x) %}{% do D.update({x: loop_count|default(0)}) %}{% endmacro %}" +
		"{% for i in range(3) %}{{ add(i) }}{% endfor %}{{ L }} {{ D }}"
	out, err := (&Renderer{}).Render("f", t.TempDir(), src, nil)
	if err != nil || out != "[0, 1, 2] {0: 0, 1: 0, 2: 0}\n" {
		t.Errorf("got %q, %v", out, err)
	}
}

// TestSelfContaining checks containers that contain themselves print and
// compare as in Python instead of recursing forever.
func TestSelfContaining(t *testing.T) {
	src := "#!jinja2\n{% set L = [] %}{% do L.append(L) %}{% set D = {} %}{% do D.update({'d': D}) %}" +
		"{{ L }} {{ D }} {{ L == L }} {{ L < L }}"
	out, err := (&Renderer{}).Render("f", t.TempDir(), src, nil)
	if err != nil || out != "[[...]] {'d': {...}} True False\n" {
		t.Errorf("got %q, %v", out, err)
	}
	e := renderErr(t, "", "#!jinja2\n{% set L = [] %}{% do L.append(L) %}{{ L|tojson }}")
	if e.Kind != "ValueError" || e.Msg != "Circular reference detected" {
		t.Errorf("tojson: got %s %q", e.Kind, e.Msg)
	}
}
