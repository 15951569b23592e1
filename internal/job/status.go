package job

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The keys of job.status lines. The runner writes the CYLC_JOB_RUNNER_*
// and CYLC_JOB_ID lines; the job script writes the run's lifecycle lines;
// the messaging client writes CYLC_MESSAGE lines; a poller that finds the job
// gone from its runner adds CYLC_JOB_RUNNER_EXIT_POLLED.
const (
	KeyRunnerName       = "CYLC_JOB_RUNNER_NAME"
	KeyJobID            = "CYLC_JOB_ID"
	KeyRunnerSubmitTime = "CYLC_JOB_RUNNER_SUBMIT_TIME"
	KeyRunnerExitPolled = "CYLC_JOB_RUNNER_EXIT_POLLED"
	KeyPID              = "CYLC_JOB_PID"
	KeyInitTime         = "CYLC_JOB_INIT_TIME"
	KeyExit             = "CYLC_JOB_EXIT"
	KeyExitTime         = "CYLC_JOB_EXIT_TIME"
	KeyMessage          = "CYLC_MESSAGE"
)

// ExitSucceeded is the CYLC_JOB_EXIT value of a job that succeeded. Any other
// value is a failure: "ERR" (a command failed), "EXIT" (an unexpected exit,
// e.g. killed by an untrapped signal), a signal name such as "TERM" or
// "XCPU", or the quoted message of cylc__job_abort.
const ExitSucceeded = "SUCCEEDED"

// Message is one message a job recorded: when, how severe (INFO, WARNING,
// CRITICAL, ... or a custom level) and what.
type Message struct {
	Time, Severity, Text string
}

// Status is what a job.status file says about one job. Times are kept as the
// job wrote them (ISO 8601 with a zone), like the rest of Cylc's records.
type Status struct {
	RunnerName       string
	JobID            string // the runner's ID for the job, e.g. a PID or Slurm job number
	SubmitTime       string
	RunnerExitPolled string // when a poll found the job gone from its runner
	PID              int    // the job script's process; 0 if not recorded
	InitTime         string // when the job started running
	Exit             string // "" while running; ExitSucceeded or the failure
	ExitTime         string
	Messages         []Message
}

// Started reports whether the job recorded that it began to run.
func (s *Status) Started() bool { return s.InitTime != "" }

// Succeeded reports whether the job recorded success.
func (s *Status) Succeeded() bool { return s.Exit == ExitSucceeded }

// ParseStatus reads a job.status file. As with Cylc, later lines override
// earlier ones and lines that are not KEY=VALUE or have unknown keys are
// ignored. A malformed value for a known key does not stop the reading: the
// returned Status holds everything else, and the error lists each bad line by
// number, so a poller can still act on a partly damaged file.
func ParseStatus(r io.Reader) (Status, error) {
	var st Status
	var bad []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		key, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		switch key {
		case KeyRunnerName:
			st.RunnerName = value
		case KeyJobID:
			st.JobID = value
		case KeyRunnerSubmitTime:
			st.SubmitTime = value
		case KeyRunnerExitPolled:
			st.RunnerExitPolled = value
		case KeyPID:
			pid, err := strconv.Atoi(value)
			if err != nil || pid <= 0 {
				bad = append(bad, fmt.Errorf("line %d: %s=%q: want a process ID", n, key, value))
				continue
			}
			st.PID = pid
		case KeyInitTime:
			st.InitTime = value
		case KeyExit:
			st.Exit = value
		case KeyExitTime:
			st.ExitTime = value
		case KeyMessage:
			parts := strings.SplitN(value, "|", 3)
			if len(parts) != 3 {
				bad = append(bad, fmt.Errorf("line %d: %s=%q: want TIME|SEVERITY|MESSAGE", n, key, value))
				continue
			}
			st.Messages = append(st.Messages, Message{Time: parts[0], Severity: parts[1], Text: parts[2]})
		}
	}
	if err := sc.Err(); err != nil {
		bad = append(bad, fmt.Errorf("reading: %w", err))
	}
	if len(bad) > 0 {
		return st, fmt.Errorf("job.status: %w", errors.Join(bad...))
	}
	return st, nil
}

// IsLifecycle reports whether a message text is one the job script records
// in job.status itself: started, succeeded, failed/<signal>,
// aborted/<message> or vacated/<signal>.
func IsLifecycle(text string) bool {
	if text == "started" || text == "succeeded" {
		return true
	}
	prefix, rest, ok := strings.Cut(text, "/")
	return ok && rest != "" && (prefix == "failed" || prefix == "aborted" || prefix == "vacated")
}

// AppendStatus writes the CYLC_MESSAGE lines for messages a job sends, as
// "gyre message" must do before sending them (so that polling finds them even
// if sending fails). Lifecycle messages are skipped: the job script has
// already recorded them as CYLC_JOB_* lines, and a second record would
// duplicate them. job.status is line-oriented, so a multi-line message is
// recorded with its line breaks as spaces (Cylc would break the file).
func AppendStatus(w io.Writer, msgs ...Message) error {
	var b strings.Builder
	for _, m := range msgs {
		if IsLifecycle(m.Text) {
			continue
		}
		if strings.ContainsAny(m.Time+m.Severity, "|\n\r") {
			return fmt.Errorf("job.status: message time %q and severity %q must not contain '|' or line breaks", m.Time, m.Severity)
		}
		text := lineBreaks.Replace(strings.TrimSpace(m.Text))
		fmt.Fprintf(&b, "%s=%s|%s|%s\n", KeyMessage, m.Time, m.Severity, text)
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// AppendStatusField writes one KEY=VALUE line, for the runner's and the
// poller's records (KeyRunnerName, KeyJobID, KeyRunnerSubmitTime,
// KeyRunnerExitPolled).
func AppendStatusField(w io.Writer, key, value string) error {
	if !shellName.MatchString(key) || strings.ContainsAny(value, "\n\r") {
		return fmt.Errorf("job.status: %s=%q: want a NAME and a single-line value", key, value)
	}
	_, err := fmt.Fprintf(w, "%s=%s\n", key, value)
	return err
}
