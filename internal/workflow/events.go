package workflow

import (
	"fmt"
	"sort"
	"strings"

	"gyre/internal/config"
	"gyre/internal/graph"
)

// taskEvents are the task events Cylc knows (TaskEventsManager.STD_EVENTS):
// with a task's custom outputs, the valid names in "handler events" and
// "mail events".
var taskEvents = listSet("submitted", "submission timeout", "submission retry", "submission failed",
	"started", "execution timeout", "retry", "succeeded", "failed", "late", "expired",
	"warning", "critical", "custom")

// handlerKeys are the fields every event handler template may use (Cylc's
// EventData), besides the task's and workflow's metadata.
var handlerKeys = listSet("event", "workflow", "suite", "uuid", "suite_uuid", "point",
	"submit_num", "try_num", "id", "message", "job_runner_name", "batch_sys_name",
	"job_id", "batch_sys_job_id", "submit_time", "start_time", "finish_time",
	"platform_name", "user@host", "name", "task_url", "workflow_url",
	"<task metadata>", "workflow_<workflow metadata>")

// checkTaskEvents warns about unknown event names and rejects event
// handler templates that use fields a handler is not given (Cylc's
// _check_task_event_names and _check_task_event_handlers).
func (w *Workflow) checkTaskEvents(errs *checkErrors) {
	wfKeys := map[string]bool{}
	for _, k := range metaKeys(w.Config.Tree.Lookup("meta")) {
		wfKeys["workflow_"+k] = true
	}
	reported := map[string]bool{}
	for _, t := range w.defined {
		ns := w.Config.Namespaces[t]
		if ns == nil {
			continue
		}
		ev := ns.Settings.Lookup("events")
		if ev == nil {
			continue
		}
		outputs := map[string]bool{}
		if o := ns.Settings.Lookup("outputs"); o != nil {
			for _, it := range o.Items() {
				outputs[it.Name()] = true
			}
		}
		for _, setting := range []string{"handler events", "mail events"} {
			var bad []string
			for _, e := range ev.Get(setting).Strings() {
				if !taskEvents[e] && !outputs[e] && !contains(bad, e) {
					bad = append(bad, e)
				}
			}
			if len(bad) > 0 {
				sort.Strings(bad)
				w.Warnings = append(w.Warnings, fmt.Sprintf("Invalid event name(s) for [runtime][%s][events]%s: %s",
					t, setting, strings.Join(bad, ", ")))
			}
		}
		keys := map[string]bool{}
		for _, k := range metaKeys(ns.Settings.Lookup("meta")) {
			keys[k] = true
		}
		for _, it := range ev.Items() {
			name := it.Name()
			if name != "handlers" && !strings.HasSuffix(name, " handlers") {
				continue
			}
			for _, tmpl := range it.Strings() {
				problem := templateProblem(tmpl, func(k string) bool { return handlerKeys[k] || keys[k] || wfKeys[k] })
				if problem == "" || reported[tmpl+"\x00"+problem] {
					continue
				}
				reported[tmpl+"\x00"+problem] = true
				errs.add(w.settingPos(it, t), "handlers may use %(point)s, %(name)s, %(id)s, %(event)s, %(message)s, the task's [meta] items and workflow_<[meta] item>; write % as %%",
					"bad task event handler template %s: %s: %s", t, tmpl, problem)
			}
		}
	}
}

// metaKeys are the keys of a [meta] section as the defaults listing has
// them: title, description, URL and any custom items.
func metaKeys(meta *config.Node) []string {
	keys := []string{"title", "description", "URL"}
	if meta != nil {
		for _, it := range meta.Items() {
			if !contains(keys, it.Name()) {
				keys = append(keys, it.Name())
			}
		}
	}
	return keys
}

// templateProblem checks a Python %-template formatted with a mapping of
// strings, returning Python's complaint ("KeyError('x')", ...) or "".
func templateProblem(tmpl string, known func(string) bool) string {
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '%' {
			continue
		}
		i++
		if i >= len(tmpl) {
			return "ValueError('incomplete format')"
		}
		if tmpl[i] == '%' {
			continue
		}
		key, hasKey := "", false
		if tmpl[i] == '(' {
			depth, j := 1, i+1
			for ; j < len(tmpl) && depth > 0; j++ {
				switch tmpl[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return "ValueError('incomplete format key')"
			}
			key, hasKey = tmpl[i+1:j-1], true
			i = j
		}
		for i < len(tmpl) && strings.IndexByte("#0- +", tmpl[i]) >= 0 {
			i++
		}
		for i < len(tmpl) && (tmpl[i] >= '0' && tmpl[i] <= '9' || tmpl[i] == '*' || tmpl[i] == '.') {
			i++
		}
		for i < len(tmpl) && strings.IndexByte("hlL", tmpl[i]) >= 0 {
			i++
		}
		if i >= len(tmpl) {
			return "ValueError('incomplete format')"
		}
		conv := tmpl[i]
		if strings.IndexByte("sra", conv) < 0 {
			if strings.IndexByte("diouxXeEfFgGc", conv) >= 0 {
				return fmt.Sprintf("TypeError('%%%c format: handler fields are strings')", conv)
			}
			return fmt.Sprintf("ValueError(\"unsupported format character '%c' (0x%x) at index %d\")", conv, conv, i)
		}
		if hasKey && !known(key) {
			return fmt.Sprintf("KeyError(%s)", pyRepr(key))
		}
	}
	return ""
}

// checkPollingTasks checks the automatic workflow state polling tasks
// (foo<workflow::task:status> in the graph): deprecated, and they must not
// set a script or contradict the graph's status.
func (w *Workflow) checkPollingTasks(errs *checkErrors) {
	polling := map[string]graph.Polling{}
	for _, g := range w.Graphs {
		for t, p := range g.Polling {
			polling[t] = p
		}
	}
	if len(polling) == 0 {
		return
	}
	var names []string
	for _, t := range w.defined {
		if _, ok := polling[t]; ok {
			names = append(names, t)
		}
	}
	if w.opts.Validate {
		w.Warnings = append(w.Warnings, "Workflow state polling tasks are deprecated. Please convert to workflow_state xtriggers:\n * "+
			strings.Join(names, "\n * "))
	}
	for _, t := range names {
		ns := w.Config.Namespaces[t]
		if ns == nil {
			continue
		}
		if s := ns.Settings.Lookup("script"); s.String() != "" {
			errs.add(w.settingPos(s, t), "remove the script: the task runs `cylc workflow-state` itself",
				"script cannot be defined for automatic workflow polling task '%s':\n%s", t, s.String())
			continue
		}
		msg := ns.Settings.Lookup("workflow state polling", "message")
		if st := polling[t].Status; st != "" && msg != nil && msg.String() != st {
			errs.add(w.settingPos(msg, t), "",
				"Polling task %q must configure a target status or output message in the graph (:%s) or task definition (message = %q) but not both.",
				t, st, msg.String())
		}
	}
}
