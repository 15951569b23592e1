package graph

import (
	"slices"
)

// Index is the dependency index of a whole workflow, built once from all
// its graph strings. It answers in O(1) the two questions the scheduler
// asks when something happens:
//
//   - a task output was completed: which prerequisites does it feed?
//     Dependents(task, output) lists each (downstream task, recurrence,
//     trigger, atom) to update, so nothing else needs to be looked at;
//   - a task instance is created on a recurrence: what are its
//     prerequisites? Triggers(task, key).
//
// Cycle points are not the index's business: a Dependent carries the
// offset written on the atom, and the scheduler turns "task output at
// point P" into the downstream point C such that C shifted by the offset is
// P (C = P for no offset; for absolute or initial-point offsets, every
// instance whose trigger names P).
type Index struct {
	dependents  map[TaskOutput][]Dependent
	triggers    map[TaskKey][]*Trigger
	recurrences map[string][]string
	xtriggers   map[string][]TaskKey
}

// TaskKey names a task on one recurrence.
type TaskKey struct {
	Task, Key string
}

// Dependent is one place a task output is used: atom Atom of trigger
// Trigger (an index into Triggers(Task, Key)) of task Task on recurrence
// Key.
type Dependent struct {
	Task    string
	Key     string
	Trigger int
	Atom    int
	// Offset is the inter-cycle offset written on the atom, "" for the
	// same cycle point.
	Offset string
	// Suicide is set when the trigger removes Task rather than running it.
	Suicide bool
}

// NewIndex indexes the graphs of a workflow. Graphs with the same Key are
// merged, as if they were one graph string.
func NewIndex(graphs ...*Graph) *Index {
	ix := &Index{
		dependents:  map[TaskOutput][]Dependent{},
		triggers:    map[TaskKey][]*Trigger{},
		recurrences: map[string][]string{},
		xtriggers:   map[string][]TaskKey{},
	}
	for _, g := range graphs {
		for _, task := range g.Tasks {
			tk := TaskKey{task, g.Key}
			for _, t := range g.Triggers[task] {
				n := len(ix.triggers[tk])
				ix.triggers[tk] = append(ix.triggers[tk], t)
				for id, a := range t.Atoms {
					k := TaskOutput{a.Task, a.Output}
					ix.dependents[k] = append(ix.dependents[k], Dependent{
						Task: task, Key: g.Key, Trigger: n, Atom: id, Offset: a.Offset, Suicide: t.Suicide,
					})
				}
				for _, x := range t.Xtriggers {
					if !slices.Contains(ix.xtriggers[x], tk) {
						ix.xtriggers[x] = append(ix.xtriggers[x], tk)
					}
				}
			}
		}
		for _, task := range g.Cycling {
			if !slices.Contains(ix.recurrences[task], g.Key) {
				ix.recurrences[task] = append(ix.recurrences[task], g.Key)
			}
		}
	}
	return ix
}

// Dependents returns where task's output is used. The slice is shared:
// do not modify it.
func (ix *Index) Dependents(task, output string) []Dependent {
	return ix.dependents[TaskOutput{task, output}]
}

// Triggers returns the triggers of task on recurrence key: the task's
// prerequisites there (all non-suicide ones must be satisfied) and its
// suicide triggers. The slice is shared: do not modify it.
func (ix *Index) Triggers(task, key string) []*Trigger {
	return ix.triggers[TaskKey{task, key}]
}

// Recurrences returns the recurrence keys task runs on, in graph order.
func (ix *Index) Recurrences(task string) []string {
	return ix.recurrences[task]
}

// XtriggerUsers returns the tasks (on their recurrences) that wait for the
// xtrigger label.
func (ix *Index) XtriggerUsers(label string) []TaskKey {
	return ix.xtriggers[label]
}
