package store

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// cpuTime is the CPU time this process has used. The benchmarks report
// throughput per CPU-second as well as per wall-clock second, because the
// development machine's two cores are shared and wall time there measures
// the neighbours as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report adds n/s and n/cpu-s metrics named unit.
func report(b *testing.B, n int, unit string, cpuStart time.Duration) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), unit+"/s")
	if cpu := cpuTime() - cpuStart; cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), unit+"/cpu-s")
	}
}

// BenchmarkWriterTaskStates measures batched task_states upserts: the
// rows/s metric is the store's raw write throughput (target >= 100k rows/s).
func BenchmarkWriterTaskStates(b *testing.B) {
	const batch = 1000
	s := openTemp(b)
	w := s.Writer()
	r := runWriter(b, w)
	done := make(chan error, 1)
	rows := 0
	cpu := cpuTime()
	for b.Loop() {
		ops := make([]persist.Op, batch)
		for i := range ops {
			ops[i] = persist.InsertTaskState{Cycle: fmt.Sprint(rows / 100), Name: fmt.Sprintf("t%d", rows%100), FlowNums: []int{1},
				Time: t0, SubmitNum: 1, Status: task.Succeeded}
			rows++
		}
		w.Submit(ops, func(err error) { done <- err })
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	report(b, rows, "rows", cpu)
	if err := r.stop(); err != nil {
		b.Fatal(err)
	}
}

// taskLife is what the scheduler journals for one task instance run in
// simulation mode, as the separate batches it would submit: spawn,
// prepare, submitted, started, succeeded and removed from the pool.
func taskLife(cycle, name string) [][]persist.Op {
	f := []int{1}
	return [][]persist.Op{
		{
			persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: f, Status: task.Waiting},
			persist.InsertTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, Status: task.Waiting},
			persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: f},
		},
		{
			persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: f, Status: task.Preparing},
			persist.UpdateTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, SubmitNum: 1, Status: task.Preparing},
			persist.InsertTaskJob{Cycle: cycle, Name: name, SubmitNum: 1, FlowNums: f, TryNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "simulation"},
		},
		{
			persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: f, Status: task.Submitted},
			persist.UpdateTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, SubmitNum: 1, Status: task.Submitted},
			persist.UpdateTaskJob{Cycle: cycle, Name: name, SubmitNum: 1, Set: persist.JobSubmitStatus | persist.JobTimeSubmitExit, TimeSubmitExit: t0},
			persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: f, Outputs: []persist.Output{{Trigger: "submitted", Message: "submitted"}}},
			persist.InsertTaskEvent{Cycle: cycle, Name: name, Time: t0, SubmitNum: 1, Event: "submitted", Message: "submitted"},
		},
		{
			persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: f, Status: task.Running},
			persist.UpdateTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, SubmitNum: 1, Status: task.Running},
			persist.UpdateTaskJob{Cycle: cycle, Name: name, SubmitNum: 1, Set: persist.JobTimeRun, TimeRun: t0},
			persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: f, Outputs: std("submitted", "started")},
			persist.InsertTaskEvent{Cycle: cycle, Name: name, Time: t0, SubmitNum: 1, Event: "started", Message: "started"},
		},
		{
			persist.UpdateTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, SubmitNum: 1, Status: task.Succeeded},
			persist.UpdateTaskJob{Cycle: cycle, Name: name, SubmitNum: 1, Set: persist.JobRunStatus | persist.JobTimeRunExit, TimeRunExit: t0},
			persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: f, Outputs: std("submitted", "started", "succeeded")},
			persist.InsertTaskEvent{Cycle: cycle, Name: name, Time: t0, SubmitNum: 1, Event: "succeeded", Message: "succeeded"},
			persist.DeleteTaskPool{Cycle: cycle, Name: name, FlowNums: f},
		},
	}
}

// BenchmarkWriterTaskLifecycles submits each task's journal as five small
// batches, as the scheduler would, from a producer that waits for a commit
// only every 500 tasks and keeps at most 4 such waits in flight (the
// scheduler defers only the effects that depend on a commit). The ops are
// built before the clock starts, so tasks/cpu-s is the store's own cost:
// the simulation throughput it can sustain (target >= 20k tasks/s).
func BenchmarkWriterTaskLifecycles(b *testing.B) {
	const every, window = 500, 4
	s := openTemp(b)
	w := s.Writer()
	r := runWriter(b, w)
	lives := make([][][]persist.Op, b.N)
	for i := range lives {
		lives[i] = taskLife(fmt.Sprint(i/100), fmt.Sprintf("t%d", i%100))
	}
	var inflight []chan error
	cpu := cpuTime()
	b.ResetTimer()
	for i, life := range lives {
		for j, batch := range life {
			if j == len(life)-1 && i%every == every-1 {
				done := make(chan error, 1)
				w.Submit(batch, func(err error) { done <- err })
				inflight = append(inflight, done)
				continue
			}
			w.Submit(batch, nil)
		}
		if len(inflight) > window {
			if err := <-inflight[0]; err != nil {
				b.Fatal(err)
			}
			inflight = inflight[1:]
		}
	}
	write(b, w) // wait for the last commit
	b.StopTimer()
	report(b, b.N, "tasks", cpu)
	b.ReportMetric(float64(b.N)/float64(w.commits.Load()), "tasks/commit")
	if err := r.stop(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLoadSnapshot100k restarts from a pool of 100 000 tasks, each
// with its state, outputs, current job and two prerequisites.
func BenchmarkLoadSnapshot100k(b *testing.B) {
	const tasks = 100_000
	s := openTemp(b)
	withWriter(b, s, func(w *Writer) {
		var ops []persist.Op
		for i := range tasks {
			cycle, name := fmt.Sprint(i/100), fmt.Sprintf("t%02d", i%100)
			f := []int{1}
			ops = append(ops,
				persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: f, Status: task.Running},
				persist.InsertTaskState{Cycle: cycle, Name: name, FlowNums: f, Time: t0, SubmitNum: 1, Status: task.Running},
				persist.InsertTaskJob{Cycle: cycle, Name: name, SubmitNum: 1, FlowNums: f, TryNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "background", JobID: "123"},
				persist.SetTaskOutputs{Cycle: cycle, Name: name, FlowNums: f, Outputs: std("submitted", "started")},
				persist.SetPrerequisites{Cycle: cycle, Name: name, FlowNums: f, Prereqs: []persist.Prereq{
					{Cycle: cycle, Name: "a", Output: "succeeded", Satisfied: "satisfied naturally"},
					{Cycle: cycle, Name: "b", Output: "succeeded"},
				}},
			)
			if len(ops) >= 5000 {
				w.Submit(ops, nil)
				ops = nil
			}
		}
		write(b, w, ops...)
	})
	cpu := cpuTime()
	for b.Loop() {
		snap, err := s.LoadSnapshot(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Tasks) != tasks || len(snap.Tasks[tasks-1].Prereqs) != 2 || snap.Tasks[0].Job == nil {
			b.Fatalf("loaded %d tasks", len(snap.Tasks))
		}
	}
	report(b, tasks*b.N, "tasks", cpu)
}
