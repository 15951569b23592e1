package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/live"
	"gyre/internal/rundir"
)

// controlSpec describes a command that drives a running scheduler.
type controlSpec struct {
	name, short, long, example string
	// tasks: the command takes task IDs (at least one, unless all).
	tasks bool
	flags func(cmd *cobra.Command, a *live.CommandArgs, x *controlExtra)
}

// controlExtra holds options that do not go to the scheduler as they are.
type controlExtra struct {
	now    int
	kill   bool
	format string
	// flows are trigger's and set's --flow values (the option repeats).
	flows []string
}

// flowFlags adds Cylc's flow options of trigger and set.
func flowFlags(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
	c.Flags().StringArrayVar(&x.flows, "flow", nil, "run in: new, none, or a flow number (repeat for several; default: the tasks' flows,\nor all active flows for tasks not in the pool)")
	c.Flags().StringVar(&a.FlowDescr, "meta", "", "description of the new flow (with --flow=new)")
	c.Flags().BoolVar(&a.FlowWait, "wait", false, "wait for the flow to merge with the active flows before spawning the tasks' children")
}

var controlSpecs = []controlSpec{
	{name: "hold", tasks: true, short: "Hold tasks: held tasks do not submit jobs",
		long:    "Hold tasks: held tasks do not submit jobs. With --after=POINT, hold every task after the\ncycle point, those in the pool now and those spawned later (the workflow hold point).",
		example: "  gyre hold demo//1/foo\n  gyre hold demo '//2/*' //3/FAM\n  gyre hold --all demo\n  gyre hold --after=20300101T00 demo",
		flags: func(c *cobra.Command, a *live.CommandArgs, _ *controlExtra) {
			c.Flags().BoolVar(&a.All, "all", false, "hold every task in the pool")
			c.Flags().StringVar(&a.After, "after", "", "hold every task after this cycle point, now and as they spawn")
		}},
	{name: "release", tasks: true, short: "Release held tasks",
		long:    "Release held tasks. With --all, release every held task and remove the workflow hold point\n(set by hold --after or play --hold-after).",
		example: "  gyre release demo//1/foo\n  gyre release --all demo",
		flags: func(c *cobra.Command, a *live.CommandArgs, _ *controlExtra) {
			c.Flags().BoolVar(&a.All, "all", false, "release every held task and remove the hold point")
		}},
	{name: "trigger", tasks: true, short: "Run tasks now, whatever their prerequisites",
		long:    "Trigger tasks: spawn them if need be, satisfy their prerequisites and run them now, in the\nflows they belong to, a new flow (--flow=new), given flows, or none (--flow=none: nothing\ndownstream runs). Tasks given together that depend on each other run as a group: those\nthat depend on no other given task run now, the others when their parents in the group\nhave run. --wait runs the tasks but spawns their children only once the flow catches up.",
		example: "  gyre trigger demo//1/foo\n  gyre trigger --flow=new --meta='rerun after fix' demo//1/foo\n  gyre trigger --flow=2 --wait demo//1/foo\n  gyre trigger demo '//1/fix*:failed'",
		flags:   flowFlags},
	{name: "kill", tasks: true, short: "Kill the jobs of tasks (the tasks are held)", example: "  gyre kill demo//1/foo"},
	{name: "poll", tasks: true, short: "Poll the jobs of tasks", example: "  gyre poll demo//1/foo\n  gyre poll demo '//*'"},
	{name: "remove", tasks: true, short: "Remove tasks from the pool", example: "  gyre remove demo//1/foo"},
	{name: "set", tasks: true, short: "Complete outputs or satisfy prerequisites of tasks",
		long:    "Set outputs (--out; default: the required outputs) of tasks, which spawns their children,\nor satisfy their prerequisites (--pre POINT/TASK:OUTPUT, or --pre=all). --out=skip completes\nthe required outputs as if the task ran; --out=expired expires it.",
		example: "  gyre set demo//1/foo\n  gyre set --out=x,y demo//1/foo\n  gyre set --pre=1/bar:succeeded demo//1/foo\n  gyre set --pre=all demo//1/foo",
		flags: func(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
			c.Flags().StringSliceVar(&a.Out, "out", nil, "outputs to complete (comma-separated; skip, expired)")
			c.Flags().StringSliceVar(&a.Out, "output", nil, "same as --out")
			c.Flags().StringSliceVar(&a.Pre, "pre", nil, "prerequisites to satisfy (POINT/TASK:OUTPUT, or all)")
			flowFlags(c, a, x)
		}},
	{name: "pause", short: "Pause a workflow: no new jobs are submitted", example: "  gyre pause demo"},
	{name: "resume", short: "Resume a paused workflow (as gyre play on a running workflow)", example: "  gyre resume demo"},
	{name: "stop", short: "Stop a workflow",
		long:    "Stop a workflow: by default once its active jobs have finished (no new jobs are submitted);\n--now at once, leaving jobs running; --kill after killing the active jobs. Given a cycle\npoint (WORKFLOW//POINT) it stops once that point is done; given a task (WORKFLOW//POINT/TASK)\nonce that task has succeeded; with --wall-clock, as the default stop does once the wall\nclock reaches the time. --flow=N stops flow N only: its tasks spawn nothing more and the\nworkflow runs on with its other flows.",
		example: "  gyre stop demo\n  gyre stop --now demo\n  gyre stop --kill demo\n  gyre stop demo//20300101T00\n  gyre stop demo//1/foo\n  gyre stop --wall-clock=2030-01-01T06:00Z demo\n  gyre stop --flow=2 demo",
		flags: func(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
			c.Flags().CountVarP(&x.now, "now", "n", "stop at once (twice: without waiting for anything)")
			c.Flags().BoolVarP(&x.kill, "kill", "k", false, "kill the active jobs, then stop")
			c.Flags().StringVarP(&a.ClockTime, "wall-clock", "w", "", "stop once the wall clock reaches this ISO 8601 date-time (local time unless zoned)")
			c.Flags().IntVar(&a.FlowNum, "flow", 0, "stop flow `N` only: its tasks spawn nothing more")
		}},
	{name: "ping", short: "Check that a workflow's scheduler is running and answers", example: "  gyre ping demo\n  gyre ping --format=json demo",
		flags: func(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
			c.Flags().StringVar(&x.format, "format", "plain", "output format: plain or json")
		}},
	{name: "dump", short: "Print the task pool of a running workflow", example: "  gyre dump demo\n  gyre dump --format=json demo",
		flags: func(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
			c.Flags().StringVar(&x.format, "format", "plain", "output format: plain or json")
		}},
	{name: "show", tasks: true, short: "Show tasks' prerequisites and completed outputs", example: "  gyre show demo//1/foo",
		flags: func(c *cobra.Command, a *live.CommandArgs, x *controlExtra) {
			c.Flags().StringVar(&x.format, "format", "plain", "output format: plain or json")
		}},
}

func init() {
	for _, s := range controlSpecs {
		register(func() *cobra.Command { return newControl(s) })
	}
}

func newControl(s controlSpec) *cobra.Command {
	var a live.CommandArgs
	var x controlExtra
	use := s.name + " WORKFLOW"
	if s.tasks {
		use = s.name + " WORKFLOW//POINT/TASK... | WORKFLOW [//POINT/TASK...]"
	}
	long := s.long
	if long == "" {
		long = s.short + "."
	}
	long += "\n\nTask IDs are Cylc's: WORKFLOW//POINT/TASK, or //POINT/TASK after the workflow; POINT and\nTASK may be globs, TASK a family name; //POINT is every task at a point."
	cmd := &cobra.Command{
		Use: use, Short: s.short, Long: long, Example: s.example,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runControl(cmd, s, args, a, x)
		},
	}
	if s.flags != nil {
		s.flags(cmd, &a, &x)
	}
	return cmd
}

// splitIDs reads Cylc's universal IDs: the workflow, then task IDs
// relative to it ("WORKFLOW//1/foo", "WORKFLOW //1/foo //2/bar").
func splitIDs(args []string) (workflow string, tasks []string, err error) {
	for _, arg := range args {
		w, rel, hasRel := strings.Cut(arg, "//")
		switch {
		case !hasRel && workflow != "" && isLegacyTaskID(arg):
			// Cylc 7's NAME.POINT after the workflow: a task.
			tasks = append(tasks, arg)
			continue
		case w != "" && workflow != "" && w != workflow:
			return "", nil, fmt.Errorf("%s: one workflow at a time (already given %s)", arg, workflow)
		case w != "":
			workflow = w
		case workflow == "":
			return "", nil, fmt.Errorf("%s: no workflow given before it (use WORKFLOW//%s)", arg, rel)
		}
		if hasRel && rel != "" {
			tasks = append(tasks, rel)
		} else if !hasRel && w != workflow {
			tasks = append(tasks, arg)
		}
	}
	return workflow, tasks, nil
}

// isLegacyTaskID reports whether s is a Cylc 7 task ID, NAME.POINT (task
// names have no dots; workflow names may, but not without a slash-free
// NAME.POINT shape after a workflow has been given).
func isLegacyTaskID(s string) bool {
	name, point, ok := strings.Cut(s, ".")
	return ok && name != "" && point != "" && !strings.Contains(s, "/")
}

// upgradeLegacyIDs turns Cylc 7 task IDs (NAME.POINT) into Cylc 8's
// (POINT/NAME), with Cylc's deprecation warning: job scripts written for
// Cylc 7 still use them.
func upgradeLegacyIDs(stderr io.Writer, tasks []string) []string {
	var upgraded []string
	for i, t := range tasks {
		if !isLegacyTaskID(t) {
			continue
		}
		name, point, _ := strings.Cut(t, ".")
		tasks[i] = point + "/" + name
		upgraded = append(upgraded, tasks[i])
	}
	if len(upgraded) > 0 {
		fmt.Fprintf(stderr, "WARNING - Cylc7 format is deprecated, using: %s\n", strings.Join(upgraded, " "))
	}
	return tasks
}

func runControl(cmd *cobra.Command, s controlSpec, args []string, a live.CommandArgs, x controlExtra) error {
	workflow, tasks, err := splitIDs(args)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	tasks = upgradeLegacyIDs(cmd.ErrOrStderr(), tasks)
	a.Tasks = tasks
	a.Flow = strings.Join(x.flows, ",")
	name := s.name
	switch name {
	case "stop":
		a.Tasks = nil
		if len(tasks) > 1 {
			return &exitError{code: 1, err: fmt.Errorf("stop: at most one cycle point or task (got %s)", strings.Join(tasks, " "))}
		}
		if len(tasks) == 1 {
			if strings.Contains(tasks[0], "/") {
				a.Task = tasks[0]
			} else {
				a.Point = tasks[0]
			}
		}
		switch {
		case x.kill && x.now > 0:
			return &exitError{code: 1, err: errors.New("stop: --kill and --now cannot be combined")}
		case x.kill:
			a.Mode = "kill"
		case x.now == 1:
			a.Mode = "now"
		case x.now > 1:
			a.Mode = "now-now"
		}
		if n := btoi(a.Mode != "") + btoi(len(tasks) > 0) + btoi(a.ClockTime != "") + btoi(a.FlowNum != 0); n > 1 {
			return &exitError{code: 1, err: errors.New("stop: give one of --now, --kill, --wall-clock, --flow, a cycle point or a task")}
		}
	case "pause", "resume", "ping", "dump":
		if len(tasks) > 0 && name != "dump" {
			return &exitError{code: 1, err: fmt.Errorf("%s takes a workflow, not task IDs (%s)", name, strings.Join(tasks, " "))}
		}
	default:
		if s.tasks && len(tasks) == 0 && !a.All && a.After == "" {
			return &exitError{code: 1, err: fmt.Errorf("%s: no task IDs given\n  hint: gyre %s %s//POINT/TASK", name, name, workflow)}
		}
	}
	var res live.CommandResult
	id, err := callWorkflow(cmd.Context(), workflow, name, a, &res)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	return printResult(cmd, name, id, res, x.format)
}

// callWorkflow runs one command on a running workflow's scheduler and
// decodes its answer into res; it returns the workflow's full ID.
func callWorkflow(ctx context.Context, workflow, name string, args, res any) (string, error) {
	client, id, err := dialWorkflow(workflow)
	if err != nil {
		return "", err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := client.Command(ctx, name, args, res); err != nil {
		return id, fmt.Errorf("%s %s: %w", name, id, err)
	}
	return id, nil
}

func printResult(cmd *cobra.Command, name, id string, res live.CommandResult, format string) error {
	out := cmd.OutOrStdout()
	switch {
	case format == "json" && name == "ping":
		return writeJSON(out, map[string]any{"workflow": id, "running": true})
	case format == "json":
		return writeJSON(out, res)
	case format != "plain" && format != "":
		return &exitError{code: 1, err: fmt.Errorf("--format=%s: use plain or json", format)}
	}
	p := painter(cmd, out)
	switch name {
	case "ping":
		fmt.Fprintf(out, "%s is running\n", id)
	case "dump", "show":
		for _, t := range res.Pool {
			fmt.Fprintf(out, "%s %s (flows=%s, submit %d)\n", t.ID, p.State(t.State), t.Flows, t.SubmitNum)
			if name == "show" {
				for _, u := range t.Unsatisfied {
					fmt.Fprintf(out, "  - waiting on %s\n", u)
				}
				fmt.Fprintf(out, "  outputs: %s\n", strings.Join(t.Outputs, ", "))
			}
		}
	default:
		fmt.Fprintf(out, "Command %q actioned on %s", name, id)
		if len(res.Tasks) > 0 {
			fmt.Fprintf(out, ": %s", strings.Join(res.Tasks, " "))
		}
		fmt.Fprintln(out)
	}
	for _, u := range res.Unmatched {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s - no matching tasks for %s\n", painter(cmd, cmd.ErrOrStderr()).Level("WARNING"), u)
	}
	return nil
}

// dialWorkflow connects to the scheduler of a running workflow.
func dialWorkflow(workflow string) (*api.Client, string, error) {
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return nil, "", err
	}
	id, dir, ok := jobsOwnRun(workflow, os.Getenv)
	if !ok {
		if id, dir, err = rundir.Resolve(root, workflow); err != nil {
			return nil, "", err
		}
	}
	c, err := api.ReadContact(filepath.Join(dir, ".service"))
	if err != nil {
		return nil, "", fmt.Errorf("%s is not running (no contact file: %v)\n  hint: start it with gyre play %s", id, err, id)
	}
	client, err := api.Dial(c)
	if err != nil {
		return nil, "", fmt.Errorf("connecting to %s: %w", id, err)
	}
	return client, id, nil
}

// jobsOwnRun finds the run of a job's own workflow from the job's
// environment ($CYLC_WORKFLOW_ID, $CYLC_WORKFLOW_RUN_DIR): a job on
// another host, or sharing this file system under another run root, does
// not have the scheduler's run root, but knows its run directory.
func jobsOwnRun(workflow string, getenv func(string) string) (id, dir string, ok bool) {
	id, dir = getenv("CYLC_WORKFLOW_ID"), getenv("CYLC_WORKFLOW_RUN_DIR")
	if id == "" || dir == "" {
		return "", "", false
	}
	workflow = strings.TrimSuffix(workflow, "/")
	if workflow != id && workflow != getenv("CYLC_WORKFLOW_NAME") {
		return "", "", false
	}
	return id, dir, true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
