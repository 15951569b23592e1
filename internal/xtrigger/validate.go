package xtrigger

import (
	"fmt"
	"strings"

	"gyre/internal/config"
	"gyre/internal/pyformat"
	"gyre/internal/suggest"
	"gyre/internal/task"
)

// Validate checks an xtrigger definition as Cylc does when it loads a
// workflow: the function exists, the arguments fit its signature, the
// function's own checks pass (echo needs succeed=True/False, xrandom a
// percentage, workflow_state a full task ID and a pollable status) and the
// templates exist. It returns Cylc's warnings: a deprecated template, a
// suite_state call, or a pre-8.3 workflow_state call (which it upgrades).
func Validate(x config.Xtrigger) (warnings []string, err error) {
	b := &bound{label: x.Label, fn: x.Func, args: x.Args, kwargs: make(map[string]any, len(x.Kwargs))}
	for k, v := range x.Kwargs {
		if k == reservedKwarg {
			if _, ok := v.(bool); !ok {
				return nil, b.fail("invalid argument 'sequential=%s' - must be boolean", pyformat.Str(v))
			}
			continue
		}
		b.kwargs[k] = v
	}
	switch x.Func {
	case "echo":
		if _, ok := b.kwargs["succeed"].(bool); !ok {
			return nil, b.fail("Requires 'succeed=True/False' arg")
		}
	case "xrandom":
		err = validateXrandom(b)
	case "wall_clock":
		_, err = bindArgs(wallClockParams, b.args, b.kwargs)
	case "workflow_state":
		warnings, err = validateWorkflowState(b)
	case "suite_state":
		if _, err = bindArgs(suiteStateParams, b.args, b.kwargs); err == nil {
			warnings = append(warnings, "The suite_state xtrigger is deprecated. Please use the workflow_state xtrigger instead.")
		}
	default:
		return nil, b.fail("%s", unknownFunc(x.Func))
	}
	if err != nil {
		if !isPermanent(err) {
			err = b.fail("%v", err)
		}
		return nil, err
	}
	w, err := checkTemplates(b)
	return append(warnings, w...), err
}

func validateXrandom(b *bound) error {
	args, err := bindArgs(xrandomParams, b.args, b.kwargs)
	if err != nil {
		return err
	}
	switch p := args["percent"].(type) {
	case int:
		if p < 0 || p > 100 {
			return b.fail("'percent' should be a float between 0 and 100")
		}
	case float64:
		if !(p >= 0 && p <= 100) {
			return b.fail("'percent' should be a float between 0 and 100")
		}
	default:
		return b.fail("'percent' should be a float between 0 and 100")
	}
	if _, ok := args["secs"].(int); !ok {
		return b.fail("'secs' should be an integer")
	}
	return nil
}

// validateWorkflowState checks a workflow_state call, upgrading one in the
// Cylc 8.0-8.2 form with Cylc's warning.
func validateWorkflowState(b *bound) ([]string, error) {
	var warnings []string
	args, err := bindArgs(workflowStateParams, b.args, b.kwargs)
	var s stateArgs
	if err == nil {
		if s, err = b.stateArgs(args); err != nil {
			return nil, err
		}
	} else {
		old, oerr := bindArgs(backcompatParams, b.args, b.kwargs)
		if oerr != nil {
			return nil, err // the error against the current signature
		}
		s = upgradeBackcompat(old)
		up := []string{"workflow_task_id=" + s.id}
		if s.offset != nil {
			up = append(up, "offset="+pyformat.Str(s.offset))
		}
		if s.altRunDir != nil {
			up = append(up, "alt_cylc_run_dir="+pyformat.Str(s.altRunDir))
		}
		up = append(up, "is_message="+pyformat.Str(s.isMessage))
		warnings = append(warnings, fmt.Sprintf("(8.3.0) Deprecated function signature used for workflow_state xtrigger "+
			"was automatically upgraded. Please alter your workflow to use the new syntax:\n    %s --> workflow_state(%s)",
			b.signature(), strings.Join(up, ", ")))
	}
	id, err := parseID(s.id)
	if err != nil {
		return nil, b.fail("%v", err)
	}
	if id.Workflow == "" || id.Cycle == "" || id.Task == "" {
		return nil, b.fail("Full ID needed: workflow//cycle/task[:selector].")
	}
	sel := id.selector()
	if sel == "" {
		sel = task.OutSucceeded
	}
	if err := checkPolling(sel, s.isTrigger || s.isMessage); err != nil {
		return nil, b.fail("%v", err)
	}
	return warnings, nil
}

// checkPolling refuses what Cylc's check_polling_config refuses for a
// status selector: an unknown status, one with no output to look for, and
// a transient one that a poller could miss.
func checkPolling(sel string, output bool) error {
	if sel == "" || output {
		return nil
	}
	st, ok := task.ParseStatus(sel)
	if !ok {
		var names []string
		for s := task.Waiting; s <= task.Succeeded; s++ {
			names = append(names, s.String())
		}
		return fmt.Errorf("no such task state %q%s; the task states are %s (use --triggers or --messages to match outputs)",
			sel, suggest.Hint(sel, names), strings.Join(names, ", "))
	}
	switch st {
	case task.Waiting, task.Preparing:
		return fmt.Errorf("cannot poll for the %q task state", sel)
	case task.Submitted:
		return transient(sel, task.OutSubmitted)
	case task.Running:
		return transient(sel, task.OutStarted)
	}
	return nil
}

func transient(status, trigger string) error {
	return fmt.Errorf("polling for the %q task status is not reliable as it is a transient state; poll for the %q trigger instead", status, trigger)
}

// checkTemplates finds the %(name)s templates in string arguments, as
// Cylc's pattern (?<!%)%\((\w+)\)s does: an unknown one is an error, a
// deprecated one a warning.
func checkTemplates(b *bound) ([]string, error) {
	known := make(map[string]bool, len(templateNames))
	for _, n := range templateNames {
		known[n] = true
	}
	used := map[string]bool{}
	vals := append([]any{}, b.args...)
	for _, k := range sortedKeys(b.kwargs) {
		vals = append(vals, b.kwargs[k])
	}
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue
		}
		for _, name := range strTemplates(s) {
			if !known[name] {
				return nil, b.fail("Illegal template in xtrigger: %s%s", name, suggest.Hint(name, templateNames))
			}
			used[name] = true
		}
	}
	var dep []string
	for _, n := range templateNames {
		if used[n] && deprecatedTemplates[n] {
			dep = append(dep, n)
		}
	}
	if len(dep) == 0 {
		return nil, nil
	}
	return []string{fmt.Sprintf("Xtrigger %q uses deprecated template variables: %s", b.label, strings.Join(dep, ", "))}, nil
}

// strTemplates returns the names in "%(name)s" not preceded by "%".
func strTemplates(s string) []string {
	var names []string
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '%' || s[i+1] != '(' || (i > 0 && s[i-1] == '%') {
			continue
		}
		j := i + 2
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j > i+2 && j+1 < len(s) && s[j] == ')' && s[j+1] == 's' {
			names = append(names, s[i+2:j])
		}
	}
	return names
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
