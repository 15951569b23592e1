package remote

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gyre/internal/suggest"
)

// The remote commands, run on a job host as "gyre VERB [FLAGS] -- RUN_DIR
// JOB_ID...". jobs-watch is started by jobs-submit itself, detached, to
// time the execution limits of background jobs once jobs-submit has gone.
const (
	VerbSubmit = "jobs-submit"
	VerbPoll   = "jobs-poll"
	VerbKill   = "jobs-kill"
	VerbWatch  = "jobs-watch"
)

// Verbs are the remote commands, for the CLI to register.
var Verbs = []string{VerbSubmit, VerbPoll, VerbKill, VerbWatch}

// request is one remote command: what the local side puts on the command
// line and the remote side reads back.
type request struct {
	verb            string
	runner          string // --runner: the job runner's name
	commandTemplate string // --command-template: the platform's
	jobNameMax      int    // --job-name-length-maximum (0: the runner's default)
	utc             bool   // --utc: job.status times in UTC
	killGrace       time.Duration
	// timeLimits are the jobs' execution time limits (--time-limit=ID=SECONDS).
	timeLimits map[string]time.Duration
	// env are the jobs' additions to the environment (--env=ID=NAME=VALUE).
	env    map[string][]string
	runDir string // may start with $HOME/, expanded remotely
	ids    []string
}

// args renders the request as the remote command's arguments (unquoted).
func (q request) args() []string {
	a := []string{"--runner=" + q.runner}
	if q.commandTemplate != "" {
		a = append(a, "--command-template="+q.commandTemplate)
	}
	if q.jobNameMax != 0 {
		a = append(a, "--job-name-length-maximum="+strconv.Itoa(q.jobNameMax))
	}
	if q.utc {
		a = append(a, "--utc")
	}
	if q.killGrace > 0 {
		a = append(a, "--kill-grace="+seconds(q.killGrace))
	}
	for _, id := range q.ids {
		if d := q.timeLimits[id]; d > 0 {
			a = append(a, "--time-limit="+id+"="+seconds(d))
		}
	}
	for _, id := range q.ids {
		for _, kv := range q.env[id] {
			a = append(a, "--env="+id+"="+kv)
		}
	}
	return append(append(a, "--", q.runDir), q.ids...)
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// errHelp asks for the usage text.
var errHelp = errors.New("help requested")

// usage is the remote commands' help: they are for gyre to run over ssh,
// not for people, but say what they take.
const usage = `usage: gyre jobs-submit|jobs-poll|jobs-kill|jobs-watch --runner=NAME [flags] -- RUN_DIR JOB_ID...

Run by the scheduler over ssh on a job host: submit, poll or kill jobs of
the run directory RUN_DIR ("$HOME/..." is expanded here) with the named job
runner, and print one JSON object per job.

flags:
  --runner=NAME                   job runner (background, at, slurm, pbs, lsf)
  --command-template=TEMPLATE     the platform's job runner command template
  --job-name-length-maximum=N     the platform's job name length maximum
  --utc                           write job.status times in UTC
  --kill-grace=SECONDS            time a killed job has before SIGKILL
  --time-limit=JOB_ID=SECONDS     a job's execution time limit (repeatable)
  --env=JOB_ID=NAME=VALUE         add to a job's environment (repeatable)
`

var flagNames = []string{"--runner", "--command-template", "--job-name-length-maximum", "--utc", "--kill-grace", "--time-limit", "--env"}

// parseRequest reads a remote command's arguments. Flags take "--flag=value"
// or "--flag value"; "--" ends them (it may be left out before RUN_DIR).
func parseRequest(verb string, args []string) (request, error) {
	q := request{verb: verb, timeLimits: map[string]time.Duration{}, env: map[string][]string{}}
	if !slices.Contains(Verbs, verb) {
		return q, fmt.Errorf("unknown remote command %q%s", verb, suggest.Hint(verb, Verbs))
	}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if a == "-h" || a == "--help" {
			return q, errHelp
		}
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, value, hasValue := strings.Cut(a, "=")
		if !slices.Contains(flagNames, name) {
			return q, fmt.Errorf("%s: unknown flag %q%s", verb, name, suggest.Hint(name, flagNames))
		}
		if name == "--utc" {
			if hasValue {
				return q, fmt.Errorf("%s: --utc takes no value", verb)
			}
			q.utc = true
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return q, fmt.Errorf("%s: flag %s needs a value", verb, name)
			}
			i++
			value = args[i]
		}
		if err := q.set(name, value); err != nil {
			return q, fmt.Errorf("%s: %s=%q: %w", verb, name, value, err)
		}
	}
	if q.runner == "" {
		return q, fmt.Errorf("%s: --runner is required\n%s", verb, usage)
	}
	if i == len(args) {
		return q, fmt.Errorf("%s: the run directory is missing\n%s", verb, usage)
	}
	q.runDir, q.ids = args[i], args[i+1:]
	if q.runDir == "" {
		return q, fmt.Errorf("%s: the run directory is empty", verb)
	}
	return q, nil
}

// set applies one flag with a value.
func (q *request) set(name, value string) error {
	switch name {
	case "--runner":
		q.runner = value
	case "--command-template":
		q.commandTemplate = value
	case "--job-name-length-maximum":
		n, err := strconv.Atoi(value)
		if err != nil {
			return errors.New("want a whole number")
		}
		q.jobNameMax = n
	case "--kill-grace":
		d, err := parseSeconds(value)
		if err != nil {
			return err
		}
		q.killGrace = d
	case "--time-limit":
		id, secs, ok := strings.Cut(value, "=")
		if !ok || id == "" {
			return errors.New("want JOB_ID=SECONDS")
		}
		d, err := parseSeconds(secs)
		if err != nil {
			return err
		}
		q.timeLimits[id] = d
	case "--env":
		id, kv, ok := strings.Cut(value, "=")
		name, _, ok2 := strings.Cut(kv, "=")
		if !ok || !ok2 || id == "" || name == "" {
			return errors.New("want JOB_ID=NAME=VALUE")
		}
		q.env[id] = append(q.env[id], kv)
	}
	return nil
}

// parseSeconds reads a positive number of seconds.
func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f <= 0 || f > float64(math.MaxInt64)/float64(time.Second) {
		return 0, errors.New("want a positive number of seconds")
	}
	return time.Duration(math.Round(f * float64(time.Second))), nil
}
