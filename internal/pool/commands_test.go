package pool_test

import (
	"strings"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

const matchFlow = `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        P1 = "a => FAM:succeed-all => z"
[runtime]
    [[FAM]]
    [[b, c]]
        inherit = FAM
`

// Match resolves commands' task IDs: globs, family names, points alone,
// and explicit IDs of tasks not (yet) in the pool.
func TestMatch(t *testing.T) {
	def := load(t, matchFlow, workflow.RunOptions{})
	p := pool.New(def)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p.Apply(pool.Started{}, now)
	for _, id := range []string{"1/a", "2/a", "3/a"} {
		pt, name, _ := strings.Cut(id, "/")
		p.Apply(pool.JobSubmitted{ID: pool.ID{Point: pt, Name: name}, SubmitNum: 1}, now)
	}
	for _, tc := range []struct {
		patterns  []string
		want      string
		unmatched string
	}{
		{[]string{"1/a"}, "1/a", ""},
		{[]string{"*/a"}, "1/a 2/a 3/a", ""},
		{[]string{"2"}, "2/a", ""},
		{[]string{"1/FAM"}, "1/b 1/c", ""}, // not in the pool, but real
		{[]string{"1/z"}, "1/z", ""},
		{[]string{"1/nosuch", "9/a"}, "", "1/nosuch 9/a"},
		{[]string{"1/a/01"}, "1/a", ""},
		{[]string{"[12]/a"}, "1/a 2/a", ""},
	} {
		ids, unmatched := p.Match(tc.patterns)
		var got []string
		for _, id := range ids {
			got = append(got, id.String())
		}
		if strings.Join(got, " ") != tc.want || strings.Join(unmatched, " ") != tc.unmatched {
			t.Errorf("Match(%q) = %q, unmatched %q; want %q, %q", tc.patterns, got, unmatched, tc.want, tc.unmatched)
		}
	}
}

// FuzzMatch: any pattern is answered without a panic, and every task ID
// matched names a task of the workflow.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"1/a", "*/*", "[", "2", "1/FAM", "//", "1/a/01/x", "\\", "1/a:failed", "1:waiting", "*/*:", "1/:"} {
		f.Add(s)
	}
	def := load(f, matchFlow, workflow.RunOptions{})
	f.Fuzz(func(t *testing.T, s string) {
		p := pool.New(def)
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		p.Apply(pool.Started{}, now)
		ids, _ := p.Match([]string{s})
		for _, id := range ids {
			if def.Tasks[id.Name] == nil {
				t.Fatalf("Match(%q) gave %s, not a task", s, id)
			}
		}
		p.Apply(pool.SetPrereqs{IDs: ids, Prereqs: []string{s}}, now)
	})
}
