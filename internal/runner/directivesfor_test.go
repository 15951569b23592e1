package runner

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// DirectivesFor formats what a runner's Directives would, with none of the
// runner's commands on PATH: a remote platform's jobs are written here.
func TestDirectivesFor(t *testing.T) {
	j := Job{
		JobRef:             JobRef{ID: "1/foo/01"},
		ExecutionTimeLimit: 90 * time.Second,
		Directives:         []Directive{{Name: "--nodes", Value: "2"}},
		WorkflowName:       "flow/run1",
	}
	j.Files.Script = "/h/gyre-run/flow/run1/log/job/1/foo/01/job"
	opts := Options{Env: []string{"PATH=/nonexistent", "HOME=/h"}}
	got, err := DirectivesFor(Slurm, opts, j)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"#SBATCH --job-name=foo.1.flow/run1",
		"#SBATCH --output=gyre-run/flow/run1/log/job/1/foo/01/job.out",
		"#SBATCH --error=gyre-run/flow/run1/log/job/1/foo/01/job.err",
		"#SBATCH --time=1:30",
		"#SBATCH --nodes=2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("slurm directives:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got, err := DirectivesFor(Background, opts, j); err != nil || got != nil {
		t.Errorf("background directives %q, %v; want none", got, err)
	}
	if _, err := DirectivesFor("slurmm", opts, j); err == nil || !strings.Contains(err.Error(), `did you mean "slurm"`) {
		t.Errorf("unknown runner: error %v; want one suggesting slurm", err)
	}
}
