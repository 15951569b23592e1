package config

import (
	"path/filepath"

	"gyre/internal/flowfile"
	"gyre/internal/param"
)

// Options adjust Build the way `cylc config` / `cylc validate` options do.
type Options struct {
	// InitialCyclePoint, if set, replaces [scheduling]initial cycle point
	// (--initial-cycle-point).
	InitialCyclePoint string
	// WorkflowID is the workflow's ID, which [meta]URL templates may use;
	// by default the name of the workflow directory.
	WorkflowID string
}

// Workflow is a validated workflow configuration.
type Workflow struct {
	Path  string // the flow.cylc or suite.rc it was loaded from
	Cylc7 bool   // Cylc 7 back-compatibility mode: all outputs optional, etc.

	// Warnings from upgrading Cylc 7 items and other non-fatal checks, in
	// the order Cylc emits them.
	Warnings []Warning

	// Tree is the processed configuration as `cylc config` shows it:
	// namespaces expanded and inherited; Get on it falls back on defaults.
	Tree *Node

	// Namespaces holds every [runtime] namespace, root included, after
	// expansion and inheritance.
	Namespaces map[string]*Namespace
	// NamespaceOrder lists namespace names root first, then in definition
	// order, then implicit tasks in the order AddImplicitTask added them.
	NamespaceOrder []string

	// Params are the [task parameters] with their templates (Cylc's
	// defaults filled in), for expanding graph strings.
	Params *param.Set

	id         string
	paramOrder []param.Param
	taskParams map[string][]ParamValue
	// derived holds values Cylc computes after loading (upgraded event
	// names, expanded URLs, standardised cycle points...), which the
	// defaults listing and the typed accessors show, keyed by item path.
	derived map[string]any
}

// Namespace is one [runtime] task or family after inheritance.
type Namespace struct {
	Name string
	// Parents are the declared parents (root when none are declared, a
	// leading "None" dropped).
	Parents     []string
	FirstParent string // "" for root
	// MRO is the C3 linearisation: the namespace itself first, root last.
	MRO []string
	// FirstParentAncestors follows first parents only, up to root (used to
	// draw families).
	FirstParentAncestors []string
	IsFamily             bool // some other namespace inherits from it
	Implicit             bool // used in the graph only (see AddImplicitTask)
	// Settings are the inherited settings; Get falls back on defaults.
	Settings *Node
	Pos      flowfile.Pos
	// ParamValues are the parameter values of a parameterised namespace
	// (CYLC_TASK_PARAM_<name> in its jobs), in declaration order.
	ParamValues []ParamValue
}

// Build validates f against the Cylc 8.7 schema, applies Cylc 7 upgrades,
// expands [runtime] namespace lists and parameters, linearises
// inheritance and checks what can be checked without the graph. On failure
// the error is an *ErrorList holding every problem found.
func Build(f *flowfile.File, opts Options) (*Workflow, error) {
	errs := &ErrorList{}
	root := f.Root
	if root == nil {
		root = &flowfile.Section{}
	}
	raw := rawFromSection(root)
	u := &upgrader{root: raw, cylc7: f.Cylc7, errs: errs}
	u.apply()
	warns := u.warnings
	tree := validate(raw, errs, &warns)
	if len(errs.Errors) > 0 {
		return nil, errs
	}
	w := &Workflow{
		Path: f.Path, Cylc7: f.Cylc7, Warnings: warns, Tree: tree,
		Namespaces: map[string]*Namespace{}, derived: map[string]any{},
		id: opts.WorkflowID,
	}
	if w.id == "" {
		w.id = filepath.Base(f.Dir)
	}
	w.process(opts, errs)
	if len(errs.Errors) > 0 {
		return nil, errs
	}
	return w, nil
}

// process runs Cylc's post-validation steps (config.py), in its order.
func (w *Workflow) process(opts Options, errs *ErrorList) {
	w.checkInstall(errs)
	sched := w.Tree.lookup("scheduling")
	switch {
	case sched == nil:
		errs.add(flowfile.Pos{File: w.Path}, "every workflow needs a [scheduling][[graph]] section", "missing [scheduling] section")
		return
	case sched.lookup("graph") == nil:
		errs.add(sched.pos, "add a [[graph]] section under [scheduling]", "missing [scheduling][[graph]] section")
		return
	}
	if opts.InitialCyclePoint != "" {
		sched.put(newItem("initial cycle point", schedulingSpec.byName["initial cycle point"], flowfile.Pos{}, opts.InitialCyclePoint))
	}
	if !w.prelimProcessGraph(sched, errs) {
		return
	}
	rt := w.Tree.lookup("runtime")
	if rt == nil {
		rt = w.Tree.ensureSection("runtime")
	}
	if rt.lookup("root") == nil {
		rt.put(newSection("root", runtimeSpec.many, flowfile.Pos{}))
	}
	w.loadParams(errs)
	w.expandSpecialTasksAndQueues(sched, errs)
	w.checkEnvNames(rt, errs)
	w.checkParamEnvTemplates(rt)
	w.checkForOwner(rt, errs)
	if len(errs.Errors) > 0 {
		return
	}
	if !w.expandRuntime(rt, errs) {
		return
	}
	w.validateNamespaceNames(errs)
	if !w.computeFamilyTree(errs) {
		return
	}
	w.computeInheritance()
	w.filterEnv()
	w.deriveDefaults()
	w.upgradeWorkflowEventNames()
	w.checkSpecialTasks(errs)
	w.checkXtriggerNames(errs)
	w.processMetadataURLs(errs)
	w.checkRunaheadLimit(errs)
}
