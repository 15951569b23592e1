package remote

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gyre/internal/job"
)

// reply is what the remote side prints for one job, as one line of JSON.
// The status is a job.status text: the result's status for a poll (which
// may say more than the file, e.g. that a job with no runner record counts
// as gone), the file as it stands after a submit or a kill. Fields are
// named on the wire so that a gyre of another version, installed under a
// platform's "cylc path", still reads them.
type reply struct {
	ID          string `json:"id"`
	RunnerJobID string `json:"runner_job_id,omitempty"`
	Time        string `json:"time,omitempty"` // RFC 3339, when the runner took the job
	Output      string `json:"output,omitempty"`
	Error       string `json:"error,omitempty"`
	Status      string `json:"status,omitempty"`
}

// writeReply prints one reply line.
func writeReply(w io.Writer, r reply) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// maxReplyLine bounds one line of a remote command's output: a reply holds
// one job.status, which a job may have filled with messages.
const maxReplyLine = 4 << 20

// replies are the decoded output of a remote command.
type replies struct {
	byID map[string]reply
	// noise is the start of the first output line that was not a reply
	// (a login shell's banner, an error message), for error messages.
	noise string
	// err is set if the output could not be read to its end.
	err error
}

// decodeReplies reads a remote command's output: one JSON reply per line,
// for the jobs in want. Lines that are not JSON objects (what a login
// shell's profile prints, say) and replies for other jobs are skipped; the
// first reply for a job counts. A job without a reply is for the caller to
// report, with what the command's exit status and standard error say.
func decodeReplies(r io.Reader, want []string) replies {
	out := replies{byID: map[string]reply{}}
	wanted := make(map[string]bool, len(want))
	for _, id := range want {
		wanted[id] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxReplyLine)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rp reply
		if line[0] != '{' || json.Unmarshal(line, &rp) != nil {
			if out.noise == "" {
				out.noise = excerpt(string(line))
			}
			continue
		}
		if _, dup := out.byID[rp.ID]; wanted[rp.ID] && !dup {
			out.byID[rp.ID] = rp
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("an output line is longer than %d bytes", maxReplyLine)
		}
		out.err = err
	}
	return out
}

// excerpt shortens a line of unexpected output for a message.
func excerpt(s string) string {
	const n = 200
	if len(s) > n {
		s = s[:n] + "..."
	}
	return strconv.Quote(s)
}

// formatStatus writes a job.status text that job.ParseStatus reads back as
// st, with the lines in the order a job's life writes them.
func formatStatus(st job.Status) string {
	var b strings.Builder
	add := func(key, value string) {
		if value != "" {
			_ = job.AppendStatusField(&b, key, oneLine(value))
		}
	}
	add(job.KeyRunnerName, st.RunnerName)
	add(job.KeyJobID, st.JobID)
	add(job.KeyRunnerSubmitTime, st.SubmitTime)
	if st.PID > 0 {
		add(job.KeyPID, strconv.Itoa(st.PID))
	}
	add(job.KeyInitTime, st.InitTime)
	for _, m := range st.Messages {
		// job.ParseStatus splits at the first two '|': only the text may
		// hold one.
		t := strings.ReplaceAll(oneLine(m.Time), "|", " ")
		sev := strings.ReplaceAll(oneLine(m.Severity), "|", " ")
		fmt.Fprintf(&b, "%s=%s|%s|%s\n", job.KeyMessage, t, sev, oneLine(m.Text))
	}
	add(job.KeyExit, st.Exit)
	add(job.KeyExitTime, st.ExitTime)
	add(job.KeyRunnerExitPolled, st.RunnerExitPolled)
	return b.String()
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

func oneLine(s string) string { return lineBreaks.Replace(s) }

// parseStatus reads the status of a reply.
func parseStatus(text string) (job.Status, error) {
	return job.ParseStatus(strings.NewReader(text))
}
