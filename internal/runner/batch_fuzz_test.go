package runner

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzBatchSubmitID: whatever a submit command prints, the job ID found
// (if any) is a number that it printed at the place Cylc looks, and one
// that a poll or a kill can put on its command line.
func FuzzBatchSubmitID(f *testing.F) {
	f.Add("Submitted batch job 123\n")
	f.Add("sbatch: warning: x\r\nSubmitted\tbatch job 42 on cluster c\n")
	f.Add("  12345.pbs01.example.com\n")
	f.Add("Job <9> is submitted to queue <normal>.\n")
	f.Add("Job <abc>\n\x1c 7\u2028Submitted batch job \u0663")
	f.Add("")
	f.Fuzz(func(t *testing.T, out string) {
		for _, sys := range []*batchSystem{&slurmSystem, &pbsSystem, &lsfSystem} {
			id := sys.submitID(out)
			if id == "" {
				continue
			}
			if !validJobID(id) || strings.IndexFunc(id, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
				t.Errorf("%s: job ID %q from %q is not a number", sys.name, id, out)
			}
			found := false
			for _, line := range pyLines(out) {
				trimmed := strings.TrimLeftFunc(line, isPySpace)
				switch sys.name {
				case Slurm:
					found = found || strings.HasPrefix(line, "Submitted") && strings.Contains(line, id)
				case PBS:
					found = found || strings.HasPrefix(trimmed, id)
				case LSF:
					found = found || strings.HasPrefix(line, "Job <"+id+">")
				}
			}
			if !found {
				t.Errorf("%s: job ID %q is not where Cylc reads it in %q", sys.name, id, out)
			}
		}
	})
}

// FuzzBatchPollOutput: the jobs a poll command's output lists are words
// of that output (numbers, for Slurm and PBS), and a failing command's
// complaints count as an answer only if every line is one.
func FuzzBatchPollOutput(f *testing.F) {
	f.Add("   1234567 debug foo root R 0:01 1 n\n1234567+1 x\n")
	f.Add("Job id  Name\n------\n12345.foo.bar test Q\n\n  42\n")
	f.Add("JOBID USER STAT\n101 root RUN\n102 root DONE\n103\u00a0root EXIT\n")
	f.Add("Job <12> is not found\nqstat: Unknown Job Id 5.s\nslurm_load_jobs error: Invalid job id specified\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, out string) {
		for _, sys := range []*batchSystem{&slurmSystem, &pbsSystem, &lsfSystem} {
			for id := range sys.listed(out) {
				if id == "" || strings.ContainsFunc(id, isPySpace) || !strings.Contains(out, id) {
					t.Errorf("%s: listed %q, not a word of %q", sys.name, id, out)
				}
				if sys.name != LSF && strings.IndexFunc(id, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
					t.Errorf("%s: listed %q, not a number", sys.name, id)
				}
			}
			if onlyMatches(out, sys.unknownJob) {
				for _, line := range pyLines(out) {
					if strings.TrimSpace(line) != "" && !sys.unknownJob.MatchString(line) {
						t.Errorf("%s: %q taken for a complaint about unknown jobs", sys.name, line)
					}
				}
			}
		}
	})
}

// FuzzPyLines: lines hold no line ends, and together all else.
func FuzzPyLines(f *testing.F) {
	f.Add("a\r\nb\rc\n\nd\v\f\x1c\x1d\x1e\u0085\u2028\u2029e")
	f.Add("\xff\r\xe2\x80")
	isEnd := func(r rune) bool { return strings.ContainsRune("\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029", r) }
	// Invalid bytes read as U+FFFD on both sides.
	same := func(r rune) rune { return r }
	f.Fuzz(func(t *testing.T, s string) {
		lines := pyLines(s)
		for _, l := range lines {
			if strings.ContainsFunc(l, isEnd) {
				t.Errorf("line %q of %q holds a line end", l, s)
			}
		}
		rest := strings.Map(func(r rune) rune {
			if isEnd(r) {
				return -1
			}
			return r
		}, s)
		var got strings.Builder
		for _, l := range lines {
			got.WriteString(strings.Map(same, l)) // a join could make bytes valid
		}
		if got.String() != rest {
			t.Errorf("lines of %q hold %q, want %q", s, got.String(), rest)
		}
	})
}

// FuzzExpandTemplate: any text with its per cent signs doubled comes back
// as it was; a bad template is an error that says where.
func FuzzExpandTemplate(f *testing.F) {
	f.Add("sbatch --account=x '%(job)s'", "/r/job")
	f.Add("bsub -q 100%%", "")
	f.Add("%(job)d %", "%(job)s")
	f.Fuzz(func(t *testing.T, template, path string) {
		got, err := expandTemplate(strings.ReplaceAll(template, "%", "%%"), path)
		if err != nil || got != template {
			t.Errorf("escaped %q came back as %q, %v", template, got, err)
		}
		got, err = expandTemplate(template, path)
		switch {
		case err != nil && (got != "" || !strings.Contains(err.Error(), " at byte ")):
			t.Errorf("expandTemplate(%q): %q, %v", template, got, err)
		case err == nil && !strings.Contains(template, "%") && got != template:
			t.Errorf("expandTemplate(%q) = %q: changed without a %%", template, got)
		}
	})
}
