package handlers

import (
	"errors"
	"strings"
	"testing"

	"gyre/internal/config"
	"gyre/internal/pyformat"
)

func TestQuote(t *testing.T) {
	// Expectations from Python's shlex.quote.
	tests := []struct{ in, want string }{
		{"", "''"},
		{"abc", "abc"},
		{"x=1,y:2/3@h%+.-_", "x=1,y:2/3@h%+.-_"},
		{"a b", "'a b'"},
		{"it's", `'it'"'"'s'`},
		{`a"b`, `'a"b'`},
		{"$HOME", "'$HOME'"},
		{"é", "'é'"},
		{"a\nb", "'a\nb'"},
		{"None", "None"},
		{"2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		if got := quote(tt.in); got != tt.want {
			t.Errorf("quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func taskData() *TaskEventData {
	return &TaskEventData{
		Event: "failed", Message: "job failed",
		Workflow: "my/flow", UUID: "abc-123",
		Point: "20250101T0000Z", Name: "foo",
		SubmitNum: 2, TryNum: 3,
		JobID: "4242", JobRunnerName: "background", PlatformName: "localhost",
		SubmitTime: "2025-01-01T00:00:01Z", FinishTime: "2025-01-01T00:01:00Z",
		TaskMeta: Meta{Title: "Foo's task", URL: "http://x/foo",
			Custom: []config.KeyValue{{Key: "importance", Value: "3"}, {Key: "color", Value: "red blue"}}},
		WorkflowMeta: Meta{Title: "W", URL: "http://w",
			Custom: []config.KeyValue{{Key: "priority", Value: "HIGH"}}},
	}
}

func TestExpandTask(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{"e %(event)s", "e failed"},
		{"m %(message)s", "m 'job failed'"},
		{"%(workflow)s %(suite)s", "my/flow my/flow"},
		{"%(uuid)s %(suite_uuid)s", "abc-123 abc-123"},
		{"%(point)s %(name)s %(id)s", "20250101T0000Z foo 20250101T0000Z/foo"},
		{"%(submit_num)s %(submit_num)02d %(try_num)d", "2 02 3"},
		{"%(job_id)s %(batch_sys_job_id)s", "4242 4242"},
		{"%(job_runner_name)s %(batch_sys_name)s", "background background"},
		{"%(platform_name)s %(user@host)s", "localhost localhost"},
		{"%(submit_time)s %(finish_time)s", "2025-01-01T00:00:01Z 2025-01-01T00:01:00Z"},
		// Not yet started: Cylc formats str(None).
		{"%(start_time)s", "None"},
		{"%(title)s", `'Foo'"'"'s task'`},
		{"%(description)s", "''"},
		{"%(URL)s %(task_url)s", "http://x/foo http://x/foo"},
		{"%(importance)s %(color)s", "3 'red blue'"},
		{"%(workflow_title)s %(workflow_description)s", "W ''"},
		{"%(workflow_URL)s %(workflow_url)s %(workflow_priority)s", "http://w http://w HIGH"},
		// Classic handler: Cylc's four default arguments, raw in quotes.
		{"notify.sh", "notify.sh 'failed' 'my/flow' '20250101T0000Z/foo' 'job failed'"},
		// A literal % is a substitution: no default arguments.
		{"echo 100%%", "echo 100%"},
		{"echo %(event)s: %(message)r", `echo failed: "'job failed'"`},
	}
	for _, tt := range tests {
		got, err := ExpandTask(tt.tmpl, taskData())
		if err != nil || got != tt.want {
			t.Errorf("ExpandTask(%q) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
	}
}

func TestExpandTaskEdgeCases(t *testing.T) {
	d := taskData()
	d.Message = `"ERROR: rust never sleeps"`
	d.JobID, d.JobRunnerName = "", ""
	got, err := ExpandTask(`echo "!!!FAILED!!!" %(event)s %(id)s %(submit_num)s %(message)s`, d)
	want := `echo "!!!FAILED!!!" failed 20250101T0000Z/foo 2 '"ERROR: rust never sleeps"'`
	if err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	// Default arguments are not shell-quoted, exactly as Cylc builds them.
	got, _ = ExpandTask("h", d)
	if want := `h 'failed' 'my/flow' '20250101T0000Z/foo' '"ERROR: rust never sleeps"'`; got != want {
		t.Errorf("classic: got %q, want %q", got, want)
	}
	got, _ = ExpandTask("%(job_id)s %(job_runner_name)s %(platform_name)s", &TaskEventData{})
	if want := "None None ''"; got != want {
		t.Errorf("unset job: got %q, want %q", got, want)
	}
	// Metadata comes last in Cylc's dict, so it overrides a standard name.
	d = taskData()
	d.TaskMeta.Custom = []config.KeyValue{{Key: "name", Value: "x y"}}
	if got, _ := ExpandTask("%(name)s", d); got != "'x y'" {
		t.Errorf("meta override: got %q", got)
	}
}

func workflowData() *WorkflowEventData {
	return &WorkflowEventData{
		Event: "startup", Message: "workflow starting", Workflow: "my/flow", UUID: "u-1",
		Host: "h.example", Owner: "me", Port: 43001,
		Meta: Meta{Title: "My 'title'", URL: "http://w/x y",
			Custom: []config.KeyValue{{Key: "workflow-priority", Value: "HIGH"}}},
	}
}

func TestExpandWorkflow(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		// Workflow values are not shell-quoted (unlike task values).
		{"%(event)s|%(message)s", "startup|workflow starting"},
		{"%(workflow)s %(suite)s %(uuid)s %(suite_uuid)s", "my/flow my/flow u-1 u-1"},
		{"%(host)s %(owner)s %(port)d", "h.example me 43001"},
		{"%(workflow_url)s|%(suite_url)s", "http://w/x y|http://w/x y"},
		// ...but metadata items are.
		{"%(title)s %(description)s %(workflow-priority)s", `'My '"'"'title'"'"'' '' HIGH`},
		{"handler.sh", "handler.sh 'startup' 'my/flow' 'workflow starting'"},
		// From Cylc's functional test events/20-workflow-event-handlers.
		{"echo 'Your %(workflow)s workflow has a %(event)s event and URL %(workflow_url)s and workflow-priority as %(workflow-priority)s and workflow-UUID as %(uuid)s.'",
			"echo 'Your my/flow workflow has a startup event and URL http://w/x y and workflow-priority as HIGH and workflow-UUID as u-1.'"},
	}
	for _, tt := range tests {
		got, err := ExpandWorkflow(tt.tmpl, workflowData())
		if err != nil || got != tt.want {
			t.Errorf("ExpandWorkflow(%q) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
	}
	d := workflowData()
	d.Port = -1
	if got, _ := ExpandWorkflow("%(port)s", d); got != "-1" {
		t.Errorf("no server: port = %q, want -1", got)
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		name, tmpl string
		workflow   bool
		key        string
		kind       error
		contains   []string
	}{
		{"unknown key", "echo %(rubbish)s", false, "rubbish", pyformat.ErrMissingKey,
			[]string{`unknown template variable "rubbish" in "echo %(rubbish)s"`, "the variables are: URL, batch_sys_job_id,"}},
		{"misspelt key", "echo %(evnet)s", false, "evnet", pyformat.ErrMissingKey,
			[]string{`(did you mean "event"?)`}},
		{"URL is not a workflow variable", "echo %(URL)s", true, "URL", pyformat.ErrMissingKey,
			[]string{`"URL"`, "workflow_url"}},
		{"unkeyed", "echo %s", false, "", pyformat.ErrWrongType, []string{`in "echo %s"`}},
		{"number conversion of text", "echo %(event)d", true, "event", pyformat.ErrWrongType, []string{"%(event)d"}},
		{"unterminated", "echo %(event", false, "", pyformat.ErrBadSyntax, []string{"no closing )"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.workflow {
				_, err = ExpandWorkflow(tt.tmpl, workflowData())
			} else {
				_, err = ExpandTask(tt.tmpl, taskData())
			}
			var be *BadTemplateError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *BadTemplateError", err)
			}
			if be.Key != tt.key || be.Template != tt.tmpl || !errors.Is(err, tt.kind) {
				t.Errorf("got key %q template %q err %v", be.Key, be.Template, be.Err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestForTask(t *testing.T) {
	ev := Events{
		Handlers: []string{"echo %(id)s", "echo %(rubbish)s", "classic.sh"}, HandlerEvents: []string{"failed", "warning"},
		RetryDelays: nil,
	}
	d := taskData()
	hs, errs := ForTask(ev, d)
	if len(hs) != 2 || len(errs) != 1 {
		t.Fatalf("got %d handlers, %d errors (%v); want 2, 1", len(hs), len(errs), errs)
	}
	if hs[0].Name != "event-handler-00" || hs[0].Cmd != "echo 20250101T0000Z/foo" {
		t.Errorf("first handler = %+v", hs[0])
	}
	// The index is the position in the configured list, bad ones included.
	if hs[1].Name != "event-handler-02" || !strings.HasPrefix(hs[1].Cmd, "classic.sh 'failed'") {
		t.Errorf("second handler = %+v", hs[1])
	}
	if got, want := hs[0].Key(), "(('event-handler-00', 'failed'), 2)"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
	if got := hs[0].Job.String(); got != "20250101T0000Z/foo/02" {
		t.Errorf("job = %q", got)
	}
	wantErr := "20250101T0000Z/foo/02 ('event-handler-01', 'failed') bad template: 'rubbish': unknown template variable"
	if !strings.HasPrefix(errs[0].Error(), wantErr) {
		t.Errorf("error = %q, want prefix %q", errs[0], wantErr)
	}
	var be *BadTemplateError
	if !errors.As(errs[0], &be) || be.Key != "rubbish" {
		t.Errorf("error does not wrap the BadTemplateError: %v", errs[0])
	}

	// Repeatable events are numbered.
	d.Event, d.Seq = "warning", 2
	hs, _ = ForTask(ev, d)
	if got, want := hs[0].Key(), "(('event-handler-00', 'warning-2'), 2)"; got != want {
		t.Errorf("warning Key() = %q, want %q", got, want)
	}
	d.Seq = 0
	hs, _ = ForTask(ev, d)
	if hs[0].Event != "warning-1" {
		t.Errorf("Seq 0 event = %q, want warning-1", hs[0].Event)
	}
	d.Event = "succeeded"
	if hs, errs := ForTask(ev, d); hs != nil || errs != nil {
		t.Errorf("unselected event gave %v %v", hs, errs)
	}
}

func TestForWorkflow(t *testing.T) {
	ev := Events{EventHandlers: map[string][]string{"startup": {"echo %(rubbish)s", "go.sh"}}}
	hs, errs := ForWorkflow(ev, workflowData())
	if len(hs) != 1 || len(errs) != 1 {
		t.Fatalf("got %d handlers, %d errors; want 1, 1", len(hs), len(errs))
	}
	if hs[0].Key() != "('workflow-event-handler-01', 'startup')" || hs[0].Job != nil {
		t.Errorf("handler = %+v key %s", hs[0], hs[0].Key())
	}
	if hs[0].Cmd != "go.sh 'startup' 'my/flow' 'workflow starting'" {
		t.Errorf("cmd = %q", hs[0].Cmd)
	}
	// Cylc's message, from its functional test events/37, then ours.
	want := "('workflow-event-handler-00', 'startup') bad template: echo %(rubbish)s\n'rubbish': unknown"
	if !strings.HasPrefix(errs[0].Error(), want) {
		t.Errorf("error = %q, want prefix %q", errs[0], want)
	}
}
