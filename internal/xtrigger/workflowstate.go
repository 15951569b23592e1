package xtrigger

import (
	"context"

	"gyre/internal/pyformat"
	"gyre/internal/task"
)

// stateArgs are workflow_state's arguments (Cylc 8.3+ signature).
type stateArgs struct {
	id                   string
	offset               any // nil or a duration string
	flow                 any // nil or an int
	isTrigger, isMessage bool
	altRunDir            any // nil or a directory
}

func (b *bound) stateArgs(args map[string]any) (stateArgs, error) {
	id, ok := args["workflow_task_id"].(string)
	if !ok {
		return stateArgs{}, b.fail("workflow_task_id must be an ID such as WORKFLOW//CYCLE/TASK:STATUS, not %s", pyformat.Str(args["workflow_task_id"]))
	}
	s := stateArgs{id: id, offset: args["offset"], flow: args["flow_num"], altRunDir: args["alt_cylc_run_dir"],
		isTrigger: truthy(args["is_trigger"]), isMessage: truthy(args["is_message"])}
	if s.flow != nil {
		if _, ok := s.flow.(int); !ok {
			return stateArgs{}, b.fail("flow_num must be an integer if given, not %s", pyformat.Str(s.flow))
		}
	}
	return s, nil
}

// poll runs one workflow-state query for the xtrigger.
func (s stateArgs) poll(ctx context.Context, env Env) (bool, *StatePoller, error) {
	q := StateQuery{ID: s.id, ByTrigger: s.isTrigger, ByMessage: s.isMessage, DefaultSelector: task.OutSucceeded}
	if s.offset != nil {
		q.Offset = pyformat.Str(s.offset)
	}
	if f, ok := s.flow.(int); ok {
		q.Flow = f
	}
	if s.altRunDir != nil {
		q.RunRoot = pyformat.Str(s.altRunDir)
	}
	p, err := NewStatePoller(q, env)
	if err != nil {
		return false, nil, err
	}
	defer p.Close()
	rows, err := p.Check(ctx)
	return len(rows) > 0, p, err
}

// workflowState is Cylc 8.3+'s workflow_state(workflow_task_id, offset,
// flow_num, is_trigger, is_message, alt_cylc_run_dir): satisfied when a
// task in another workflow's database has reached the status (default
// succeeded) or completed the output its ID selects.
func workflowState(ctx context.Context, b *bound, env Env) (bool, ordered, error) {
	args, err := bindArgs(workflowStateParams, b.args, b.kwargs)
	if err != nil {
		return false, nil, b.fail("%v", err)
	}
	s, err := b.stateArgs(args)
	if err != nil {
		return false, nil, err
	}
	ok, p, err := s.poll(ctx, env)
	if err != nil || !ok {
		return false, nil, err
	}
	var res ordered
	res.add("workflow", p.Workflow())
	res.add("task", nilIfEmpty(p.task))
	res.add("point", nilIfEmpty(p.Cycle()))
	if s.altRunDir != nil {
		res.add("cylc_run_dir", s.altRunDir)
	}
	if s.offset != nil {
		res.add("offset", s.offset)
	}
	if s.flow != nil {
		res.add("flow_num", s.flow)
	}
	switch {
	case s.isMessage:
		res.add("message", p.selector)
	case s.isTrigger:
		res.add("trigger", p.selector)
	default:
		res.add("status", p.selector)
	}
	return true, res, nil
}

// nilIfEmpty is None for an ID part not given.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// upgradeBackcompat turns the arguments of the Cylc 8.0-8.2 workflow_state
// (or Cylc 7 suite_state) into those of the current one, exactly as Cylc
// does; in particular a message is used only if status is given as None,
// since status defaults to "succeeded".
func upgradeBackcompat(args map[string]any) stateArgs {
	id := pyformat.Str(args["workflow"]) + "//" + pyformat.Str(args["point"]) + "/" + pyformat.Str(args["task"])
	s := stateArgs{offset: args["offset"], altRunDir: args["cylc_run_dir"]}
	switch {
	case args["status"] != nil:
		id += ":" + pyformat.Str(args["status"])
	case args["message"] != nil:
		id += ":" + pyformat.Str(args["message"])
		s.isMessage = true
	}
	s.id = id
	return s
}

// workflowStateBackcompat is the pre-8.3 workflow_state(workflow, task,
// point, offset, status, message, cylc_run_dir) and Cylc 7's suite_state
// (which names its first argument suite, and takes debug): the query runs
// as the upgraded call, and the results are the arguments as given.
func workflowStateBackcompat(ctx context.Context, b *bound, env Env) (bool, ordered, error) {
	ps := backcompatParams
	if b.fn == "suite_state" {
		ps = suiteStateParams
	}
	args, err := bindArgs(ps, b.args, b.kwargs)
	if err != nil {
		return false, nil, b.fail("%v", err)
	}
	if b.fn == "suite_state" {
		args["workflow"] = args["suite"]
	}
	ok, _, err := upgradeBackcompat(args).poll(ctx, env)
	if err != nil || !ok {
		return false, nil, err
	}
	var res ordered
	for _, k := range []string{"workflow", "task", "point", "offset", "status", "message", "cylc_run_dir"} {
		res.add(k, args[k])
	}
	return true, res, nil
}
