package journal

import (
	"strconv"
	"strings"
	"time"

	"gyre/internal/pool"
	"gyre/internal/store/persist"
)

// Saved turns what the run database holds into the pool's restart state,
// and returns each pool task's outputs as stored, for Restored.
func Saved(snap *persist.Snapshot) (*pool.Saved, map[pool.ID][]persist.Output) {
	s := &pool.Saved{}
	// Cylc records the stop clock as whole seconds since the epoch.
	if n, err := strconv.ParseInt(snap.Params["stop_clock_time"], 10, 64); err == nil && n > 0 {
		s.StopClock = time.Unix(n, 0).UTC()
	}
	if name, point, ok := strings.Cut(snap.Params["stop_task"], "."); ok && name != "" && point != "" {
		s.StopTask = &pool.ID{Point: point, Name: name}
	}
	for _, h := range snap.Holds {
		s.ToHold = append(s.ToHold, pool.ID{Point: h.Cycle, Name: h.Name})
	}
	for _, b := range snap.Broadcasts {
		s.Broadcasts = append(s.Broadcasts, pool.BroadcastRow(b))
	}
	outputs := map[pool.ID][]persist.Output{}
	retry := map[pool.ID]persist.Timer{}
	for _, t := range snap.Timers {
		if t.CtxKey == RetryTimerKey && !t.Timeout.IsZero() {
			retry[pool.ID{Point: t.Cycle, Name: t.Name}] = t
		}
	}
	for _, pt := range snap.Tasks {
		id := pool.ID{Point: pt.Cycle, Name: pt.Name}
		st := pool.SavedTask{
			ID: id, Flows: pool.Flows(pt.FlowNums), Status: pt.Status, Held: pt.IsHeld,
			SubmitNum: pt.SubmitNum, Manual: pt.IsManualSubmit, TryNum: 1, FlowWait: pt.FlowWait,
			Outputs: triggers(pt.Outputs),
		}
		if pt.Job != nil {
			st.TryNum = max(pt.Job.TryNum, 1)
			st.JobID = pt.Job.JobID
			st.Platform, st.JobRunner = pt.Job.Platform, pt.Job.JobRunner
		}
		if tm, ok := retry[id]; ok {
			st.RetryAt = tm.Timeout
			// The try that failed was recorded; the next one is due.
			st.TryNum = tm.Num + 1
		}
		for _, p := range pt.Prereqs {
			if p.Satisfied != "" {
				st.Satisfied = append(st.Satisfied, pool.SavedOutput{Point: p.Cycle, Task: p.Name, Output: p.Output})
			}
		}
		outputs[id] = pt.Outputs
		s.Tasks = append(s.Tasks, st)
	}
	for _, h := range snap.History {
		s.History = append(s.History, pool.SavedHistory{
			ID: pool.ID{Point: h.Cycle, Name: h.Name}, Flows: pool.Flows(h.FlowNums),
			Status: h.Status, Outputs: triggers(h.Outputs),
			SubmitNum: h.SubmitNum, FlowWait: h.FlowWait,
		})
	}
	for _, a := range snap.AbsOutputs {
		s.AbsDone = append(s.AbsDone, pool.SavedOutput{Point: a.Cycle, Task: a.Name, Output: a.Output})
	}
	return s, outputs
}

func triggers(outs []persist.Output) []string {
	names := make([]string, 0, len(outs))
	for _, o := range outs {
		names = append(names, o.Trigger)
	}
	return names
}
