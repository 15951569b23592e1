package xtrigger

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	type kw = map[string]any
	for _, c := range []struct {
		fn      string
		args    []any
		kwargs  kw
		err     string
		warning string
	}{
		{fn: "echo", kwargs: kw{"succeed": true}},
		{fn: "echo", args: []any{"a"}, err: "Requires 'succeed=True/False' arg"},
		{fn: "echo", kwargs: kw{"succeed": "yes"}, err: "Requires 'succeed=True/False' arg"},
		{fn: "echo", kwargs: kw{"succeed": true, "sequential": "x"}, err: "invalid argument 'sequential=x' - must be boolean"},
		{fn: "echo", kwargs: kw{"succeed": true, "sequential": true}},
		{fn: "xrandom", args: []any{50}},
		{fn: "xrandom", args: []any{12.5, 3, "%(point)s"}},
		{fn: "xrandom", args: []any{150}, err: "'percent' should be a float between 0 and 100"},
		{fn: "xrandom", args: []any{"50"}, err: "'percent' should be a float between 0 and 100"},
		{fn: "xrandom", args: []any{50, 1.5}, err: "'secs' should be an integer"},
		{fn: "xrandom", err: "missing a required argument: 'percent'"},
		{fn: "wall_clock", args: []any{"PT1H"}},
		{fn: "wall_clock", args: []any{"PT1H", 2}, err: "too many positional arguments"},
		{fn: "workflow_state", args: []any{"up//%(point)s/foo"}},
		{fn: "workflow_state", args: []any{"up//1/foo:x"}, kwargs: kw{"is_trigger": true, "flow_num": 2}},
		{fn: "workflow_state", args: []any{"up//1"}, err: "Full ID needed: workflow//cycle/task[:selector]."},
		{fn: "workflow_state", args: []any{"up//1/foo:running"}, err: `poll for the "started" trigger instead`},
		{fn: "workflow_state", args: []any{"up//1/foo:elephant"}, err: `no such task state "elephant"`},
		{fn: "workflow_state", args: []any{"up//1/foo"}, kwargs: kw{"flow_num": 1.5}, err: "flow_num must be an integer"},
		{fn: "workflow_state", args: []any{"a///"}, err: "invalid Cylc identifier"},
		// Three positional arguments fit the current signature, so Cylc
		// does not take them for the old one.
		{fn: "workflow_state", args: []any{"up", "foo", 1}, err: "Full ID needed"},
		{fn: "workflow_state", args: []any{"c8a", "foo", 1}, kwargs: kw{"offset": "P0", "status": "succeeded", "cylc_run_dir": "alt"},
			warning: "(8.3.0) Deprecated function signature used for workflow_state xtrigger was automatically upgraded. " +
				"Please alter your workflow to use the new syntax:\n" +
				"    workflow_state(c8a, foo, 1, cylc_run_dir=alt, offset=P0, status=succeeded) --> " +
				"workflow_state(workflow_task_id=c8a//1/foo:succeeded, offset=P0, alt_cylc_run_dir=alt, is_message=False)"},
		{fn: "workflow_state", args: []any{"c8a", "foo", 1}, kwargs: kw{"message": "hi", "status": nil},
			warning: "--> workflow_state(workflow_task_id=c8a//1/foo:hi, is_message=True)"},
		{fn: "workflow_state", args: []any{"c8a", "foo", 1}, kwargs: kw{"status": "running"}, err: "transient state"},
		{fn: "suite_state", args: []any{"up", "foo", 1}, warning: "The suite_state xtrigger is deprecated"},
		{fn: "suite_state", args: []any{"up"}, err: "missing a required argument: 'task'"},
		{fn: "echo", args: []any{"%(pint)s"}, kwargs: kw{"succeed": true}, err: `Illegal template in xtrigger: pint (did you mean "point"?)`},
		{fn: "echo", args: []any{"%%(pint)s %(point)d"}, kwargs: kw{"succeed": true}},
		{fn: "echo", args: []any{"%(suite_name)s %(workflow_run_dir)s"}, kwargs: kw{"succeed": true, "d": "%(suite_run_dir)s"},
			warning: `Xtrigger "lab" uses deprecated template variables: suite_name, suite_run_dir`},
		{fn: "my_func", err: "custom Python xtrigger functions cannot run in Gyre"},
	} {
		x := xt("lab", c.fn, c.args, c.kwargs)
		warnings, err := Validate(x)
		got := ""
		if err != nil {
			got = err.Error()
			if !strings.HasPrefix(got, "xtrigger @lab = "+c.fn) {
				t.Errorf("%s: error %q does not name the xtrigger", x.Signature(), got)
			}
		}
		if (c.err == "") != (err == nil) || !strings.Contains(got, c.err) {
			t.Errorf("%s: error %q, want %q", x.Signature(), got, c.err)
		}
		w := strings.Join(warnings, "\n")
		if (c.warning == "") != (w == "") || !strings.Contains(w, c.warning) {
			t.Errorf("%s: warnings %q, want %q", x.Signature(), w, c.warning)
		}
	}
}

func TestStrTemplates(t *testing.T) {
	for in, want := range map[string]string{
		"%(a)s %(b_1)s":   "a b_1",
		"%%(a)s":          "",
		"%%%(a)s":         "", // Cylc's pattern skips it (the "%" before is a "%")
		"%(a)d %(b)s":     "b",
		"%()s %(a) %(a)s": "a",
		"%(":              "",
	} {
		if got := strings.Join(strTemplates(in), " "); got != want {
			t.Errorf("strTemplates(%q) = %q, want %q", in, got, want)
		}
	}
}
