package platform

import (
	"fmt"
	"slices"
	"time"
)

// Cylc7Job is what a Cylc 7 style task (one with no platform setting) says
// about where its job runs. Zero values mean "not set".
type Cylc7Job struct {
	Host        string // [remote]host, any $(command) already evaluated
	BatchSystem string // [job]batch system

	// The other [remote] settings that platforms replaced: a platform that
	// sets them differently does not match.
	RetrieveJobLogs            *bool
	RetrieveJobLogsMaxSize     string
	RetrieveJobLogsRetryDelays []time.Duration
}

// FromCylc7 maps a Cylc 7 task's [remote]host and [job]batch system to a
// platform (Cylc's platform_name_from_job_info). host "" means localhost and
// batchSystem "" means background.
func (c *Config) FromCylc7(host, batchSystem string) (*Platform, error) {
	return c.FromCylc7Job(Cylc7Job{Host: host, BatchSystem: batchSystem})
}

// FromCylc7Job is FromCylc7 with the other deprecated [remote] settings
// taken into account. Platforms are examined from the last defined to the
// first (localhost last); the first that fits gives the name:
//
//   - a local host with the background runner is always localhost;
//   - a platform whose hosts list contains the host and whose job runner is
//     the batch system gives its own name;
//   - a platform whose name matches the host and whose job runner is the
//     batch system gives the host as the platform name.
//
// The name is then looked up as Platform does.
func (c *Config) FromCylc7Job(j Cylc7Job) (*Platform, error) {
	host, runner := j.Host, j.BatchSystem
	if host == "" {
		host = "localhost"
	}
	if runner == "" {
		runner = "background"
	}
	for _, d := range slices.Backward(c.defs) {
		if !d.genericMatch(j) {
			continue
		}
		switch {
		case isLocalHost(host, c.localHost) && runner == "background":
			return c.Platform("localhost")
		case d.explicit["hosts"] && slices.Contains(d.p.Hosts, host) && runner == d.p.JobRunner:
			return c.Platform(d.name)
		case d.plain != nil && d.plain.MatchString(host) && runner == d.p.JobRunner:
			return c.Platform(host)
		}
	}
	return nil, &Error{
		Msg: fmt.Sprintf("No platform found matching your task: host %q with job runner %q", host, runner),
		Hint: fmt.Sprintf("define a platform in global.cylc with hosts = %s and job runner = %s, "+
			"or set [runtime][<task>]platform", host, runner),
		kind: ErrNoPlatform,
	}
}

// genericMatch reports whether the platform agrees with the task's other
// deprecated settings, where both set them.
func (d *platformDef) genericMatch(j Cylc7Job) bool {
	if j.RetrieveJobLogs != nil && d.explicit["retrieve job logs"] && *j.RetrieveJobLogs != d.p.RetrieveJobLogs {
		return false
	}
	if j.RetrieveJobLogsMaxSize != "" && d.explicit["retrieve job logs max size"] &&
		j.RetrieveJobLogsMaxSize != d.p.RetrieveJobLogsMaxSize {
		return false
	}
	if j.RetrieveJobLogsRetryDelays != nil && d.explicit["retrieve job logs retry delays"] &&
		!slices.Equal(j.RetrieveJobLogsRetryDelays, d.p.RetrieveJobLogsRetryDelays) {
		return false
	}
	return true
}
