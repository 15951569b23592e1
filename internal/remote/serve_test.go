package remote

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"gyre/internal/runner"
)

// The remote side's replies, straight from Serve: one line per job, in
// order, with the job's error when it cannot be handled.
func TestServe(t *testing.T) {
	run := t.TempDir()
	for _, c := range []struct {
		verb string
		args []string
		want []reply
	}{
		{VerbPoll, []string{"--runner=background", "--", run, "1/gone/01", "../x/01"}, []reply{
			{ID: "1/gone/01"},
			{ID: "../x/01", Error: `job ID "../x/01": ".." is not a cycle point or task name`},
		}},
		{VerbKill, []string{"--runner=sge", "--", run, "1/a/01"}, []reply{
			{ID: "1/a/01", Error: `runner: job runner "sge" is not supported yet (supported: background, at, slurm, pbs, lsf)`},
		}},
		{VerbSubmit, []string{"--runner=background", run}, []reply{}},
	} {
		var b bytes.Buffer
		if err := Serve(t.Context(), c.verb, c.args, &b); err != nil {
			t.Errorf("%s %q: %v", c.verb, c.args, err)
			continue
		}
		if n := strings.Count(b.String(), "\n"); n != len(c.want) {
			t.Errorf("%s: %d lines for %d jobs:\n%s", c.verb, n, len(c.want), b.String())
		}
		ids := make([]string, len(c.want))
		for i, w := range c.want {
			ids[i] = w.ID
		}
		got := decodeReplies(&b, ids)
		for _, w := range c.want {
			g := got.byID[w.ID]
			if w.ID == "1/gone/01" {
				// A job whose directory has gone is reported failed.
				st, err := parseStatus(g.Status)
				if err != nil || st.Exit != runner.ExitFilesRemoved || st.RunnerExitPolled == "" {
					t.Errorf("poll of a removed job: %+v (%v)", g, err)
				}
				g.Status = ""
			}
			if g != w {
				t.Errorf("%s: reply %+v, want %+v", c.verb, g, w)
			}
		}
	}
	var b bytes.Buffer
	if err := Serve(t.Context(), VerbPoll, []string{"--runner=background", "rel/run", "1/a/01"}, &b); err == nil ||
		err.Error() != `jobs-poll: run directory "rel/run": want an absolute path or one under $HOME/` {
		t.Errorf("relative run directory: %v", err)
	}
	if err := Serve(t.Context(), VerbPoll, []string{"--help"}, &b); err != nil || !strings.HasPrefix(b.String(), "usage: gyre jobs-submit") {
		t.Errorf("--help: %v\n%s", err, b.String())
	}
	t.Setenv("HOME", filepath.Dir(run))
	b.Reset()
	if err := Serve(t.Context(), VerbPoll, []string{"--runner=background", "$HOME/" + filepath.Base(run), "1/gone/01"}, &b); err != nil ||
		!strings.Contains(b.String(), runner.ExitFilesRemoved) {
		t.Errorf("run directory under $HOME: %v\n%s", err, b.String())
	}
}
