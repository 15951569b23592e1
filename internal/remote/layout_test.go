package remote

import (
	"path/filepath"
	"strings"
	"testing"

	"gyre/internal/job"
)

func TestLayouts(t *testing.T) {
	for _, c := range []struct {
		name string
		got  Layout
		want Layout
	}{
		{"remote", remoteLayout("flow/run1", ""), Layout{
			RunDir:      "$HOME/gyre-run/flow/run1",
			ServiceDir:  "$HOME/gyre-run/flow/run1/.service",
			ShimDir:     "$HOME/gyre-run/flow/run1/.service/bin",
			GyreBin:     "$HOME/gyre-run/flow/run1/.service/gyre",
			ContactFile: "$HOME/gyre-run/flow/run1/.service/contact",
			TokenFile:   "$HOME/gyre-run/flow/run1/.service/token",
		}},
		{"remote with a cylc path", remoteLayout("a/b/run2", "/opt/gyre/bin/"), Layout{
			RunDir:      "$HOME/gyre-run/a/b/run2",
			ServiceDir:  "$HOME/gyre-run/a/b/run2/.service",
			ShimDir:     "$HOME/gyre-run/a/b/run2/.service/bin",
			GyreBin:     "/opt/gyre/bin/gyre",
			ContactFile: "$HOME/gyre-run/a/b/run2/.service/contact",
			TokenFile:   "$HOME/gyre-run/a/b/run2/.service/token",
		}},
		{"shared", sharedLayout("/home/me/gyre-run/flow/run1", "/usr/local/bin/gyre", ""), Layout{
			RunDir:      "/home/me/gyre-run/flow/run1",
			ServiceDir:  "/home/me/gyre-run/flow/run1/.service",
			ShimDir:     "/home/me/gyre-run/flow/run1/.service/bin",
			GyreBin:     "/usr/local/bin/gyre",
			ContactFile: "/home/me/gyre-run/flow/run1/.service/contact",
			TokenFile:   "/home/me/gyre-run/flow/run1/.service/token",
			Shared:      true,
		}},
	} {
		if c.got != c.want {
			t.Errorf("%s layout:\n got %+v\nwant %+v", c.name, c.got, c.want)
		}
	}
	// The local run directory's layout and the shared one agree, so that
	// the scheduler's shim is the jobs'.
	l := job.Layout{RunDir: "/r/flow/run1"}
	if s := sharedLayout("/r/flow/run1", "/g", ""); s.ServiceDir != l.ServiceDir() || s.ContactFile != l.ContactFile() {
		t.Errorf("shared layout %+v differs from job.Layout's service paths", s)
	}
}

func TestParseJobID(t *testing.T) {
	for _, c := range []struct {
		id   string
		want jobKey
		dir  string
	}{
		{"1/foo/01", jobKey{"1", "foo", 1}, "log/job/1/foo/01"},
		{"20260101T0000Z/bar_baz/12", jobKey{"20260101T0000Z", "bar_baz", 12}, "log/job/20260101T0000Z/bar_baz/12"},
		{"1/foo/100", jobKey{"1", "foo", 100}, "log/job/1/foo/100"},
	} {
		k, err := parseJobID(c.id)
		if err != nil || k != c.want || k.dir() != c.dir {
			t.Errorf("parseJobID(%q) = %+v (%s), %v; want %+v (%s)", c.id, k, k.dir(), err, c.want, c.dir)
		}
		if f := k.files("/run"); f.Status != "/run/"+c.dir+"/job.status" {
			t.Errorf("%s: job.status at %s", c.id, f.Status)
		}
	}
	for _, c := range []struct{ id, want string }{
		{"1/foo", `job ID "1/foo": want <cycle point>/<task>/<NN>`},
		{"1/foo/01/x", `job ID "1/foo/01/x": want`},
		{"../foo/01", `job ID "../foo/01": ".." is not a cycle point or task name`},
		{"1/-x/01", `"-x" is not a cycle point or task name`},
		{"1//01", `"" is not a cycle point or task name`},
		{"1/a b/01", `"a b" is not`},
		{"1/foo/1", `submit number "1": want two or more digits, 01 or more`},
		{"1/foo/00", `submit number "00"`},
		{"1/foo/+1", `submit number "+1"`},
		{"1/foo/007", `submit number "007"`},
	} {
		if _, err := parseJobID(c.id); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseJobID(%q) error %v; want %s", c.id, err, c.want)
		}
	}
}

func TestRsyncPath(t *testing.T) {
	for in, want := range map[string]string{
		"$HOME/gyre-run/x": "gyre-run/x", "$HOME": ".", "/abs/x": "/abs/x",
	} {
		if got := rsyncPath(in); got != want {
			t.Errorf("rsyncPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShims(t *testing.T) {
	got := shims("$HOME/gyre-run/flow/run1/.service/gyre")
	want := "#!/bin/sh\n# Gyre: jobs' \"cylc\" command.\nexec \"$HOME\"/gyre-run/flow/run1/.service/gyre cylc \"$@\"\n"
	if got["cylc"] != want || !strings.Contains(got["isodatetime"], `.service/gyre isodatetime "$@"`) {
		t.Errorf("shims:\n%s\n%s", got["cylc"], got["isodatetime"])
	}
}

// FuzzParseJobID: a job ID from the command line never panics the remote
// side, and one that is accepted is the scheduler's own form and names
// files inside the job log directory.
func FuzzParseJobID(f *testing.F) {
	for _, s := range []string{"1/foo/01", "20260101T0000Z/a/123", "../../etc/01", "1/foo/1", "/a/01", "1/./01", "a/b/c/d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		k, err := parseJobID(id)
		if err != nil {
			return
		}
		if got := job.RelativeJobID(k.point, k.task, k.submit); got != id {
			t.Fatalf("%q read as %+v, which is %q", id, k, got)
		}
		files := k.files("/run")
		if rel, err := filepath.Rel("/run/log/job", files.Status); err != nil || strings.Count(rel, "/") != 3 ||
			rel == ".." || strings.HasPrefix(rel, "../") {
			t.Fatalf("%q names %s", id, files.Status)
		}
	})
}
