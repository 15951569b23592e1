package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gyre/internal/job"
)

// logID is what a cat-log ID names: a workflow, and perhaps one task's
// job (job is the submit number the ID gives, or "").
type logID struct {
	workflow, point, task, job string
}

// Cylc 7's task IDs, NAME.POINT and POINT/NAME (each with an optional
// :selector), which Cylc 8 still accepts after a workflow ID. Points start
// with a digit; names may hold dots.
var (
	legacyTaskDotPoint   = regexp.MustCompile(`^([^~:/\n]+)\.(\d[^~.:/\n]*)(?::([^:/\n]+))?$`)
	legacyPointSlashTask = regexp.MustCompile(`^(\d[^~.:/\n]+)/([^~:/\n]+)(?::([^:/\n]+))?$`)
)

// parseLogID reads cat-log's arguments: WORKFLOW, WORKFLOW//POINT/TASK[/JOB],
// WORKFLOW //POINT/TASK[/JOB], or Cylc 7's WORKFLOW TASK.POINT. upgraded is
// the Cylc 8 form of a Cylc 7 ID, to warn with.
func parseLogID(args []string) (id logID, upgraded string, err error) {
	if len(args) == 0 {
		return id, "", errors.New("no workflow ID given")
	}
	if len(args) > 2 {
		return id, "", fmt.Errorf("%s: cat-log takes one workflow or job ID", strings.Join(args, " "))
	}
	if len(args) == 2 {
		m := legacyTaskDotPoint.FindStringSubmatch(args[1])
		if m != nil {
			m[1], m[2] = m[2], m[1] // point first, as in the other form
		} else {
			m = legacyPointSlashTask.FindStringSubmatch(args[1])
		}
		if m != nil {
			rel := "//" + m[1] + "/" + m[2]
			if m[3] != "" {
				rel += ":" + m[3]
			}
			upgraded = args[0] + " " + rel
			args = []string{args[0], rel}
		}
	}
	var rels []string
	for i, arg := range args {
		if strings.HasSuffix(arg, "/") && !strings.HasSuffix(arg, "//") {
			arg = arg[:len(arg)-1] // as left by shell completion
		}
		w, rel, hasRel := strings.Cut(arg, "//")
		switch {
		case w != "" && i > 0:
			return id, "", fmt.Errorf("%s: cat-log takes one workflow or job ID (already given %s)", arg, id.workflow)
		case w == "" && i == 0:
			return id, "", fmt.Errorf("%s: no workflow given before it\n  hint: use WORKFLOW//%s", arg, rel)
		case w != "":
			id.workflow = w
		}
		if hasRel {
			rels = append(rels, rel)
		}
	}
	if strings.HasPrefix(id.workflow, "~") {
		return id, "", fmt.Errorf("%s: other users' workflows are not supported", id.workflow)
	}
	switch {
	case len(rels) > 1:
		return id, "", fmt.Errorf("%s: cat-log takes one job ID", strings.Join(args, " "))
	case len(rels) == 0 || rels[0] == "":
		return id, upgraded, nil
	}
	parts := strings.Split(rels[0], "/")
	if len(parts) > 3 {
		return id, "", fmt.Errorf("invalid ID %s: want WORKFLOW//POINT/TASK[/JOB]", strings.Join(args, " "))
	}
	if len(parts) == 1 {
		return id, "", fmt.Errorf("%s: please provide a workflow, task or job ID, not a cycle point\n  hint: gyre cat-log %s//%s/TASK", strings.Join(args, " "), id.workflow, parts[0])
	}
	id.point, id.task = parts[0], parts[1]
	if len(parts) == 3 {
		id.job = parts[2]
	}
	if i := strings.IndexByte(id.task, ':'); i >= 0 {
		id.task = id.task[:i] // a task state selector: one job is named anyway
	}
	for _, p := range []struct{ what, v string }{{"cycle point", id.point}, {"task", id.task}, {"job", id.job}} {
		switch {
		case p.v == "" && p.what != "job", p.v == "." || p.v == "..", strings.ContainsRune(p.v, 0):
			return id, "", fmt.Errorf("invalid ID %s: bad %s %q", strings.Join(args, " "), p.what, p.v)
		case strings.ContainsAny(p.v, "*?["):
			return id, "", fmt.Errorf("%s: cat-log shows one job's logs; %s %q is a pattern", strings.Join(args, " "), p.what, p.v)
		}
	}
	if id.job != "" && id.job != job.LatestLink && strings.Trim(id.job, "0123456789") != "" {
		return id, "", fmt.Errorf("invalid ID %s: job %q: want a submit number or NN", strings.Join(args, " "), id.job)
	}
	return id, upgraded, nil
}
