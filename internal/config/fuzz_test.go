package config

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unicode/utf8"

	"gyre/internal/flowfile"
)

// FuzzValues feeds arbitrary raw values to every value parser: none may
// panic, and whatever is accepted must print.
var hugeExpansion = regexp.MustCompile(`[0-9]{5,}\s*(\.\.|\*)|(\.\.|\*)\s*-?[0-9]{5,}`)

func FuzzValues(f *testing.F) {
	for _, c := range coerceCases {
		f.Add(c.raw)
	}
	for _, s := range []string{"2000-01-01T00Z", "next(T00)", "-P1D", "+05400000000-12-31T23:59",
		`"""a"""`, "'''\n  x\n'''", `"a, b", 'c'`, "1..5..2, 8", "f(a=1, b='x'):PT1M", "%(m)03d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if hugeExpansion.MatchString(raw) {
			// "1..99999" and "99999*PT1S" are valid and merely slow to
			// expand and print: a fuzzer's time is better spent elsewhere.
			t.Skip()
		}
		for typ := range typeHelp {
			v, err := coerce(typ, []flowfile.Value{{Text: raw}, {Text: raw}}, "k")
			if err != nil {
				continue
			}
			s := formatValue(v, true, "    ")
			if utf8.ValidString(raw) && !utf8.ValidString(s) {
				t.Errorf("%s %q printed as invalid UTF-8 %q", typeHelp[typ][0], raw, s)
			}
		}
		_ = checkTimePoint(raw)
	})
}

// FuzzBuild runs whole (parsable) workflow files through Build and Print:
// bad input must give errors, never a panic.
func FuzzBuild(f *testing.F) {
	f.Add(minimal)
	golden, _ := filepath.Glob("testdata/golden/*/flow.cylc")
	rc, _ := filepath.Glob("testdata/golden/*/suite.rc")
	golden = append(golden, rc...)
	for _, name := range golden {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("[task parameters]\n    m = 1..2\n[scheduling]\n    [[graph]]\n        R1 = foo<m>\n[runtime]\n    [[foo<m>, bar]]\n        inherit = FAM\n    [[FAM]]\n")
	f.Add("[cylc]\n    [[events]]\n        timeout = PT1H\n[scheduling]\n    [[dependencies]]\n        graph = a\n")
	f.Add("[scheduling]\n    [[graph]]\n        R1 = a\n[runtime]\n    [[a]]\n        inherit = b\n    [[b]]\n        inherit = a\n")
	f.Fuzz(func(t *testing.T, src string) {
		ff, err := flowfile.Parse("flow.cylc", "/wf", []byte(src), flowfile.Options{})
		if err != nil {
			return
		}
		w, err := Build(ff, Options{})
		if err != nil {
			if _, ok := err.(*ErrorList); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		var b bytes.Buffer
		if err := w.Print(&b, nil, true); err != nil {
			t.Fatal(err)
		}
		if err := w.Print(&b, nil, false); err != nil {
			t.Fatal(err)
		}
	})
}
