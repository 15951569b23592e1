package graph

import (
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	out := NewOutputs()
	r1, err := Parse("prep => foo", Options{Key: "R1", Outputs: out})
	if err != nil {
		t.Fatal(err)
	}
	p1d, err := Parse(`
		foo[-P1D] => foo => bar
		@clock & foo:x => qux
		(bar | foo:x) => baz
		qux:fail? => !baz
	`, Options{Key: "P1D", Outputs: out})
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(r1, p1d)

	deps := []struct {
		task, output string
		want         []Dependent
	}{
		{"foo", Succeeded, []Dependent{
			{Task: "bar", Key: "P1D", Trigger: 0, Atom: 0},
			{Task: "foo", Key: "P1D", Trigger: 0, Atom: 0, Offset: "-P1D"},
		}},
		{"foo", "x", []Dependent{
			{Task: "baz", Key: "P1D", Trigger: 0, Atom: 1},
			{Task: "qux", Key: "P1D", Trigger: 1, Atom: 0},
		}},
		{"bar", Succeeded, []Dependent{{Task: "baz", Key: "P1D", Trigger: 0, Atom: 0}}},
		{"qux", Failed, []Dependent{{Task: "baz", Key: "P1D", Trigger: 1, Atom: 0, Suicide: true}}},
		{"prep", Succeeded, []Dependent{{Task: "foo", Key: "R1", Trigger: 0, Atom: 0}}},
		{"prep", Failed, nil},
		{"nope", Succeeded, nil},
	}
	for _, d := range deps {
		got := ix.Dependents(d.task, d.output)
		if !slices.Equal(got, d.want) {
			t.Errorf("Dependents(%s, %s)\n got %+v\nwant %+v", d.task, d.output, got, d.want)
		}
		for _, dep := range got {
			tr := ix.Triggers(dep.Task, dep.Key)[dep.Trigger]
			if a := tr.Atoms[dep.Atom]; a.Task != d.task || a.Output != d.output || a.Offset != dep.Offset {
				t.Errorf("dependent %+v points at atom %v", dep, a)
			}
		}
	}

	trigs := []struct {
		task, key string
		want      []string
	}{
		{"foo", "R1", []string{"prep:succeeded"}},
		{"foo", "P1D", []string{"foo[-P1D]:succeeded"}},
		{"baz", "P1D", []string{"bar:succeeded | foo:x", "qux:failed"}},
		{"qux", "P1D", []string{"@clock", "foo:x"}},
		{"prep", "R1", nil},
		{"prep", "P1D", nil},
	}
	for _, tt := range trigs {
		var got []string
		for _, tr := range ix.Triggers(tt.task, tt.key) {
			got = append(got, tr.String())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Triggers(%s, %s) = %q, want %q", tt.task, tt.key, got, tt.want)
		}
	}

	recs := map[string][]string{"foo": {"R1", "P1D"}, "prep": {"R1"}, "baz": {"P1D"}, "nope": nil}
	for task, want := range recs {
		if got := ix.Recurrences(task); !slices.Equal(got, want) {
			t.Errorf("Recurrences(%s) = %v, want %v", task, got, want)
		}
	}
	if got, want := ix.XtriggerUsers("clock"), []TaskKey{{"qux", "P1D"}}; !slices.Equal(got, want) {
		t.Errorf("XtriggerUsers(clock) = %v, want %v", got, want)
	}
	checkIndex(t, []*Graph{r1, p1d})
}

// TestIndexMergesKeys: two graph strings for the same recurrence index as
// one.
func TestIndexMergesKeys(t *testing.T) {
	a, _ := Parse("x => y", Options{Key: "P1"})
	b, _ := Parse("z => y", Options{Key: "P1"})
	ix := NewIndex(a, b)
	if n := len(ix.Triggers("y", "P1")); n != 2 {
		t.Fatalf("%d triggers of y, want 2", n)
	}
	if d := ix.Dependents("z", Succeeded); len(d) != 1 || d[0].Trigger != 1 {
		t.Errorf("Dependents(z) = %+v, want trigger 1", d)
	}
	if got := ix.Recurrences("y"); !slices.Equal(got, []string{"P1"}) {
		t.Errorf("Recurrences(y) = %v", got)
	}
}
