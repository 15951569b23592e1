package live

import (
	"fmt"
	"log/slog"
	"os"
	"os/user"

	"gyre/internal/clock"
	"gyre/internal/config"
	"gyre/internal/job"
	"gyre/internal/pool"
	"gyre/internal/rundir"
	"gyre/internal/xtrigger"
)

// xtriggers evaluates a live run's xtriggers with the xtrigger package's
// manager (scheduler.Xtriggers): identical calls from several tasks are
// made once, unsatisfied ones are retried at their call interval.
type xtriggers struct {
	m        *xtrigger.Manager
	byLabel  map[string]*config.Xtrigger
	workflow string
	layout   job.Layout
	user     string
	log      func(pool.Level, string)
	ext      extTriggers
}

func newXtriggers(cfg Config, log func(pool.Level, string)) *xtriggers {
	x := &xtriggers{
		byLabel: map[string]*config.Xtrigger{}, workflow: cfg.WorkflowID,
		layout: job.Layout{RunDir: cfg.RunDir}, log: log,
	}
	x.ext.log = log
	x.define(cfg.Workflow.Config)
	if u, err := user.Current(); err == nil {
		x.user = u.Username
	}
	root, _ := rundir.Root(os.Getenv)
	x.m = xtrigger.NewManager(xtrigger.Options{
		Clock: clock.Real{},
		Env:   xtrigger.Env{RunRoot: root, Clock: clock.Real{}},
		Log: func(level slog.Level, msg string) {
			l := pool.Info
			switch {
			case level >= slog.LevelError:
				l = pool.Error
			case level >= slog.LevelWarn:
				l = pool.Warning
			case level < slog.LevelInfo:
				l = pool.Debug
			}
			log(l, msg)
		},
	})
	return x
}

// Call implements scheduler.Xtriggers.
func (x *xtriggers) Call(c pool.CallXtrigger, post func(pool.Event)) {
	if msg, ok := pool.ExtTriggerMessage(c.Label); ok {
		x.ext.wait(c.ID, c.Label, msg, post)
		return
	}
	xt := x.byLabel[c.Label]
	if xt == nil {
		x.log(pool.Error, fmt.Sprintf("[%s] xtrigger %s is not defined in [scheduling][xtriggers]", c.ID, c.Label))
		return
	}
	call := xtrigger.Call{Xtrigger: *xt, Ctx: xtrigger.Context{
		Point: c.ID.Point, Name: c.ID.Name, ID: c.ID.String(), Workflow: x.workflow,
		UserName: x.user, RunDir: x.layout.RunDir, ShareDir: x.layout.ShareDir(),
	}}
	x.m.Request(call, func(r xtrigger.Result) {
		if r.Err != nil {
			x.log(pool.Error, fmt.Sprintf("[%s] xtrigger %s: %v", c.ID, c.Label, r.Err))
			return
		}
		if r.Satisfied {
			x.log(pool.Info, fmt.Sprintf("xtrigger succeeded: %s = %s", c.Label, r.Signature))
			post(pool.XtriggerSatisfied{ID: c.ID, Label: c.Label})
		}
	})
}

// define takes the workflow's [scheduling][xtriggers], at start-up and
// after a reload; it runs on the scheduler's goroutine, as Call does.
func (x *xtriggers) define(w *config.Workflow) {
	clear(x.byLabel)
	for _, xt := range w.Scheduling().Xtriggers {
		x.byLabel[xt.Label] = xt
	}
}
