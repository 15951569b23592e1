package flowfile

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"[scheduler]\n    allow implicit tasks = True\n[scheduling]\n    initial cycle point = 2000\n" +
		"    [[graph]]\n        P1D = \"\"\"\n            foo[-P1D] => foo => bar\n        \"\"\"\n" +
		"[runtime]\n    [[root]]\n        script = sleep 1 # comment\n    [[FAM]]\n    [[foo, bar]]\n        inherit = FAM\n" +
		"        [[[environment]]]\n            X = \"${Y:-1}\"\n",
	"#!Jinja2\n{% set N = 3 %}\n[scheduling]\n    [[graph]]\n        R1 = {% for i in range(N) %}a{{i}} => {% endfor %}z\n",
	"[task parameters]\n    m = 1..3\n[runtime]\n    [[foo<m>]]\n        script = echo $CYLC_TASK_PARAM_m\nfoo<m=1> = x\n",
	"[a]\nx = one \\\n  two \\\n",
	"[a]\n  s = '''\n a\n''' # c\n  t = \"\"\"x\"\"\"\n",
	"[a]\n[[[b]]]\n", "[[a]\n", "[a]]\n", "[ ]\n[]\n", "[a]b]\n",
	"x = \"\"\"\nunclosed\n[a]\n",
	"%include 'missing.cylc\n", "%include missing.cylc\n", "%include\n",
	"\ufeff[a]\r\nx = 1\r\n", "[a]\rx=1\r", "\t[a]\n\tx\t=\t1\n",
	"[a]\nx = 1 \\ \n", "# c \\\nx = 1\n", "\\",
	"a = 1\n[a]\n", "[a]\n[[x]]\n[a]\nx = 1\n",
	"[scheduling]\n[[dependencies]]\n[[[R1]]]\ngraph = a\ngraph = b\n",
	"#!jinja2\n\n\n", "#!Jinja2\n\v\u2028\r\n",
}

// FuzzParse checks that any input either parses into a well-formed tree or
// fails with a located *Error, never a panic; and that parsing is
// deterministic. A pass-through renderer exercises the Jinja2 stage.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir() // empty: every %include of a relative path fails cleanly
	identity := func(name, dir, src string) (string, error) { return src, nil }
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<14 {
			return // size adds nothing but minimisation time
		}
		if strings.Contains(string(src), "%include") && strings.Contains(string(src), "/") {
			return // absolute includes would read whatever the machine holds
		}
		opts := Options{Template: identity}
		file, err := Parse("flow.cylc", dir, src, opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.Msg == "" || e.Pos.File != "flow.cylc" {
				t.Fatalf("badly located error: %#v", e)
			}
			_ = e.Error()
			return
		}
		for i, l := range file.Lines {
			if l.Pos.Line < 1 || l.Pos.File != "flow.cylc" {
				t.Fatalf("line %d %q has position %v", i, l.Text, l.Pos)
			}
			if l.Text != trimRightSpace(l.Text) || !utf8.ValidString(l.Text) {
				t.Fatalf("line %d %q is not right-trimmed UTF-8", i, l.Text)
			}
		}
		checkTree(t, file.Root)
		again, err := Parse("flow.cylc", dir, src, opts)
		if err != nil || dump(again.Root) != dump(file.Root) {
			t.Fatalf("second parse differs: %v", err)
		}
	})
}

func checkTree(t *testing.T, s *Section) {
	t.Helper()
	names := map[string]bool{}
	for _, it := range s.Items {
		if len(it.Values) == 0 || it.Key == "" || names[it.Key] {
			t.Fatalf("bad or repeated item %q in [%s]", it.Key, s.Name)
		}
		names[it.Key] = true
		for _, v := range it.Values {
			if v.Pos.Line < 1 {
				t.Fatalf("value of %q has position %v", it.Key, v.Pos)
			}
		}
		if s.Item(it.Key) != it {
			t.Fatalf("Item(%q) does not find it", it.Key)
		}
	}
	for _, sub := range s.Sections {
		if sub.Name == "" || names[sub.Name] || sub.Pos.Line < 1 {
			t.Fatalf("bad or clashing section %q in [%s]", sub.Name, s.Name)
		}
		names[sub.Name] = true
		if s.Section(sub.Name) != sub {
			t.Fatalf("Section(%q) does not find it", sub.Name)
		}
		checkTree(t, sub)
	}
}

// FuzzMatchers checks that the hand-written fast paths classify a line
// exactly as Cylc's regular expressions (headingRE, itemRE) do.
func FuzzMatchers(f *testing.F) {
	for _, s := range []string{
		"[a]", " [[ a b ]] # c", "[a]b]", "[ ]", "[[ ]]", "[a#b]", "[a] x", "[[a]]]", "\t[é]\v",
		"a = b", "  initial cycle point=2000", "a\t= b", "  = 5", "= 5", "foo<m,n> = 1", "a <p> = 2",
		"x y <p>z = 3", "a\u00a0= 1", "é = 1", "a@b = 1", "k=", "a==b", "[a] = b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Long lines only slow the fuzzer's minimisation down (the regexps
		// cost ~0.2µs per byte): they add no new shapes.
		if len(s) > 256 || !utf8.ValidString(s) || strings.Contains(s, "\n") {
			return
		}
		h, ok := matchHeading(s)
		hs, oks := headingSlow(s)
		if ok != oks || h != hs {
			t.Fatalf("heading %q: fast %v %+v, regexp %v %+v", s, ok, h, oks, hs)
		}
		k, v, ok := matchItem(s)
		ks, vs, oks := itemSlow(s)
		if ok != oks || k != ks || v != vs {
			t.Fatalf("item %q: fast %v %q=%q, regexp %v %q=%q", s, ok, k, v, oks, ks, vs)
		}
	})
}
