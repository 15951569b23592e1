package flowfile

import (
	"fmt"
	"strings"
	"testing"
)

// dump renders a tree compactly for comparison: one line per heading or
// item, indented by depth, item values quoted (%q), graph repeats joined
// with " ++ ", and each entry's line number after '@'.
func dump(s *Section) string {
	var b strings.Builder
	var walk func(s *Section, indent string)
	walk = func(s *Section, indent string) {
		for _, it := range s.Items {
			var vs []string
			for _, v := range it.Values {
				vs = append(vs, fmt.Sprintf("%q@%d", v.Text, v.Pos.Line))
			}
			fmt.Fprintf(&b, "%s%s = %s\n", indent, it.Key, strings.Join(vs, " ++ "))
		}
		for _, sub := range s.Sections {
			fmt.Fprintf(&b, "%s[%s]@%d\n", indent, sub.Name, sub.Pos.Line)
			walk(sub, indent+"  ")
		}
	}
	walk(s, "")
	return b.String()
}

func TestParseSyntax(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"empty file", "", ""},
		{"only blanks and comments", "\n  \n# c\n\t# indented\n", ""},
		{"sections and items with spaced keys",
			"[scheduling]\n    initial cycle point = 2000\n    [[graph]]\n        R1 = foo\n",
			"[scheduling]@1\n  initial cycle point = \"2000\"@2\n  [graph]@3\n    R1 = \"foo\"@4\n"},
		{"whitespace around = optional",
			"[a]\nx=1\ny =2\nz= 3\n  w   =   4   \n",
			"[a]@1\n  x = \"1\"@2\n  y = \"2\"@3\n  z = \"3\"@4\n  w = \"4\"@5\n"},
		{"values are raw: quotes and trailing comments kept",
			"[meta]\ntitle = \"a # b\" # comment\nurl = 'x'\nempty =\n",
			"[meta]@1\n  title = \"\\\"a # b\\\" # comment\"@2\n  url = \"'x'\"@3\n  empty = \"\"@4\n"},
		{"heading comment stripped and name trimmed",
			"[  scheduling   ]  # the schedule\n[[graph]]# tight\n",
			"[scheduling]@1\n  [graph]@2\n"},
		{"heading names kept verbatim (commas, params, inner spaces)",
			"[runtime]\n  [[  foo,bar   ,  a,  b  ]]\n  [[x<m,n>]]\n  [[a b  c]]\n",
			"[runtime]@1\n  [foo,bar   ,  a,  b]@2\n  [x<m,n>]@3\n  [a b  c]@4\n"},
		{"heading regexp corners as in Cylc",
			"[a]b]\n[c#d]\n  [ [e] ]\n[ ]\n",
			"[a]b]@1\n[c#d]@2\n[[e]]@3\n[ ]@4\n"},
		{"deep nesting and backing up several levels",
			"[a]\n[[b]]\n[[[c]]]\n[[[[d]]]]\nx=1\n[e]\ny=2\n",
			"[a]@1\n  [b]@2\n    [c]@3\n      [d]@4\n        x = \"1\"@5\n[e]@6\n  y = \"2\"@7\n"},
		{"siblings at the same level",
			"[a]\n[[b]]\nx=1\n[[c]]\ny=2\n",
			"[a]@1\n  [b]@2\n    x = \"1\"@3\n  [c]@4\n    y = \"2\"@5\n"},
		{"repeated sections merge into the first",
			"[runtime]\n[[a]]\nscript = 1\n[[b]]\n[runtime]\n[[a]]\nenv = 3\n",
			"[runtime]@1\n  [a]@2\n    script = \"1\"@3\n    env = \"3\"@7\n  [b]@4\n"},
		{"repeated key overrides in place",
			"[a]\na=1\nb=2\na=3\nc=4\na=5\n",
			"[a]@1\n  a = \"5\"@6\n  b = \"2\"@3\n  c = \"4\"@5\n"},
		{"repeated key across merged sections overrides",
			"[runtime]\n[[a]]\nscript = 1\n[runtime]\n[[a]]\nscript = 2\n",
			"[runtime]@1\n  [a]@2\n    script = \"2\"@6\n"},
		{"graph strings concatenate",
			"[scheduling]\n[[graph]]\nR1 = a\nR1 = b\nP1 = c\n[scheduling]\n[[graph]]\nR1 = d\n",
			"[scheduling]@1\n  [graph]@2\n    R1 = \"a\"@3 ++ \"b\"@4 ++ \"d\"@8\n    P1 = \"c\"@5\n"},
		{"graph repeats append at any depth below",
			"[scheduling]\n[[graph]]\n[[[x]]]\na=1\na=2\n",
			"[scheduling]@1\n  [graph]@2\n    [x]@3\n      a = \"1\"@4 ++ \"2\"@5\n"},
		{"Cylc 7 dependencies append too",
			"[scheduling]\n[[dependencies]]\n[[[R1]]]\ngraph = a\ngraph = b\n",
			"[scheduling]@1\n  [dependencies]@2\n    [R1]@3\n      graph = \"a\"@4 ++ \"b\"@5\n"},
		{"only [scheduling][graph] appends",
			"[scheduling]\ngraph = a\ngraph = b\n[other]\n[[graph]]\nR1 = a\nR1 = b\n",
			"[scheduling]@1\n  graph = \"b\"@3\n[other]@4\n  [graph]@5\n    R1 = \"b\"@7\n"},
		{"top-level items are allowed",
			"x = 1\n[a]\n",
			"x = \"1\"@1\n[a]@2\n"},
		{"key charset and parameters",
			"[a]\nfoo<m, n> = 3\nx <p> = 4\na.b:c/d(e)^f$g!h,i+j-k = 5\né = 6\n",
			"[a]@1\n  foo<m, n> = \"3\"@2\n  x <p> = \"4\"@3\n  a.b:c/d(e)^f$g!h,i+j-k = \"5\"@4\n  é = \"6\"@5\n"},
		{"key of a single space, as Cylc's regexp allows",
			"[a]\n  = 5\n",
			"[a]@1\n    = \"5\"@2\n"},
		{"tabs and other Python whitespace",
			"[a]\n\t[[b]]\n\t\tx\t=\t1\n\t\ty\v= 2\v\n\t\tz\u00a0= 3\n",
			"[a]@1\n  [b]@2\n    x = \"1\"@3\n    y = \"2\"@4\n    z = \"3\"@5\n"},
		{"CRLF and lone CR line endings",
			"[a]\r\nx = 1\r\n[[b]]\ry=2\r",
			"[a]@1\n  x = \"1\"@2\n  [b]@3\n    y = \"2\"@4\n"},
		{"UTF-8 byte order mark",
			"\ufeff[a]\nx = 1\n",
			"[a]@1\n  x = \"1\"@2\n"},
		{"no final newline", "[a]\nx = 1", "[a]@1\n  x = \"1\"@2\n"},
		{"single-line triple quotes",
			"[a]\nx = \"\"\"one\"\"\" # c\ny = '''two'''\nz = \"\"\"\"\"\"\nw = \"\"\"a\"\"\" b\"\"\"\n",
			"[a]@1\n  x = \"\\\"\\\"\\\"one\\\"\\\"\\\" # c\"@2\n  y = \"'''two'''\"@3\n  z = \"\\\"\\\"\\\"\\\"\\\"\\\"\"@4\n  w = \"\\\"\\\"\\\"a\\\"\\\"\\\" b\\\"\\\"\\\"\"@5\n"},
		{"multi-line triple quotes keep lines raw",
			"[a]\n  script = \"\"\"\n    echo 1\n    # not a comment\n\n    [not a heading]\n  \"\"\" # done\n  after = 1\n",
			"[a]@1\n  script = \"\\\"\\\"\\\"\\n    echo 1\\n    # not a comment\\n\\n    [not a heading]\\n  \\\"\\\"\\\" # done\"@2\n  after = \"1\"@8\n"},
		{"multi-line single quotes may hold double ones",
			"[a]\nx = '''\n\"\"\"\n'''\ny = '''a''''\n",
			"[a]@1\n  x = \"'''\\n\\\"\\\"\\\"\\n'''\"@2\n  y = \"'''a''''\"@5\n"},
		{"continuation lines join and report their first line",
			"[a]\nx = one \\\n  two \\\nthree\ny = 2\n",
			"[a]@1\n  x = \"one   two three\"@2\n  y = \"2\"@5\n"},
		{"continuation inside a triple-quoted value",
			"[a]\nx = '''value is \\\nCylc'''\n",
			"[a]@1\n  x = \"'''value is Cylc'''\"@2\n"},
		{"a comment line continues too",
			"[a]\n# comment \\\nx = 1\ny = 2\n",
			"[a]@1\n  y = \"2\"@4\n"},
		{"backslash-space after a comment is not a continuation",
			"[a]\nx = 1 # \\ \ny = 2\n",
			"[a]@1\n  x = \"1 # \\\\\"@2\n  y = \"2\"@3\n"},
		{"backslash on the last line is dropped",
			"[a]\nx = a\\\\",
			"[a]@1\n  x = \"a\"@2\n"},
		{"lines of only backslashes",
			"[a]\n\\\n\\\nx=1\n",
			"[a]@1\n  x = \"1\"@2\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("flow.cylc", t.TempDir(), []byte(tc.src), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := dump(f.Root); got != tc.want {
				t.Errorf("tree mismatch\n got:\n%s\nwant:\n%s", got, tc.want)
			}
			if f.Jinja2 || f.Cylc7 {
				t.Errorf("Jinja2=%v Cylc7=%v, want false", f.Jinja2, f.Cylc7)
			}
		})
	}
}

func TestProcessedLines(t *testing.T) {
	src := "[a]  \nx = 1 \\\n  2\n\n# c\ny = \"\"\"\nz\n\"\"\"\n"
	f, err := Parse("dir/flow.cylc", "dir", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{"[a]", Pos{File: "dir/flow.cylc", Line: 1}},
		{"x = 1   2", Pos{File: "dir/flow.cylc", Line: 2}},
		{"", Pos{File: "dir/flow.cylc", Line: 4}},
		{"# c", Pos{File: "dir/flow.cylc", Line: 5}},
		{"y = \"\"\"", Pos{File: "dir/flow.cylc", Line: 6}},
		{"z", Pos{File: "dir/flow.cylc", Line: 7}},
		{"\"\"\"", Pos{File: "dir/flow.cylc", Line: 8}},
	}
	if fmt.Sprint(f.Lines) != fmt.Sprint(want) {
		t.Errorf("Lines\n got %v\nwant %v", f.Lines, want)
	}
	if f.Path != "dir/flow.cylc" || f.Dir != "dir" {
		t.Errorf("Path, Dir = %q, %q", f.Path, f.Dir)
	}
}

func TestTreeLookup(t *testing.T) {
	var src strings.Builder
	src.WriteString("[runtime]\n")
	for i := range 50 {
		fmt.Fprintf(&src, "[[t%d]]\nscript = %d\n", i, i)
	}
	src.WriteString("[[t7]]\nscript = again\n")
	f, err := Parse("flow.cylc", "", []byte(src.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := f.Root.Section("runtime")
	if rt == nil || len(rt.Sections) != 50 {
		t.Fatalf("runtime has %d sections, want 50", len(rt.Sections))
	}
	for _, tc := range []struct {
		path []string
		want string // script value, "" if the section is absent
	}{
		{[]string{"runtime", "t0"}, "0"},
		{[]string{"runtime", "t7"}, "again"},
		{[]string{"runtime", "t49"}, "49"},
		{[]string{"runtime", "t50"}, ""},
		{[]string{"nope"}, ""},
	} {
		s := f.Root.Lookup(tc.path...)
		got := ""
		if s != nil {
			got = s.Item("script").Value()
		}
		if got != tc.want {
			t.Errorf("Lookup(%v) script = %q, want %q", tc.path, got, tc.want)
		}
	}
	if s := f.Root.Lookup("runtime", "t7"); s.Pos.Line != 16 || s.Item("script").Pos().Line != 103 {
		t.Errorf("t7 at %v, script at %v; want lines 16 and 103", s.Pos, s.Item("script").Pos())
	}
	if it := rt.Item("script"); it != nil {
		t.Errorf("runtime has no items, got %v", it)
	}
	// Editing the slices directly must not leave the index lying.
	rt.Sections = rt.Sections[:10]
	if s := rt.Section("t20"); s != nil {
		t.Errorf("after truncation Section(t20) = %v, want nil", s.Name)
	}
	if s := rt.Section("t3"); s == nil || s.Name != "t3" {
		t.Errorf("after truncation Section(t3) = %v", s)
	}
}

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		pos  Pos
		want string
	}{
		{Pos{File: "flow.cylc", Line: 3}, "flow.cylc:3"},
		{Pos{Line: 3}, "line 3"},
		{Pos{File: "flow.cylc", Line: 9, AfterJinja2: true}, "flow.cylc:9 (after Jinja2 processing)"},
	} {
		if got := tc.pos.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.pos, got, tc.want)
		}
	}
}
