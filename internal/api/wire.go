package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// JobMessage is what one "gyre message" call sends: the messages of one
// job, all stamped with the time the job recorded them.
type JobMessage struct {
	Workflow string        `json:"workflow"` // CYLC_WORKFLOW_ID
	Job      string        `json:"job"`      // "CYCLE/TASK/NN", CYLC_TASK_JOB
	Messages []TaskMessage `json:"messages"`
}

// TaskMessage is one job message, as job.status records it.
type TaskMessage struct {
	Time     string `json:"time"`     // ISO 8601, when the job recorded it
	Severity string `json:"severity"` // INFO, WARNING, CRITICAL, ... or custom
	Text     string `json:"text"`     // e.g. "started", "failed/ERR", an output's message
}

// Event is one entry of an event stream. ID is the bus index: a client that
// loses its connection resumes from ID+1 and misses nothing the bus still
// holds.
type Event struct {
	ID   uint64
	Name string          // the SSE event type; "" is the default "message"
	Data json.RawMessage // JSON; "null" when the event carries nothing
}

// EventResync is the name of the event that tells a subscriber it has missed
// events (it fell behind, or asked to resume from an index the bus no longer
// holds): it must rebuild its view from a snapshot, then carry on with the
// events that follow.
const EventResync = "resync"

// Error codes, each with its HTTP status. A Handler returns an *Error to
// choose what the client sees; any other error is reported as CodeInternal
// with its text.
const (
	CodeBadRequest   = "bad_request"  // 400: the request is malformed or invalid
	CodeUnauthorized = "unauthorized" // 401: no token, or the wrong one
	CodeForbidden    = "forbidden"    // 403: the peer is another user
	CodeNotFound     = "not_found"    // 404: no such command, job or workflow
	CodeConflict     = "conflict"     // 409: not possible in the current state
	CodeTooLarge     = "too_large"    // 413: request body over the limit
	CodeUnavailable  = "unavailable"  // 503: not now (starting, stopping); retry
	CodeInternal     = "internal"     // 500: the scheduler failed
)

var codeStatus = map[string]int{
	CodeBadRequest:   http.StatusBadRequest,
	CodeUnauthorized: http.StatusUnauthorized,
	CodeForbidden:    http.StatusForbidden,
	CodeNotFound:     http.StatusNotFound,
	CodeConflict:     http.StatusConflict,
	CodeTooLarge:     http.StatusRequestEntityTooLarge,
	CodeUnavailable:  http.StatusServiceUnavailable,
	CodeInternal:     http.StatusInternalServerError,
}

// Error is the structured error of the API, sent as
// {"error": {"code": ..., "message": ...}}.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// status is the HTTP status for e's code; unknown codes are internal errors.
func (e *Error) status() int {
	if s, ok := codeStatus[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// codeFor maps an HTTP status back to a code, for responses that carry no
// JSON error (from a proxy, or from net/http itself).
func codeFor(status int) string {
	for code, s := range codeStatus {
		if s == status {
			return code
		}
	}
	if status >= 500 {
		return CodeUnavailable
	}
	return CodeBadRequest
}

// Limits on what the server accepts. A job sends a handful of messages per
// call; the caps only stop a broken or hostile client from making the
// scheduler buffer without bound.
const (
	maxMessageBody   = 1 << 20
	maxCommandBody   = 4 << 20
	maxBatchMessages = 1000
	maxFieldLen      = 256 // workflow, job, time, severity, command name
)

type commandRequest struct {
	Command string          `json:"command"`
	Args    json.RawMessage `json:"args,omitempty"`
}

type errorBody struct {
	Error *Error `json:"error"`
}

type commandResponse struct {
	Result json.RawMessage `json:"result"`
}

var (
	jobIDPattern   = regexp.MustCompile(`^[^/\s]+/[^/\s]+/[0-9]+$`)
	commandPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
)

// decodeStrict decodes exactly one JSON value from r into v, refusing
// unknown fields and trailing data, so that a misspelt field is an error
// rather than a silently ignored setting.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return Errorf(CodeTooLarge, "request body is larger than %d bytes", tooBig.Limit)
		case errors.Is(err, io.EOF):
			return Errorf(CodeBadRequest, "empty request body: want a JSON object")
		}
		return Errorf(CodeBadRequest, "malformed JSON in request body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(CodeBadRequest, "malformed JSON in request body: unexpected data after the JSON object")
	}
	return nil
}

// decodeMessage reads and checks the body of POST /v1/message.
func decodeMessage(r io.Reader) (JobMessage, error) {
	var m JobMessage
	if err := decodeStrict(r, &m); err != nil {
		return JobMessage{}, err
	}
	if err := m.validate(); err != nil {
		return JobMessage{}, err
	}
	return m, nil
}

func (m *JobMessage) validate() error {
	if err := checkWorkflowID(m.Workflow); err != nil {
		return err
	}
	if err := checkJobID(m.Job); err != nil {
		return err
	}
	if len(m.Messages) == 0 {
		return Errorf(CodeBadRequest, "job %s: no messages", m.Job)
	}
	if len(m.Messages) > maxBatchMessages {
		return Errorf(CodeBadRequest, "job %s: %d messages in one request; at most %d", m.Job, len(m.Messages), maxBatchMessages)
	}
	for i, msg := range m.Messages {
		for _, f := range []struct{ name, value string }{{"time", msg.Time}, {"severity", msg.Severity}} {
			if f.value == "" || len(f.value) > maxFieldLen || strings.ContainsAny(f.value, "|\r\n") || !utf8.ValidString(f.value) {
				return Errorf(CodeBadRequest, "job %s: message %d: %s %q: want a non-empty single line of at most %d bytes without '|'",
					m.Job, i+1, f.name, f.value, maxFieldLen)
			}
		}
		if !utf8.ValidString(msg.Text) {
			return Errorf(CodeBadRequest, "job %s: message %d: text is not valid UTF-8", m.Job, i+1)
		}
	}
	return nil
}

func checkWorkflowID(id string) error {
	if id == "" || len(id) > maxFieldLen || strings.ContainsAny(id, " \t\r\n") || !utf8.ValidString(id) {
		return Errorf(CodeBadRequest, "workflow ID %q: want a non-empty ID such as flow/run1, without blanks", id)
	}
	return nil
}

func checkJobID(id string) error {
	if len(id) > maxFieldLen || !jobIDPattern.MatchString(id) || !utf8.ValidString(id) {
		return Errorf(CodeBadRequest, "job ID %q: want CYCLE/TASK/SUBMIT_NUM, e.g. 1/foo/01", id)
	}
	return nil
}

// decodeCommand reads and checks the body of POST /v1/command. The
// arguments are left for the handler, which knows each command's shape.
func decodeCommand(r io.Reader) (name string, args json.RawMessage, err error) {
	var req commandRequest
	if err := decodeStrict(r, &req); err != nil {
		return "", nil, err
	}
	if len(req.Command) > maxFieldLen || !commandPattern.MatchString(req.Command) {
		return "", nil, Errorf(CodeBadRequest, "command %q: want a name such as \"stop\" or \"set-outputs\" (lower-case letters, digits, '-' and '_')", req.Command)
	}
	if len(req.Args) > 0 && req.Args[0] != '{' && string(req.Args) != "null" {
		return "", nil, Errorf(CodeBadRequest, "command %s: args must be a JSON object, not %.40s", req.Command, req.Args)
	}
	return req.Command, req.Args, nil
}
