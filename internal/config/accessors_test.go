package config

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestAccessors(t *testing.T) {
	w := mustBuild(t, `
[meta]
    URL = http://x/%(workflow)s/${CYLC_WORKFLOW_ID}
[scheduler]
    UTC mode = True
    [[events]]
        handler events = stalled, startup
        stall handlers = echo stall
        stall timeout = PT1H
        abort on stall timeout = True
    [[mail]]
        to = me
[task parameters]
    m = 1..2
[scheduling]
    initial cycle point = 2000
    final cycle point = +P1D
    runahead limit = P3
    [[queues]]
        [[[q]]]
            limit = 2
            members = FAM
    [[special tasks]]
        clock-expire = FAM(PT1H), other
        sequential = foo<m>
    [[xtriggers]]
        x = echo(1, b="two"):PT1M
    [[graph]]
        T00 = foo<m>
        T00 = other
        T12 = other
[runtime]
    [[FAM]]
        execution retry delays = 2*PT1M
        [[[meta]]]
            URL = http://x/%(task)s
            colour = red
    [[foo<m>]]
        inherit = FAM
        platform = hpc
        [[[simulation]]]
            speedup factor = 2
        [[[events]]]
            failed handlers = echo failed
        [[[outputs]]]
            out1 = message one
    [[other]]
`)
	s := w.Scheduling()
	if got := fmt.Sprintf("%s|%s|%s|%s", s.CyclingMode, s.InitialCyclePoint, s.FinalCyclePoint, s.RunaheadLimit); got != "gregorian|2000|+P1D|P3" {
		t.Errorf("scheduling %s", got)
	}
	if got := fmt.Sprint(s.Queues); got != "[{default 100 []} {q 2 [FAM]}]" {
		t.Errorf("queues %s", got)
	}
	if got := fmt.Sprint(s.ClockExpire, s.Sequential); got != "[foo_m1(PT1H) foo_m2(PT1H) other] [foo_m1 foo_m2]" {
		t.Errorf("special tasks %s", got)
	}
	if len(s.Xtriggers) != 1 || s.Xtriggers[0].String() != "echo(1, b=two):60.0" || s.Xtriggers[0].Label != "x" {
		t.Errorf("xtriggers %v", s.Xtriggers)
	}
	if len(s.Graph) != 2 || s.Graph[0].Recurrence != "T00" || s.Graph[0].Graph != "foo<m>\nother" ||
		len(s.Graph[0].Raw) != 2 || s.Graph[0].Raw[1].Pos.Line != 29 || s.Graph[1].Pos.Line != 30 {
		t.Errorf("graph %+v", s.Graph)
	}

	sc := w.Scheduler()
	if sc.UTCMode == nil || !*sc.UTCMode || sc.AllowImplicitTasks || sc.AllowImplicitTasksSet {
		t.Errorf("scheduler %+v", sc)
	}
	ev := sc.Events
	if got := fmt.Sprintln(ev.HandlerEvents, ev.EventHandlers, *ev.StallTimeout, *ev.AbortOnStallTimeout, ev.InactivityTimeout == nil, sc.MailTo); got != "[stall startup] map[stall:[echo stall]] PT1H true true me\n" {
		t.Errorf("events %s", got)
	}

	rt, ok := w.Runtime("foo_m2")
	if !ok {
		t.Fatal("no foo_m2")
	}
	if got := fmt.Sprintln(rt.Platform, rt.Inherit, rt.ExecutionRetryDelays, *rt.Simulation.SpeedupFactor, rt.Simulation.DefaultRunLength, rt.RunMode); got != "hpc [FAM] [PT1M PT1M] 2 PT10S live\n" {
		t.Errorf("runtime %s", got)
	}
	if got := fmt.Sprintln(rt.Meta.URL, rt.Meta.Custom, rt.Events.EventHandlers, rt.Outputs); got != "http://x/foo_m2 [{colour red}] map[failed:[echo failed]] [{out1 message one}]\n" {
		t.Errorf("runtime %s", got)
	}
	if _, ok := w.Runtime("nosuch"); ok {
		t.Error("runtime of an unknown namespace")
	}
	if m, ok := w.Params.Get("m"); !ok || fmt.Sprintln(m.Values, m.Ints, m.Template) != "[1 2] true _m%(m)01d\n" {
		t.Errorf("parameter m = %+v", m)
	}
	var b strings.Builder
	if err := w.Print(&b, []string{"[meta]URL"}, false); err != nil || b.String() != "http://x/wf/wf\n" {
		t.Errorf("templated URL %q, %v", b.String(), err)
	}
}

func TestDefaultsThroughGet(t *testing.T) {
	w := mustBuild(t, minimal)
	for _, c := range []struct {
		path []string
		want any
		set  bool
	}{
		{[]string{"scheduling", "cycling mode"}, "integer", true},
		{[]string{"scheduling", "runahead limit"}, "P4", false},
		{[]string{"scheduling", "queues", "default", "limit"}, 100, false},
		{[]string{"runtime", "foo", "simulation", "time limit buffer"}, Interval(30), false},
		{[]string{"scheduler", "UTC mode"}, nil, false},
	} {
		n := w.Tree.Get(c.path...)
		if n == nil || n.Value() != c.want || n.IsSet() != c.set {
			t.Errorf("Get(%v) = %v (set %v), want %v (set %v)", c.path, n.Value(), n.IsSet(), c.want, c.set)
		}
	}
	if w.Tree.Get("runtime", "nosuch") != nil || w.Tree.Get("scheduling", "bogus") != nil {
		t.Error("Get found something that is not there")
	}
	if n := w.Tree.Get("scheduling", "graph", "R1"); n.Pos().Line != 3 || len(n.Raw()) != 1 {
		t.Errorf("graph item %+v", n)
	}
}

func TestSetDerived(t *testing.T) {
	w := mustBuild(t, minimal)
	if err := w.SetDerived("[scheduling]initial cycle point", "0001"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := w.Print(&b, []string{"[scheduling]initial cycle point"}, false); err != nil || b.String() != "0001\n" {
		t.Errorf("derived value %q, %v", b.String(), err)
	}
	b.Reset()
	if err := w.Print(&b, []string{"[scheduling]initial cycle point"}, true); err != nil || b.String() != "1\n" {
		t.Errorf("sparse value %q, %v", b.String(), err)
	}
	for _, bad := range []string{"[scheduling]nosuch", "[scheduling][graph]", "[bogus]x"} {
		if err := w.SetDerived(bad, "x"); err == nil {
			t.Errorf("SetDerived(%q) accepted", bad)
		}
	}
}

func TestOtherWarnings(t *testing.T) {
	w := mustBuild(t, `
[task parameters]
    m = 1..2
[scheduling]
    initial cycle point = 2000
    runahead limit = 6
    [[graph]]
        P1D = foo
[runtime]
    [[root]]
        inherit = foo
    [[foo]]
        [[[environment]]]
            X = %(n)s
            Y = %(m)s
`)
	var msgs []string
	for _, wr := range w.Warnings {
		msgs = append(msgs, wr.String())
	}
	want := []string{
		"bad parameter environment template:\n    [runtime][foo][environment]X = %(n)s  # bad parameter",
		"flow.cylc:10: [runtime][root]inherit is ignored: root is the top of the hierarchy",
		`flow.cylc:5: Use of a raw number of hours for the runahead limit is deprecated. Use "PT6H" instead`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s", strings.Join(msgs, "\n"))
	}
}

func TestIntervalDuration(t *testing.T) {
	for _, c := range []struct {
		iv   Interval
		want time.Duration
	}{
		{Interval(1.5), 1500 * time.Millisecond}, {Interval(-60), -time.Minute},
		{Interval(1e20), math.MaxInt64}, {Interval(math.Inf(-1)), math.MinInt64},
	} {
		if got := c.iv.Duration(); got != c.want {
			t.Errorf("%v.Duration() = %v, want %v", float64(c.iv), got, c.want)
		}
	}
}
