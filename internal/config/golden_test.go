package config

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gyre/internal/flowfile"
)

// The golden workflows in testdata/golden were written for these tests;
// config.txt and defaults.txt are the output of Cylc 8.7's `cylc config`
// and `cylc config --defaults` for them. derived.txt lists what Cylc
// derives from the graph and cycling (other layers' work), replayed here.

func loadGolden(t *testing.T, dir string) *Workflow {
	t.Helper()
	f, err := flowfile.Load(dir, flowfile.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	w, err := Build(f, Options{})
	if err != nil {
		t.Fatalf("build %s: %v", dir, err)
	}
	derived, err := os.Open(filepath.Join(dir, "derived.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer derived.Close()
	sc := bufio.NewScanner(derived)
	for sc.Scan() {
		line := sc.Text()
		kind, rest, _ := strings.Cut(line, " ")
		switch kind {
		case "implicit":
			err = w.AddImplicitTask(rest)
		case "completion":
			task, expr, _ := strings.Cut(rest, " = ")
			err = w.SetCompletion(task, expr)
		case "derived":
			item, value, _ := strings.Cut(rest, " = ")
			err = w.SetDerived(item, value)
		}
		if err != nil {
			t.Fatalf("%s: %s: %v", dir, line, err)
		}
	}
	return w
}

func TestGoldenPrint(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatal("no golden workflows", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			w := loadGolden(t, dir)
			for _, c := range []struct {
				file   string
				sparse bool
			}{{"config.txt", true}, {"defaults.txt", false}} {
				want, err := os.ReadFile(filepath.Join(dir, c.file))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := w.Print(&got, nil, c.sparse); err != nil {
					t.Fatal(err)
				}
				if got.String() != string(want) {
					t.Errorf("%s differs from Cylc 8.7:\n%s", c.file, lineDiff(string(want), got.String()))
				}
			}
		})
	}
}

// lineDiff shows the first differing lines, enough to find the problem.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\nwant: " + wl + "\n got: " + gl
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestPrintItems(t *testing.T) {
	w := loadGolden(t, "testdata/golden/basic")
	for _, c := range []struct {
		items  []string
		sparse bool
		want   string
		err    string
	}{
		{items: []string{"[runtime][a]"}, sparse: true, want: "script = \"\"\"\n    echo a\n        echo b\n\"\"\"\npre-script = sleep 1\ninherit = FAM\n" +
			"execution retry delays = PT1M, PT1M, PT1H, P365D\ncompletion = succeeded\n[[[environment]]]\n    A = 11\n    B = 22\n    C = 3\n    D = 4\n"},
		{items: []string{"[scheduling]initial cycle point"}, sparse: true, want: "2000\n"},
		{items: []string{"[runtime][a]script"}, sparse: true, want: "echo a\n    echo b\n"},
		{items: []string{"[scheduling][graph]P1D"}, sparse: true, want: "foo => bar<m>\nFAM:succeed-all => baz\n"},
		{items: []string{"[scheduling][queues]"}, sparse: true, want: "[[[q1]]]\n    limit = 2\n    members = FAM, foo\n"},
		{items: []string{"[runtime][a][environment]B"}, sparse: true, want: "22\n"},
		{items: []string{"[runtime][a]", "[meta]title"}, sparse: true, want: "script = \"\"\"\n    echo a\n        echo b\n\"\"\"\npre-script = sleep 1\ninherit = FAM\n" +
			"execution retry delays = PT1M, PT1M, PT1H, P365D\ncompletion = succeeded\n[[[environment]]]\n    A = 11\n    B = 22\n    C = 3\n    D = 4\nhello, world\n"},
		{items: []string{"[runtime][a]platform"}, sparse: false, want: "\n"},
		{items: []string{"[runtime][nosuch]"}, sparse: true, err: `You have not set "[runtime]nosuch" in this config.`},
		{items: []string{"[nosuch]"}, sparse: true, err: `"nosuch" is not a valid configuration for flow.cylc.`},
		{items: []string{"[scheduling]final cycle point"}, sparse: true, err: `You have not set "[scheduling]final cycle point" in this config.`},
	} {
		var got bytes.Buffer
		err := w.Print(&got, c.items, c.sparse)
		switch {
		case c.err != "":
			if err == nil || err.Error() != c.err {
				t.Errorf("Print %v: err = %v, want %q", c.items, err, c.err)
			}
		case err != nil:
			t.Errorf("Print %v: %v", c.items, err)
		case got.String() != c.want:
			t.Errorf("Print %v:\n%s", c.items, lineDiff(c.want, got.String()))
		}
	}
}
