package xtrigger

import (
	"errors"
	"fmt"
)

// param is one parameter of a built-in function's Python signature.
type param struct {
	name     string
	def      any  // the default value
	required bool // no default
}

// Python signatures of the built-ins, parameter for parameter, so that a
// call binds (and fails to bind) exactly as Cylc's signature check does.
var (
	workflowStateParams = []param{
		{name: "workflow_task_id", required: true},
		{name: "offset"},
		{name: "flow_num"},
		{name: "is_trigger", def: false},
		{name: "is_message", def: false},
		{name: "alt_cylc_run_dir"},
	}
	// backcompatParams is the workflow_state signature of Cylc 8.0-8.2.
	backcompatParams = []param{
		{name: "workflow", required: true},
		{name: "task", required: true},
		{name: "point", required: true},
		{name: "offset"},
		{name: "status", def: "succeeded"},
		{name: "message"},
		{name: "cylc_run_dir"},
	}
	// suiteStateParams is Cylc 7's suite_state.
	suiteStateParams = []param{
		{name: "suite", required: true},
		{name: "task", required: true},
		{name: "point", required: true},
		{name: "offset"},
		{name: "status", def: "succeeded"},
		{name: "message"},
		{name: "cylc_run_dir"},
		{name: "debug", def: false},
	}
	xrandomParams = []param{
		{name: "percent", required: true},
		{name: "secs", def: 0},
		{name: "_"},
	}
	wallClockParams = []param{
		{name: "offset", def: "PT0S"},
	}
)

// backcompatFunc is the name Cylc gives a workflow_state call written in
// the pre-8.3 form once it has recognised it.
const backcompatFunc = "_workflow_state_backcompat"

// bindArgs matches positional and keyword arguments to ps as Python's
// inspect.Signature.bind does, with its messages, and returns every
// parameter's value (defaults filled in).
func bindArgs(ps []param, args []any, kwargs map[string]any) (map[string]any, error) {
	if len(args) > len(ps) {
		return nil, errors.New("too many positional arguments")
	}
	out := make(map[string]any, len(ps))
	for i, a := range args {
		if _, dup := kwargs[ps[i].name]; dup {
			return nil, fmt.Errorf("multiple values for argument '%s'", ps[i].name)
		}
		out[ps[i].name] = a
	}
	for _, p := range ps[len(args):] {
		if v, ok := kwargs[p.name]; ok {
			out[p.name] = v
			continue
		}
		if p.required {
			return nil, fmt.Errorf("missing a required argument: '%s'", p.name)
		}
		out[p.name] = p.def
	}
	for _, k := range sortedKeys(kwargs) {
		if _, ok := out[k]; !ok {
			return nil, fmt.Errorf("got an unexpected keyword argument '%s'", k)
		}
	}
	return out, nil
}
