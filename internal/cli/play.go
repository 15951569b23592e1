package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/clock"
	"gyre/internal/live"
	"gyre/internal/platform"
	"gyre/internal/pool"
	"gyre/internal/rundir"
	"gyre/internal/scheduler"
	"gyre/internal/workflow"
)

func init() { register(newPlay) }

type playFlags struct {
	tf            templateFlags
	noDetach      bool
	mode          string
	realTime      bool
	fcp           string
	startcp       string
	stopcp        string
	holdAfter     string
	referenceTest bool
	referenceLog  bool
	name          string
	quiet         bool
	debug         bool
	startTasks    []string
}

func newPlay() *cobra.Command {
	var pf playFlags
	cmd := &cobra.Command{
		Use:   "play PATH|WORKFLOW",
		Short: "Install (if given a source directory) and run a workflow",
		Long: `Run a workflow. Given a source directory (or its flow.cylc), play installs
it as a new run under the run root ($GYRE_RUN_ROOT, default ~/gyre-run) as
NAME/runN and starts it; given an installed workflow ID (NAME or NAME/runN)
it starts that run.

In live mode (the default) each job is a bash script under
log/job/POINT/TASK/NN/ run as a local background process; jobs report to the
scheduler with "cylc message", which a shim in the run's .service/bin turns
into "gyre message". The scheduler listens on a unix socket in .service and
on TLS on loopback, and publishes .service/contact while it runs. Dummy mode
runs real jobs with Cylc's dummy scripting. In simulation mode jobs are
simulated in-process, as in Cylc's simulation mode, on a virtual clock: a
year of cycles takes seconds. --real-time keeps the simulated run lengths in
real time.

By default the scheduler detaches: it runs on as a daemon and play returns
once it is up (its log is log/scheduler/log in the run directory); errors
before then are reported here. --no-detach (-N) keeps it in the foreground,
and the exit status is then 0 when the workflow shut down cleanly.`,
		Example: `  gyre play examples/datetime-cycling
  gyre play --no-detach examples/datetime-cycling
  gyre play --no-detach --mode=simulation examples/datetime-cycling
  gyre play -N --mode=simulation --reference-test path/to/workflow`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlay(cmd, args[0], &pf)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&pf.noDetach, "no-detach", "N", false, "keep the scheduler in the foreground")
	f.StringVarP(&pf.mode, "mode", "m", "live", "run mode: live (real jobs), dummy (real jobs, dummy scripting) or simulation")
	f.BoolVar(&pf.realTime, "real-time", false, "in simulation mode, let simulated jobs take their run length in real time")
	f.StringVar(&pf.fcp, "final-cycle-point", "", "set the final cycle point")
	f.StringVar(&pf.fcp, "fcp", "", "short for --final-cycle-point")
	f.StringVar(&pf.startcp, "start-cycle-point", "", "warm start from this cycle point")
	f.StringVar(&pf.startcp, "startcp", "", "short for --start-cycle-point")
	f.StringVar(&pf.stopcp, "stop-cycle-point", "", "stop after this cycle point")
	f.StringVar(&pf.stopcp, "stopcp", "", "short for --stop-cycle-point")
	f.StringVar(&pf.holdAfter, "hold-after", "", "hold tasks after this cycle point")
	f.StringArrayVarP(&pf.startTasks, "start-task", "t", nil, "cold start from this task, POINT/NAME (repeatable)")
	f.BoolVar(&pf.referenceTest, "reference-test", false, "compare the run's triggering with the workflow's reference.log")
	f.BoolVar(&pf.referenceLog, "reference-log", false, "write the run's triggering to reference.log in the run directory")
	f.StringVar(&pf.name, "workflow-name", "", "install under this name (default: the source directory's name)")
	f.BoolVarP(&pf.quiet, "quiet", "q", false, "print only warnings and errors from the scheduler log")
	f.BoolVar(&pf.debug, "debug", false, "write DEBUG lines to the scheduler log (and print them, unless --quiet)")
	pf.tf.add(cmd)
	return cmd
}

func runPlay(cmd *cobra.Command, target string, pf *playFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch pf.mode {
	case "simulation", "sim":
		pf.mode = "simulation"
	case "live", "dummy":
		if pf.realTime {
			return fmt.Errorf("--real-time is for simulation mode; %s mode always runs in real time", pf.mode)
		}
	default:
		return fmt.Errorf("--mode=%s: unknown run mode (use live, dummy or simulation)", pf.mode)
	}
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return err
	}
	if id, dir, err := rundir.Resolve(root, target); err == nil {
		if c, err := api.ReadContact(filepath.Join(dir, ".service")); err == nil {
			if alive, _ := c.Alive(); alive {
				// As Cylc: play on a running workflow resumes it.
				return runControl(cmd, controlSpec{name: "resume"}, []string{id}, live.CommandArgs{}, controlExtra{})
			}
		}
	}
	id, dir, installed, err := resolveOrInstall(root, target, pf.name)
	if err != nil {
		return err
	}
	if installed {
		fmt.Fprintf(stdout, "INSTALLED %s from %s\n", id, target)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return err
	}
	if !pf.noDetach {
		return detach(cmd, id, dir)
	}

	db, err := openDB(dir)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	defer db.abandon()
	restart := db.restart()
	if restart {
		if err := db.restartOptions(pf, stderr); err != nil {
			return &exitError{code: 1, err: err}
		}
	}
	vars, err := db.templateVars(&pf.tf)
	if err != nil {
		return err
	}
	now := time.Now()
	// A reload loads the workflow again just as it was loaded here.
	loadOpts := func(now time.Time) workflow.Options {
		return workflow.Options{
			Vars: vars, Env: os.Environ(), Now: now,
			InitialCyclePoint: pf.tf.icp, FinalCyclePoint: pf.fcp, WorkflowID: id,
		}
	}
	runOpts := workflow.RunOptions{
		StartCyclePoint: pf.startcp, StopCyclePoint: pf.stopcp, HoldAfter: pf.holdAfter,
		ReferenceTest: pf.referenceTest, StartTasks: pf.startTasks, Simulation: pf.mode == "simulation",
	}
	var platforms *platform.Config
	if pf.mode == "live" {
		// The global configuration's platforms say where jobs go.
		platforms, err = loadPlatforms()
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("global configuration: %w", err)}
		}
		runOpts.PlatformSettings = live.PlatformSettings(platforms)
	}
	w, err := workflow.Load(dir, loadOpts(now))
	if err != nil {
		return reportLoadErrorColour(painter(cmd, stderr), stderr, err)
	}
	def, err := w.PoolDef(runOpts)
	if err != nil {
		return err
	}
	def.DropDebug = !pf.debug

	logDir := filepath.Join(dir, "log", "scheduler")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(logDir, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	level := pool.Info
	if pf.quiet {
		level = pool.Warning
	}
	if pf.debug && !pf.quiet {
		level = pool.Debug
	}
	tlog := scheduler.NewTextLog(logFile, painter(cmd, stdout).LogWriter(stdout), level)
	tlog.Debug = pf.debug
	defer tlog.Flush()

	var clk clock.Clock = clock.Real{}
	var virt *clock.Virtual
	if pf.mode == "simulation" && !pf.realTime {
		virt = clock.NewVirtual(now)
		clk = virt
	}
	tlog.Log(now, pool.Info, fmt.Sprintf("Workflow: %s", id))
	tlog.Log(now, pool.Info, "Run mode: "+pf.mode)
	tlog.Log(now, pool.Info, "Initial point: "+def.Initial.String())
	final := "None"
	if def.HasFinal {
		final = def.Final.String()
	}
	tlog.Log(now, pool.Info, "Final point: "+final)

	jrnl, saved, err := db.start(clk, pf, def)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	tlog.Log(now, pool.Info, fmt.Sprintf("Run: (re)start number=%d", db.startNumber()))
	var runErr error
	if pf.mode == "simulation" {
		s := scheduler.New(scheduler.Options{
			Pool: pool.New(def), Clock: clk, Virtual: virt, Simulate: true, Log: tlog,
			Journal: jrnl, Pipelined: true, Restart: saved,
		})
		daemonReady(logFile.Name())
		runErr = s.Run(cmd.Context())
	} else {
		runErr = live.Run(cmd.Context(), live.Config{
			Workflow: w, Def: def, WorkflowID: id, RunDir: dir, Log: tlog,
			Dummy: pf.mode == "dummy", Journal: jrnl, Restart: saved, Platforms: platforms,
			Ready: func() { daemonReady(logFile.Name()) },
			Reload: func() (*workflow.Workflow, *pool.Def, error) {
				w, err := workflow.Load(dir, loadOpts(time.Now()))
				if err != nil {
					return nil, nil, err
				}
				def, err := w.PoolDef(runOpts)
				if err == nil {
					def.DropDebug = !pf.debug
				}
				return w, def, err
			},
		})
	}
	if err := db.close(); err != nil && runErr == nil {
		runErr = err
	}

	header := []string{"Initial point: " + def.Initial.String(), "Final point: " + final}
	if pf.referenceLog {
		ref := strings.Join(append(header, tlog.RefLines...), "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, "reference.log"), []byte(ref), 0o644); err != nil {
			return err
		}
	}
	if runErr != nil {
		tlog.Flush()
		return &exitError{code: 1, err: runErr}
	}
	if pf.referenceTest {
		data, err := os.ReadFile(filepath.Join(dir, "reference.log"))
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("reference test: %w", err)}
		}
		diff, err := scheduler.CompareReference(string(data), tlog.RefLines)
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("WORKFLOW REFERENCE TEST FAILED: %w", err)}
		}
		if diff != "" {
			return &exitError{code: 1, err: fmt.Errorf("WORKFLOW REFERENCE TEST FAILED\ntriggering is NOT consistent with the reference log:\n%s", diff)}
		}
		tlog.Log(clk.Now(), pool.Info, "WORKFLOW REFERENCE TEST PASSED")
	}
	return nil
}

// resolveOrInstall installs target if it is a source directory (or a
// flow.cylc in one), else resolves it as an installed workflow ID.
func resolveOrInstall(root, target, name string) (id, dir string, installed bool, err error) {
	if st, err := os.Stat(target); err == nil {
		src := target
		if !st.IsDir() {
			src = filepath.Dir(target)
		}
		abs, _ := filepath.Abs(src)
		if !strings.HasPrefix(abs, root+string(filepath.Separator)) {
			id, dir, err = rundir.Install(root, src, name)
			return id, dir, err == nil, err
		}
	}
	id, dir, err = rundir.Resolve(root, target)
	return id, dir, false, err
}
