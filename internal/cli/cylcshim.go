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
// every other command gyre has under Cylc's name) work unchanged; "play"
// resumes, since a job's workflow is running. Verbs Gyre does not
// implement fail clearly rather than silently.
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
			case "play":
				verb = "resume" // from a job, the workflow is running
			case "cyclepoint", "cycletime":
				verb = "cycle-point"
			case "shutdown":
				verb = "stop" // Cylc 7's name
			}
			if c, _, err := cmd.Root().Find([]string{verb}); err != nil || c == cmd.Root() || c == cmd || shimRefused[verb] {
				return &exitError{code: 1, err: fmt.Errorf("cylc %s is not supported by Gyre yet (job scripts can use cylc message)", verb)}
			}
			root := newRoot(cmd.OutOrStdout(), cmd.ErrOrStderr())
			root.SetArgs(append([]string{verb}, rest...))
			return root.ExecuteContext(cmd.Context())
		},
	}
}

// shimRefused are gyre commands a job's "cylc" does not reach: they are
// not Cylc commands, or make no sense from inside a running workflow.
var shimRefused = map[string]bool{"completion": true, "help": true}
