package live

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gyre/internal/config"
	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/runner"
	"gyre/internal/workflow"
)

// taskJob is what a task's jobs share, worked out once per task from its
// runtime configuration: everything in a job script but the job's own
// numbers and flows.
type taskJob struct {
	spec  job.Spec
	limit time.Duration
	// platform is where its jobs go.
	platform *platform.Platform
	// directives are its [directives], for the platform's job runner.
	directives []runner.Directive
	// unsupported, if set, is why jobs of the task cannot be submitted
	// (an unknown platform, a remote one); each submit fails with it.
	unsupported error
}

// errNoPlatform reports a platform Gyre cannot submit jobs to.
var errNoPlatform = errors.New("platform not defined")

// jobFor returns the shared job settings of task name, computing them on
// first use. It runs on the scheduler's goroutine only.
func (r *Runner) jobFor(name string) *taskJob {
	if tj, ok := r.tasks[name]; ok {
		return tj
	}
	tj := r.buildTaskJob(name)
	r.tasks[name] = tj
	return tj
}

func (r *Runner) buildTaskJob(name string) *taskJob {
	return r.buildTaskJobWith(name, nil)
}

// buildTaskJobWith builds a task's job settings with broadcast overrides
// applied to its runtime configuration.
func (r *Runner) buildTaskJobWith(name string, overrides []config.Setting) *taskJob {
	o := &r.opts
	w := o.Workflow
	tj := &taskJob{}
	s := &tj.spec
	s.WorkflowID = o.WorkflowID
	s.WorkflowName = workflowName(o.WorkflowID)
	s.WorkflowUUID = o.UUID
	s.RunDir = o.RunDir
	s.CylcVersion = workflow.CylcVersion
	s.TaskName = name
	s.RunnerName = runner.Background
	tj.platform = localhost(o.Platforms)
	s.GyreBin = o.GyreBin
	s.ShimDir = o.ShimDir
	s.Contact = o.Contact
	if w == nil {
		return tj
	}
	s.CyclingMode = w.Config.Scheduling().CyclingMode
	if w.Cycle != nil {
		s.InitialCyclePoint = w.Cycle.Initial().String()
		if p, ok := w.Cycle.Final(); ok {
			s.FinalCyclePoint = p.String()
		}
	}
	if utc := w.Config.Scheduler().UTCMode; utc != nil {
		s.UTC = *utc
	}
	if ns := w.Config.Namespaces[name]; ns != nil {
		s.NamespaceHierarchy = slices.Clone(ns.MRO)
		slices.Reverse(s.NamespaceHierarchy)
		for _, p := range ns.ParamValues {
			s.Params = append(s.Params, job.EnvVar{Name: p.Name, Value: fmt.Sprint(p.Value)})
		}
	}
	rt, ok := w.Config.Runtime(name)
	if !ok {
		return tj
	}
	if len(overrides) > 0 {
		brt, err := w.Config.RuntimeWith(name, overrides)
		if err != nil {
			tj.unsupported = fmt.Errorf("applying broadcasts: %w", err)
			return tj
		}
		rt = brt
	}
	if !o.Dummy {
		// Dummy mode runs every job on localhost, as Cylc's does.
		r.usePlatform(tj, rt)
	}
	if rt.ExecutionTimeLimit != nil && *rt.ExecutionTimeLimit > 0 {
		tj.limit = rt.ExecutionTimeLimit.Duration()
		s.ExecutionTimeLimit = tj.limit
	}
	if o.Dummy {
		// Cylc's dummy mode: the task's scripting and environment are
		// replaced by a job that takes its simulated run length, sends its
		// custom outputs and succeeds or fails as [simulation] says.
		s.Script = dummyScript(rt, r.sim(name))
		tj.unsupported = nil
		return tj
	}
	s.InitScript, s.EnvScript, s.ErrScript = rt.InitScript, rt.EnvScript, rt.ErrScript
	s.PreScript, s.Script, s.PostScript, s.ExitScript = rt.PreScript, rt.Script, rt.PostScript, rt.ExitScript
	s.WorkSubDir = rt.WorkSubDirectory
	for _, kv := range rt.Environment {
		s.Environment = append(s.Environment, job.EnvVar{Name: kv.Key, Value: kv.Value})
	}
	return tj
}

// sim returns a task's [simulation] settings as the pool compiled them.
func (r *Runner) sim(name string) pool.SimDef {
	if r.opts.Def != nil {
		if td := r.opts.Def.Tasks[name]; td != nil {
			return td.Sim
		}
	}
	return pool.SimDef{}
}

// workflowName is CYLC_WORKFLOW_NAME: the workflow ID without its run name.
func workflowName(id string) string {
	if i := strings.LastIndexByte(id, '/'); i > 0 && strings.HasPrefix(id[i+1:], "run") {
		return id[:i]
	}
	return id
}

// dummyScript is Cylc's dummy-mode script: sleep for the run length, send
// each custom output's message, then succeed or fail by the fail points.
func dummyScript(rt *config.Runtime, sim pool.SimDef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "sleep %d", int(math.Ceil(sim.RunLength.Seconds())))
	for _, o := range rt.Outputs {
		fmt.Fprintf(&b, "\ncylc message %s", shellQuote(o.Value))
	}
	points := "all"
	if !sim.FailAll {
		var ps []string
		for p := range sim.FailPoints {
			ps = append(ps, p)
		}
		slices.Sort(ps)
		points = strings.Join(ps, " ")
	}
	fmt.Fprintf(&b, "\ncylc__job__dummy_result %t %s || exit 1", sim.FailTry1Only, points)
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// prepare fills in one job's spec and runner request from its task's
// shared settings.
func (r *Runner) prepare(sj pool.SubmitJob) (job.Spec, runner.Job, *platform.Platform, error) {
	tj := r.jobFor(sj.ID.Name)
	if r.broadcasts != nil && r.opts.Workflow != nil {
		// Broadcasts make a job's settings its own: built afresh, not
		// cached.
		if ov := r.broadcasts.For(sj.ID.Point, r.mro(sj.ID.Name)); len(ov) > 0 {
			tj = r.buildTaskJobWith(sj.ID.Name, ov)
		}
	}
	if tj.unsupported != nil {
		return job.Spec{}, runner.Job{}, nil, tj.unsupported
	}
	spec := tj.spec
	spec.CyclePoint = sj.ID.Point
	spec.SubmitNum = sj.SubmitNum
	spec.TryNum = sj.TryNum
	spec.FlowNums = slices.Clone([]int(sj.Flows))
	id := job.RelativeJobID(sj.ID.Point, sj.ID.Name, sj.SubmitNum)
	rj := runner.Job{
		JobRef:             runner.JobRef{ID: id, Files: r.layout.Job(sj.ID.Point, sj.ID.Name, sj.SubmitNum)},
		Env:                r.opts.JobEnv,
		ExecutionTimeLimit: tj.limit,
		Directives:         tj.directives,
		WorkflowName:       spec.WorkflowID, // as Cylc names batch jobs
	}
	return spec, rj, tj.platform, nil
}

// mro is the task's namespace hierarchy from the task up to root, as
// broadcasts are looked up.
func (r *Runner) mro(name string) []string {
	if ns := r.opts.Workflow.Config.Namespaces[name]; ns != nil {
		return ns.MRO
	}
	return []string{name, "root"}
}
