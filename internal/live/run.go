package live

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gyre/internal/api"
	"gyre/internal/bus"
	"gyre/internal/clock"
	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/scheduler"
	"gyre/internal/workflow"
)

// Config configures a live run.
type Config struct {
	Workflow   *workflow.Workflow
	Def        *pool.Def
	WorkflowID string // "NAME/runN"
	RunDir     string
	// Log receives the scheduler log. In live mode each line is flushed as
	// it is written, because jobs read the log (cylc__job__poll_grep_workflow_log).
	Log scheduler.Logger
	// GyreBin is the binary the "cylc" shim runs; "" means this process's
	// executable, which must then understand "cylc VERB ..." as gyre does.
	GyreBin string
	// Env and JobEnv are the jobs' base environment (nil: this process's)
	// and additions to it.
	Env, JobEnv []string
	// Dummy runs Cylc's dummy mode.
	Dummy bool
	// Command is CYLC_WORKFLOW_COMMAND for the contact file; nil means
	// os.Args.
	Command []string
	// Journal persists the run (nil: no database). Live jobs are
	// submitted only once the state before them is committed.
	Journal scheduler.Journal
	// Restart, if set, restarts the run from this saved state.
	Restart *pool.Saved
	// Ready, if set, is called once the contact file is written: clients
	// can reach the scheduler from then on.
	Ready func()
	// Reload, if set, loads the workflow again for "cylc reload".
	Reload Reloader
	// Platforms are the global configuration's (nil: localhost only).
	Platforms *platform.Config
}

// ErrAlreadyRunning is returned when the run's contact file belongs to a
// scheduler that is still running.
var ErrAlreadyRunning = errors.New("workflow is already running")

// Run runs a workflow in live mode until it shuts down: it starts the API
// server (unix socket under .service, TLS on loopback), publishes the
// contact file, starts the job runner and the scheduler, and, when the
// scheduler stops, removes the contact file and stops the server and the
// runner's watchers (jobs still running carry on). The result is the
// scheduler's: nil for a clean shutdown or a stop command.
func Run(ctx context.Context, cfg Config) error {
	layout := job.Layout{RunDir: cfg.RunDir}
	serviceDir := layout.ServiceDir()
	if err := checkNotRunning(serviceDir, cfg.WorkflowID); err != nil {
		return err
	}
	creds, err := api.EnsureCredentials(serviceDir)
	if err != nil {
		return err
	}
	gyreBin := cfg.GyreBin
	if gyreBin == "" {
		if gyreBin, err = os.Executable(); err != nil {
			return fmt.Errorf("finding the gyre binary for the jobs' cylc command: %w", err)
		}
	}
	shimDir := filepath.Join(serviceDir, "bin")
	if err := WriteShim(shimDir, gyreBin); err != nil {
		return err
	}
	log := flushingLog{cfg.Log}

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var stopped sync.Once
	var stopRequested atomic.Bool
	requestStop := func() {
		stopped.Do(func() {
			stopRequested.Store(true)
			log.Log(time.Now(), pool.Info, "Command \"stop\" received: shutting down now; running jobs are left to finish")
			stop()
		})
	}

	var sched *scheduler.Scheduler
	h := NewHandler(cfg.WorkflowID, func(ev pool.Event) { sched.Post(ev) }, nil, requestStop)
	socket := filepath.Join(serviceDir, "gyre.sock")
	if len(socket) > 107 {
		log.Log(time.Now(), pool.Warning, fmt.Sprintf("unix socket path %s is too long; local clients will use TLS on loopback", socket))
		socket = ""
	}
	tcpAddr := "" // loopback: every job runs here
	if cfg.Platforms != nil && cfg.Platforms.HasRemote() {
		// Jobs on other hosts send their messages over the network,
		// authenticated by the run's token and pinned certificate.
		tcpAddr = ":0"
	}
	srv, err := api.NewServer(h, api.Options{
		Credentials: creds,
		SocketPath:  socket,
		TCPAddr:     tcpAddr,
		WorkflowID:  cfg.WorkflowID,
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}

	uuid := newUUID()
	r, err := New(Options{
		Workflow: cfg.Workflow, Def: cfg.Def, WorkflowID: cfg.WorkflowID,
		RunDir: cfg.RunDir, UUID: uuid, GyreBin: gyreBin, ShimDir: shimDir,
		Contact: job.Contact{
			URL:         srv.URL(),
			Fingerprint: creds.Fingerprint,
			TokenFile:   filepath.Join(serviceDir, api.TokenFileName),
		},
		Env: cfg.Env, JobEnv: cfg.JobEnv, Dummy: cfg.Dummy, Platforms: cfg.Platforms,
		Log: func(level pool.Level, msg string) { log.Log(time.Now(), level, msg) },
	})
	if err != nil {
		srv.Close()
		return err
	}
	h.runner = r
	h.log = func(level pool.Level, msg string) { log.Log(time.Now(), level, msg) }
	h.do = func(ctx context.Context, fn func(p *pool.Pool) ([]pool.Event, any, error)) (any, error) {
		return sched.Do(ctx, fn)
	}
	logf := func(level pool.Level, msg string) { log.Log(time.Now(), level, msg) }
	xt := newXtriggers(cfg, logf)
	eh := newEventHandlers(cfg, uuid, logf)
	deltas := bus.New[Delta](bus.Options{})
	defer deltas.Close()
	h.deltas = deltas
	h.attachControl(cfg, r, xt, eh)
	observe := func(e pool.Effect) {
		if x, ok := e.(pool.ExpireBefore); ok {
			h.expiredBroadcasts(r.opts.Def, x.Point, sched.Post)
			return
		}
		if d, ok := deltaOf(e); ok {
			deltas.Publish(d)
		}
		if te, ok := e.(pool.TaskEvent); ok {
			r.RetrieveLogs(te)
		}
		eh.handle(e)
	}
	sched = scheduler.New(scheduler.Options{
		Pool: pool.New(cfg.Def), Clock: clock.Real{}, Runner: r, Log: log, Journal: cfg.Journal, Restart: cfg.Restart,
		Xtriggers: xt, Events: observe,
	})

	command := cfg.Command
	if command == nil {
		command = os.Args
	}
	host, _ := os.Hostname()
	owner := strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		owner = u.Username
	}
	if err := api.WriteContact(serviceDir, api.Contact{
		WorkflowID: cfg.WorkflowID, Host: host, Owner: owner, PID: os.Getpid(),
		Command: api.ShellJoin(command), Port: srv.Port(), RunDir: cfg.RunDir,
		UUID: uuid, Version: workflow.CylcVersion, API: api.APIVersion,
		Socket: srv.SocketPath(), URL: srv.URL(), Fingerprint: creds.Fingerprint,
	}); err != nil {
		srv.Close()
		return err
	}
	if cfg.Ready != nil {
		cfg.Ready()
	}

	// The server and the runner outlive the scheduler a little: the server
	// so that a job's last message is answered, the runner so that its
	// calls under way complete.
	srvCtx, stopSrv := context.WithCancel(context.Background())
	rCtx, stopRunner := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var srvErr, rErr error
	wg.Go(func() { srvErr = srv.Run(srvCtx) })
	rDone := make(chan struct{})
	go func() { defer close(rDone); rErr = r.Run(rCtx) }()
	xCtx, stopXtriggers := context.WithCancel(context.Background())
	wg.Go(func() { _ = xt.m.Run(xCtx) })
	hDone := make(chan struct{})
	go func() { defer close(hDone); _ = eh.r.Run(context.Background()) }()

	runErr := sched.Run(runCtx)
	stopXtriggers()
	// The shutdown (or abort) handlers have been queued: they run before
	// the scheduler exits, as in Cylc; handlers waiting to retry do not.
	eh.r.Close()
	<-hDone

	if err := api.RemoveContact(serviceDir); err != nil {
		log.Log(time.Now(), pool.Warning, err.Error())
	}
	stopSrv()
	wg.Wait()
	stopRunner()
	<-rDone

	switch {
	case runErr != nil && stopRequested.Load() && ctx.Err() == nil:
		log.Log(time.Now(), pool.Info, "Workflow shutting down - REQUEST(NOW)")
		runErr = nil
	case runErr != nil && ctx.Err() != nil:
		runErr = fmt.Errorf("interrupted: %w (running jobs are left to finish)", ctx.Err())
	}
	return errors.Join(runErr, srvErr, rErr)
}

// checkNotRunning refuses to start a second scheduler on a run and removes
// a contact file left by one that died.
func checkNotRunning(serviceDir, id string) error {
	c, err := api.ReadContact(serviceDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		alive, aerr := c.Alive()
		if aerr != nil {
			return fmt.Errorf("%w: %s: %v\n  hint: if it is not, remove %s", ErrAlreadyRunning, id, aerr, filepath.Join(serviceDir, api.ContactFileName))
		}
		if alive {
			return fmt.Errorf("%w: %s (scheduler PID %d on %s)", ErrAlreadyRunning, id, c.PID, c.Host)
		}
	}
	// Stale or unreadable: the scheduler that wrote it has gone.
	return api.RemoveContact(serviceDir)
}

// WriteShim writes the "cylc" command jobs find first on their PATH: it
// runs "gyre cylc VERB ...", which understands the verbs jobs use; and
// "isodatetime", which runs "gyre isodatetime".
func WriteShim(dir, gyreBin string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing the cylc shim: %w", err)
	}
	// Cylc's job environment also has metomi-isodatetime's command.
	for name, verb := range map[string]string{"cylc": "cylc", "isodatetime": "isodatetime"} {
		script := "#!/bin/sh\n# Gyre: jobs' \"" + name + "\" command.\nexec " + shellQuote(gyreBin) + " " + verb + " \"$@\"\n"
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, []byte(script), 0o755); err != nil {
			return fmt.Errorf("writing the %s shim: %w", name, err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("writing the %s shim: %w", name, err)
		}
	}
	return nil
}

// newUUID returns a random (version 4) UUID, as Cylc gives each run.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// flushingLog writes each line through at once: jobs may be waiting for it.
type flushingLog struct{ scheduler.Logger }

func (l flushingLog) Log(t time.Time, level pool.Level, msg string) {
	l.Logger.Log(t, level, msg)
	if f, ok := l.Logger.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
}
