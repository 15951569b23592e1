package jinja

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// templatesDir holds small include/import templates written for these
// tests (not copies of Cylc's).
const templatesDir = "testdata/templates"

// testEnviron is the process environment the tables were computed with.
var testEnviron = []string{"HOME=/home/gyre", "CYLC_FOO=foo", "CYLC_VERSION=8.7.0", "CYLC_ENV_NAME=env"}

type renderCase struct {
	name, dir, src string
	vars           map[string]string // Python literals, read with ParseValue
	want           string
}

type errorCase struct {
	name, dir, src string
	vars           map[string]string
	kind           string
	line           int
	file           string // base name of the template the error is in; "" for the workflow file
	msg            string
	prefix         bool // gyre's message extends Python's with a hint
}

func parseVars(t *testing.T, lits map[string]string) map[string]any {
	t.Helper()
	vars := map[string]any{}
	for k, lit := range lits {
		v, err := ParseValue(lit)
		if err != nil {
			t.Fatalf("variable %s: %v", k, err)
		}
		vars[k] = v
	}
	return vars
}

func testRender(t *testing.T, dir, src string, lits map[string]string) (string, error) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	return (&Renderer{Environ: testEnviron}).Render("flow.cylc", dir, src, parseVars(t, lits))
}

func TestRender(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testRender(t, tc.dir, tc.src, tc.vars)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := testRender(t, tc.dir, tc.src, tc.vars)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want a *Error, got %v (output %q)", err, out)
			}
			file := ""
			if e.File != "flow.cylc" {
				file = filepath.Base(e.File)
			}
			if e.Kind != tc.kind || e.Line != tc.line || file != tc.file {
				t.Errorf("got %s at %s:%d, want %s at %q:%d", e.Kind, e.File, e.Line, tc.kind, tc.file, tc.line)
			}
			if tc.prefix && !strings.HasPrefix(e.Msg, tc.msg) || !tc.prefix && e.Msg != tc.msg {
				t.Errorf("message:\n got %q\nwant %q", e.Msg, tc.msg)
			}
		})
	}
}
