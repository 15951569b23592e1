package graph

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// describe renders each task's triggers with Trigger.String, "!" marking
// suicide triggers.
func describe(g *Graph) map[string][]string {
	m := map[string][]string{}
	for task, trigs := range g.Triggers {
		for _, t := range trigs {
			s := t.String()
			if t.Suicide {
				s = "!" + s
			}
			m[task] = append(m[task], s)
		}
		slices.Sort(m[task])
	}
	return m
}

var testFams = map[string][]string{
	"FAM":  {"m2", "m1"}, // unsorted on purpose: Parse sorts members
	"BAM":  {"b1", "b2"},
	"root": {"m1", "m2", "b1", "b2"},
}

// TestSyntaxForms covers each form of the graph language in terms of the
// trigger expressions it produces.
func TestSyntaxForms(t *testing.T) {
	tests := []struct {
		src  string
		want map[string][]string
	}{
		{"a", map[string][]string{}},
		{"a => b", map[string][]string{"b": {"a:succeeded"}}},
		{"a => b => c", map[string][]string{"b": {"a:succeeded"}, "c": {"b:succeeded"}}},
		{"a & b => c", map[string][]string{"c": {"a:succeeded", "b:succeeded"}}},
		{"a | b => c", map[string][]string{"c": {"a:succeeded | b:succeeded"}}},
		{"(a & b) | c => d", map[string][]string{"d": {"(a:succeeded & b:succeeded) | c:succeeded"}}},
		{"a | b & c => d", map[string][]string{"d": {"a:succeeded | (b:succeeded & c:succeeded)"}}},
		{"a => b & c", map[string][]string{"b": {"a:succeeded"}, "c": {"a:succeeded"}}},
		{"a =>\n b\n => c\n  & d", map[string][]string{"b": {"a:succeeded"}, "c": {"b:succeeded"}, "d": {"b:succeeded"}}},
		{"a &\n b |\n c => d", map[string][]string{"d": {"(a:succeeded & b:succeeded) | c:succeeded"}}},
		{"a:succeed => b", map[string][]string{"b": {"a:succeeded"}}},
		{"a:fail? => b", map[string][]string{"b": {"a:failed"}}},
		{"a:failed? => b", map[string][]string{"b": {"a:failed"}}},
		{"a:start => b", map[string][]string{"b": {"a:started"}}},
		{"a:submit => b", map[string][]string{"b": {"a:submitted"}}},
		{"a:submit-fail? => b", map[string][]string{"b": {"a:submit-failed"}}},
		{"a:expire? => b", map[string][]string{"b": {"a:expired"}}},
		{"a:finish => b", map[string][]string{"b": {"a:succeeded | a:failed"}}},
		{"a:x => b", map[string][]string{"b": {"a:x"}}},
		{"a[-P1D] => a", map[string][]string{"a": {"a[-P1D]:succeeded"}}},
		{"a[-P1D+PT18H] => b", map[string][]string{"b": {"a[-P1D+PT18H]:succeeded"}}},
		{"a[+P1] => b", map[string][]string{"b": {"a[+P1]:succeeded"}}},
		{"a[^] => b", map[string][]string{"b": {"a[^]:succeeded"}}},
		{"a[^+P6]:fail? => b", map[string][]string{"b": {"a[^+P6]:failed"}}},
		{"a[20100101T0600Z] => b", map[string][]string{"b": {"a[20100101T0600Z]:succeeded"}}},
		{"@wall_clock => a", map[string][]string{"a": {"@wall_clock"}}},
		{"@x & a => b", map[string][]string{"b": {"@x", "a:succeeded"}}},
		{"(@x & a) => b", map[string][]string{"b": {"@x & a:succeeded"}}},
		{"a => !b", map[string][]string{"b": {"!a:succeeded"}}},
		{"a:fail? => b & !c", map[string][]string{"b": {"a:failed"}, "c": {"!a:failed"}}},
		{"FAM:succeed-all => a", map[string][]string{"a": {"m1:succeeded & m2:succeeded"}}},
		{"FAM:succeed-any => a", map[string][]string{"a": {"m1:succeeded | m2:succeeded"}}},
		{"FAM:fail-all? => a", map[string][]string{"a": {"m1:failed & m2:failed"}}},
		{"FAM:finish-all => a", map[string][]string{"a": {"(m1:succeeded | m1:failed) & (m2:succeeded | m2:failed)"}}},
		{"FAM:finish-any => a", map[string][]string{"a": {"m1:succeeded | m1:failed | m2:succeeded | m2:failed"}}},
		{"FAM:start-any => a", map[string][]string{"a": {"m1:started | m2:started"}}},
		{"FAM:submit-all => a", map[string][]string{"a": {"m1:submitted & m2:submitted"}}},
		{"FAM:submit-fail-any? => a", map[string][]string{"a": {"m1:submit-failed | m2:submit-failed"}}},
		{"FAM:expire-all? => a", map[string][]string{"a": {"m1:expired & m2:expired"}}},
		{"FAM[-P1D]:succeed-all => a", map[string][]string{"a": {"m1[-P1D]:succeeded & m2[-P1D]:succeeded"}}},
		{"FAM:succeed-all | b => a", map[string][]string{"a": {"(m1:succeeded & m2:succeeded) | b:succeeded"}}},
		{"a => FAM", map[string][]string{"m1": {"a:succeeded"}, "m2": {"a:succeeded"}}},
		{"a => !FAM", map[string][]string{"m1": {"!a:succeeded"}, "m2": {"!a:succeeded"}}},
		{"FAM:succeed-all => BAM", map[string][]string{
			"b1": {"m1:succeeded & m2:succeeded"}, "b2": {"m1:succeeded & m2:succeeded"}}},
		{"foo<other::bar:fail> => baz", map[string][]string{"baz": {"foo:succeeded"}}},
		{"a => b  # comment\n\n# another\n  b => c", map[string][]string{"b": {"a:succeeded"}, "c": {"b:succeeded"}}},
		{"t-1 & t+1 & t%1 & t@1 => x", map[string][]string{"x": {"t%1:succeeded", "t+1:succeeded", "t-1:succeeded", "t@1:succeeded"}}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			g, err := Parse(tt.src, Options{Families: testFams})
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(g); !equalView(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestErrors checks every kind of error Parse reports: the message, the
// line, the offending text and the hint.
func TestErrors(t *testing.T) {
	tests := []struct {
		src      string
		line     int // with Options.Line = 20
		msg      string
		text     string
		hint     string
		families bool
	}{
		{"a =>", 20, "Dangling =>:a=>", "a=>", "nothing follows", false},
		{"a => b\n\nc & d &", 22, "Dangling &:c&d&", "c&d&", "", false},
		{"| a => b", 20, "Leading |: |a=>b", "|a=>b", "", false},
		{"a =>\n=> b", 20, "Consecutive lines end and start with continuation characters:\na=>\n=>b", "a=>\n=>b", "not both", false},
		{"x => y\na b => c", 21, "Bad graph node format: \"a b\" has a space inside a node", "a b => c", "&, | or =>", false},
		{"a => b\n  c => d:custom -x", 21, "Bad graph node format: \"custom -x\"", "c => d:custom -x", "", false},
		{"a => b\nc => d[-P1D]e", 21, "Bad graph node format: d[-P1D]e", "d[-P1D]e", "NAME(<PARAMS>)", false},
		{"a => b:fail[-P1D]", 20, "Bad graph node format: b:fail[-P1D]", "b:fail[-P1D]", "", false},
		{"a => b[$]", 20, "Bad graph node format: b[$]", "b[$]", "", false},
		{"a => -b", 20, "Bad graph node format: -b", "-b", "", false},
		{"@x? => a", 20, "Bad graph node format: @x?", "@x?", "", false},
		{"a =>\n  b & c\n  => d[T-6]", 22, "Illegal graph node: d[T-6]", "d[T-6]", "ISO 8601", false},
		{"a && b => c", 20, "The graph AND operator is '&': a&&b=>c", "a&&b=>c", "", false},
		{"a => b\na || b => c", 21, "The graph OR operator is '|': a||b=>c", "a||b=>c", "", false},
		{"a => b | c", 20, "Illegal OR on right side: b|c", "b|c", "only &", false},
		{"!a => b", 20, "Suicide markers must be on the right of a trigger: !a", "!a", "!a on the right", false},
		{"x\n!a", 21, "Suicide markers must be on the right of a trigger: !a", "!a", "left side", false},
		{"(a & b => c", 20, `Mismatched parentheses in: "(a&b"`, "(a&b", "", false},
		{"a => (b & c", 20, `Mismatched parentheses in: "(b&c"`, "(b&c", "", false},
		{")a( => b", 20, `Mismatched parentheses in: ")a("`, ")a(", "", false},
		{"a => => b", 20, "Null task name in graph:  => b", " => b", "", false},
		{"a & => b", 20, "Null task name in graph: a& => b", "a& => b", "", false},
		{"(a | ) => b", 20, "Null task name in graph: (a|) => b", "(a|) => b", "", false},
		{"a(b) => c", 20, `Error in expression "a(b)"`, "a(b)", "join nodes", false},
		{"a => @x", 20, "xtrigger @x must be on the left of a trigger: a => @x", "@x", "", false},
		{"@x | a => b", 20, "Xtriggers cannot be used in conditional graph expressions: @x|a:succeeded => b", "@x|a:succeeded => b", "only be combined with &", false},
		{"x => y\nb => a:fail? => a", 21, "self-edge detected: a:failed => a", "a:failed => a", "itself", false},
		{"a => a", 20, "self-edge detected: a:succeeded => a", "a:succeeded => a", "", false},
		{"FAM:succeed-all => m1", 20, "self-edge detected: m1:succeeded => m1", "m1:succeeded => m1", "", true},
		{"a => b[-P1D]", 20, "Invalid cycle point offsets only on right hand side of dependency (must be on left hand side):a => b[-P1D]", "a => b[-P1D]", "belongs on the left", false},
		{"root => a", 20, "invalid task name \"root\": cannot be: `root`", "root", "", false},
		{"a => _cylc_x", 20, "invalid task name \"_cylc_x\": cannot start with: `_cylc`", "_cylc_x", "", false},
		{"a => b<m>", 20, "parameter m is not defined in <m>: a=>b<m>", "a=>b<m>", "[task parameters]", false},
		{"FAM => a", 20, "Family trigger required: FAM => a", "FAM => a", "FAM:succeed-all", true},
		{"FAM:succeed-al => a", 20, "Illegal family trigger in FAM:succeed-al", "FAM:succeed-al", `did you mean "succeed-all"?`, true},
		{"a => FAM:fial-any", 20, "Illegal family trigger: FAM:fial-any", "FAM:fial-any", `did you mean "fail-any"?`, true},
		{"a => FAM:finish-all?", 20, "Family pseudo-output FAM:finish-all can't be optional", "FAM:finish-all?", "", true},
		{"a:succeed-all => b", 20, "family trigger on non-family namespace a:succeed-all", "a:succeed-all", "only a family", false},
		{"a => b:fail-any", 20, "family trigger on non-family namespace b:fail-any", "b:fail-any", "", false},
		{"EMPTY:succeed-all => a", 20, "family EMPTY has no member tasks", "EMPTY:succeed-all", "", true},
		{"a:expire => b", 20, "a:expired must be optional", "a:expired", "a:expired?", false},
		{"a:submit-fail => b", 20, "a:submit-failed must be optional", "a:submit-failed", "", false},
		{"a:finish? => b", 20, "Pseudo-output a:finished can't be optional", "a:finished?", "", false},
		{"a? => b\n\na => c", 22, "Output a:succeeded can't be both required and optional", "a:succeeded", "it is optional at f.cylc:20", false},
		{"a => b\na:fail => c", 21, "Opposite outputs a:failed and a:succeeded must both be optional if both are used", "a:failed", "mark both with ?", false},
		{"FAM:succeed-all => a\nFAM:succeed-any? => b", 21, "Output m1:succeeded can't default to both optional and required (via family trigger defaults)", "m1:succeeded", "", true},
		{"(a | b) => c\n(a | b) => !c", 21, "(a | b) can't trigger both c and !c", "(a|b) => !c", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			opts := Options{File: "f.cylc", Line: 20}
			if tt.families {
				opts.Families = map[string][]string{"FAM": {"m1", "m2"}, "EMPTY": nil}
			}
			_, err := Parse(tt.src, opts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message %q\nwant it to contain %q", e.Msg, tt.msg)
			}
			if e.Line != tt.line || e.File != "f.cylc" {
				t.Errorf("at %s:%d, want f.cylc:%d", e.File, e.Line, tt.line)
			}
			if e.Text != tt.text {
				t.Errorf("text %q, want %q", e.Text, tt.text)
			}
			if !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("hint %q, want it to contain %q", e.Hint, tt.hint)
			}
			if want := fmt.Sprintf("f.cylc:%d: ", tt.line); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err, want)
			}
		})
	}
}

func TestErrorWithoutFile(t *testing.T) {
	_, err := Parse("a => a", Options{})
	if got, want := err.Error(), "line 1: self-edge detected: a:succeeded => a (a task cannot depend on itself at the same cycle point)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExprEval(t *testing.T) {
	g, err := Parse("(a | b:fail?) & c[-P1D]:x & FAM:succeed-any => d", Options{Families: testFams})
	if err != nil {
		t.Fatal(err)
	}
	tr := g.Triggers["d"][0]
	wantAtoms := []Atom{
		{"a", Succeeded, ""}, {"b", Failed, ""}, {"c", "x", "-P1D"}, {"m1", Succeeded, ""}, {"m2", Succeeded, ""},
	}
	if !slices.Equal(tr.Atoms, wantAtoms) {
		t.Fatalf("atoms %v, want %v", tr.Atoms, wantAtoms)
	}
	if got, want := tr.Expr.String(), "(#0 | #1) & #2 & (#3 | #4)"; got != want {
		t.Errorf("expr %s, want %s", got, want)
	}
	if got, want := tr.Text, "(a:succeeded|b:failed)&c[-P1D]:x&(m1:succeeded|m2:succeeded)"; got != want {
		t.Errorf("text %s, want %s", got, want)
	}
	tests := []struct {
		done []int
		want bool
	}{
		{nil, false},
		{[]int{0, 2, 3}, true},
		{[]int{1, 2, 4}, true},
		{[]int{0, 1, 3, 4}, false},
		{[]int{0, 2}, false},
		{[]int{2, 3, 4}, false},
	}
	for _, tt := range tests {
		got := tr.Expr.Eval(func(i int) bool { return slices.Contains(tt.done, i) })
		if got != tt.want {
			t.Errorf("Eval with %v done = %v, want %v", tt.done, got, tt.want)
		}
	}
}

func TestTriggerString(t *testing.T) {
	g, err := Parse("@x & (a | b) => c\n@y & @z => d", Options{})
	if err == nil {
		t.Fatalf("xtrigger in a conditional expression accepted: %v", describe(g))
	}
	g, err = Parse("(@x & a & @y) => c\n@y & @z => d", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.Triggers["c"][0].String(), "@x & @y & a:succeeded"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := g.Triggers["c"][0].Xtriggers; !slices.Equal(got, []string{"x", "y"}) {
		t.Errorf("xtriggers %v", got)
	}
	var xs []string
	for _, tr := range g.Triggers["d"] {
		if tr.Expr != nil || len(tr.Atoms) != 0 {
			t.Errorf("xtrigger-only trigger has an expression: %+v", tr)
		}
		xs = append(xs, tr.Xtriggers...)
	}
	if !slices.Equal(xs, []string{"y", "z"}) {
		t.Errorf("xtriggers of d: %v", xs)
	}
}

func TestTasksAndCycling(t *testing.T) {
	tests := []struct {
		src            string
		tasks, cycling []string
	}{
		{"a => b", []string{"a", "b"}, []string{"a", "b"}},
		{"a => !b", []string{"a", "b"}, []string{"a"}},
		{"a => !b\nc => b", []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"a[-P1D] => b", []string{"b"}, []string{"b"}},
		{"a[-P1D] => a", []string{"a"}, []string{"a"}},
		{"FAM", []string{"m1", "m2"}, []string{"m1", "m2"}},
		{"@x => a", []string{"a"}, []string{"a"}},
	}
	for _, tt := range tests {
		g, err := Parse(tt.src, Options{Families: testFams})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Tasks, tt.tasks) || !slices.Equal(g.Cycling, tt.cycling) {
			t.Errorf("%q: tasks %v cycling %v, want %v %v", tt.src, g.Tasks, g.Cycling, tt.tasks, tt.cycling)
		}
	}
}

// TestEdges follows what `cylc graph` draws for a recurrence: lone nodes,
// offsets, xtrigger nodes, suicide and conditional edges.
func TestEdges(t *testing.T) {
	src := `
		@wall_clock => foo => bar?
		foo[-P1D] => foo
		bar:fail? => !baz
		baz | qux => quux
	`
	g, err := Parse(src, Options{Key: "P1D"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Edge{
		{Left: "@wall_clock", Right: "foo"},
		{Left: "bar"},
		{Left: "bar", Right: "baz", Suicide: true},
		{Left: "baz"},
		{Left: "baz", Right: "quux", Conditional: true},
		{Left: "foo", Right: "bar"},
		{Left: "foo", LeftOffset: "-P1D", Right: "foo"},
		{Left: "qux"},
		{Left: "qux", Right: "quux", Conditional: true},
	}
	if !slices.Equal(g.Edges, want) {
		t.Errorf("edges\n got %+v\nwant %+v", g.Edges, want)
	}
}

func TestOutputsTable(t *testing.T) {
	out := NewOutputs()
	if _, err := Parse("a:x? => b\nc:finish => d => e:y", Options{Outputs: out}); err != nil {
		t.Fatal(err)
	}
	g, err := Parse("a:x? => f\nb => g", Options{Outputs: out, Key: "R1"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Outputs != out {
		t.Error("Graph.Outputs is not the shared table")
	}
	want := []OutputUse{
		{"a", "x", true}, {"b", Succeeded, false}, {"c", Failed, true}, {"c", Succeeded, true},
		{"d", Succeeded, false}, {"e", "y", false},
	}
	if got := out.All(); !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if opt, ok := out.Optional("c", Failed); !opt || !ok {
		t.Errorf("c:failed: %v %v", opt, ok)
	}
	if _, ok := out.Optional("g", Succeeded); ok {
		t.Error("g:succeeded is not stated by the graph (end of chain)")
	}
	if _, err := Parse("a:x => h", Options{Outputs: out}); err == nil {
		t.Error("a:x required after optional in an earlier graph string: no error")
	}
}

func TestCylc7(t *testing.T) {
	out := NewOutputs()
	if _, err := Parse("a => b\na:fail => c\na => !c\nd:expire => e", Options{Cylc7: true, Outputs: out}); err != nil {
		t.Fatal(err)
	}
	for _, u := range out.All() {
		if !u.Optional {
			t.Errorf("%s:%s required in Cylc 7 mode", u.Task, u.Output)
		}
	}
}

func TestExpireTriggers(t *testing.T) {
	g, err := Parse("a => !b\nc => b", Options{ExpireTriggers: true})
	if err != nil {
		t.Fatal(err)
	}
	if opt, ok := g.Outputs.Optional("b", Expired); !opt || !ok {
		t.Errorf("b:expired optional=%v known=%v, want optional", opt, ok)
	}
}

func TestPolling(t *testing.T) {
	g, err := Parse("a<other/run1::foo:fail> => b\n\n  c<w::bar> =>\n d<w::baz> => e", Options{File: "f", Line: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Polling{
		"a": {"other/run1", "foo", Failed, "<other/run1::foo:fail>"},
		"c": {"w", "bar", "", "<w::bar>"},
		"d": {"w", "baz", "", "<w::baz>"},
	}
	if !maps.Equal(g.Polling, want) {
		t.Errorf("got %v\nwant %v", g.Polling, want)
	}
	if got := describe(g)["e"]; !slices.Equal(got, []string{"d:succeeded"}) {
		t.Errorf("e: %v", got)
	}
	// Positions after the removed text still map to the right lines.
	_, err = Parse("a<w::t> =>\n b =>\n c[T-1]", Options{File: "f", Line: 5})
	var e *Error
	if !errors.As(err, &e) || e.Line != 7 {
		t.Errorf("got %v, want an error at line 7", err)
	}
}

func TestCustomOutputs(t *testing.T) {
	g, err := Parse("a:x => b:y => c\na:fail? => d\nFAM:succeed-all => e:z?\nf => !g:w", Options{Families: testFams, Line: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []OutputRef{{"a", "x", 3}, {"b", "y", 3}, {"e", "z", 5}, {"g", "w", 6}}
	if !slices.Equal(g.CustomOutputs, want) {
		t.Errorf("got %v\nwant %v", g.CustomOutputs, want)
	}
}
