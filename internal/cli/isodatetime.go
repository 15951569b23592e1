package cli

import (
	"os"

	"github.com/spf13/cobra"

	"gyre/internal/isodatetime"
)

func init() { register(newIsodatetime) }

// newIsodatetime is "gyre isodatetime", metomi-isodatetime's command,
// which a run's shim gives jobs as "isodatetime". It parses its own
// arguments, as the Python does.
func newIsodatetime() *cobra.Command {
	return &cobra.Command{
		Use:   "isodatetime [ITEM ...] [OPTIONS]",
		Short: "Date-time and duration arithmetic, as metomi-isodatetime's command",
		Long: `Print a date-time point, the duration between two, a duration as a
total of one unit, or the points of an ISO 8601 recurrence, exactly as
metomi-isodatetime's "isodatetime" command does. Cylc job scripts call it
through the run's shim; "gyre isodatetime --help" lists its options.`,
		Example: `  gyre isodatetime 20300101T00Z --offset PT6H
  gyre isodatetime 2030-01-01T00Z 2030-01-02T06Z --as-total h
  gyre isodatetime R3/2030/P1Y`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			code := isodatetime.Main(args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), os.LookupEnv)
			if code != 0 {
				return &exitError{code: code, err: errReported}
			}
			return nil
		},
	}
}
