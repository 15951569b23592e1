package platform

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Selection methods for hosts of a platform and platforms of a group.
const (
	Random          = "random"
	DefinitionOrder = "definition order"
)

// Communication methods: how a job reports back to the scheduler.
const (
	CommsZMQ  = "zmq"  // direct network messages (Gyre: authenticated HTTPS)
	CommsPoll = "poll" // no messages: the scheduler polls job status files
	CommsSSH  = "ssh"  // messages relayed over non-interactive ssh
)

// KeyValue is one [meta] or [directives] entry, kept in definition order.
type KeyValue struct {
	Key, Value string
}

// Platform is one resolved platform: the settings of the last-defined
// [platforms] entry matching the name, on top of Cylc's defaults.
//
// Interval lists are in the units Cylc uses them in (a fixed length of
// time; P1M is 30 days). Settings the workflow can override
// ([runtime][<task>]submission retry delays, ...) are nil here when
// global.cylc does not set them and has no default, so that "unset" stays
// distinguishable from "empty".
type Platform struct {
	Name    string   // the name looked up (not the regular expression)
	Pattern string   // the [platforms] heading that matched ("localhost" for the default)
	Hosts   []string // defaults to [Name] when not set
	Meta    []KeyValue

	JobRunner                string // default "background"
	JobRunnerCommandTemplate string
	CommunicationMethod      string // CommsZMQ (default), CommsPoll or CommsSSH

	SubmissionPollingIntervals         []time.Duration // default [PT15M]
	SubmissionRetryDelays              []time.Duration // nil when unset
	ExecutionPollingIntervals          []time.Duration // default [PT15M]
	ExecutionTimeLimitPollingIntervals []time.Duration // default [PT1M, PT2M, PT7M]

	SSHCommand                     string // default "ssh -oBatchMode=yes -oConnectTimeout=10"
	RsyncCommand                   string // default "rsync"
	UseLoginShell                  bool   // default true
	CylcPath                       string
	GlobalInitScript               string
	CopyableEnvironmentVariables   []string
	SSHForwardEnvironmentVariables []string

	RetrieveJobLogs             bool
	RetrieveJobLogsCommand      string          // default "rsync -a"
	RetrieveJobLogsMaxSize      string          // e.g. "10M"; "" for no limit
	RetrieveJobLogsRetryDelays  []time.Duration // nil when unset
	RetrieveJobLogExpectedFiles []string

	TailCommandTemplate string // default "tail -n +1 --follow=name %(filename)s"
	ErrTailer           string
	OutTailer           string
	ErrViewer           string
	OutViewer           string

	JobNameLengthMaximum int    // 0 when unset (no limit)
	InstallTarget        string // defaults to Name

	CleanJobSubmissionEnvironment       bool
	JobSubmissionEnvironmentPassThrough []string
	JobSubmissionExecutablePaths        []string
	MaxBatchSubmitSize                  int // default 100

	// SelectionMethod picks among Hosts: Random (default) or DefinitionOrder
	// (the default for localhost).
	SelectionMethod string
	Directives      []KeyValue

	Profiler struct {
		Activate        bool
		CgroupsPath     string        // default "/sys/fs/cgroup"
		PollingInterval time.Duration // default PT10S
	}

	// localHost reports whether a host name other than localhost* names
	// this machine; nil means none does.
	localHost func(string) bool
}

// defaultPlatform returns Cylc's defaults for a platform; localhost differs
// in its hosts and host selection method.
func defaultPlatform(localhost bool) *Platform {
	p := &Platform{
		JobRunner:                          "background",
		CommunicationMethod:                CommsZMQ,
		SubmissionPollingIntervals:         []time.Duration{15 * time.Minute},
		ExecutionPollingIntervals:          []time.Duration{15 * time.Minute},
		ExecutionTimeLimitPollingIntervals: []time.Duration{time.Minute, 2 * time.Minute, 7 * time.Minute},
		SSHCommand:                         "ssh -oBatchMode=yes -oConnectTimeout=10",
		RsyncCommand:                       "rsync",
		UseLoginShell:                      true,
		RetrieveJobLogsCommand:             "rsync -a",
		TailCommandTemplate:                "tail -n +1 --follow=name %(filename)s",
		MaxBatchSubmitSize:                 100,
		SelectionMethod:                    Random,
	}
	p.Profiler.CgroupsPath = "/sys/fs/cgroup"
	p.Profiler.PollingInterval = 10 * time.Second
	if localhost {
		p.Hosts = []string{"localhost"}
		p.SelectionMethod = DefinitionOrder
	}
	return p
}

// clone is a deep copy, so that one lookup's result cannot leak into the
// next (Cylc deep-copies for the same reason).
func (p *Platform) clone() *Platform {
	c := *p
	c.Hosts = slices.Clone(p.Hosts)
	c.Meta = slices.Clone(p.Meta)
	c.SubmissionPollingIntervals = slices.Clone(p.SubmissionPollingIntervals)
	c.SubmissionRetryDelays = slices.Clone(p.SubmissionRetryDelays)
	c.ExecutionPollingIntervals = slices.Clone(p.ExecutionPollingIntervals)
	c.ExecutionTimeLimitPollingIntervals = slices.Clone(p.ExecutionTimeLimitPollingIntervals)
	c.CopyableEnvironmentVariables = slices.Clone(p.CopyableEnvironmentVariables)
	c.SSHForwardEnvironmentVariables = slices.Clone(p.SSHForwardEnvironmentVariables)
	c.RetrieveJobLogsRetryDelays = slices.Clone(p.RetrieveJobLogsRetryDelays)
	c.RetrieveJobLogExpectedFiles = slices.Clone(p.RetrieveJobLogExpectedFiles)
	c.JobSubmissionEnvironmentPassThrough = slices.Clone(p.JobSubmissionEnvironmentPassThrough)
	c.JobSubmissionExecutablePaths = slices.Clone(p.JobSubmissionExecutablePaths)
	c.Directives = slices.Clone(p.Directives)
	return &c
}

// isLocalHost is Cylc's is_remote_host negated, without the DNS lookup:
// an empty name, any name starting "localhost" (localhost4.localdomain4),
// or a name the caller says is this machine.
func isLocalHost(host string, local func(string) bool) bool {
	return host == "" || strings.HasPrefix(host, "localhost") || (local != nil && local(host))
}

// IsLocal reports whether the platform's jobs run on this machine: none of
// its hosts is remote (Cylc's is_remote_platform).
func (p *Platform) IsLocal() bool {
	for _, h := range p.Hosts {
		if !isLocalHost(h, p.localHost) {
			return false
		}
	}
	return true
}

// SelectHost picks the host to use for a job, skipping hosts known to be
// unreachable (bad). With DefinitionOrder it is the first good host; with
// Random, rnd(n) picks one of the n good hosts (nil means math/rand/v2's
// IntN, so callers that need determinism pass their own). When every host
// is bad the error wraps ErrNoHosts, and the scheduler should wait for the
// bad-host set to be reset rather than fail the workflow.
func (p *Platform) SelectHost(bad map[string]bool, rnd func(n int) int) (string, error) {
	var good []string
	for _, h := range p.Hosts {
		if !bad[h] {
			good = append(good, h)
		}
	}
	if len(good) == 0 {
		return "", &Error{
			Msg:  "Unable to find contactable host for platform: " + p.Name,
			Hint: fmt.Sprintf("all of its hosts were unreachable: %s", strings.Join(p.Hosts, ", ")),
			kind: ErrNoHosts,
		}
	}
	switch p.SelectionMethod {
	case DefinitionOrder:
		return good[0], nil
	case Random, "":
		return good[pick(rnd, len(good))], nil
	}
	return "", &Error{
		Msg:  fmt.Sprintf("method %q is not a supported host selection method", p.SelectionMethod),
		Hint: "use " + Random + " or " + DefinitionOrder,
	}
}

// pick returns rnd(n), bounded to [0, n) so that a careless rnd cannot make
// an index out of range.
func pick(rnd func(int) int, n int) int {
	if rnd == nil {
		rnd = rand.IntN
	}
	i := rnd(n)
	if i < 0 || i >= n {
		i = ((i % n) + n) % n
	}
	return i
}
