package pool

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/task"
)

// ID identifies a task instance: its cycle point (as the workflow formats
// it) and its name. It is Cylc's relative ID, "point/name".
type ID struct {
	Point string
	Name  string
}

func (id ID) String() string { return id.Point + "/" + id.Name }

// atomKey identifies a task output at a point: what a prerequisite waits for.
type atomKey struct {
	point  string
	task   string
	output string
}

// Flows is a set of flow numbers, kept sorted. Nil (or empty) is "no flow":
// a task triggered with --flow=none, which spawns nothing downstream.
type Flows []int

// String writes the flows as Cylc does in logs: "1", "1,2", or "none".
func (f Flows) String() string {
	if len(f) == 0 {
		return "none"
	}
	parts := make([]string, len(f))
	for i, n := range f {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// union returns f ∪ g; f is returned unchanged when g adds nothing.
func (f Flows) union(g Flows) (Flows, bool) {
	changed := false
	out := f
	for _, n := range g {
		i := sort.SearchInts(out, n)
		if i < len(out) && out[i] == n {
			continue
		}
		if !changed {
			out = append(Flows(nil), f...)
			changed = true
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = n
	}
	return out, changed
}

// Proxy is a task instance in the pool (Cylc's TaskProxy).
type Proxy struct {
	ID    ID
	Point cycle.Point
	Def   *TaskDef

	Status   task.Status
	Held     bool
	Queued   bool
	Runahead bool
	Flows    Flows
	// SubmitNum counts job submissions; TryNum counts execution tries
	// (it restarts at 1 for a manual trigger).
	SubmitNum   int
	TryNum      int
	SubmitTries int
	// Manual marks a manually triggered instance.
	Manual bool
	// flowWait holds back its children until its flow merges with
	// another (a trigger or set with --wait).
	flowWait bool
	// JobID is the runner's ID for the current job, once submitted.
	JobID string
	// Platform and JobRunner name where the current job went, once
	// submitted, for the run database and event handlers.
	Platform, JobRunner string

	done     []bool // by output index
	prereqs  []*prereq
	suicides []*prereq
	// byAtom finds the prerequisite atoms an output satisfies; built only
	// for tasks with many atoms (wide family triggers), where scanning
	// would make a fan-in quadratic.
	byAtom map[atomKey][]atomRef

	// xtrigs holds the xtrigger labels still unsatisfied.
	xtrigs map[string]bool
	// clockWait is set while a clock trigger holds the task back.
	clockWait bool
	// xtrigsCalled is set once the xtriggers have been asked for.
	xtrigsCalled bool
	// retryWait is set while a retry delay holds the task back, until
	// retryAt.
	retryWait bool
	retryAt   time.Time
	// retryLabel is the name Cylc gives the retry's xtrigger, less the
	// task's ID: "_cylc_retry_" or "_cylc_submit_retry_".
	retryLabel string
	// xtrigLabels are all its xtriggers, satisfied or not, for the record.
	xtrigLabels []string
	// polls is its place in the job polling schedule.
	polls pollState
	// ready is the cached readiness, kept in the pool's counters.
	ready bool
	// inPool is false once removed, so stale references are ignored.
	inPool bool
	// orphan marks an active instance whose task a reload removed from
	// the workflow: its job runs on, but it spawns nothing.
	orphan bool
	// wallClockAt is when its wall_clock xtriggers are satisfied.
	wallClockAt time.Time
	// expireAt is when a clock-expiring task expires.
	expireAt time.Time
	// counter classes (see Pool.adjust)
	cActive, cWaitFree, cPrereqOK bool
	// bucket is the task's runahead point bucket.
	bucket *bucket
}

type atomRef struct {
	suicide bool
	p, a    int
}

// prereq is one dependency expression of a task instance.
type prereq struct {
	trig  *TrigDef
	keys  []atomKey
	sat   []bool
	state bool
}

func (p *prereq) eval() bool {
	if p.trig.Expr == nil {
		return true
	}
	return p.trig.Expr.Eval(func(i int) bool { return p.sat[i] })
}

// Done reports whether the output named trig has been completed.
func (t *Proxy) Done(trig string) bool {
	i, ok := t.Def.outByTrig[trig]
	return ok && t.done[i]
}

// PrereqsSatisfied reports whether every (non-suicide) prerequisite is met.
func (t *Proxy) PrereqsSatisfied() bool {
	for _, p := range t.prereqs {
		if !p.state {
			return false
		}
	}
	return true
}

// Complete reports whether the task's completion expression holds.
func (t *Proxy) Complete() bool {
	return t.Def.Completion.Eval(func(v string) bool {
		for i, o := range t.Def.Outputs {
			if task.CompletionVar(o.Trigger) == v {
				return t.done[i]
			}
		}
		return false
	})
}

// ResolvedDependencies lists the IDs of the outputs that satisfied this
// task's prerequisites, sorted, as the reference log records them.
func (t *Proxy) ResolvedDependencies() []string {
	var out []string
	for _, p := range t.prereqs {
		for i, ok := range p.sat {
			if ok {
				out = append(out, p.keys[i].point+"/"+p.keys[i].task)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Unsatisfied lists "point/task:output" for the prerequisites not yet met.
func (t *Proxy) Unsatisfied() []string {
	var out []string
	for _, p := range t.prereqs {
		if p.state {
			continue
		}
		for i, ok := range p.sat {
			if !ok {
				k := p.keys[i]
				out = append(out, k.point+"/"+k.task+":"+k.output)
			}
		}
	}
	sort.Strings(out)
	return out
}

// StateString is Cylc's rendering: status with (held)(queued)(runahead).
func (t *Proxy) StateString() string {
	s := t.Status.String()
	if t.Held {
		s += "(held)"
	}
	if t.Queued {
		s += "(queued)"
	}
	if t.Runahead {
		s += "(runahead)"
	}
	return s
}

// LogID is how Cylc names a task in its log: "point/name/NN:state", the
// submit number omitted before a job exists, and non-default flows shown.
func (t *Proxy) LogID() string {
	var b strings.Builder
	b.WriteString(t.ID.String())
	if t.Status != task.Waiting && t.Status != task.Expired {
		b.WriteByte('/')
		if t.SubmitNum < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(t.SubmitNum))
	}
	if !(len(t.Flows) == 1 && t.Flows[0] == 1) {
		b.WriteString("(flows=" + t.Flows.String() + ")")
	}
	b.WriteByte(':')
	b.WriteString(t.StateString())
	return b.String()
}

// satisfy marks the atoms waiting on k; it reports whether any changed.
func (t *Proxy) satisfy(k atomKey) (changed bool) {
	if t.byAtom != nil {
		for _, r := range t.byAtom[k] {
			changed = t.set(r) || changed
		}
		return changed
	}
	for pi, p := range t.prereqs {
		for ai := range p.keys {
			if p.keys[ai] == k {
				changed = t.set(atomRef{false, pi, ai}) || changed
			}
		}
	}
	for pi, p := range t.suicides {
		for ai := range p.keys {
			if p.keys[ai] == k {
				changed = t.set(atomRef{true, pi, ai}) || changed
			}
		}
	}
	return changed
}

func (t *Proxy) set(r atomRef) bool {
	list := t.prereqs
	if r.suicide {
		list = t.suicides
	}
	p := list[r.p]
	if p.sat[r.a] {
		return false
	}
	p.sat[r.a] = true
	p.state = p.eval()
	return true
}

// suicideDue reports whether the task's suicide triggers are all
// satisfied (a task with several is removed only when every one is met).
func (t *Proxy) suicideDue() bool {
	for _, p := range t.suicides {
		if !p.state {
			return false
		}
	}
	return len(t.suicides) > 0
}

const indexAtomsAbove = 8

func (t *Proxy) buildAtomIndex() {
	n := 0
	for _, p := range t.prereqs {
		n += len(p.keys)
	}
	for _, p := range t.suicides {
		n += len(p.keys)
	}
	if n <= indexAtomsAbove {
		return
	}
	t.byAtom = make(map[atomKey][]atomRef, n)
	for pi, p := range t.prereqs {
		for ai, k := range p.keys {
			t.byAtom[k] = append(t.byAtom[k], atomRef{false, pi, ai})
		}
	}
	for pi, p := range t.suicides {
		for ai, k := range p.keys {
			t.byAtom[k] = append(t.byAtom[k], atomRef{true, pi, ai})
		}
	}
}
