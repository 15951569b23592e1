package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gyre/internal/job"
	"gyre/internal/suggest"
)

// Env is the world "gyre message" runs in. The zero Env is the real one:
// the process environment, stdout and stderr, and the wall clock.
type Env struct {
	Getenv         func(string) string // nil: os.Getenv
	Stdout, Stderr io.Writer           // nil: os.Stdout, os.Stderr
	Now            func() time.Time    // nil: time.Now

	// wait replaces the pause between retries; tests use it to control
	// time. nil: a real timer.
	wait func(ctx context.Context, d time.Duration) error
}

func (e Env) withDefaults() Env {
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.wait == nil {
		e.wait = sleepCtx
	}
	return e
}

// Environment variables "gyre message" reads besides Cylc's job environment
// (CYLC_WORKFLOW_ID, CYLC_TASK_JOB, CYLC_TASK_LOG_ROOT, CYLC_WORKFLOW_RUN_DIR,
// CYLC_TASK_COMMS_METHOD, CYLC_UTC).
const (
	EnvSchedulerURL = "GYRE_SCHEDULER_URL"
	EnvFingerprint  = "GYRE_SCHEDULER_FINGERPRINT"
	EnvTokenFile    = "GYRE_TOKEN_FILE"
	EnvRetryBudget  = "GYRE_MESSAGE_RETRY_BUDGET" // Go duration ("5m") or seconds
)

// The retry budget is long enough for a scheduler to be restarted (by hand
// or by its host's supervisor); each attempt is bounded separately, like
// Cylc's comms timeout, so that a hung scheduler costs one attempt and not
// the whole budget.
const (
	defaultBudget     = 5 * time.Minute
	defaultCommsLimit = 10 * time.Second
)

// Message is "gyre message [OPTIONS] [WORKFLOW JOB] MESSAGE...", also run
// as "cylc message" by job scripts. Following Cylc: with two arguments or
// fewer, all are messages and the workflow and job come from
// $CYLC_WORKFLOW_ID and $CYLC_TASK_JOB; a "-" reads more messages from stdin,
// separated by blank lines; "SEVERITY: text" sets a message's severity,
// --severity the default for the rest (INFO if not given).
//
// The messages are printed (WARNING and worse to stderr), appended to the
// job's job.status and then, unless the communication method is "poll",
// sent to the scheduler. Sending re-reads the contact file before each
// attempt (a restarted scheduler listens elsewhere) and retries with backoff
// for $GYRE_MESSAGE_RETRY_BUDGET (5 minutes by default). If the scheduler
// cannot be reached in that time Message warns and returns nil, because the
// messages are safe in job.status, which the scheduler reads when it polls
// the job. (Cylc 8 makes one attempt and fails after its timeout; it too
// leaves recovery to polling.) An error is returned for bad arguments and
// when the scheduler refuses the messages.
func Message(ctx context.Context, env Env, args []string, stdin io.Reader) error {
	env = env.withDefaults()
	opts, operands, err := parseMessageArgs(args)
	if err != nil {
		return err
	}
	if len(operands) == 0 {
		return errors.New("no message supplied; usage: gyre message [--severity=LEVEL] [WORKFLOW JOB] MESSAGE...")
	}
	var workflow, jobID string
	var texts []string
	if len(operands) <= 2 {
		// Cylc's "classic" interface: everything is a message.
		workflow, jobID = env.Getenv("CYLC_WORKFLOW_ID"), env.Getenv("CYLC_TASK_JOB")
		if workflow == "" || jobID == "" {
			return errors.New("$CYLC_WORKFLOW_ID and $CYLC_TASK_JOB must be set if the workflow and job are not given as arguments (with two arguments or fewer, all are messages)")
		}
		texts = operands
	} else {
		workflow, jobID, texts = operands[0], operands[1], operands[2:]
		workflow = strings.TrimRight(path.Clean(workflow), "/")
	}
	if err := checkWorkflowID(workflow); err != nil {
		return errors.New(err.(*Error).Message)
	}
	if err := checkJobID(jobID); err != nil {
		return errors.New(err.(*Error).Message)
	}

	msgs, err := parseMessages(texts, stdin, opts.severity)
	if err != nil {
		return err
	}
	eventTime := formatEventTime(env.Now(), env.Getenv("CYLC_UTC") == "True")
	for i := range msgs {
		msgs[i].Time = eventTime
		out := env.Stdout
		switch msgs[i].Severity {
		case "WARNING", "ERROR", "CRITICAL":
			out = env.Stderr
		}
		fmt.Fprintf(out, "%s %s - %s\n", eventTime, msgs[i].Severity, msgs[i].Text)
	}

	// First the record that polling will find, whatever happens next.
	statusPath := jobStatusPath(env, workflow, jobID)
	if err := appendJobStatus(statusPath, msgs); err != nil {
		fmt.Fprintf(env.Stderr, "WARNING: %v\n", err)
	}

	switch method := env.Getenv("CYLC_TASK_COMMS_METHOD"); method {
	case job.CommsPoll:
		return nil
	case "", job.CommsZMQ, job.CommsSSH:
		// Gyre has no ssh relay: such jobs try the scheduler directly and
		// fall back on polling like any other.
	default:
		methods := []string{job.CommsZMQ, job.CommsPoll, job.CommsSSH}
		best, bestD := "", len(method)/2+2
		for _, m := range methods {
			if d := suggest.Distance(strings.ToLower(method), m); d < bestD {
				best, bestD = m, d
			}
		}
		hint := ""
		if best != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", best)
		}
		return fmt.Errorf("$CYLC_TASK_COMMS_METHOD=%q is not one of %s%s; the messages are recorded in %s only",
			method, strings.Join(methods, ", "), hint, statusPath)
	}

	body, err := json.Marshal(JobMessage{Workflow: workflow, Job: jobID, Messages: msgs})
	if err != nil {
		return err
	}
	b := defaultBackoff()
	b.now, b.wait = env.Now, env.wait
	b.budget = retryBudget(env)
	limit := opts.commsTimeout
	if limit == 0 {
		limit = defaultCommsLimit
	}
	warned := false
	err = b.retry(ctx, func(ctx context.Context) error {
		return sendMessageAttempt(ctx, env, workflow, body, limit)
	}, func(n int, err error, wait time.Duration) {
		if !warned {
			warned = true
			fmt.Fprintf(env.Stderr, "WARNING: gyre message: scheduler not reached (%v); retrying for up to %s\n", err, b.budget)
		}
	})
	var gaveUp *gaveUpError
	if errors.As(err, &gaveUp) {
		fmt.Fprintf(env.Stderr, "WARNING: gyre message: could not deliver to the scheduler of %s (%v); the messages are recorded in %s, where the scheduler will find them when it polls the job\n",
			workflow, err, statusPath)
		return nil
	}
	if err != nil {
		return fmt.Errorf("scheduler of %s refused the messages: %w (they are recorded in %s)", workflow, err, statusPath)
	}
	return nil
}

// parseMessages applies the severity rules to each message, with stdin's
// messages (for a "-") after those given as arguments, as Cylc orders them.
func parseMessages(texts []string, stdin io.Reader, defaultSeverity string) ([]TaskMessage, error) {
	var strs []string
	readStdin := false
	for _, t := range texts {
		if t == "-" {
			readStdin = true
			continue
		}
		strs = append(strs, t)
	}
	if readStdin {
		more, err := readStdinMessages(stdin)
		if err != nil {
			return nil, err
		}
		strs = append(strs, more...)
	}
	if len(strs) == 0 {
		return nil, errors.New("no message supplied (stdin held none)")
	}
	msgs := make([]TaskMessage, 0, len(strs))
	for _, s := range strs {
		m, err := splitSeverity(s, defaultSeverity)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// runDir is the workflow's run directory as jobs see it.
func runDir(env Env, workflow string) string {
	if d := env.Getenv("CYLC_WORKFLOW_RUN_DIR"); d != "" {
		return d
	}
	return filepath.Join(env.Getenv("HOME"), "cylc-run", workflow)
}

// jobStatusPath is where Cylc's client writes: $CYLC_TASK_LOG_ROOT.status,
// or the job's log directory under the run directory.
func jobStatusPath(env Env, workflow, jobID string) string {
	if root := env.Getenv("CYLC_TASK_LOG_ROOT"); root != "" {
		return root + ".status"
	}
	return filepath.Join(runDir(env, workflow), "log", "job", filepath.FromSlash(jobID), "job.status")
}

// appendJobStatus appends the messages in one write, so that lines from
// processes writing at the same time do not interleave. Lifecycle messages
// are left out: the job script records those itself (see job.AppendStatus).
func appendJobStatus(path string, msgs []TaskMessage) error {
	recs := make([]job.Message, len(msgs))
	for i, m := range msgs {
		recs[i] = job.Message{Time: m.Time, Severity: m.Severity, Text: m.Text}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("cannot record messages in job.status: %w", err)
	}
	err = job.AppendStatus(f, recs...)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot record messages in %s: %w", path, err)
	}
	return nil
}

func retryBudget(env Env) time.Duration {
	v := strings.TrimSpace(env.Getenv(EnvRetryBudget))
	if v == "" {
		return defaultBudget
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	fmt.Fprintf(env.Stderr, "WARNING: $%s=%q is not a duration such as 5m or 300; using %s\n", EnvRetryBudget, v, defaultBudget)
	return defaultBudget
}

// sendMessageAttempt finds the scheduler afresh and makes one attempt. Only
// the scheduler's refusals are final: a missing contact file, a refused
// connection or a stale certificate pin may all be a restart in progress.
func sendMessageAttempt(ctx context.Context, env Env, workflow string, body []byte, limit time.Duration) error {
	contact, err := findScheduler(env, workflow)
	if err != nil {
		return err
	}
	c, err := Dial(contact)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err = c.sendMessagesOnce(ctx, body)
	var e *Error
	if errors.As(err, &e) && e.Code != CodeUnavailable && e.Code != CodeInternal {
		return permanent(err)
	}
	return err
}

// findScheduler prefers the run's contact file, which a restarted scheduler
// rewrites, to the address the job was submitted with, which is all a job on
// a host without the run directory has.
func findScheduler(env Env, workflow string) (Contact, error) {
	serviceDir := filepath.Join(runDir(env, workflow), ".service")
	c, err := ReadContact(serviceDir)
	if err == nil {
		if tf := env.Getenv(EnvTokenFile); tf != "" {
			if _, serr := os.Stat(c.TokenFile); serr != nil {
				c.TokenFile = tf
			}
		}
		return c, nil
	}
	if url := env.Getenv(EnvSchedulerURL); url != "" {
		tf := env.Getenv(EnvTokenFile)
		if tf == "" {
			tf = filepath.Join(serviceDir, TokenFileName)
		}
		return Contact{URL: url, Fingerprint: env.Getenv(EnvFingerprint), TokenFile: tf}, nil
	}
	return Contact{}, fmt.Errorf("workflow %s is not running (no contact file: %w)", workflow, err)
}
