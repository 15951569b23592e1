package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// splitIDs must never panic, and what it returns must come from its
// input: a workflow named in it and task IDs that are parts of it.
func FuzzSplitIDs(f *testing.F) {
	for _, s := range []string{"demo//1/foo", "demo //1/foo //2/bar", "demo", "//1/foo", "a//b c//d", "demo//", "demo 1/foo"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Fields(s)
		w, tasks, err := splitIDs(args)
		if err != nil {
			return
		}
		if w == "" && len(args) > 0 {
			t.Fatalf("splitIDs(%q): no workflow and no error", args)
		}
		for _, task := range tasks {
			if !strings.Contains(s, task) {
				t.Fatalf("splitIDs(%q): task %q is not in the input", args, task)
			}
		}
	})
}

func TestSplitIDs(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		w     string
		tasks []string
		err   string
	}{
		{[]string{"demo//1/foo"}, "demo", []string{"1/foo"}, ""},
		{[]string{"demo/run2//1/foo", "//2/bar"}, "demo/run2", []string{"1/foo", "2/bar"}, ""},
		{[]string{"demo", "//1/*", "//2/FAM"}, "demo", []string{"1/*", "2/FAM"}, ""},
		{[]string{"demo"}, "demo", nil, ""},
		{[]string{"//1/foo"}, "", nil, "no workflow given"},
		{[]string{"a//1/x", "b//1/y"}, "", nil, "one workflow at a time"},
	} {
		w, tasks, err := splitIDs(tc.args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("splitIDs(%q) error = %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || w != tc.w || strings.Join(tasks, " ") != strings.Join(tc.tasks, " ") {
			t.Errorf("splitIDs(%q) = %q %q %v, want %q %q", tc.args, w, tasks, err, tc.w, tc.tasks)
		}
	}
}

// Cylc 7 task IDs (NAME.POINT) are upgraded, with a warning; others are
// left alone.
func TestUpgradeLegacyIDs(t *testing.T) {
	if w, tasks, err := splitIDs([]string{"demo", "retry.1"}); err != nil || w != "demo" || !slices.Equal(tasks, []string{"retry.1"}) {
		t.Errorf("splitIDs(demo retry.1) = %q %q %v; want the workflow and the Cylc 7 task ID", w, tasks, err)
	}
	var warn bytes.Buffer
	got := upgradeLegacyIDs(&warn, []string{"retry.1", "2/foo", "20100101T00", "foo.2010-01-01"})
	want := []string{"1/retry", "2/foo", "20100101T00", "2010-01-01/foo"}
	if !slices.Equal(got, want) {
		t.Errorf("upgraded %q, want %q", got, want)
	}
	if !strings.Contains(warn.String(), "Cylc7 format is deprecated, using: 1/retry 2010-01-01/foo") {
		t.Errorf("warning %q", warn.String())
	}
}
