package workflow

import (
	"fmt"
	"regexp"
	"strings"

	"gyre/internal/config"
)

// checkSpecialTasks adds the special tasks that [runtime] does not define
// to the implicit tasks (Cylc's _check_special_tasks).
func (w *Workflow) checkSpecialTasks(sched *config.Scheduling, implicit []string) []string {
	seen := listSet(implicit...)
	lists := [][]string{sched.ClockTrigger, sched.ClockExpire, sched.ExternalTrigger, sched.Sequential}
	for _, list := range lists {
		for _, item := range list {
			name, _, _ := strings.Cut(item, "(")
			name = strings.TrimSpace(name)
			if w.Config.Namespaces[name] == nil && !seen[name] {
				seen[name] = true
				implicit = append(implicit, name)
			}
		}
	}
	return implicit
}

// warnQueues warns about queue members that are not tasks (Cylc's
// _warn_if_queues_have_implicit_tasks).
func (w *Workflow) warnQueues(sched *config.Scheduling) {
	const maxLines = 5
	var lines []string
	more := false
	for _, q := range sched.Queues {
		for _, m := range q.Members {
			if w.Config.Namespaces[m] != nil || contains(w.defined, m) {
				continue
			}
			if len(lines) >= maxLines {
				more = true
				continue
			}
			lines = append(lines, fmt.Sprintf("\n * task %s in queue %s", pyRepr(m), pyRepr(q.Name)))
		}
	}
	if len(lines) == 0 {
		return
	}
	msg := "Queues contain tasks not defined in runtime: " + strings.Join(lines, "")
	if more {
		msg += fmt.Sprintf("\n...showing first %d tasks...", maxLines)
	}
	w.Warnings = append(w.Warnings, msg)
}

// pyRepr quotes a string as Python's repr does for plain text.
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

// checkExternalTriggers makes sure each external trigger message is used
// by one task only: it is consumed when it triggers a task.
func (w *Workflow) checkExternalTriggers(sched *config.Scheduling, errs *checkErrors) {
	seen := map[string]string{}
	for _, item := range sched.ExternalTrigger {
		m := reExtTrigger.FindStringSubmatch(item)
		if m == nil {
			continue
		}
		name, msg := strings.TrimSpace(m[1]), m[2]
		if prev, ok := seen[msg]; ok && prev != name {
			errs.add(w.Config.Tree.Get("scheduling", "special tasks", "external-trigger").Pos(),
				"give each task its own trigger message",
				"external triggers must be used only once: %q is used in tasks %s and %s", msg, name, prev)
			return
		}
		seen[msg] = name
	}
}

var reExtTrigger = regexp.MustCompile(`^(.*)\(\s*(.*)\s*\)\s*$`)

// upgradeClockTriggers makes tasks of the clock-trigger special tasks that
// the graph does not use: Cylc defines them (it turns each clock trigger
// into a wall_clock xtrigger on the task) and so lists them. It also
// carries Cylc's deprecation warning.
func (w *Workflow) upgradeClockTriggers(sched *config.Scheduling) {
	if len(sched.ClockTrigger) == 0 {
		return
	}
	w.Warnings = append(w.Warnings, "Clock-trigger is deprecated; please use @wall_clock")
	for _, item := range sched.ClockTrigger {
		name, _, _ := strings.Cut(item, "(")
		name = strings.TrimSpace(name)
		if !contains(w.defined, name) && w.Config.Namespaces[name] != nil {
			w.defined = append(w.defined, name)
		}
	}
}
