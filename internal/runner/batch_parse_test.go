package runner

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// The job IDs Cylc 8.7's handlers read from these submit outputs (worked
// out by running its code on them).
func TestBatchSubmitID(t *testing.T) {
	for _, c := range []struct {
		runner, out, id string
	}{
		{Slurm, "Submitted batch job 123\n", "123"},
		{Slurm, "sbatch: warning: x\nSubmitted batch job 42 on cluster c\n", "42"},
		{Slurm, " Submitted batch job 1\n", ""},
		{Slurm, "Submitted batch job abc\n", ""},
		{Slurm, "Submitted\tbatch\tjob\t7", "7"},
		{Slurm, "junk\r\nSubmitted batch job 9\r\n", "9"},
		{Slurm, "", ""},
		{Slurm, "Submitted batch job \u0663\u0664\n", "\u0663\u0664"}, // Python's \d
		{Slurm, "x\x1cSubmitted batch job 5", "5"},                    // Python's line ends
		{PBS, "12345.pbs01\n", "12345"},
		{PBS, "   12345.foo.bar.baz", "12345"},
		{PBS, "12345", "12345"},
		{PBS, "qsub: warning\n 678.server\n", "678"},
		{PBS, "abc.456\n", ""},
		{PBS, "\n\n99\n", "99"},
		{PBS, "", ""},
		{PBS, "\v 77.x", "77"},
		{LSF, "Job <123> is submitted to default queue <normal>.\n", "123"},
		{LSF, "Warning: x\nJob <9> is submitted to queue <q>.\n", "9"},
		{LSF, " Job <1> is submitted", ""},
		{LSF, "Job <abc> is submitted", ""},
		{LSF, "", ""},
		{LSF, "Job <44>", "44"},
	} {
		if got := batchSystemOf(c.runner).submitID(c.out); got != c.id {
			t.Errorf("%s: job ID from %q = %q, want %q", c.runner, c.out, got, c.id)
		}
	}
}

// The IDs Cylc 8.7 takes for listed in these poll outputs, but for LSF's
// finished jobs (see lsfSystem).
func TestBatchPollListed(t *testing.T) {
	pbsTable := `
Job id            Name             User              Time Use S Queue
----------------  ---------------- ----------------  -------- - -----
12345.foo.bar.baz test-pbs         xxxxxxx                  0 Q reomq
23456.foo         test-pbs         xxxxxxx                  0 Q romeq
34567             test-pbs         xxxxxxx                  1 Q romeq
abc.456           test-pbs         xxxxxxx                  2 Q romeq
abcdef            test-pbs         xxxxxxx                  2 Q romeq
    `
	lsfTable := `JOBID   USER    STAT  QUEUE      FROM_HOST   EXEC_HOST   JOB_NAME   SUBMIT_TIME
101     root    RUN   normal     h           h           foo        Nov 26 10:00
102     root    PEND  normal     h                       foo        Nov 26 10:00
                                             2*h
105     root    USUSP normal     h           h           foo        Nov 26 10:00
`
	for _, c := range []struct {
		runner, out string
		ids         []string
	}{
		{Slurm, "1234567  JOB PROPERTIES\n709394   JOB PROPERTIES\n", []string{"1234567", "709394"}},
		{Slurm, "HEADING\n1234567+0 JOB\n1234567+1 JOB\n  709394    JOB\n", []string{"1234567", "709394"}},
		{Slurm, "  12_3 x\n\t99 x\nabc\n", []string{"12"}},
		{Slurm, "", []string{}},
		{PBS, pbsTable, []string{"12345", "23456", "34567"}},
		{PBS, "\n\n   42.x\n", []string{"42"}},
		{LSF, lsfTable, []string{"101", "102", "105", "2*h", "JOBID"}},
		// Cylc: 103 and 104 listed, so still there for LSF's clean period.
		{LSF, "  103 root DONE\n104 root EXIT q\n106 root\n", []string{"106"}},
	} {
		got := slices.Sorted(maps.Keys(batchSystemOf(c.runner).listed(c.out)))
		if !slices.Equal(got, c.ids) {
			t.Errorf("%s: listed in %q = %q, want %q", c.runner, c.out, got, c.ids)
		}
	}
}

// What a failing poll command may say for the poll still to count.
func TestBatchUnknownJob(t *testing.T) {
	for _, c := range []struct {
		runner, stderr string
		answered       bool
	}{
		{Slurm, "slurm_load_jobs error: Invalid job id specified\n", true},
		{Slurm, "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", false},
		{Slurm, "", false},
		{PBS, "qstat: Unknown Job Id 12.server\nqstat: 13.server Job has finished, use -x or -H to obtain historical job information\n", true},
		{PBS, "qstat: Unknown Job Id 12.server\nConnection refused\nqstat: cannot connect to server pbs01 (errno=111)\n", false},
		{PBS, "\n\n", false},
		{LSF, "Job <12> is not found\n\nJob <13> is not found\n", true},
		{LSF, "LSF is down. Please wait...\nJob <12> is not found\n", false},
	} {
		if got := onlyMatches(c.stderr, batchSystemOf(c.runner).unknownJob); got != c.answered {
			t.Errorf("%s: poll command failing with %q answered = %t, want %t", c.runner, c.stderr, got, c.answered)
		}
	}
}

func TestExpandTemplate(t *testing.T) {
	for _, c := range []struct{ template, want, err string }{
		{"sbatch --account=x '%(job)s'", "sbatch --account=x '/r/job'", ""},
		{"bsub -q night", "bsub -q night", ""},
		{"qsub %(job)s %(job)s 100%%", "qsub /r/job /r/job 100%", ""},
		{"%%(job)s", "%(job)s", ""},
		{"", "", ""},
		{"sbatch %s", "", `"%s" at byte 7`},
		{"sbatch %(file)s", "", `"%(file)s" at byte 7`},
		{"sbatch %(job)r", "", `"%(job)r" at byte 7`},
		{"sbatch 100%", "", `"%" at byte 10`},
	} {
		got, err := expandTemplate(c.template, "/r/job")
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "%(job)s")):
			t.Errorf("expandTemplate(%q): %v, want an error with %s and a hint", c.template, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("expandTemplate(%q) = %q, %v; want %q", c.template, got, err, c.want)
		}
	}
}

func TestPyLines(t *testing.T) {
	for in, want := range map[string][]string{
		"":                   nil,
		"a":                  {"a"},
		"a\n":                {"a"},
		"a\r\nb\rc\n\nd":     {"a", "b", "c", "", "d"},
		"a\vb\fc\x1cd\u2028": {"a", "b", "c", "d"},
		"\u0085\x1f":         {"", "\x1f"},
		"\xff\n":             {"\xff"},
	} {
		if got := pyLines(in); !slices.Equal(got, want) {
			t.Errorf("pyLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidJobID(t *testing.T) {
	for id, want := range map[string]bool{
		"123": true, "123.server": true, "4_5": true,
		"": false, "-1": false, "1,2": false, "1 2": false, "1\n": false, "1\u00a0": false,
	} {
		if got := validJobID(id); got != want {
			t.Errorf("validJobID(%q) = %t, want %t", id, got, want)
		}
	}
}

func TestFailSignals(t *testing.T) {
	for runner, want := range map[string][]string{
		Slurm: nil, PBS: nil, Background: nil, At: nil,
		LSF: {"EXIT", "ERR", "XCPU", "TERM", "INT", "SIGUSR2"},
	} {
		if got := FailSignals(runner); !slices.Equal(got, want) || (want == nil) != (got == nil) {
			t.Errorf("FailSignals(%q) = %q, want %q", runner, got, want)
		}
	}
}

func batchSystemOf(name string) *batchSystem {
	return map[string]*batchSystem{Slurm: &slurmSystem, PBS: &pbsSystem, LSF: &lsfSystem}[name]
}
