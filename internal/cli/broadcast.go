package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"gyre/internal/broadcast"
	"gyre/internal/config"
	"gyre/internal/live"
)

func init() { register(newBroadcast) }

type broadcastFlags struct {
	points, namespaces, set, setFiles, cancel, cancelFiles []string
	clear, display                                         bool
	expire, displayTask, format                            string
}

func newBroadcast() *cobra.Command {
	var bf broadcastFlags
	cmd := &cobra.Command{
		Use:   "broadcast WORKFLOW",
		Short: "Override [runtime] settings of tasks in a running workflow",
		Long: `Override [runtime] settings of a running workflow's tasks, for the cycle
points given with -p (default: all, "*") and the namespaces given with -n
(default: root; a family reaches all its members). Jobs submitted from then on
use the new settings. A broadcast to a point beats one to all points; within
either, one to a task beats one to its families, which beats root.

Set with -s '[SECTION]KEY=VALUE' or a file of settings in flow.cylc syntax
(-F FILE, "-" for standard input); cancel settings with --cancel '[SECTION]KEY'
(or -G FILE), everything at the given points and namespaces with --clear, and
everything before a cycle point with --expire. -d shows the broadcasts in force,
-k POINT/TASK those that reach a task. Broadcasts are kept in the run database,
so they survive a restart.`,
		Example: `  gyre broadcast demo -s '[environment]MODEL_DATE=20300101'
  gyre broadcast demo -p 20300101T00 -n FAM -s 'script=run-model --fast'
  gyre broadcast demo -n foo --cancel '[environment]MODEL_DATE'
  gyre broadcast demo --clear -p 20300101T00
  gyre broadcast demo --expire 20300102T00
  gyre broadcast demo -d`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBroadcast(cmd, args[0], &bf)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&bf.points, "point", "p", nil, "cycle point to broadcast to (repeatable; default all: *)")
	f.StringArrayVarP(&bf.namespaces, "namespace", "n", nil, "task or family to broadcast to (repeatable; default root)")
	f.StringArrayVarP(&bf.set, "set", "s", nil, "setting to broadcast: '[SECTION]KEY=VALUE' (repeatable)")
	f.StringArrayVarP(&bf.setFiles, "set-file", "F", nil, "file of settings to broadcast, flow.cylc syntax (- for stdin; repeatable)")
	f.StringArrayVar(&bf.setFiles, "file", nil, "same as --set-file")
	f.StringArrayVarP(&bf.cancel, "cancel", "c", nil, "setting to cancel: '[SECTION]KEY' (repeatable)")
	f.StringArrayVarP(&bf.cancelFiles, "cancel-file", "G", nil, "file of settings to cancel (repeatable)")
	f.BoolVarP(&bf.clear, "clear", "C", false, "cancel all settings at the given points and namespaces")
	f.StringVarP(&bf.expire, "expire", "e", "", "cancel all settings for cycle points before this one")
	f.BoolVarP(&bf.display, "display", "d", false, "show the broadcasts in force")
	f.StringVarP(&bf.displayTask, "display-task", "k", "", "show the broadcasts that reach a task, POINT/NAME")
	f.StringVar(&bf.format, "format", "plain", "output format of --display: plain or json")
	return cmd
}

func runBroadcast(cmd *cobra.Command, target string, bf *broadcastFlags) error {
	workflow, tasks, err := splitIDs([]string{target})
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	if len(tasks) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("broadcast takes a workflow, not task IDs (use -p POINT -n NAME)")}
	}
	a, err := bf.args(cmd.InOrStdin())
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	var res live.BroadcastResult
	if _, err := callWorkflow(cmd.Context(), workflow, "broadcast", a, &res); err != nil {
		return &exitError{code: 1, err: err}
	}
	out := cmd.OutOrStdout()
	switch {
	case bf.format == "json" && (a.Display || a.DisplayTask != ""):
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case res.Display != "":
		fmt.Fprint(out, res.Display)
	case a.Display || a.DisplayTask != "":
		fmt.Fprintln(out, "No broadcast settings in force.")
	case res.Report != "":
		fmt.Fprintln(out, res.Report)
	}
	if res.Rejected != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "ERROR:", res.Rejected)
		return &exitError{code: 1, err: errReported}
	}
	return nil
}

// args checks the options and reads the settings (-s, -F, --cancel, -G)
// here, so a mistake is reported with its file and line before anything
// reaches the scheduler.
func (bf *broadcastFlags) args(stdin io.Reader) (live.BroadcastArgs, error) {
	a := live.BroadcastArgs{Points: bf.points, Namespaces: bf.namespaces, Clear: bf.clear,
		Expire: bf.expire, Display: bf.display, DisplayTask: bf.displayTask}
	ops := 0
	for _, on := range []bool{len(bf.set)+len(bf.setFiles) > 0, len(bf.cancel)+len(bf.cancelFiles) > 0, bf.clear, bf.expire != "", bf.display || bf.displayTask != ""} {
		if on {
			ops++
		}
	}
	switch {
	case ops == 0:
		return a, errors.New("broadcast: nothing to do\n  hint: use --set, --set-file, --cancel, --clear, --expire or --display")
	case ops > 1:
		return a, errors.New("broadcast: choose one of setting (-s/-F), cancelling (--cancel/-G), --clear, --expire and --display")
	case bf.format != "plain" && bf.format != "json":
		return a, fmt.Errorf("--format=%s: use plain or json", bf.format)
	}
	for _, s := range bf.set {
		st, err := broadcast.ParseSetting(s)
		if err != nil {
			return a, fmt.Errorf("--set=%s: %w", s, err)
		}
		a.Set = append(a.Set, st)
	}
	for _, name := range bf.setFiles {
		settings, err := readSettingsFile(name, stdin)
		if err != nil {
			return a, err
		}
		a.Set = append(a.Set, settings...)
	}
	for _, c := range bf.cancel {
		path, err := broadcast.ParseCancel(c)
		if err != nil {
			return a, fmt.Errorf("--cancel=%s: %w", c, err)
		}
		a.Cancel = append(a.Cancel, path)
	}
	for _, name := range bf.cancelFiles {
		settings, err := readSettingsFile(name, stdin)
		if err != nil {
			return a, err
		}
		for _, s := range settings {
			a.Cancel = append(a.Cancel, s.Path)
		}
	}
	return a, nil
}

func readSettingsFile(name string, stdin io.Reader) ([]config.Setting, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
		name = "<stdin>"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, err
	}
	return broadcast.ParseFile(name, data)
}
