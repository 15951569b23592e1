package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newCylcShim) }

// newCylcShim is "gyre cylc VERB ...": what the "cylc" shim in a run's
// .service/bin runs, so that existing job scripts' "cylc message" (and
// "cylc cycle-point", with Cylc's aliases cyclepoint and cycletime, and
// the control commands hold, release, trigger, kill, poll, remove, set,
// pause, play, stop, ping, dump, show and workflow-state) work unchanged.
// Verbs Gyre does not implement yet fail clearly rather than silently.
func newCylcShim() *cobra.Command {
	return &cobra.Command{
		Use:                "cylc VERB [ARGS...]",
		Short:              `Run a "cylc" command from a job script as Gyre's equivalent`,
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &exitError{code: 1, err: errors.New("cylc: no command given (usage: cylc VERB [ARGS...])")}
			}
			verb, rest := args[0], args[1:]
			switch verb {
			case "message":
				return runMessage(cmd, rest)
			case "hold", "release", "trigger", "kill", "poll", "remove", "set", "pause", "stop", "ping", "dump", "show", "play", "workflow-state":
				if verb == "play" {
					verb = "resume" // from a job, the workflow is running
				}
				root := newRoot(cmd.OutOrStdout(), cmd.ErrOrStderr())
				root.SetArgs(append([]string{verb}, rest...))
				return root.ExecuteContext(cmd.Context())
			case "cycle-point", "cyclepoint", "cycletime":
				if c, _, err := cmd.Root().Find([]string{"cycle-point"}); err == nil && c != cmd.Root() {
					root := newRoot(cmd.OutOrStdout(), cmd.ErrOrStderr())
					root.SetArgs(append([]string{"cycle-point"}, rest...))
					return root.ExecuteContext(cmd.Context())
				}
			}
			return &exitError{code: 1, err: fmt.Errorf("cylc %s is not supported by Gyre yet (job scripts can use cylc message)", verb)}
		},
	}
}
