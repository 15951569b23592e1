package jinja

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender feeds arbitrary templates to the engine: it must never panic
// (Render's recover would report an InternalError), every failure must be
// a located *Error, and output must be the blank-line-free text Cylc uses.
func FuzzRender(f *testing.F) {
	for _, tc := range renderCases {
		f.Add(tc.src)
	}
	for _, tc := range errorCases {
		f.Add(tc.src)
	}
	for _, s := range []string{
		"", "#!jinja2", "#!jinja2\n{{", "{%", "{#", "{{ '\\", "{% for %}", "{% macro m( %}",
		"{{ x.y.z[1:2:0] }}", "{{ (((((1))))) }}", "{% set a, (b, c) = 1, (2, 3) %}{{ b }}",
		"{{ '%(' % {} }}", "{{ '{0:{1}}'.format(1, 5) }}", "{% call m() %}{% endcall %}",
		"{% for i in range(10) recursive %}{{ loop(range(i)) }}{% endfor %}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r := &Renderer{Environ: testEnviron, stepLimit: 20000}
		out, err := r.Render("flow.cylc", templatesDir, src, nil)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is not a *Error: %T %v", err, err)
			}
			if e.Kind == "InternalError" {
				t.Fatalf("engine panicked: %v", err)
			}
			if e.Kind == "" || e.Line < 0 {
				t.Fatalf("badly formed error: %+v", e)
			}
			_ = e.Error()
			return
		}
		if !utf8.ValidString(src) {
			return
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if out != "" && strings.TrimSpace(line) == "" && !strings.ContainsAny(line, "\u0085\u00a0\u1680\u2000\u2028\u3000") {
				t.Fatalf("blank line in output %q", out)
			}
		}
	})
}

// FuzzParseValue checks that any --set value either parses or yields an
// error naming the value, never a panic, and that parsed values render.
func FuzzParseValue(f *testing.F) {
	for _, tc := range parseValueCases {
		f.Add(tc.in)
	}
	f.Add("{'a': [1, (2, {3: None})], 'b': set()}")
	f.Add("(((((((((((1)))))))))))")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseValue(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid template variable: ") {
				t.Fatalf("error does not name the value: %v", err)
			}
			return
		}
		rv, err := fromGo(v)
		if err != nil {
			t.Fatalf("parsed value %#v cannot be used in a template: %v", v, err)
		}
		if _, err := repr(rv); err != nil {
			t.Fatalf("parsed value %#v has no repr: %v", v, err)
		}
	})
}
