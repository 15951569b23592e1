package cli

import (
	"github.com/spf13/cobra"

	"gyre/internal/api"
)

func init() { register(newMessage) }

func newMessage() *cobra.Command {
	return &cobra.Command{
		Use:   "message [OPTIONS] [WORKFLOW JOB] MESSAGE...",
		Short: "Send task messages from a job to its scheduler",
		Long: `Send messages from a running job to the scheduler, as "cylc message" does
(job scripts call it as "cylc message", which the run's shim maps here).

With two arguments or fewer, all are messages and the workflow and job come
from $CYLC_WORKFLOW_ID and $CYLC_TASK_JOB. "-" reads further messages from
stdin, separated by blank lines. A message "SEVERITY: text" sets its own
severity; --severity (-s, -p, --priority) sets the default (INFO).

The messages are printed, recorded in the job's job.status and sent to the
scheduler, which is retried for $GYRE_MESSAGE_RETRY_BUDGET (5m): if it cannot
be reached the command still succeeds, because the scheduler reads job.status
when it polls the job.

Options: --severity=LEVEL, --comms-timeout=SECONDS; -v, -q and --debug are
accepted and ignored.`,
		Example: `  cylc message "data ready"
  cylc message -- "$CYLC_WORKFLOW_ID" "$CYLC_TASK_JOB" 'WARNING: disk nearly full'`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMessage(cmd, args)
		},
	}
}

// runMessage is shared by "gyre message" and "gyre cylc message". Flag
// parsing is left to api.Message, which follows Cylc's rules ("--" ends the
// options, "-" is stdin), so help is looked for by hand.
func runMessage(cmd *cobra.Command, args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" {
			return cmd.Help()
		}
	}
	return api.Message(cmd.Context(), api.Env{Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}, args, cmd.InOrStdin())
}
