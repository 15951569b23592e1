package pool

import (
	"fmt"
	"sort"
	"strings"

	"gyre/internal/task"
)

// checkFinished decides, from the counters alone, whether the workflow
// has run out of work; only then does it walk the pool to tell a finished
// workflow from a stalled one and to write the stall report.
func (p *Pool) checkFinished() {
	if p.finished {
		return
	}
	if p.restartWait || p.stopDue() {
		return
	}
	if p.nActive > 0 || p.nPrereqsOK > 0 {
		if p.stalled {
			p.stalled = false
			p.emit(CancelTimer{Key: TimerKey{Kind: TimerStall}})
		}
		return
	}
	if p.stalled {
		return
	}
	incomplete, unsat := p.stallReport()
	if incomplete != "" || unsat != "" {
		p.stalled = true
		p.logf(Critical, "Workflow stalled")
		p.emit(WorkflowEvent{Event: "stall", Message: "Workflow stalled"})
		if incomplete != "" {
			p.logf(Error, "Incomplete tasks:\n%s", incomplete)
		}
		if unsat != "" {
			p.logf(Warning, "Partially satisfied prerequisites:\n%s", unsat)
		}
		if p.def.HasStallTimeout {
			p.emit(ArmTimer{Key: TimerKey{Kind: TimerStall}, At: p.now.Add(p.def.StallTimeout)})
		}
		return
	}
	if p.nWaitFree > 0 {
		return // held, queued or waiting on a clock or xtrigger
	}
	p.finished = true
	if p.def.HasStop {
		// The stop point is reached: a restart carries on to the final
		// point, as in Cylc.
		p.emit(WorkflowParam{Key: "stopcp"})
	}
	p.emit(Shutdown{Reason: "AUTOMATIC"})
}

// Stalled reports whether the pool is stalled.
func (p *Pool) Stalled() bool { return p.stalled }

// stallReport lists incomplete tasks and partially satisfied
// prerequisites (ignoring those beyond the stop point), in Cylc's format.
func (p *Pool) stallReport() (incomplete, unsat string) {
	var inc, uns []string
	ids := make([]ID, 0, len(p.tasks))
	for id := range p.tasks {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
	for _, id := range ids {
		t := p.tasks[id]
		if t.Status.Final() && !t.Complete() {
			inc = append(inc, fmt.Sprintf("* %s did not complete the required outputs:\n%s", id, indent(p.completionStatus(t), "  ")))
		}
		if p.def.HasStop && t.Point.Compare(p.def.Stop) > 0 {
			continue
		}
		if t.Status != task.Waiting || t.PrereqsSatisfied() {
			continue
		}
		var waiting []string
		for _, pr := range t.prereqs {
			for i, k := range pr.keys {
				if pr.sat[i] {
					continue
				}
				if p.def.HasStop && p.pointOf(pr, i, t).Compare(p.def.Stop) > 0 {
					continue
				}
				waiting = append(waiting, "'"+k.point+"/"+k.task+":"+p.outputMessage(k.task, k.output)+"'")
			}
		}
		if len(waiting) > 0 {
			sort.Strings(waiting)
			uns = append(uns, fmt.Sprintf("  * %s is waiting on [%s]", id, strings.Join(waiting, ", ")))
		}
	}
	return strings.Join(inc, "\n"), strings.Join(uns, "\n")
}

func (p *Pool) outputMessage(name, trig string) string {
	if td := p.def.Tasks[name]; td != nil {
		if i, ok := td.outByTrig[trig]; ok {
			return td.Outputs[i].Message
		}
	}
	return trig
}

// completionStatus shows which outputs of the completion expression are
// done, as Cylc's "did not complete the required outputs" report does.
func (p *Pool) completionStatus(t *Proxy) string {
	var lines []string
	vars := t.Def.Completion.Vars()
	for _, v := range vars {
		mark := "⨯"
		for i, o := range t.Def.Outputs {
			if task.CompletionVar(o.Trigger) == v && t.done[i] {
				mark = "✓"
			}
		}
		lines = append(lines, fmt.Sprintf("%s ⦙  %s", mark, v))
	}
	return strings.Join(lines, "\n")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
