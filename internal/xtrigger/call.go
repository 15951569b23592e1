package xtrigger

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

// Context is what Cylc lets an xtrigger's arguments refer to: the task that
// depends on the xtrigger and the workflow it belongs to.
type Context struct {
	// Point, Name and ID are the dependent task's cycle point (as the
	// workflow writes points), name and ID; ID defaults to Point/Name.
	Point, Name, ID string
	// Workflow is the workflow ID (NAME/runN).
	Workflow string
	// UserName is the account the workflow runs under.
	UserName string
	// Debug is whether the scheduler runs in debug mode.
	Debug bool
	// RunDir and ShareDir are the workflow's run and share directories.
	RunDir, ShareDir string
}

// Call is an xtrigger definition bound to the task that needs it.
type Call struct {
	Xtrigger config.Xtrigger
	Ctx      Context
}

// templateNames are the %(name)s templates Cylc 8.7 offers (its
// TemplateVariables), in its documentation order; the last four are
// deprecated aliases.
var templateNames = []string{
	"point", "debug", "workflow_run_dir", "workflow_share_dir", "id", "name",
	"user_name", "workflow",
	"workflow_name", "suite_name", "suite_run_dir", "suite_share_dir",
}

// deprecatedTemplates are the Cylc 7 names Cylc 8 still accepts, with a
// warning.
var deprecatedTemplates = map[string]bool{
	"workflow_name": true, "suite_name": true, "suite_run_dir": true, "suite_share_dir": true,
}

// templates maps each template name to its value for this context.
//
// Cylc 8.7 maps suite_run_dir and suite_share_dir to the workflow ID, a
// slip in its code; Gyre gives them the directories their names (and
// Cylc's documentation) promise.
func (c Context) templates() map[string]any {
	id := c.ID
	if id == "" {
		id = c.Point + "/" + c.Name
	}
	return map[string]any{
		"point":              c.Point,
		"name":               c.Name,
		"id":                 id,
		"workflow":           c.Workflow,
		"user_name":          c.UserName,
		"debug":              c.Debug,
		"workflow_run_dir":   c.RunDir,
		"workflow_share_dir": c.ShareDir,
		"workflow_name":      c.Workflow,
		"suite_name":         c.Workflow,
		"suite_run_dir":      c.RunDir,
		"suite_share_dir":    c.ShareDir,
	}
}

// reservedKwarg is the keyword Cylc takes out of every call before it is
// made: it marks the xtrigger as sequential (a spawning matter) and is
// neither passed to the function nor part of its signature.
const reservedKwarg = "sequential"

// bound is a call after template substitution: what the function gets.
type bound struct {
	label  string
	fn     string // the function name, as the signature shows it
	args   []any
	kwargs map[string]any
}

// substitute applies the task's templates to every string argument with
// Python's "%" operator, as Cylc's get_xtrig_ctx does. Where Python raises
// TypeError (a conversion that does not fit its value) Cylc keeps the
// argument as written, and so does this; an unknown template or a stray
// "%" is an error.
func (c Call) substitute() (*bound, error) {
	x := c.Xtrigger
	tmpl := c.Ctx.templates()
	b := &bound{label: x.Label, fn: x.Func, kwargs: make(map[string]any, len(x.Kwargs))}
	sub := func(name string, v any) (any, error) {
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		out, err := pyformat.Mapping(s, tmpl)
		if err == nil {
			return out, nil
		}
		if errors.Is(err, pyformat.ErrWrongType) {
			return v, nil
		}
		return nil, c.templateError(name, s, err)
	}
	for i, a := range x.Args {
		v, err := sub(fmt.Sprintf("argument %d", i+1), a)
		if err != nil {
			return nil, err
		}
		b.args = append(b.args, v)
	}
	for k, a := range x.Kwargs {
		if k == reservedKwarg {
			continue
		}
		v, err := sub(k, a)
		if err != nil {
			return nil, err
		}
		b.kwargs[k] = v
	}
	if b.fn == "workflow_state" && isBackcompat(b.args, b.kwargs) {
		// Cylc renames a call in the pre-8.3 form when it validates it.
		b.fn = backcompatFunc
	}
	return b, nil
}

func (c Call) templateError(arg, value string, err error) error {
	x := c.Xtrigger
	var pe *pyformat.Error
	if errors.As(err, &pe) && errors.Is(err, pyformat.ErrMissingKey) {
		return &callError{label: x.Label, sig: x.Signature(), msg: fmt.Sprintf(
			"%s %q: illegal template %%(%s)s%s; the templates are %s",
			arg, value, pe.Key, suggest.Hint(pe.Key, templateNames), strings.Join(templateNames[:8], ", "))}
	}
	return &callError{label: x.Label, sig: x.Signature(), msg: fmt.Sprintf(
		"%s %q: %v (write %%%% for a literal %%)", arg, value, err)}
}

// signature is the call as Cylc writes it: positional arguments, then
// keyword arguments sorted by name, each as Python's str() shows it.
func (b *bound) signature() string {
	x := config.Xtrigger{Func: b.fn, Args: b.args, Kwargs: b.kwargs}
	return x.Signature()
}

// Signature is the call with the task's templates substituted, as Cylc
// writes it ("workflow_state(up//2020/foo)"). Calls with equal signatures
// are one call: they are evaluated once and their result serves every
// task that asked. It is also the key of the run database's xtriggers
// table.
func Signature(c Call) (string, error) {
	b, err := c.substitute()
	if err != nil {
		return "", err
	}
	return b.signature(), nil
}

// callError is a call that can never succeed: an unknown function, bad
// arguments or a bad template. Retrying it is pointless.
type callError struct {
	label, sig, msg string
}

func (e *callError) Error() string {
	return fmt.Sprintf("xtrigger @%s = %s: %s", e.label, e.sig, e.msg)
}

// isPermanent reports whether err says the call itself is wrong (unknown
// function, bad arguments or templates), so that calling it again cannot
// help; other errors (a database that cannot be read just now) may pass.
func isPermanent(err error) bool {
	var ce *callError
	return errors.As(err, &ce)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// isBackcompat reports whether workflow_state arguments are in the Cylc
// 8.0-8.2 form: they do not fit the current signature but fit that one.
func isBackcompat(args []any, kwargs map[string]any) bool {
	if _, err := bindArgs(workflowStateParams, args, kwargs); err == nil {
		return false
	}
	_, err := bindArgs(backcompatParams, args, kwargs)
	return err == nil
}
