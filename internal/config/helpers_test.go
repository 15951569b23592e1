package config

import (
	"errors"
	"strings"
	"testing"

	"gyre/internal/flowfile"
)

// build parses src as a flow.cylc (or suite.rc when name says so) and
// builds its configuration.
func buildNamed(t *testing.T, name, src string) (*Workflow, error) {
	t.Helper()
	f, err := flowfile.Parse(name, "/work/wf", []byte(strings.TrimLeft(src, "\n")), flowfile.Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Build(f, Options{})
}

func build(t *testing.T, src string) (*Workflow, error) {
	t.Helper()
	return buildNamed(t, "flow.cylc", src)
}

func mustBuild(t *testing.T, src string) *Workflow {
	t.Helper()
	w, err := build(t, src)
	if err != nil {
		t.Fatalf("unexpected error:\n%v", err)
	}
	return w
}

// errorsOf returns the errors of a failed build.
func errorsOf(t *testing.T, err error) []*Error {
	t.Helper()
	var l *ErrorList
	if !errors.As(err, &l) {
		t.Fatalf("want an *ErrorList, got %v", err)
	}
	return l.Errors
}

// minimal is a valid workflow to extend.
const minimal = `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
`
