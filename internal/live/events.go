package live

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gyre/internal/config"
	"gyre/internal/handlers"
	"gyre/internal/job"
	"gyre/internal/pool"
	"gyre/internal/runner"
)

// eventHandlers runs a live run's task and workflow event handlers on
// the handlers package's runner, off the scheduler's goroutine.
type eventHandlers struct {
	r        *handlers.Runner
	cfg      *config.Workflow
	workflow string
	uuid     string
	wfEvents handlers.Events
	wfMeta   handlers.Meta
	host     string
	log      func(pool.Level, string)

	mu    sync.Mutex
	tasks map[string]handlers.Events // by task name
	metas map[string]handlers.Meta
	seq   map[string]int // repeated events per job and event
}

func newEventHandlers(cfg Config, uuid string, log func(pool.Level, string)) *eventHandlers {
	wc := cfg.Workflow.Config
	sch := wc.Scheduler()
	e := &eventHandlers{
		cfg: wc, workflow: cfg.WorkflowID, uuid: uuid,
		wfEvents: handlers.FromWorkflow(&sch.Events),
		tasks:    map[string]handlers.Events{}, metas: map[string]handlers.Meta{}, seq: map[string]int{},
	}
	e.host, _ = os.Hostname()
	e.log = log
	layout := job.Layout{RunDir: cfg.RunDir}
	e.r = handlers.New(handlers.Options{
		Dir: cfg.RunDir, Env: shimFirst(cfg.Env, layout.ServiceDir()),
		Log: func(level pool.Level, msg string) { log(level, msg) },
		// Each attempt of a task handler is recorded in its job's
		// job-activity.log, where Cylc users look for handler output.
		Done: func(res handlers.Result) {
			j := res.Handler.Job
			if j == nil {
				return
			}
			path := filepath.Join(layout.JobDir(j.Point, j.Name, j.SubmitNum), "job-activity.log")
			f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
			if err != nil {
				log(pool.Warning, fmt.Sprintf("[%s] recording the %s handler's result: %v", j, res.Handler.Event, err))
				return
			}
			_, _ = f.WriteString(res.String() + "\n")
			_ = f.Close()
		},
	})
	return e
}

// handle implements the scheduler's Events hook.
func (e *eventHandlers) handle(ef pool.Effect) {
	switch ev := ef.(type) {
	case pool.TaskEvent:
		e.task(ev)
	case pool.WorkflowEvent:
		d := &handlers.WorkflowEventData{
			Event: ev.Event, Message: ev.Message, Workflow: e.workflow, UUID: e.uuid,
			Host: e.host, Meta: e.wfMeta,
		}
		hs, errs := handlers.ForWorkflow(e.wfEvents, d)
		e.enqueue(hs, errs)
	}
}

func (e *eventHandlers) task(ev pool.TaskEvent) {
	e.mu.Lock()
	evs, ok := e.tasks[ev.ID.Name]
	meta := e.metas[ev.ID.Name]
	if !ok {
		if rt, found := e.cfg.Runtime(ev.ID.Name); found {
			evs = handlers.FromRuntime(rt)
			meta = handlers.Meta(rt.Meta)
		}
		e.tasks[ev.ID.Name], e.metas[ev.ID.Name] = evs, meta
	}
	key := fmt.Sprintf("%s/%d/%s", ev.ID, ev.SubmitNum, ev.Event)
	e.seq[key]++
	seq := e.seq[key]
	e.mu.Unlock()
	d := &handlers.TaskEventData{
		Event: ev.Event, Message: ev.Message, Seq: seq, Workflow: e.workflow, UUID: e.uuid,
		Point: ev.ID.Point, Name: ev.ID.Name, SubmitNum: ev.SubmitNum, TryNum: ev.TryNum,
		JobID: ev.JobID, JobRunnerName: cmp.Or(ev.JobRunner, runner.Background), PlatformName: cmp.Or(ev.Platform, "localhost"),
		TaskMeta: meta, WorkflowMeta: e.wfMeta,
	}
	if ev.Event == "submitted" {
		d.SubmitTime = time.Now().UTC().Format(time.RFC3339)
	}
	hs, errs := handlers.ForTask(evs, d)
	e.enqueue(hs, errs)
}

func (e *eventHandlers) enqueue(hs []handlers.Handler, errs []error) {
	for _, err := range errs {
		e.log(pool.Error, err.Error())
	}
	for _, h := range hs {
		e.r.Enqueue(h)
	}
}

// shimFirst puts the run's "cylc" shim first on the PATH of env (nil: this
// process's environment), so that handlers calling "cylc stop" and the
// like reach this scheduler, as jobs do.
func shimFirst(env []string, serviceDir string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+1)
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
			continue
		}
		out = append(out, kv)
	}
	bin := filepath.Join(serviceDir, "bin")
	if path != "" {
		bin += ":" + path
	}
	return append(out, "PATH="+bin)
}

// reloaded switches to a reloaded workflow's handler settings.
func (e *eventHandlers) reloaded(wc *config.Workflow) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cfg = wc
	clear(e.tasks)
	clear(e.metas)
}
