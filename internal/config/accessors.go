package config

import "gyre/internal/flowfile"

// Typed views of the settings the scheduler uses. They read through the
// schema defaults; settings whose default comes from the global
// configuration (unset here) are pointers, nil when the workflow does not
// set them.

// KeyValue is one user-defined setting (an environment variable, a
// directive, a custom output), in definition order.
type KeyValue struct {
	Key, Value string
}

// GraphItem is one [scheduling][graph] recurrence and its graph string.
type GraphItem struct {
	Recurrence string
	Graph      string           // unquoted, dedented; repeats joined by newlines
	Raw        []flowfile.Value // as written, with positions
	Pos        flowfile.Pos
}

// Queue is an internal queue; "default" holds every task not in another.
type Queue struct {
	Name    string
	Limit   int // 0: unlimited
	Members []string
}

// Scheduling is [scheduling].
type Scheduling struct {
	CyclingMode                  string
	InitialCyclePoint            string // as written (may be "now", "+P1D"...); "" if unset
	FinalCyclePoint              string
	InitialCyclePointConstraints []string
	FinalCyclePointConstraints   []string
	HoldAfterCyclePoint          string
	StopAfterCyclePoint          string
	RunaheadLimit                string
	Queues                       []Queue // default first
	ClockTrigger                 []string
	ExternalTrigger              []string
	ClockExpire                  []string
	Sequential                   []string
	SequentialXtriggers          bool
	Xtriggers                    []*Xtrigger
	Graph                        []GraphItem
}

// Scheduling returns [scheduling] with defaults. Special task lists have
// parameters expanded and family names replaced by their member tasks, as
// Cylc does.
func (w *Workflow) Scheduling() *Scheduling {
	s := w.Tree.Get("scheduling")
	out := &Scheduling{
		CyclingMode:                  s.Get("cycling mode").String(),
		InitialCyclePoint:            s.Get("initial cycle point").String(),
		FinalCyclePoint:              s.Get("final cycle point").String(),
		InitialCyclePointConstraints: s.Get("initial cycle point constraints").Strings(),
		FinalCyclePointConstraints:   s.Get("final cycle point constraints").Strings(),
		HoldAfterCyclePoint:          s.Get("hold after cycle point").String(),
		StopAfterCyclePoint:          s.Get("stop after cycle point").String(),
		RunaheadLimit:                s.Get("runahead limit").String(),
		ClockTrigger:                 w.familyMembers(s.Get("special tasks", "clock-trigger").Strings(), true),
		ExternalTrigger:              w.familyMembers(s.Get("special tasks", "external-trigger").Strings(), false),
		ClockExpire:                  w.familyMembers(s.Get("special tasks", "clock-expire").Strings(), true),
		Sequential:                   w.familyMembers(s.Get("special tasks", "sequential").Strings(), false),
	}
	out.SequentialXtriggers, _ = s.Get("sequential xtriggers").Bool()
	qs := s.Get("queues")
	def := qs.Get("default")
	out.Queues = append(out.Queues, queueOf("default", def))
	for _, q := range qs.Sections() {
		if q.name != "default" {
			out.Queues = append(out.Queues, queueOf(q.name, q))
		}
	}
	for _, x := range s.Get("xtriggers").Items() {
		if xt, ok := x.value.(*Xtrigger); ok {
			out.Xtriggers = append(out.Xtriggers, xt)
		}
	}
	for _, g := range s.Get("graph").Items() {
		out.Graph = append(out.Graph, GraphItem{Recurrence: g.name, Graph: g.String(), Raw: g.raw, Pos: g.pos})
	}
	return out
}

func queueOf(name string, q *Node) Queue {
	limit, _ := q.Get("limit").Int()
	return Queue{Name: name, Limit: limit, Members: q.Get("members").Strings()}
}

// familyMembers replaces family names in a special task list by their
// member tasks, keeping any "(offset)" suffix.
func (w *Workflow) familyMembers(items []string, offsets bool) []string {
	var out []string
	for _, it := range items {
		name, ext := it, ""
		if offsets {
			if m := reClockOffset.FindStringSubmatch(it); m != nil {
				name = m[1]
				if m[2] != "" {
					ext = "(" + m[2] + ")"
				}
			}
		} else if m := reExtTrigger.FindStringSubmatch(it); m != nil {
			name, ext = pyStrip(m[1]), "("+m[2]+")"
		}
		ns := w.Namespaces[name]
		if ns == nil || !ns.IsFamily {
			out = append(out, it)
			continue
		}
		for _, member := range w.NamespaceOrder {
			m := w.Namespaces[member]
			if !m.IsFamily && member != name && contains(m.MRO, name) {
				out = append(out, member+ext)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WorkflowEvents is [scheduler][events].
type WorkflowEvents struct {
	Handlers      []string
	HandlerEvents []string // Cylc 7 names upgraded (stalled -> stall, ...)
	MailEvents    []string
	// EventHandlers maps an event ("startup", "stall timeout", ...) to
	// its "<event> handlers" list.
	EventHandlers            map[string][]string
	WorkflowTimeout          *Interval
	StallTimeout             *Interval
	InactivityTimeout        *Interval
	RestartTimeout           *Interval
	AbortOnWorkflowTimeout   *bool
	AbortOnStallTimeout      *bool
	AbortOnInactivityTimeout *bool
	ExpectedTaskFailures     []string
}

// Scheduler is [scheduler].
type Scheduler struct {
	UTCMode                   *bool // nil: the global configuration decides
	AllowImplicitTasks        bool
	AllowImplicitTasksSet     bool // Cylc's message differs when it is set to False
	Install                   []string
	CyclePointFormat          string
	CyclePointNumExpandedYear int
	CyclePointTimeZone        string
	ExperimentalAll           bool
	ExpireTriggers            bool
	MainLoopIntervals         map[string]Interval // plugin name -> interval, where set
	Events                    WorkflowEvents
	MailFooter, MailTo        string
	MailFrom                  string
	TaskEventBatchInterval    *Interval
}

// Scheduler returns [scheduler] with defaults.
func (w *Workflow) Scheduler() *Scheduler {
	s := w.Tree.Get("scheduler")
	out := &Scheduler{
		UTCMode:                optBool(s.Get("UTC mode")),
		Install:                s.Get("install").Strings(),
		CyclePointFormat:       s.Get("cycle point format").String(),
		CyclePointTimeZone:     s.Get("cycle point time zone").String(),
		MainLoopIntervals:      map[string]Interval{},
		MailFooter:             s.Get("mail", "footer").String(),
		MailTo:                 s.Get("mail", "to").String(),
		MailFrom:               s.Get("mail", "from").String(),
		TaskEventBatchInterval: optInterval(s.Get("mail", "task event batch interval")),
	}
	out.AllowImplicitTasks, _ = s.Get("allow implicit tasks").Bool()
	out.AllowImplicitTasksSet = s.Get("allow implicit tasks").IsSet()
	out.CyclePointNumExpandedYear, _ = s.Get("cycle point num expanded year digits").Int()
	out.ExperimentalAll, _ = s.Get("experimental", "all").Bool()
	out.ExpireTriggers, _ = s.Get("experimental", "expire triggers").Bool()
	out.ExpireTriggers = out.ExpireTriggers || out.ExperimentalAll
	for _, p := range s.Get("main loop").Sections() {
		if iv, ok := p.Get("interval").Interval(); ok {
			out.MainLoopIntervals[p.name] = iv
		}
	}
	e := s.Get("events")
	ev := &out.Events
	ev.Handlers = e.Get("handlers").Strings()
	ev.HandlerEvents = w.upgradedEvents("handler events")
	ev.MailEvents = w.upgradedEvents("mail events")
	ev.EventHandlers = map[string][]string{}
	for _, name := range workflowEvents {
		if h := e.Get(name + " handlers").Strings(); h != nil {
			ev.EventHandlers[name] = h
		}
	}
	ev.WorkflowTimeout = optInterval(e.Get("workflow timeout"))
	ev.StallTimeout = optInterval(e.Get("stall timeout"))
	ev.InactivityTimeout = optInterval(e.Get("inactivity timeout"))
	ev.RestartTimeout = optInterval(e.Get("restart timeout"))
	ev.AbortOnWorkflowTimeout = optBool(e.Get("abort on workflow timeout"))
	ev.AbortOnStallTimeout = optBool(e.Get("abort on stall timeout"))
	ev.AbortOnInactivityTimeout = optBool(e.Get("abort on inactivity timeout"))
	ev.ExpectedTaskFailures = e.Get("expected task failures").Strings()
	return out
}

func (w *Workflow) upgradedEvents(setting string) []string {
	if v, ok := w.derived["[scheduler][events]"+setting].([]string); ok {
		return v
	}
	return w.Tree.Get("scheduler", "events", setting).Strings()
}

func optBool(n *Node) *bool {
	if v, ok := n.Bool(); ok {
		return &v
	}
	return nil
}

func optInterval(n *Node) *Interval {
	if v, ok := n.Interval(); ok {
		return &v
	}
	return nil
}

func keyValues(n *Node) []KeyValue {
	var out []KeyValue
	for _, it := range n.Items() {
		out = append(out, KeyValue{it.name, it.String()})
	}
	return out
}
