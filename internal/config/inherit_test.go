package config

import (
	"errors"
	"strings"
	"testing"
)

func TestC3(t *testing.T) {
	// Cases from Cylc's tests/unit/test_c3mro.py and the Python 2.3 MRO
	// paper it cites (expected orders are Python's own class MROs).
	paper := map[string][]string{
		"O": {}, "F": {"O"}, "E": {"O"}, "D": {"O"}, "C": {"D", "F"}, "B": {"D", "E"}, "A": {"B", "C"},
		"B2": {"E", "D"}, "A2": {"B2", "C"},
		"A3": {"O"}, "B3": {"O"}, "C3": {"O"}, "D3": {"O"}, "E3": {"O"},
		"K1": {"A3", "B3", "C3"}, "K2": {"D3", "B3", "E3"}, "K3": {"D3", "A3"}, "Z": {"K1", "K2", "K3"},
	}
	for _, c := range []struct {
		tree map[string][]string
		name string
		want string
		err  error
	}{
		{map[string][]string{"object": {}, "string": {"object"}}, "string", "string object", nil},
		{map[string][]string{"object": {}, "string": {"object"}, "root": {}, "diamond": {"root"}}, "diamond", "diamond root", nil},
		{paper, "A", "A B C D E F O", nil},
		{paper, "A2", "A2 B2 E C D F O", nil},
		{paper, "Z", "Z K1 K2 K3 D3 A3 B3 C3 E3 O", nil},
		{map[string][]string{"object": {}, "x": {"object"}, "y": {"object"}, "a": {"x", "y"}, "b": {"y", "x"}, "z": {"a", "b"}}, "z", "", errBadHierarchy},
		{map[string][]string{"a": {"b"}, "b": {"a"}}, "a", "", errCircular},
	} {
		got, err := newC3(c.tree).mro(c.name)
		if !errors.Is(err, c.err) || strings.Join(got, " ") != c.want {
			t.Errorf("mro(%s) = %v, %v; want %q, %v", c.name, got, err, c.want, c.err)
		}
	}
	if _, err := c3merge([][]string{{}, {"x", "y", "o"}, {"y", "x", "o"}, {}}); !errors.Is(err, errBadHierarchy) {
		t.Errorf("inconsistent merge: %v", err)
	}
}

func TestNamespaces(t *testing.T) {
	w := mustBuild(t, `
[scheduler]
    allow implicit tasks = True
[task parameters]
    m = 1..2
[scheduling]
    cycling mode = integer
    [[graph]]
        P1 = a & b & foo<m> & bar
[runtime]
    [[root]]
        [[[environment]]]
            A = root
            B = root
    [[FAM, FAM2]]
        [[[environment]]]
            C = fam
            A = fam
    [[FAM<m>]]
        inherit = FAM
    [[a, b]]
        inherit = FAM
        [[[environment]]]
            B = ab
    [[a]]
        script = only a
    [[foo<m>]]
        inherit = FAM<m>, FAM2
        script = foo
    [[foo<m=2>]]
        script = foo two
    [[bar]]
        inherit = None, FAM2
`)
	for _, c := range []struct {
		name, parents, first, mro, fpa string
		family                         bool
	}{
		{"root", "", "", "root", "root", true},
		{"FAM", "root", "root", "FAM root", "FAM root", true},
		{"FAM_m1", "FAM", "FAM", "FAM_m1 FAM root", "FAM_m1 FAM root", true},
		{"a", "FAM", "FAM", "a FAM root", "a FAM root", false},
		{"foo_m2", "FAM_m2 FAM2", "FAM_m2", "foo_m2 FAM_m2 FAM FAM2 root", "foo_m2 FAM_m2 FAM root", false},
		{"bar", "FAM2", "root", "bar FAM2 root", "bar root", false},
	} {
		ns := w.Namespaces[c.name]
		if ns == nil {
			t.Errorf("no namespace %s", c.name)
			continue
		}
		if got := strings.Join(ns.Parents, " "); got != c.parents {
			t.Errorf("%s parents = %q, want %q", c.name, got, c.parents)
		}
		if ns.FirstParent != c.first {
			t.Errorf("%s first parent = %q, want %q", c.name, ns.FirstParent, c.first)
		}
		if got := strings.Join(ns.MRO, " "); got != c.mro {
			t.Errorf("%s MRO = %q, want %q", c.name, got, c.mro)
		}
		if got := strings.Join(ns.FirstParentAncestors, " "); got != c.fpa {
			t.Errorf("%s first-parent ancestors = %q, want %q", c.name, got, c.fpa)
		}
		if ns.IsFamily != c.family {
			t.Errorf("%s IsFamily = %v", c.name, ns.IsFamily)
		}
	}
	if got := strings.Join(w.NamespaceOrder, " "); got != "root FAM FAM2 FAM_m1 FAM_m2 a b foo_m1 foo_m2 bar" {
		t.Errorf("namespace order %q", got)
	}
	// Inherited environments keep each variable where it was first
	// defined, with the nearest definition's value.
	for name, want := range map[string]string{
		"root": "A=root B=root", "FAM": "A=fam B=root C=fam", "a": "A=fam B=ab C=fam",
		"foo_m1": "A=fam B=root C=fam", "bar": "A=fam B=root C=fam",
	} {
		rt, _ := w.Runtime(name)
		var kv []string
		for _, e := range rt.Environment {
			kv = append(kv, e.Key+"="+e.Value)
		}
		if got := strings.Join(kv, " "); got != want {
			t.Errorf("%s environment = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{"a": "only a", "b": "", "foo_m1": "foo", "foo_m2": "foo two"} {
		if rt, _ := w.Runtime(name); rt.Script != want {
			t.Errorf("%s script = %q, want %q", name, rt.Script, want)
		}
	}
	if pv := w.Namespaces["foo_m2"].ParamValues; len(pv) != 1 || pv[0] != (ParamValue{"m", 2}) {
		t.Errorf("foo_m2 params = %v", pv)
	}
	if pv := w.Namespaces["a"].ParamValues; pv != nil {
		t.Errorf("a params = %v", pv)
	}
}

func TestFamilyInheritanceAndQuotes(t *testing.T) {
	// Cylc's test_family_inheritance_and_quotes: quoted and unquoted
	// parents mixed in one inherit list.
	for _, fam := range []string{"SOMEFAM", "'SOMEFAM'"} {
		w := mustBuild(t, `
[scheduler]
    allow implicit tasks = True
[task parameters]
    major = 1..5
    minor = 10..20
[scheduling]
    [[graph]]
        R1 = hello
[runtime]
    [[root]]
        script = true
    [[MAINFAM<major, minor>]]
    [[SOMEFAM]]
    [[ goodbye_0<major, minor> ]]
        inherit = 'MAINFAM<major, minor>', `+fam+`
`)
		ns := w.Namespaces["goodbye_0_major1_minor10"]
		if ns == nil || !contains(ns.MRO, "MAINFAM_major1_minor10") || !contains(ns.MRO, "SOMEFAM") {
			t.Errorf("inherit = ..., %s: %v", fam, ns)
		}
		if got := ns.ParamValues; len(got) != 2 || got[0] != (ParamValue{"major", 1}) || got[1] != (ParamValue{"minor", 10}) {
			t.Errorf("params %v", got)
		}
	}
}

func TestImplicitTasks(t *testing.T) {
	w := mustBuild(t, `
[scheduling]
    [[graph]]
        R1 = foo => bar
[runtime]
    [[root]]
        script = echo hi
    [[foo]]
`)
	if err := w.AddImplicitTask("bar"); err != nil {
		t.Fatal(err)
	}
	if err := w.SetCompletion("bar", "succeeded"); err != nil {
		t.Fatal(err)
	}
	if err := w.SetCompletion("foo", "succeeded or failed"); err != nil {
		t.Fatal(err)
	}
	bar := w.Namespaces["bar"]
	if !bar.Implicit || strings.Join(bar.MRO, " ") != "bar root" || !w.Namespaces["root"].IsFamily {
		t.Errorf("bar = %+v", bar)
	}
	rt, _ := w.Runtime("bar")
	if rt.Script != "echo hi" || rt.Completion != "succeeded" {
		t.Errorf("bar runtime: script %q completion %q", rt.Script, rt.Completion)
	}
	if err := w.AddImplicitTask("no.dots"); err == nil {
		t.Error("bad implicit task name accepted")
	}
	if err := w.SetCompletion("root", "x"); err == nil {
		t.Error("completion for a family accepted")
	}
}
