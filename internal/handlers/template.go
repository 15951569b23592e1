package handlers

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gyre/internal/config"
	"gyre/internal/pyformat"
	"gyre/internal/suggest"
)

// Meta is a [meta] section: the three standard items (always present as
// template variables, empty when unset, as in Cylc) and any custom ones.
// It has the shape of config.Runtime's Meta, so Meta(rt.Meta) converts.
type Meta struct {
	Title, Description, URL string
	Custom                  []config.KeyValue
}

// TaskEventData is what a task event handler template can refer to.
type TaskEventData struct {
	Event   string // "failed", "submission retry", "custom", ...
	Message string // the event message, e.g. "job failed"
	// Seq numbers the repeatable events (warning, critical, custom) of a
	// task, as Cylc's non_unique_events does, so that each gets its own
	// handler key ("warning-2"); 0 counts as 1. Ignored for other events.
	Seq int

	Workflow, UUID string
	Point, Name    string
	SubmitNum      int
	TryNum         int
	// JobID, JobRunnerName and the times are rendered "None" when empty:
	// Cylc formats str(None) when the job has not got that far.
	JobID, JobRunnerName              string
	SubmitTime, StartTime, FinishTime string
	PlatformName                      string // "" when no platform was chosen
	TaskMeta                          Meta   // [runtime][<task>][meta]
	WorkflowMeta                      Meta   // [meta], as workflow_<key>
}

// WorkflowEventData is what a workflow event handler template can refer
// to.
type WorkflowEventData struct {
	Event          string // "startup", "stall", ...
	Message        string // the reason, e.g. "workflow stalled"
	Workflow, UUID string
	Host, Owner    string
	Port           int // -1 when the scheduler has no server, as in Cylc
	Meta           Meta
}

// quote is Python's shlex.quote: safe words stay bare, anything else is
// single-quoted with embedded quotes spelled '"'"'. Cylc quotes task
// template values this way so that a template can use them unquoted.
func quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("_@%+=:,./-", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// orNone is Python's str() of a value that may be None.
func orNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}

// taskVars builds Cylc's task template variables
// (_get_handler_template_variables): values quoted for the shell except
// the two numbers, with the deprecated names alongside, and metadata last
// so that, as in Cylc's dict, a metadata key overrides a standard one.
func taskVars(d *TaskEventData) map[string]any {
	id := d.Point + "/" + d.Name
	v := map[string]any{
		"job_id":           quote(orNone(d.JobID)),
		"job_runner_name":  quote(orNone(d.JobRunnerName)),
		"point":            quote(d.Point),
		"event":            quote(d.Event),
		"finish_time":      quote(orNone(d.FinishTime)),
		"id":               quote(id),
		"message":          quote(d.Message),
		"name":             quote(d.Name),
		"platform_name":    quote(d.PlatformName),
		"user@host":        quote(d.PlatformName),
		"start_time":       quote(orNone(d.StartTime)),
		"submit_num":       d.SubmitNum,
		"submit_time":      quote(orNone(d.SubmitTime)),
		"workflow":         quote(d.Workflow),
		"uuid":             quote(d.UUID),
		"suite":            quote(d.Workflow),
		"suite_uuid":       quote(d.UUID),
		"try_num":          d.TryNum,
		"batch_sys_job_id": quote(orNone(d.JobID)),
		"batch_sys_name":   quote(orNone(d.JobRunnerName)),
	}
	for _, kv := range d.TaskMeta.items() {
		if kv.Key == "URL" {
			v["task_url"] = quote(kv.Value)
		}
		v[kv.Key] = quote(kv.Value)
	}
	for _, kv := range d.WorkflowMeta.items() {
		if kv.Key == "URL" {
			v["workflow_url"] = quote(kv.Value)
		}
		v["workflow_"+kv.Key] = quote(kv.Value)
	}
	return v
}

// workflowVars builds Cylc's workflow template variables
// (workflow_events.get_template_variables). Unlike task variables these
// are not shell-quoted, except the metadata items; [meta]URL appears only
// as workflow_url (and the deprecated suite_url), unquoted.
func workflowVars(d *WorkflowEventData) map[string]any {
	v := map[string]any{
		"event":        d.Event,
		"message":      d.Message,
		"workflow":     d.Workflow,
		"host":         d.Host,
		"port":         d.Port,
		"owner":        d.Owner,
		"uuid":         d.UUID,
		"workflow_url": d.Meta.URL,
		"suite":        d.Workflow,
		"suite_uuid":   d.UUID,
		"suite_url":    d.Meta.URL,
	}
	for _, kv := range d.Meta.items() {
		if kv.Key != "URL" {
			v[kv.Key] = quote(kv.Value)
		}
	}
	return v
}

// items lists the metadata in Cylc's order: custom items, then the
// standard ones.
func (m Meta) items() []config.KeyValue {
	out := slices.Clone(m.Custom)
	return append(out,
		config.KeyValue{Key: "URL", Value: m.URL},
		config.KeyValue{Key: "title", Value: m.Title},
		config.KeyValue{Key: "description", Value: m.Description})
}

// ExpandTask expands a task event handler template. A template that
// formats to itself (no "%" conversions) is a "classic" handler and gets
// Cylc's default arguments: "CMD 'EVENT' 'WORKFLOW' 'ID' 'MESSAGE'" (the
// values inserted raw between single quotes, exactly as Cylc does).
func ExpandTask(tmpl string, d *TaskEventData) (string, error) {
	cmd, err := expand(tmpl, taskVars(d))
	if err != nil {
		return "", err
	}
	if cmd == tmpl {
		cmd = fmt.Sprintf("%s '%s' '%s' '%s/%s' '%s'", tmpl, d.Event, d.Workflow, d.Point, d.Name, d.Message)
	}
	return cmd, nil
}

// ExpandWorkflow expands a workflow event handler template; a classic
// handler gets "CMD 'EVENT' 'WORKFLOW' 'MESSAGE'".
func ExpandWorkflow(tmpl string, d *WorkflowEventData) (string, error) {
	cmd, err := expand(tmpl, workflowVars(d))
	if err != nil {
		return "", err
	}
	if cmd == tmpl {
		cmd = fmt.Sprintf("%s '%s' '%s' '%s'", tmpl, d.Event, d.Workflow, d.Message)
	}
	return cmd, nil
}

// BadTemplateError is a handler template that cannot be expanded. Cylc
// logs it ("bad template") and skips the handler; the error keeps the
// details for a better message.
type BadTemplateError struct {
	Template string
	Key      string   // the unknown variable, for a missing key
	Valid    []string // the variables the template could have used
	Err      error    // the *pyformat.Error
}

func (e *BadTemplateError) Error() string {
	var pe *pyformat.Error
	if errors.As(e.Err, &pe) && errors.Is(pe, pyformat.ErrMissingKey) {
		return fmt.Sprintf("unknown template variable %q in %q%s; the variables are: %s",
			e.Key, e.Template, suggest.Hint(e.Key, e.Valid), strings.Join(e.Valid, ", "))
	}
	return fmt.Sprintf("%v in %q (write %%(name)s for a variable, %%%% for a literal %%)", e.Err, e.Template)
}

func (e *BadTemplateError) Unwrap() error { return e.Err }

// cylcText is the exception text Cylc puts after "bad template:": the
// repr of the missing key for a KeyError, else the message.
func (e *BadTemplateError) cylcText() string {
	if e.Key != "" && errors.Is(e.Err, pyformat.ErrMissingKey) {
		return pyformat.StrRepr(e.Key)
	}
	return e.Err.Error()
}

func expand(tmpl string, vars map[string]any) (string, error) {
	out, err := pyformat.Mapping(tmpl, vars)
	if err != nil {
		be := &BadTemplateError{Template: tmpl, Err: err, Valid: slices.Sorted(maps.Keys(vars))}
		var pe *pyformat.Error
		if errors.As(err, &pe) {
			be.Key = pe.Key
		}
		return "", be
	}
	return out, nil
}
