package config

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"gyre/internal/flowfile"
)

// bigWorkflow has 10 000 parameterised tasks under two families.
func bigWorkflow() []byte {
	return []byte(`
[task parameters]
    m = 1..100
    n = 1..100
[scheduling]
    cycling mode = integer
    [[graph]]
        P1 = "start => foo<m,n> => end"
[runtime]
    [[root]]
        script = run-it
        execution retry delays = 3*PT1M
        [[[environment]]]
            ROOT = 1
    [[FAM]]
        [[[environment]]]
            FAM = 1
        [[[directives]]]
            --mem = 1G
    [[FAM2]]
        pre-script = sleep 1
    [[foo<m,n>]]
        inherit = FAM, FAM2
        [[[environment]]]
            M = %(m)s
    [[start, end]]
`)
}

func BenchmarkBuild10000Tasks(b *testing.B) {
	src := bigWorkflow()
	for i := 0; i < b.N; i++ {
		f, err := flowfile.Parse("flow.cylc", "/wf", src, flowfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w, err := Build(f, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Namespaces) != 10_000+5 {
			b.Fatalf("%d namespaces", len(w.Namespaces))
		}
	}
}

func BenchmarkPrint10000Tasks(b *testing.B) {
	f, _ := flowfile.Parse("flow.cylc", "/wf", bigWorkflow(), flowfile.Options{})
	w, err := Build(f, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if err := w.Print(io.Discard, nil, true); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBigWorkflow checks what the benchmarks build.
func TestBigWorkflow(t *testing.T) {
	f, err := flowfile.Parse("flow.cylc", "/wf", bigWorkflow(), flowfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := Build(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := w.Runtime("foo_m042_n100")
	if !ok {
		t.Fatal("no foo_m042_n100")
	}
	var env []string
	for _, e := range rt.Environment {
		env = append(env, e.Key+"="+e.Value)
	}
	if got := strings.Join(env, " "); got != "ROOT=1 FAM=1 M=%(m)s" {
		t.Errorf("environment %q", got)
	}
	if got := fmt.Sprintf("%v %v %v", rt.ExecutionRetryDelays, rt.PreScript, rt.Directives); got != "[PT1M PT1M PT1M] sleep 1 [{--mem 1G}]" {
		t.Errorf("runtime %s", got)
	}
	if pv := w.Namespaces["foo_m042_n100"].ParamValues; fmt.Sprint(pv) != "[{m 42} {n 100}]" {
		t.Errorf("params %v", pv)
	}
}
