package xtrigger

import (
	"strings"
	"testing"
	"unicode"
)

// Expected values from Cylc 8.7's cylc.flow.id.tokenise.
var idCases = []struct {
	in   string
	want taskID
	bad  bool
}{
	{in: "wf", want: taskID{Workflow: "wf"}},
	{in: "wf//1/foo:succeeded", want: taskID{Workflow: "wf", Cycle: "1", Task: "foo", TaskSel: "succeeded"}},
	{in: "wf//1:succeeded", want: taskID{Workflow: "wf", Cycle: "1", CycleSel: "succeeded"}},
	{in: "a/b/c//2020/foo:x", want: taskID{Workflow: "a/b/c", Cycle: "2020", Task: "foo", TaskSel: "x"}},
	{in: "wf//2020-01-01T00:00Z/foo", want: taskID{Workflow: "wf", Cycle: "2020-01-01T00", CycleSel: "00Z", Task: "foo"}},
	{in: "wf//a:b:c/foo", want: taskID{Workflow: "wf", Cycle: "a:b", CycleSel: "c", Task: "foo"}},
	{in: "wf//a:/foo", want: taskID{Workflow: "wf", Cycle: "a:", Task: "foo"}},
	{in: "wf//a::b", want: taskID{Workflow: "wf", Cycle: "a:", CycleSel: "b"}},
	{in: "wf//1/foo/01", want: taskID{Workflow: "wf", Cycle: "1", Task: "foo", Job: "01"}},
	{in: "wf//1/foo/01:x", want: taskID{Workflow: "wf", Cycle: "1", Task: "foo", Job: "01"}},
	{in: "wf//1:a/foo:b", want: taskID{Workflow: "wf", Cycle: "1", CycleSel: "a", Task: "foo", TaskSel: "b"}},
	{in: "wf:sel//1", want: taskID{Workflow: "wf", WorkflowSel: "sel", Cycle: "1"}},
	{in: "wf//*/f*:x", want: taskID{Workflow: "wf", Cycle: "*", Task: "f*", TaskSel: "x"}},
	{in: `wf//1/foo:"the quick brown"`, want: taskID{Workflow: "wf", Cycle: "1", Task: "foo", TaskSel: `"the quick brown"`}},
	{in: " wf // 1 / foo ", want: taskID{Workflow: "wf", Cycle: "1", Task: "foo"}},
	{in: "wf//1/", want: taskID{Workflow: "wf", Cycle: "1"}},
	{in: "wf//1/foo/", want: taskID{Workflow: "wf", Cycle: "1", Task: "foo"}},
	{in: "wf//", want: taskID{Workflow: "wf"}},
	{in: "wf//1/fo~o", want: taskID{Workflow: "wf", Cycle: "1", Task: "fo~o"}},
	{in: "a///", bad: true},
	{in: "wf//1/foo:a:b", bad: true},
	{in: "wf//:x", bad: true},
	{in: "wf//1/foo/01/x", bad: true},
	{in: "w~f", bad: true},
	{in: "wf//~1", bad: true},
	{in: "wf/", bad: true},
	{in: "wf//1//", bad: true},
	{in: "a//b//c", bad: true},
	{in: "", bad: true},
	{in: "//1/foo", bad: true}, // valid to Cylc, but names no workflow
	{in: "~bob/wf//1/foo", bad: true},
	{in: "wf//1/foo\n", bad: true},
	{in: "../other//1/foo", bad: true},
	{in: "a/./b", bad: true},
}

func TestParseID(t *testing.T) {
	for _, c := range idCases {
		got, err := parseID(c.in)
		switch {
		case c.bad && err == nil:
			t.Errorf("parseID(%q) = %+v, want an error", c.in, got)
		case c.bad:
			if !strings.Contains(err.Error(), "invalid Cylc identifier") {
				t.Errorf("parseID(%q): error %q", c.in, err)
			}
		case err != nil:
			t.Errorf("parseID(%q): %v", c.in, err)
		case got != c.want:
			t.Errorf("parseID(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`"foo"`: "foo", `'foo'`: "foo", "foo": "foo", `'tis a fine morning`: `'tis a fine morning`, `"a'`: `"a'`, "": "",
	} {
		if got := unquote(in); got != want {
			t.Errorf("unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

// format writes an ID back in its canonical form.
func (t taskID) format() string {
	s := t.Workflow
	if t.WorkflowSel != "" {
		s += ":" + t.WorkflowSel
	}
	if t.Cycle == "" {
		return s
	}
	s += "//" + t.Cycle
	if t.CycleSel != "" {
		s += ":" + t.CycleSel
	}
	if t.Task == "" {
		return s
	}
	s += "/" + t.Task
	if t.TaskSel != "" {
		s += ":" + t.TaskSel
	}
	if t.Job != "" {
		s += "/" + t.Job
	}
	return s
}

// FuzzParseID checks that parsing never panics, that what it accepts has
// no part holding a separator it cannot hold, and that writing the parts
// back and parsing again gives the same parts.
func FuzzParseID(f *testing.F) {
	for _, c := range idCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parseID(s)
		if err != nil {
			return
		}
		if id.Workflow == "" || strings.Contains(id.Workflow, "//") || strings.ContainsAny(id.Workflow, ":~\n") {
			t.Fatalf("parseID(%q): bad workflow %q", s, id.Workflow)
		}
		for _, p := range []string{id.Task, id.TaskSel, id.CycleSel, id.Job} {
			if strings.ContainsAny(p, "/:\n") {
				t.Fatalf("parseID(%q): part %q holds a separator", s, p)
			}
		}
		if strings.ContainsAny(id.Cycle, "/~\n") {
			t.Fatalf("parseID(%q): bad cycle %q", s, id.Cycle)
		}
		if strings.ContainsFunc(s, unicode.IsSpace) {
			// Parts are trimmed after splitting, as Cylc trims them, so
			// a part that was only white space is lost: no round trip.
			return
		}
		again, err := parseID(id.format())
		if err != nil {
			t.Fatalf("parseID(%q) = %+v, but %q does not parse: %v", s, id, id.format(), err)
		}
		if again != id {
			t.Fatalf("parseID(%q) = %+v, re-parsed as %+v", s, id, again)
		}
	})
}
