package runner

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseAtSubmit: whatever at prints, the parser finds at most a job
// number that at printed (one word), recognises atd's absence only from
// a line saying so, and never passes on the routine shell warning.
func FuzzParseAtSubmit(f *testing.F) {
	f.Add("warning: commands will be executed using /bin/sh\njob 12 at Thu Nov 26 05:20:00 2026\n")
	f.Add("job 4 at Thu Nov 26 05:20:00 2026\r\nCan't open /run/atd.pid to signal atd. No atd running?\n")
	f.Add("Warning: at daemon not running\n")
	f.Add("job\tx\tat\njob  at\n\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, stderr string) {
		id, noAtd, rest := parseAtSubmit(stderr)
		if id != "" {
			if strings.ContainsAny(id, " \t\r\n\v\f") || !strings.Contains(stderr, "job") || !strings.Contains(stderr, id) {
				t.Errorf("job number %q not a word of at's report in %q", id, stderr)
			}
		}
		if noAtd != "" && !atdMissing(noAtd) {
			t.Errorf("%q taken for atd's absence", noAtd)
		}
		for line := range strings.Lines(rest) {
			if atShellWarning.MatchString(line) {
				t.Errorf("routine warning passed on: %q", line)
			}
		}
	})
}

// FuzzParseAtq: every job number found is the first word of a line.
func FuzzParseAtq(f *testing.F) {
	f.Add("3\tThu Nov 26 05:40:00 2026 a root\n2\tThu Nov 26 05:30:00 2026 = root\n")
	f.Add("  \n\t7\n")
	f.Fuzz(func(t *testing.T, out string) {
		for id := range parseAtq(out) {
			if id == "" || strings.ContainsAny(id, " \t\r\n\v\f") {
				t.Errorf("job number %q is not a word", id)
			}
			found := false
			for line := range strings.Lines(out) {
				if f := strings.Fields(line); len(f) > 0 && f[0] == id {
					found = true
				}
			}
			if !found {
				t.Errorf("job number %q heads no line of %q", id, out)
			}
		}
	})
}

// FuzzScriptTimeLimit: a job script header yields a positive limit, none,
// or an error naming the line; nothing else.
func FuzzScriptTimeLimit(f *testing.F) {
	f.Add("#!/bin/bash -l\n# Execution time limit: 60.0\n")
	f.Add("# Execution time limit: -1e400\n")
	f.Add("# Execution time limit: 0x10p0\n# Execution time limit: 5\n")
	f.Add("\n\n#\nexport A=1\n# Execution time limit: 1\n")
	f.Fuzz(func(t *testing.T, script string) {
		limit, err := scriptTimeLimit(strings.NewReader(script))
		switch {
		case err != nil:
			if limit != 0 || !strings.HasPrefix(err.Error(), "line ") {
				t.Errorf("error %v with limit %v", err, limit)
			}
		case limit < 0:
			t.Errorf("negative limit %v", limit)
		case limit > 0 && !strings.Contains(script, headerTimeLimit):
			t.Errorf("limit %v from a script without the header line", limit)
		}
		_ = limit.Round(time.Second)
	})
}
