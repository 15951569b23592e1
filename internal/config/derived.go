package config

import (
	"fmt"
	"regexp"
	"strings"

	"gyre/internal/flowfile"
	"gyre/internal/pyformat"
)

// Values that Cylc derives after loading, from the graph or from cycling,
// and that `cylc config` shows. The graph and cycle layers hand them back
// here so that printing matches Cylc.

// AddImplicitTask defines a task that the graph uses but [runtime] does
// not: it inherits root only, as in Cylc. The graph layer calls it in the
// order Cylc creates such tasks, which is the order `cylc config
// --defaults` lists them in. Adding a task twice is a no-op.
func (w *Workflow) AddImplicitTask(task string) error {
	if w.Namespaces[task] != nil {
		return nil
	}
	if err := CheckTaskName(task); err != nil {
		return fmt.Errorf("invalid task name %q: %v", task, err)
	}
	root := w.Namespaces["root"]
	settings := root.Settings.clone()
	settings.name = task
	w.Namespaces[task] = &Namespace{
		Name: task, Parents: []string{"root"}, FirstParent: "root",
		MRO: []string{task, "root"}, FirstParentAncestors: []string{task, "root"},
		Implicit: true, Settings: settings,
	}
	root.IsFamily = true
	w.NamespaceOrder = append(w.NamespaceOrder, task)
	w.namespaceURL(task, nil)
	return nil
}

// SetCompletion records the completion expression of a task (the graph
// layer derives it from the outputs the graph uses, or checks the one the
// task sets), adding an implicit task if needed. Call it once per task in
// the order of Cylc's task definitions: `cylc config` lists implicit tasks
// in that order.
func (w *Workflow) SetCompletion(task, expr string) error {
	if err := w.AddImplicitTask(task); err != nil {
		return err
	}
	ns := w.Namespaces[task]
	if ns.IsFamily {
		return fmt.Errorf("%s is a family, not a task", task)
	}
	sp := runtimeSpec.many.byName["completion"]
	ns.Settings.put(newItem("completion", sp, flowfile.Pos{}, expr))
	if ns.Implicit {
		// The sparse listing shows an implicit task with its completion
		// only.
		rt := w.Tree.lookup("runtime")
		entry := rt.lookup(task)
		if entry == nil {
			entry = newSection(task, runtimeSpec.many, flowfile.Pos{})
			rt.put(entry)
		}
		entry.put(newItem("completion", sp, flowfile.Pos{}, expr))
	}
	return nil
}

// SetDerived records a value Cylc computes while loading that only the
// defaults listing (Print with sparse=false) shows, such as the
// standardised "[scheduling]initial cycle point" or a "[scheduler]cycle
// point time zone" taken from the local time zone.
func (w *Workflow) SetDerived(item string, value any) error {
	keys := reItemSplit.Split(strings.TrimRight(strings.TrimLeft(item, "["), "]"), -1)
	sp := workflowSpec
	for _, k := range keys {
		if sp = sp.child(k); sp == nil {
			return fmt.Errorf("%q is not a valid configuration for flow.cylc", item)
		}
	}
	if sp.section {
		return fmt.Errorf("%q is a section, not a setting", item)
	}
	w.derived[itemPath(keys, false)] = value
	return nil
}

var (
	reWorkflowIDVar = regexp.MustCompile(`\$\{?CYLC_WORKFLOW_(REG_)?ID\}?`)
	reTaskNameVar   = regexp.MustCompile(`\$\{?CYLC_TASK_NAME\}?`)
)

// processMetadataURLs expands the templates Cylc allows in [meta]URL
// (%(workflow)s, and %(task)s for namespaces, plus their Cylc 7 names and
// ${CYLC_WORKFLOW_ID} / ${CYLC_TASK_NAME}). The results are what the
// scheduler and the defaults listing see; the sparse listing keeps the
// templates.
func (w *Workflow) processMetadataURLs(errs *ErrorList) {
	it := w.Tree.Get("meta", "URL")
	url, err := w.expandURL(it.String(), "", "[meta]URL", it.pos)
	if err != nil {
		errs.add(it.pos, "use %(workflow)s; write %% as %%%%", "invalid template [meta]URL: %s", it.String())
	}
	w.derived["[meta]URL"] = url
	for _, name := range w.NamespaceOrder {
		w.namespaceURL(name, errs)
	}
}

func (w *Workflow) namespaceURL(name string, errs *ErrorList) {
	where := "[runtime][" + name + "][meta]URL"
	it := w.Namespaces[name].Settings.Lookup("meta", "URL")
	if it.String() == "" {
		w.derived[where] = "" // nothing to expand (most namespaces)
		return
	}
	url, err := w.expandURL(it.String(), name, where, it.pos)
	if err != nil && errs != nil {
		errs.add(it.pos, "use %(workflow)s and %(task)s; write %% as %%%%", "invalid template %s: %s", where, it.String())
	}
	w.derived[where] = url
}

func (w *Workflow) expandURL(url, task, where string, pos flowfile.Pos) (string, error) {
	vals := map[string]any{"workflow": w.id}
	if task != "" {
		vals["task"] = task
	}
	out, err := pyformat.Mapping(url, vals)
	if err != nil {
		vals["suite_name"] = w.id
		if task != "" {
			vals["task_name"] = task
		}
		if out, err = pyformat.Mapping(url, vals); err != nil {
			return url, err
		}
		w.Warnings = append(w.Warnings, Warning{Pos: pos, Kind: WarnDeprecated,
			Msg: "Detected deprecated template variables in " + where + ".\nSee the configuration documentation for details."})
	}
	out = reWorkflowIDVar.ReplaceAllLiteralString(out, w.id)
	if task != "" {
		out = reTaskNameVar.ReplaceAllLiteralString(out, task)
	}
	return out, nil
}
