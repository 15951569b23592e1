package platform

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func boolp(b bool) *bool { return &b }

func TestFromCylc7(t *testing.T) {
	// Expected names from Cylc's platform_name_from_job_info on
	// sitePlatforms (see lookup_test.go), then looked up by name.
	c := mustParse(t, sitePlatforms, Options{})
	for _, tc := range []struct {
		job  Cylc7Job
		want string // "name (pattern)", or the error's first line
	}{
		{Cylc7Job{Host: "desktop42"}, `desktop42 (desktop\d\d)`},
		{Cylc7Job{}, "localhost (localhost)"},
		{Cylc7Job{BatchSystem: "background"}, "localhost (localhost)"},
		{Cylc7Job{Host: "localhost", BatchSystem: "background"}, "localhost (localhost)"},
		// Cylc names the platform by its heading: a regular expression
		// here, which then matches itself.
		{Cylc7Job{BatchSystem: "slurm"}, "nu.* (nu.*)"},
		// hpc-logs is the last defined with hpc1 and pbs; the name then
		// resolves through the later hpc.* definition, as in Cylc.
		{Cylc7Job{Host: "hpc1", BatchSystem: "pbs"}, "hpc-logs (hpc.*)"},
		{Cylc7Job{Host: "hpc1", BatchSystem: "pbs", RetrieveJobLogs: boolp(false)}, "hpc-no-logs (hpc.*)"},
		{Cylc7Job{Host: "hpc1", BatchSystem: "background"}, "hpc1-bg (hpc.*)"},
		{Cylc7Job{Host: "hpc2"}, "hpc2-bg (hpc.*)"},
		{Cylc7Job{Host: "hpcz", BatchSystem: "slurm"}, "hpcz (hpc.*)"},
		{Cylc7Job{Host: "hpcx", BatchSystem: "slurm"}, "hpc.* (hpc.*)"},
		{Cylc7Job{Host: "vld12", BatchSystem: "background"}, `vld12 (vld\d{2,3})`},
		{Cylc7Job{Host: "nutmeg", BatchSystem: "slurm"}, "nutmeg (nu.*)"},
		{Cylc7Job{Host: "localhost", RetrieveJobLogs: boolp(true)}, "localhost (localhost)"},
		{Cylc7Job{Host: "desktop01", BatchSystem: "slurm"},
			`No platform found matching your task: host "desktop01" with job runner "slurm"`},
		{Cylc7Job{BatchSystem: "pbs"},
			`No platform found matching your task: host "localhost" with job runner "pbs"`},
	} {
		p, err := c.FromCylc7Job(tc.job)
		got := ""
		if err != nil {
			got = strings.SplitN(err.Error(), "\n", 2)[0]
		} else {
			got = p.Name + " (" + p.Pattern + ")"
		}
		if got != tc.want {
			t.Errorf("FromCylc7Job(%+v) = %q, want %q", tc.job, got, tc.want)
		}
	}
	if _, err := c.FromCylc7("desktop01", "slurm"); !errors.Is(err, ErrNoPlatform) {
		t.Errorf("FromCylc7 error %v does not wrap ErrNoPlatform", err)
	}
}

func TestFromCylc7Cases(t *testing.T) {
	// More cases from Cylc's tests/unit/test_platforms.py.
	twoSpices := mustParse(t, `
[platforms]
    [[sugar]]
        hosts = sugar, localhost
        job runner = slurm
    [[pepper]]
        job runner = slurm
        hosts = pepper
`, Options{})
	similar := mustParse(t, `
[platforms]
    [[my-platform-with-bash]]
        hosts = desktop01
        retrieve job logs retry delays = PT1M
    [[my-platform-with-fish-not-this-one]]
        hosts = desktop01
        retrieve job logs retry delays = PT2M
    [[my-platform-with-fish]]
        hosts = desktop01
        retrieve job logs retry delays = PT2M
`, Options{})
	for _, tc := range []struct {
		c          *Config
		host, bs   string
		delays     []time.Duration
		want       string
		localNames []string
	}{
		{c: twoSpices, host: "sugar", bs: "slurm", want: "sugar"},
		{c: twoSpices, bs: "slurm", want: "sugar"},
		{c: twoSpices, host: "pepper", bs: "slurm", want: "pepper"},
		{c: similar, host: "desktop01", delays: []time.Duration{2 * time.Minute}, want: "my-platform-with-fish"},
		{c: similar, host: "desktop01", delays: []time.Duration{time.Minute}, want: "my-platform-with-bash"},
		{c: similar, host: "desktop01", want: "my-platform-with-fish"},
	} {
		p, err := tc.c.FromCylc7Job(Cylc7Job{Host: tc.host, BatchSystem: tc.bs, RetrieveJobLogsRetryDelays: tc.delays})
		if err != nil || p.Name != tc.want {
			t.Errorf("FromCylc7Job(%q, %q, %v) = %v, %v; want %s", tc.host, tc.bs, tc.delays, p, err, tc.want)
		}
	}
}

func TestFromCylc7ThisHost(t *testing.T) {
	// A host that is this machine counts as local: with the background
	// runner the job runs on localhost without any platform named for it.
	c := mustParse(t, "[platforms]\n[[far]]\nhosts = far\n", Options{LocalHost: func(h string) bool { return h == "me.example.org" }})
	for host, want := range map[string]string{"me.example.org": "localhost", "far": "far", "localhost6": "localhost"} {
		p, err := c.FromCylc7(host, "")
		if err != nil || p.Name != want {
			t.Errorf("FromCylc7(%q) = %v, %v; want %s", host, p, err, want)
		}
	}
	if _, err := c.FromCylc7("elsewhere", ""); err == nil {
		t.Error("FromCylc7(elsewhere) found a platform")
	}
}
