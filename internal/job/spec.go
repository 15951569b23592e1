// Package job makes Gyre's jobs look, from the inside, exactly like Cylc 8
// jobs: the bash job script (header, directives, CYLC_* environment, the user's
// scripting in Cylc's order, error and signal traps, started/succeeded/failed
// messages), the job log layout under the run directory, and the job.status
// file that jobs, runners and pollers share.
//
// Existing task scripts rely on these details — variable names, the order in
// which environment and scripting run, which signal produces which failure
// message — so they follow Cylc 8.7 rather than anything Gyre might prefer.
// The package writes files but never starts a process: runners do that.
package job

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"gyre/internal/suggest"
)

// EnvVar is one NAME=VALUE pair. Environments are slices rather than maps
// because their order is part of their meaning: a value may refer to the
// variables defined before it.
type EnvVar struct {
	Name, Value string
}

// Communication methods, with Cylc's names because they are the values of the
// platform setting "communication method" and of $CYLC_TASK_COMMS_METHOD that
// task scripts test. Gyre's network transport is HTTPS, not ZeroMQ, but it
// plays the role Cylc's "zmq" plays, so it keeps the name.
const (
	CommsZMQ  = "zmq"  // messages go straight to the scheduler (Gyre: HTTPS)
	CommsPoll = "poll" // jobs only write job.status; the scheduler polls
	CommsSSH  = "ssh"  // messages are relayed over ssh
)

// defaultFailSignals are the signals a job traps as failures unless its runner
// says otherwise (Cylc's job runner default). EXIT and ERR are bash
// pseudo-signals: an unexpected exit and a failed command.
var defaultFailSignals = []string{"EXIT", "ERR", "TERM", "XCPU"}

// cylcVersion is what $CYLC_VERSION reports when the spec does not say:
// the Cylc release whose behaviour Gyre follows.
const cylcVersion = "8.7.0"

// Contact tells the job-side messaging client how to reach the scheduler. It
// is exported into the job environment; a zero Contact exports nothing and the
// client falls back to the run directory's .service/contact file, as Cylc's
// does. It never carries the secret itself, because job scripts are logs that
// users read and copy.
type Contact struct {
	URL         string // GYRE_SCHEDULER_URL, e.g. https://host:port
	Fingerprint string // GYRE_SCHEDULER_FINGERPRINT: the pinned TLS certificate
	TokenFile   string // GYRE_TOKEN_FILE: file holding the job's credentials
}

// Spec is everything one job script needs. The scheduler fills it from the
// task's runtime configuration (with broadcasts applied), its platform and the
// workflow; Write turns it into bash.
type Spec struct {
	// Workflow.
	WorkflowID   string // CYLC_WORKFLOW_ID, e.g. "flow/run1"
	WorkflowName string // CYLC_WORKFLOW_NAME: the ID without the run name
	WorkflowUUID string // CYLC_WORKFLOW_UUID
	// RunDir is the run directory as seen from the job host. It may start with
	// "$HOME/" or "~/" for hosts where home differs; empty means Cylc's
	// default, $HOME/cylc-run/<WorkflowID>.
	RunDir            string
	CyclingMode       string // "integer", "gregorian" (default), "360day", "365day", "366day"
	InitialCyclePoint string
	FinalCyclePoint   string // empty: no final point (Cylc writes "None")
	UTC               bool   // UTC mode: CYLC_UTC=True and TZ=UTC
	Verbose, Debug    bool   // CYLC_VERBOSE, CYLC_DEBUG (debug also traces the job)
	CylcVersion       string // CYLC_VERSION; empty means the version Gyre follows

	// Task and job.
	TaskName           string
	CyclePoint         string
	SubmitNum          int   // 1, 2, ...: the NN of the job log directory
	TryNum             int   // CYLC_TASK_TRY_NUMBER; 0 means 1
	FlowNums           []int // CYLC_TASK_FLOW_NUMBERS
	NamespaceHierarchy []string
	// Params are the task's parameter values, in parameter order; each becomes
	// CYLC_TASK_PARAM_<name> and can be used in environment values through
	// Python-style templates such as "%(member)03d".
	Params []EnvVar

	// Platform and runner.
	RunnerName            string // "# Job runner:" header (e.g. background, slurm)
	RunnerCommandTemplate string // "# Job runner command template:" header
	ExecutionTimeLimit    time.Duration
	// Directives returns the runner's header lines (e.g. "#SBATCH --time=1:00"),
	// written under "# DIRECTIVES:" before the script re-invokes itself, where
	// batch systems look for them. Nil or empty: no directives section.
	Directives      func() []string
	FailSignals     []string // nil: EXIT ERR TERM XCPU (a runner may trap more)
	VacationSignals []string // signals that mean "requeued", e.g. USR1
	CommsMethod     string   // CommsZMQ (default), CommsPoll or CommsSSH
	// CopyableEnv holds the platform's "copyable environment variables" with
	// the values the scheduler had, exported at the top of the job.
	CopyableEnv      []EnvVar
	GlobalInitScript string // the platform's "global init-script"

	// Gyre on the job host.
	GyreBin string  // path of the gyre binary: $GYRE_BIN
	ShimDir string  // directory holding the "cylc" shim; put first on PATH
	Contact Contact // how "gyre message" reaches the scheduler

	// The task's runtime scripting, each run as Cylc runs it.
	InitScript, EnvScript, ErrScript, PreScript, Script, PostScript, ExitScript string
	WorkSubDir                                                                  string   // "work sub-directory"; may use $CYLC_* variables
	Environment                                                                 []EnvVar // [environment], in order; values are shell words
}

// JobID returns the job's ID relative to the workflow, "<point>/<task>/<NN>":
// the value of $CYLC_TASK_JOB and the job's directory under log/job.
func (s *Spec) JobID() string {
	return RelativeJobID(s.CyclePoint, s.TaskName, s.SubmitNum)
}

// RelativeJobID formats "<point>/<task>/<NN>" with Cylc's zero-padded submit
// number (at least two digits).
func RelativeJobID(point, task string, submitNum int) string {
	return fmt.Sprintf("%s/%s/%02d", point, task, submitNum)
}

var (
	shellName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	signalName = regexp.MustCompile(`^[A-Z][A-Z0-9+-]*$`)
)

var cyclingModes = []string{"integer", "gregorian", "360day", "365day", "366day"}

// validate checks what would otherwise produce a broken or unsafe script. The
// user's scripting and environment values are shell code by design and are
// not checked; identifiers that are pasted into comments or names are.
func (s *Spec) validate() error {
	if s.TaskName == "" || s.CyclePoint == "" {
		return fmt.Errorf("job: task name (%q) and cycle point (%q) are both required", s.TaskName, s.CyclePoint)
	}
	for _, f := range []struct{ what, v string }{
		{"task name", s.TaskName}, {"cycle point", s.CyclePoint},
	} {
		if strings.ContainsAny(f.v, "/ \t\r\n\x00'\"$`\\") {
			return fmt.Errorf("job: %s %q: must not contain '/', blanks, quotes, '$' or '\\'", f.what, f.v)
		}
	}
	if s.WorkflowID == "" {
		return fmt.Errorf("job: %s: workflow ID is required", s.JobID())
	}
	if s.SubmitNum < 1 {
		return fmt.Errorf("job: %s/%s: submit number %d: must be 1 or more", s.CyclePoint, s.TaskName, s.SubmitNum)
	}
	if s.TryNum < 0 {
		return fmt.Errorf("job: %s: try number %d: must be 1 or more", s.JobID(), s.TryNum)
	}
	for _, f := range []struct{ what, v string }{
		{"workflow ID", s.WorkflowID}, {"workflow name", s.WorkflowName},
		{"workflow UUID", s.WorkflowUUID}, {"run directory", s.RunDir},
		{"initial cycle point", s.InitialCyclePoint}, {"final cycle point", s.FinalCyclePoint},
		{"job runner", s.RunnerName}, {"job runner command template", s.RunnerCommandTemplate},
		{"Cylc version", s.CylcVersion}, {"gyre binary", s.GyreBin}, {"shim directory", s.ShimDir},
		{"scheduler URL", s.Contact.URL}, {"scheduler fingerprint", s.Contact.Fingerprint},
		{"token file", s.Contact.TokenFile}, {"work sub-directory", s.WorkSubDir},
	} {
		if strings.ContainsAny(f.v, "\n\r\x00") {
			return fmt.Errorf("job: %s: %s %q must be a single line", s.JobID(), f.what, f.v)
		}
	}
	if m := s.CyclingMode; m != "" && !contains(cyclingModes, m) {
		return fmt.Errorf("job: %s: cycling mode %q is not one of %s%s",
			s.JobID(), m, strings.Join(cyclingModes, ", "), didYouMean(m, cyclingModes))
	}
	comms := []string{CommsZMQ, CommsPoll, CommsSSH}
	if m := s.CommsMethod; m != "" && !contains(comms, m) {
		return fmt.Errorf("job: %s: communication method %q is not one of %s%s",
			s.JobID(), m, strings.Join(comms, ", "), didYouMean(m, comms))
	}
	for _, sig := range append(append([]string(nil), s.FailSignals...), s.VacationSignals...) {
		if !signalName.MatchString(sig) {
			return fmt.Errorf("job: %s: signal %q: want a name such as TERM or USR1", s.JobID(), sig)
		}
	}
	for _, set := range []struct {
		what string
		vars []EnvVar
	}{
		{"environment variable", s.Environment},
		{"task parameter", s.Params},
		{"copyable environment variable", s.CopyableEnv},
	} {
		for _, v := range set.vars {
			if !shellName.MatchString(v.Name) {
				return fmt.Errorf("job: %s: %s %q: not a valid shell variable name (letters, digits and '_', not starting with a digit)",
					s.JobID(), set.what, v.Name)
			}
		}
	}
	for _, v := range s.Params {
		if strings.ContainsAny(v.Value, "\n\"$`\\") {
			return fmt.Errorf("job: %s: task parameter %s=%q: value must not contain newlines, quotes, '$' or '\\'",
				s.JobID(), v.Name, v.Value)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// didYouMean returns a hint naming the candidate closest to s, or "" when
// none is close enough to be a plausible misspelling.
func didYouMean(s string, candidates []string) string {
	return suggest.Hint(strings.ToLower(s), candidates)
}
