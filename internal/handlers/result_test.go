package handlers

import "testing"

func TestResultString(t *testing.T) {
	custom := Handler{Name: "event-handler-00", Event: "custom-1", Job: &JobRef{Point: "1", Name: "foo", SubmitNum: 1},
		Cmd: "echo 'the quick brown fox\njumped over the lazy dog'"}
	tests := []struct {
		name string
		r    Result
		want string
	}{
		// Cylc's functional test cylc-message/01-newline: multi-line items
		// start on a line of their own.
		{"multi-line", Result{Handler: custom, Out: "the quick brown fox\njumped over the lazy dog\n"},
			"[(('event-handler-00', 'custom-1'), 1) cmd]\necho 'the quick brown fox\njumped over the lazy dog'\n" +
				"[(('event-handler-00', 'custom-1'), 1) ret_code] 0\n" +
				"[(('event-handler-00', 'custom-1'), 1) out]\nthe quick brown fox\njumped over the lazy dog"},
		// Blank output is left out; values are stripped.
		{"blank output", Result{Handler: workflowHandler("  true  "), Out: " \n\t", Err: "\x1c"},
			"[('workflow-event-handler-00', 'startup') cmd] true\n[('workflow-event-handler-00', 'startup') ret_code] 0"},
		{"abandoned", Result{Handler: workflowHandler("x"), Abandoned: true},
			"[('workflow-event-handler-00', 'startup') cmd] x"},
		{"crlf is one line break", Result{Handler: workflowHandler("x"), RetCode: 2, Err: "a\r\nb"},
			"[('workflow-event-handler-00', 'startup') cmd] x\n[('workflow-event-handler-00', 'startup') ret_code] 2\n" +
				"[('workflow-event-handler-00', 'startup') err]\na\r\nb"},
		{"vertical tab splits lines in Python", Result{Handler: workflowHandler("x"), Out: "a\vb"},
			"[('workflow-event-handler-00', 'startup') cmd] x\n[('workflow-event-handler-00', 'startup') ret_code] 0\n" +
				"[('workflow-event-handler-00', 'startup') out]\na\vb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestPyLines(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0}, {"a", 1}, {"a\n", 1}, {"a\nb", 2}, {"a\r\nb", 2}, {"a\rb", 2},
		{"a\n\nb", 3}, {"a\u2028b", 2}, {"a\x1fb", 1}, {"\n", 1},
	}
	for _, tt := range tests {
		if got := pyLines(tt.s); got != tt.want {
			t.Errorf("pyLines(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
