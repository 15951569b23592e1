package broadcast

import (
	"reflect"
	"strings"
	"testing"

	"gyre/internal/config"
)

// FuzzParseSetting: no panic; a parsed setting has a path of non-empty,
// trimmed names, and writing it back as KEY=VALUE parses to the same
// setting (the form Rows stores and Load reads).
func FuzzParseSetting(f *testing.F) {
	for _, s := range []string{
		"script=true", "[environment]BCAST = ROOT", "[environment] FOO=${FOO:-foo}",
		"[events]execution timeout=PT1M", "[a][b]c=d=e", "[job]execution time limit=PT1H",
		"[suite state polling]run-dir=x", "=", "[]=", "[x", "]=", "[[a]]b=c", "[a]]b=c", "x",
		"[job]shell=bash", " [ a ] [ b ] c = d ", "[a\n]b=c", "[\u00e9]\u00e9=\u00e9",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSetting(in)
		if err != nil {
			return
		}
		if len(s.Path) == 0 {
			t.Fatalf("ParseSetting(%q): empty path", in)
		}
		for _, k := range s.Path {
			if k == "" || k != strings.TrimSpace(k) {
				t.Fatalf("ParseSetting(%q): bad name %q in %q", in, k, s.Path)
			}
		}
		again, err := ParseSetting(s.Key() + "=" + s.Value)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("ParseSetting(%q) = %#v, but its key %q reads back as %#v, %v", in, s, s.Key(), again, err)
		}
		// The store takes it and gives it back.
		st := NewStore(nil)
		if r := st.Put(nil, nil, []config.Setting{s}); len(r.Changes) != 1 {
			t.Fatalf("Put(%#v): %+v", s, r)
		}
		if got := st.For("1", []string{"root"}); len(got) != 1 || !reflect.DeepEqual(got[0], s) {
			t.Fatalf("For after Put(%#v) = %#v", s, got)
		}
	})
}

// FuzzParseFile: no panic, and either an error or settings with paths.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{
		"script = true\n",
		"[environment]\n    X = 1\n    Y = \"\"\"\na\nb\n\"\"\"\n",
		"execution retry delays = PT1S, 2*PT2S\n[events]\n    handlers = \"a, b\", c\n",
		"[job]\n    execution time limit = PT1M\n",
		"[environment\n", "= x\n", "[[a]]\n b = c\n", "script = '''\nx\n",
		"[meta]\n    my  key = 1\n", "inherit = a\n", "%include missing.cylc\n", "#!jinja2\n",
		"[directives]\n    --mem = 1G\n[simulation]\n    speedup factor = 1e400\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		settings, err := ParseFile("/nonexistent/bc.cylc", data)
		if err != nil {
			if settings != nil {
				t.Fatalf("ParseFile: settings %v with error %v", settings, err)
			}
			return
		}
		for _, s := range settings {
			if len(s.Path) == 0 {
				t.Fatalf("ParseFile(%q): empty path", data)
			}
		}
	})
}
