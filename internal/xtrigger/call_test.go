package xtrigger

import (
	"strings"
	"testing"
)

var testCtx = Context{
	Point: "20100101T0000Z", Name: "foo", Workflow: "me/run1", UserName: "alice",
	RunDir: "/r/me/run1", ShareDir: "/r/me/run1/share",
}

func TestSignatureTemplates(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []any
		kwargs map[string]any
		fn     string
		want   string
	}{
		{"point and name", []any{"%(workflow)s//%(point)s/%(name)s"}, nil, "echo",
			"echo(me/run1//20100101T0000Z/foo)"},
		{"id defaults to point/name", []any{"%(id)s"}, nil, "echo", "echo(20100101T0000Z/foo)"},
		{"user, dirs and debug", nil, map[string]any{"u": "%(user_name)s", "d": "%(debug)s", "r": "%(workflow_run_dir)s", "s": "%(workflow_share_dir)s"},
			"echo", "echo(d=False, r=/r/me/run1, s=/r/me/run1/share, u=alice)"},
		{"deprecated names", []any{"%(suite_name)s %(workflow_name)s %(suite_run_dir)s %(suite_share_dir)s"}, nil, "echo",
			"echo(me/run1 me/run1 /r/me/run1 /r/me/run1/share)"},
		{"escaped percent stays literal", []any{"100%% %%(point)s"}, nil, "echo", "echo(100% %(point)s)"},
		{"width and flags", []any{"[%(name)5s|%(name)-5s]"}, nil, "echo", "echo([  foo|foo  ])"},
		{"wrong conversion keeps the argument (Python TypeError)", []any{"%(point)d"}, nil, "echo", "echo(%(point)d)"},
		{"non-strings untouched", []any{1, 2.5, true, nil}, map[string]any{"succeed": true}, "echo",
			"echo(1, 2.5, True, None, succeed=True)"},
		{"kwargs sorted, sequential dropped", nil, map[string]any{"b": 1, "a": "x", "sequential": true}, "echo", "echo(a=x, b=1)"},
		{"pre-8.3 workflow_state is renamed", []any{"up", "foo", "%(point)s"}, map[string]any{"cylc_run_dir": "/x"}, "workflow_state",
			"_workflow_state_backcompat(up, foo, 20100101T0000Z, cylc_run_dir=/x)"},
		{"current workflow_state keeps its name", []any{"up//%(point)s/foo"}, map[string]any{"offset": "PT1H"}, "workflow_state",
			"workflow_state(up//20100101T0000Z/foo, offset=PT1H)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Signature(Call{Xtrigger: xt("x", c.fn, c.args, c.kwargs), Ctx: testCtx})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestSignatureDebugAndID(t *testing.T) {
	ctx := testCtx
	ctx.Debug, ctx.ID = true, "explicit/id"
	got, err := Signature(Call{Xtrigger: xt("x", "echo", []any{"%(debug)s %(id)s"}, nil), Ctx: ctx})
	if err != nil || got != "echo(True explicit/id)" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestSignatureTemplateErrors(t *testing.T) {
	for _, c := range []struct {
		arg  string
		want []string
	}{
		{"%(pint)s", []string{`xtrigger @lab = echo(%(pint)s)`, `argument 1 "%(pint)s": illegal template %(pint)s`, `did you mean "point"?`}},
		{"50%", []string{`argument 1 "50%"`, "write %% for a literal %"}},
	} {
		_, err := Signature(Call{Xtrigger: xt("lab", "echo", []any{c.arg}, nil), Ctx: testCtx})
		if err == nil {
			t.Fatalf("%s: no error", c.arg)
		}
		if !isPermanent(err) {
			t.Errorf("%s: error %v is not permanent", c.arg, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.arg, err, w)
			}
		}
	}
}

// Identical calls from different tasks dedupe only when the substituted
// signature is the same.
func TestSignatureDedupe(t *testing.T) {
	x := xt("up", "workflow_state", []any{"up//%(point)s/foo"}, nil)
	sig := func(point, name string) string {
		s, err := Signature(Call{Xtrigger: x, Ctx: Context{Point: point, Name: name}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if sig("1", "a") != sig("1", "b") {
		t.Error("same point, different tasks: signatures differ")
	}
	if sig("1", "a") == sig("2", "a") {
		t.Error("different points: signatures equal")
	}
}

func TestBindArgs(t *testing.T) {
	for _, c := range []struct {
		args   []any
		kwargs map[string]any
		want   string
	}{
		{nil, nil, "missing a required argument: 'workflow_task_id'"},
		{[]any{1, 2, 3, 4, 5, 6, 7}, nil, "too many positional arguments"},
		{[]any{"a"}, map[string]any{"workflow_task_id": "b"}, "multiple values for argument 'workflow_task_id'"},
		{[]any{"a"}, map[string]any{"status": "x"}, "got an unexpected keyword argument 'status'"},
		{[]any{"a"}, map[string]any{"is_trigger": true}, ""},
	} {
		_, err := bindArgs(workflowStateParams, c.args, c.kwargs)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("bind(%v, %v) = %q, want %q", c.args, c.kwargs, got, c.want)
		}
	}
	got, err := bindArgs(backcompatParams, []any{"w", "t", 1}, map[string]any{"message": "m"})
	if err != nil {
		t.Fatal(err)
	}
	if got["status"] != "succeeded" || got["message"] != "m" || got["offset"] != nil || got["point"] != 1 {
		t.Errorf("defaults: %v", got)
	}
}
