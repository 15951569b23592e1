package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// genOp draws an op over a small key space, so that ops collide often.
func genOp(t *rapid.T) persist.Op {
	cycle := rapid.SampledFrom([]string{"1", "1", "1", "2"}).Draw(t, "cycle")
	name := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "name")
	flows := rapid.SampledFrom([][]int{{1}, {1, 2}}).Draw(t, "flows")
	submit := rapid.IntRange(1, 2).Draw(t, "submit")
	status := task.Status(rapid.IntRange(0, int(task.Succeeded)).Draw(t, "status"))
	when := t0.Add(time.Duration(rapid.IntRange(0, 100).Draw(t, "t")) * time.Second)
	word := rapid.SampledFrom([]string{"x", "y", "z"}).Draw(t, "word")
	switch rapid.IntRange(0, 10).Draw(t, "kind") {
	case 0:
		return persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: flows, Status: status, IsHeld: rapid.Bool().Draw(t, "held")}
	case 1:
		return persist.DeleteTaskPool{Cycle: cycle, Name: name, FlowNums: flows}
	case 2:
		return persist.InsertTaskState{Cycle: cycle, Name: name, FlowNums: flows, Time: when, SubmitNum: submit, Status: status}
	case 3:
		return persist.UpdateTaskState{Cycle: cycle, Name: name, FlowNums: flows, Time: when, SubmitNum: submit, Status: status,
			FlowWait: rapid.Bool().Draw(t, "wait")}
	case 4:
		return persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: flows, Outputs: std(word)}
	case 5:
		var ps []persist.Prereq
		for i := range rapid.IntRange(0, 2).Draw(t, "nprereqs") {
			ps = append(ps, persist.Prereq{Cycle: cycle, Name: fmt.Sprint("p", i), Output: word, Satisfied: rapid.SampledFrom([]string{"", "satisfied naturally"}).Draw(t, "sat")})
		}
		return persist.SetPrerequisites{Cycle: cycle, Name: name, FlowNums: flows, Prereqs: ps}
	case 6:
		return persist.PutTaskTimeout{Cycle: cycle, Name: name, Timeout: when}
	case 7:
		return persist.DeleteTaskTimeout{Cycle: cycle, Name: name}
	case 8:
		return persist.InsertTaskJob{Cycle: cycle, Name: name, SubmitNum: submit, FlowNums: flows, TryNum: submit, TimeSubmit: when, Platform: word}
	case 9:
		return persist.UpdateTaskJob{Cycle: cycle, Name: name, SubmitNum: submit,
			Set:        persist.JobFields(rapid.IntRange(0, int(allJobFields)).Draw(t, "set")),
			TimeSubmit: when, TimeSubmitExit: when, SubmitStatus: rapid.IntRange(0, 1).Draw(t, "ss"),
			TimeRun: when, TimeRunExit: when, RunSignal: word, RunStatus: rapid.IntRange(0, 1).Draw(t, "rs"),
			Platform: word, JobRunner: word, JobID: word, FlowNums: flows}
	default:
		return persist.InsertTaskEvent{Cycle: cycle, Name: name, Time: when, SubmitNum: submit, Event: word}
	}
}

// baseline writes a row to every table the coalesced ops touch, for every
// key genOp draws, so that updates in the group under test change rows.
func baseline() []persist.Op {
	var ops []persist.Op
	for _, c := range []string{"1", "2"} {
		for _, n := range []string{"a", "b"} {
			for _, f := range [][]int{{1}, {1, 2}} {
				ops = append(ops,
					persist.UpsertTaskPool{Cycle: c, Name: n, FlowNums: f, Status: task.Waiting},
					persist.InsertTaskState{Cycle: c, Name: n, FlowNums: f, Time: t0, Status: task.Waiting},
					persist.SetTaskOutputs{Cycle: c, Name: n, FlowNums: f, Outputs: std("base")},
					persist.SetPrerequisites{Cycle: c, Name: n, FlowNums: f, Prereqs: []persist.Prereq{{Cycle: c, Name: "base", Output: "x"}}})
			}
			ops = append(ops, persist.PutTaskTimeout{Cycle: c, Name: n, Timeout: t0})
			for sub := 1; sub <= 2; sub++ {
				ops = append(ops, persist.InsertTaskJob{Cycle: c, Name: n, SubmitNum: sub, TimeSubmit: t0, Platform: "base"})
			}
		}
	}
	return ops
}

// dump is every row of every table, sorted: the state a commit leaves.
func dump(t testing.TB, s *Store) string {
	var b strings.Builder
	for _, tbl := range cylcColumns {
		cols := strings.Join(strings.Fields(tbl.cols), ", ")
		fmt.Fprintf(&b, "%s:\n", tbl.table)
		for _, row := range queryStrings(t, s.w.db, `SELECT `+cols+` FROM `+tbl.table+` ORDER BY `+cols) {
			fmt.Fprintf(&b, "  %s\n", row)
		}
	}
	return b.String()
}

// TestCoalescingPreservesResult: a group committed with coalescing leaves
// exactly the rows that applying every one of its ops leaves.
func TestCoalescingPreservesResult(t *testing.T) {
	dir := t.TempDir()
	var stores [2]*Store
	for i := range stores {
		s, err := Open(filepath.Join(dir, fmt.Sprint("db", i)))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.w.prepare(context.Background()); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	stores[1].w.noCoalesce = true
	skipped := 0
	prop := func(rt *rapid.T) {
		var group []pending
		nops := 0
		for range rapid.IntRange(1, 6).Draw(rt, "batches") {
			ops := rapid.SliceOfN(rapid.Custom(genOp), 1, 12).Draw(rt, "ops")
			group = append(group, pending{ops: ops})
			nops += len(ops)
		}
		var dumps [2]string
		for i, s := range stores {
			for _, tbl := range cylcColumns {
				if _, err := s.w.db.Exec(`DELETE FROM ` + tbl.table); err != nil {
					rt.Fatal(err)
				}
			}
			if err := s.w.commit([]pending{{ops: baseline()}}); err != nil {
				rt.Fatal(err)
			}
			if err := s.w.commit(group); err != nil {
				rt.Fatal(err)
			}
			dumps[i] = dump(t, s)
		}
		if dumps[0] != dumps[1] {
			rt.Fatalf("coalesced:\n%s\nevery op:\n%s", dumps[0], dumps[1])
		}
		sk, _ := stores[0].w.coalesce.plan(group, nops)
		for _, b := range sk {
			if b {
				skipped++
			}
		}
	}
	// Some mistakes only show in rare interleavings: check more cases than
	// rapid's default.
	for range 2 {
		rapid.Check(t, prop)
	}
	if skipped == 0 {
		t.Error("no op was ever coalesced: the property was not exercised")
	}
}

// TestCoalescingTaskLife: the journal of a task that runs start to finish
// within one group is written with 9 statements, not 21.
func TestCoalescingTaskLife(t *testing.T) {
	var group []pending
	n := 0
	for _, b := range taskLife("1", "foo") {
		group = append(group, pending{ops: b})
		n += len(b)
	}
	var c coalescer
	skip, merged := c.plan(group, n)
	kept := 0
	for _, s := range skip {
		if !s {
			kept++
		}
	}
	if n != 21 || kept != 9 || len(merged) != 1 {
		t.Errorf("%d ops, %d kept, %d merged; want 21, 9, 1", n, kept, len(merged))
	}
	for _, m := range merged {
		want := persist.JobSubmitStatus | persist.JobTimeSubmitExit | persist.JobTimeRun | persist.JobRunStatus | persist.JobTimeRunExit
		if m.Set != want {
			t.Errorf("merged job update sets %b, want %b", m.Set, want)
		}
	}
}
