package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Outputs is the table of output optionality inferred from the graph: for
// each task output the graph names explicitly, whether it is optional
// ("a:fail? => b", "a? => b") or required ("a => b" requires
// a:succeeded). One table is shared by all the graph strings of a
// workflow, because the rules hold across recurrences.
//
// Family triggers set member defaults that an explicit member reference
// may override; a member reference fixes the output's optionality for good.
type Outputs struct {
	m map[TaskOutput]*optState
}

// TaskOutput names one output of one task.
type TaskOutput struct {
	Task, Output string
}

// OutputUse is one row of the table, for callers.
type OutputUse struct {
	Task, Output string
	Optional     bool
}

type optState struct {
	optional bool // current optionality
	dflt     bool // optionality by family-trigger default
	fixed    bool // set by a task (not family) reference
	file     string
	line     int // where it was first set
}

// NewOutputs returns an empty table.
func NewOutputs() *Outputs {
	return &Outputs{m: map[TaskOutput]*optState{}}
}

// Optional reports whether the graph makes task's output optional; ok is
// false if the graph says nothing about that output (callers then apply
// the default: succeeded required unless :succeed or :fail was used).
func (o *Outputs) Optional(task, output string) (optional, ok bool) {
	s, ok := o.m[TaskOutput{task, output}]
	if !ok {
		return false, false
	}
	return s.optional, true
}

// All returns the table sorted by task then output.
func (o *Outputs) All() []OutputUse {
	out := make([]OutputUse, 0, len(o.m))
	for k, s := range o.m {
		out = append(out, OutputUse{k.Task, k.Output, s.optional})
	}
	slices.SortFunc(out, func(a, b OutputUse) int {
		if c := strings.Compare(a.Task, b.Task); c != 0 {
			return c
		}
		return strings.Compare(a.Output, b.Output)
	})
	return out
}

// setOutputOpt sets, or checks against what was set before, the
// optionality of one task output, with Cylc's rules:
//   - expired and submit-failed can only be optional;
//   - finished is a pseudo-output that makes succeeded and failed optional
//     and cannot itself be marked optional;
//   - an output cannot be optional in one place and required in another;
//   - succeeded/failed and submitted/submit-failed must both be optional
//     when both are used;
//   - suicide triggers say nothing about optionality.
func (p *parser) setOutputOpt(task, output string, optional, suicide, famMember bool, line int) error {
	key := TaskOutput{task, output}
	if p.opts.Cylc7 {
		p.out.m[key] = &optState{optional: true, dflt: true, fixed: true, file: p.opts.File, line: line}
		return nil
	}
	if suicide {
		return nil
	}
	name := task + ":" + output
	if (output == Expired || output == SubmitFailed) && !optional {
		return p.errorf(line, name, "write "+name+"?", "%s must be optional", name)
	}
	if output == Finished {
		if optional {
			return p.errorf(line, name+"?", "finish means succeed or fail, which are optional already",
				"Pseudo-output %s can't be optional", name)
		}
		for _, o := range []string{Succeeded, Failed} {
			if err := p.setOutputOpt(task, o, true, suicide, famMember, line); err != nil {
				return err
			}
		}
		return nil
	}

	prev, ok := p.out.m[key]
	switch {
	case !ok:
		p.out.m[key] = &optState{optional: optional, dflt: optional, fixed: !famMember, file: p.opts.File, line: line}
	case prev.fixed:
		if !famMember && optional != prev.optional {
			return p.errorf(line, name, p.earlier(prev),
				"Output %s can't be both required and optional", name)
		}
	case famMember:
		if optional != prev.dflt {
			return p.errorf(line, name, p.earlier(prev),
				"Output %s can't default to both optional and required (via family trigger defaults)", name)
		}
	default:
		prev.optional, prev.fixed = optional, true
	}

	for _, pair := range [][2]string{{Succeeded, Failed}, {Submitted, SubmitFailed}} {
		if output != pair[0] && output != pair[1] {
			continue
		}
		opposite := pair[0]
		if output == pair[0] {
			opposite = pair[1]
		}
		opp, ok := p.out.m[TaskOutput{task, opposite}]
		if !ok {
			continue
		}
		cur := p.out.m[key]
		msg := fmt.Sprintf("Opposite outputs %s and %s:%s must both be optional if both are used",
			name, task, opposite)
		hint := "mark both with ?"
		switch {
		case famMember || !opp.fixed:
			if !cur.optional || !opp.dflt {
				return p.errorf(line, name, hint, "%s (via family trigger defaults)", msg)
			}
			if !opp.optional {
				return p.errorf(line, name, hint, "%s (via family trigger)", msg)
			}
		case !cur.optional || !opp.optional:
			return p.errorf(line, name, hint, "%s", msg)
		}
	}
	return nil
}

// earlier is a hint pointing at where an output's optionality was set.
func (p *parser) earlier(s *optState) string {
	what := "required"
	if s.optional {
		what = "optional"
	}
	if s.file != "" {
		return fmt.Sprintf("it is %s at %s:%d", what, s.file, s.line)
	}
	return fmt.Sprintf("it is %s at line %d", what, s.line)
}
