package job

import (
	"strings"
	"testing"
)

// FuzzWrite feeds arbitrary identifiers and values to Write: it must either
// refuse them with a job error or produce a script whose header is all
// comments (nothing can break out of a comment line) and whose identifiers
// are inert shell words.
func FuzzWrite(f *testing.F) {
	f.Add("flow/run1", "foo", "20200101T0000Z", "X", "$A-2", "~/a b", "7", "gregorian", "slurm")
	f.Add("a\nb", "t", "1", "1X", "v", "w", "p", "integer", "")
	f.Add("w", "t\x00", "1/2", "_", `"; rm -rf /; "`, "%(m)03d", "x\"y", "365days", "bg\nrm")
	f.Fuzz(func(t *testing.T, workflow, task, point, name, value, value2, param, mode, runner string) {
		s := baseSpec()
		s.WorkflowID, s.TaskName, s.CyclePoint, s.CyclingMode, s.RunnerName = workflow, task, point, mode, runner
		s.Environment = []EnvVar{{name, value}, {"Y", value2}}
		s.Params = []EnvVar{{"m", param}}
		b, err := Write(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "job: ") {
				t.Errorf("error without context: %v", err)
			}
			return
		}
		script := string(b)
		head, _, ok := strings.Cut(script, "\nif [[ $1 == 'noreinvoke' ]]")
		if !ok {
			t.Fatal("no re-invocation after the header")
		}
		for line := range strings.Lines(head) {
			if line = strings.TrimSuffix(line, "\n"); line != "" && !strings.HasPrefix(line, "#") {
				t.Errorf("header line %q is not a comment", line)
			}
		}
		if !strings.Contains(script, "\nexport CYLC_WORKFLOW_ID="+doubleQuote(workflow)+"\n") {
			t.Errorf("workflow ID %q not written as one inert word", workflow)
		}
		if !strings.Contains(script, "\n#EOF: "+s.JobID()+"\n") {
			t.Error("no #EOF line")
		}
	})
}

// FuzzInterpolateParams checks the template filler never panics and leaves
// values without a template alone.
func FuzzInterpolateParams(f *testing.F) {
	for _, seed := range []string{"foo%(i)03d", "%(m)s_%(i)d", "%%(i)d", "%(as", "100%", "%(i)-+ 0#5.3x", "plain"} {
		f.Add(seed, "3")
	}
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		got := interpolateParams(tmpl, []EnvVar{{"i", value}, {"m", "ens"}})
		if !strings.Contains(tmpl, "%(") && got != tmpl {
			t.Errorf("interpolateParams(%q) = %q: changed a value without a template", tmpl, got)
		}
		_ = envValue(tmpl, nil)
	})
}
