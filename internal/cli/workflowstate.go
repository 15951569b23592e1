package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/colour"
	"gyre/internal/rundir"
	"gyre/internal/task"
	"gyre/internal/xtrigger"
)

func init() { register(newWorkflowState) }

type workflowStateFlags struct {
	runDir, offset        string
	flow                  int
	triggers, messages    bool
	pretty, oldFormat     bool
	maxPolls, interval    int
	depTask, depPoint     string
	depStatus, depMessage string
	depTaskPoint          bool
	format                *formatFlag
	// out and errs colour what goes to stdout and stderr.
	out, errs *colour.Painter
}

func newWorkflowState() *cobra.Command {
	var wf workflowStateFlags
	cmd := &cobra.Command{
		Use:   "workflow-state WORKFLOW[//CYCLE[/TASK][:SELECTOR]]",
		Short: "Check or poll a workflow's database for task statuses or outputs",
		Long: `Check another workflow's run database for task statuses or completed
outputs, as "cylc workflow-state" does, and print every match:
CYCLE/TASK:STATUS (or CYCLE/TASK:{outputs} with --triggers or --messages),
followed by (flows=...) for flows other than the first.

With --format=json the matches are printed as a JSON list with an
object for each: {"cycle", "task", "status" (or "outputs", trigger to
message), "flows"}.

The ID may stop at the workflow or the cycle; the cycle and task may hold
"*" wildcards (quote them from the shell). The selector matches a final
task status (succeeded, failed, expired, submit-failed), or with
--triggers an output trigger name ("finished" means succeeded or failed),
or with --messages an output message. Poll for the "submitted" or
"started" trigger, not the transient statuses. Without a selector any
status matches.

If nothing matches, the database is checked again every --interval
seconds, up to --max-polls checks in all; a workflow or database that does
not exist yet uses up polls too, so polling may start before the other
workflow does. The command exits 1 when polling is exhausted.

Cycle points are converted to the database's cycle point format; --offset
moves the point first. The pre-8.3 options --task, --point, --task-point,
--status and --message (--output) still work with a plain workflow ID.`,
		Example: `  gyre workflow-state forecast                       # every task's status
  gyre workflow-state 'forecast//2033/*:succeeded'
  gyre workflow-state forecast//2033/get_data:file1 --triggers
  gyre workflow-state forecast//$CYLC_TASK_CYCLE_POINT/model --offset=-PT6H --max-polls=60 --interval=60`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			wf.out, wf.errs = painter(cmd, cmd.OutOrStdout()), painter(cmd, cmd.ErrOrStderr())
			return runWorkflowState(cmd.Context(), wf, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&wf.runDir, "alt-cylc-run-dir", "d", "", "alternate run root, e.g. for another user's workflows")
	f.StringVar(&wf.runDir, "run-dir", "", "alias of --alt-cylc-run-dir")
	f.StringVarP(&wf.offset, "offset", "s", "", "offset from the ID's cycle point: an ISO 8601 duration (PT30M, -P1D) or an integer one (P2)")
	f.IntVar(&wf.flow, "flow", 0, "match only tasks in this flow (default: any flow)")
	f.BoolVar(&wf.triggers, "triggers", false, "the selector matches output trigger names, not statuses")
	f.BoolVar(&wf.messages, "messages", false, "the selector matches output messages, not statuses")
	f.BoolVar(&wf.pretty, "pretty", false, "print outputs as indented JSON")
	f.BoolVar(&wf.oldFormat, "old-format", false, `print "TASK, CYCLE, STATUS" lines, as before Cylc 8.3`)
	f.IntVar(&wf.maxPolls, "max-polls", 12, "maximum number of checks")
	f.IntVar(&wf.interval, "interval", 5, "seconds between checks")
	f.StringVarP(&wf.depTask, "task", "t", "", `task name (deprecated: use the ID)`)
	f.StringVarP(&wf.depPoint, "point", "p", "", `cycle point (deprecated: use the ID)`)
	f.BoolVarP(&wf.depTaskPoint, "task-point", "T", false, "take the cycle point from $CYLC_TASK_CYCLE_POINT (deprecated)")
	f.StringVarP(&wf.depStatus, "status", "S", "", `task status (deprecated: use "ID:STATUS")`)
	f.StringVarP(&wf.depMessage, "message", "m", "", `task output message (deprecated: use "ID:MESSAGE" with --messages)`)
	f.StringVarP(&wf.depMessage, "output", "O", "", "alias of --message (deprecated)")
	wf.format = addFormatFlag(cmd, "plain", "json")
	return cmd
}

func runWorkflowState(ctx context.Context, wf workflowStateFlags, id string, stdout, stderr io.Writer) error {
	id = strings.TrimRight(id, "/")
	id, err := wf.legacyID(id, stderr)
	if err != nil {
		return err
	}
	if wf.interval < 0 {
		return fmt.Errorf("--interval=%d: the interval cannot be negative", wf.interval)
	}
	q := xtrigger.StateQuery{ID: id, Offset: wf.offset, Flow: wf.flow, ByTrigger: wf.triggers, ByMessage: wf.messages, RunRoot: wf.runDir}
	var env xtrigger.Env
	if wf.runDir == "" {
		if env.RunRoot, err = rundir.Root(os.Getenv); err != nil {
			return err
		}
	}
	p, err := xtrigger.NewStatePoller(q, env)
	if err != nil {
		return err
	}
	defer p.Close()
	p.Inferred = func(id string) { fmt.Fprintf(stderr, "Inferred workflow ID: %s\n", id) }
	polls := max(wf.maxPolls, 1) // no point in zero polls
	var rows []xtrigger.Row
	for n := 1; ; n++ {
		if rows, err = p.Check(ctx); err != nil {
			return err
		}
		if polls != 1 {
			fmt.Fprint(stderr, ".")
		}
		if len(rows) > 0 || n >= polls {
			if polls != 1 {
				fmt.Fprintln(stderr)
			}
			break
		}
		if err := waitInterval(ctx, time.Duration(wf.interval)*time.Second); err != nil {
			return err
		}
	}
	asJSON := wf.format != nil && wf.format.json()
	if len(rows) == 0 {
		fmt.Fprintf(stderr, "%s - failed after %d polls: %s\n", wf.errs.Level("ERROR"), polls, p.Why())
		if asJSON {
			if err := writeJSON(stdout, []any{}); err != nil {
				return err
			}
		}
		return &exitError{code: 1, err: errReported}
	}
	if asJSON {
		return writeJSON(stdout, stateRowsJSON(rows, wf.triggers || wf.messages))
	}
	for _, r := range rows {
		fmt.Fprintln(stdout, paintStateLine(wf.out, r, wf.oldFormat, wf.pretty, wf.triggers || wf.messages))
	}
	return nil
}

// paintStateLine is a result line with its status coloured (outputs are
// left as they are).
func paintStateLine(p *colour.Painter, r xtrigger.Row, old, pretty, outputs bool) string {
	line := r.Line(old, pretty)
	if outputs || !p.Enabled() {
		return line
	}
	prefix := r.Cycle + "/" + r.Name + ":"
	if old {
		prefix = r.Name + ", " + r.Cycle + ", "
	}
	if rest, ok := strings.CutPrefix(line, prefix+r.Status); ok {
		return prefix + p.State(r.Status) + rest
	}
	return line
}

// stateRowsJSON is the JSON form of the result lines: an object each,
// with the status, or for an output query the completed outputs (trigger
// to message, in the database's order).
func stateRowsJSON(rows []xtrigger.Row, outputs bool) []jsonObject {
	out := make([]jsonObject, 0, len(rows))
	for _, r := range rows {
		o := jsonObject{{"cycle", r.Cycle}, {"task", r.Name}}
		if outputs {
			outs := jsonObject{}
			for _, x := range r.Outputs {
				outs = append(outs, jsonField{x.Trigger, x.Message})
			}
			o = append(o, jsonField{"outputs", outs})
		} else {
			o = append(o, jsonField{"status", r.Status})
		}
		flows := slices.Sorted(slices.Values(r.FlowNums))
		if flows == nil {
			flows = []int{}
		}
		o = append(o, jsonField{"flows", flows})
		out = append(out, o)
	}
	return out
}

// waitInterval waits between polls: a timer, not a sleep, so that an
// interrupt ends the wait at once.
func waitInterval(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// legacyID turns the pre-8.3 options into the ID they stand for, with
// Cylc's deprecation warning, and checks them as Cylc does.
func (wf *workflowStateFlags) legacyID(id string, stderr io.Writer) (string, error) {
	if wf.depTask == "" && wf.depStatus == "" && wf.depMessage == "" && wf.depPoint == "" && !wf.depTaskPoint {
		return id, nil
	}
	const opts = "--task, --status, --message, --output, --point, --task-point"
	if strings.Contains(id, "//") || strings.Contains(id, ":") {
		return "", fmt.Errorf("with deprecated %s, the argument must be a plain workflow ID (i.e. no cycle, task, or :selector)", opts)
	}
	if wf.depStatus != "" && wf.depMessage != "" {
		return "", errors.New("set --status or --message, not both")
	}
	if wf.depTaskPoint {
		if wf.depPoint != "" {
			return "", errors.New("set --task-point or --point=CYCLE, not both")
		}
		p, ok := os.LookupEnv("CYLC_TASK_CYCLE_POINT")
		if !ok {
			return "", errors.New("--task-point: $CYLC_TASK_CYCLE_POINT is not defined")
		}
		wf.depPoint = p
	}
	switch {
	case wf.depPoint != "":
		id += "//" + wf.depPoint
	case wf.depTask != "" || wf.depStatus != "" || wf.depMessage != "":
		id += "//*"
	}
	if wf.depTask != "" {
		id += "/" + wf.depTask
	}
	switch {
	case wf.depStatus != "":
		id += ":" + wf.depStatus
	case wf.depMessage != "":
		id += ":" + wf.depMessage
		wf.messages = true
	}
	shown := id
	if wf.depTaskPoint {
		name, rest, _ := strings.Cut(id, "//")
		shown = name + "//" + strings.Replace(rest, wf.depPoint, "$CYLC_TASK_CYCLE_POINT", 1)
	}
	msg := fmt.Sprintf("%s - %s are deprecated. Please use an ID: %s", wf.errs.Level("WARNING"), opts, shown)
	if st, ok := task.ParseStatus(wf.depStatus); ok && !st.Final() {
		msg += " and the --triggers option"
	}
	fmt.Fprintln(stderr, msg)
	return id, nil
}
