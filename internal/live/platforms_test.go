package live

import (
	"strings"
	"testing"
)

// A job is polled and killed through the runner of the platform it went
// to; one whose platform has since gone from the global configuration is
// not asked on this host instead, and one with no record of a platform
// (a run from before Gyre recorded it) was local.
func TestRunnerForJob(t *testing.T) {
	r, err := New(Options{WorkflowID: "flow/run1", RunDir: t.TempDir(), Platforms: testPlatforms(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.runners.close()
	for _, c := range []struct {
		platform, runner string
		want             string // the runner's name, or a part of the error
	}{
		{"", "", "background"},
		{"localhost", "background", "background"},
		{"gone", "pbs", `the job went to platform gone: No matching platform "gone" found`},
		{"far", "slurm", "went to platform far through slurm, which now uses pbs"},
	} {
		rn, err := r.runners.forJob(r.opts.Platforms, c.platform, c.runner)
		switch {
		case err != nil && !strings.Contains(err.Error(), c.want):
			t.Errorf("forJob(%q, %q): %v; want %s", c.platform, c.runner, err, c.want)
		case err == nil && rn.Name() != c.want:
			t.Errorf("forJob(%q, %q) = runner %s; want %s", c.platform, c.runner, rn.Name(), c.want)
		}
	}
}
