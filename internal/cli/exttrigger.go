package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/live"
)

func init() { register(newExtTrigger) }

func newExtTrigger() *cobra.Command {
	var tries int
	var interval float64
	cmd := &cobra.Command{
		Use:   "ext-trigger WORKFLOW MESSAGE ID",
		Short: "Send an external trigger event to a running workflow",
		Long: `Send an external event to a workflow: a task whose
[scheduling][special tasks]external-trigger names MESSAGE waits for it. Each
event satisfies one waiting task (the one that has waited longest), or, if
none waits yet, the first that will. ID identifies the event: its job sees it
as $CYLC_EXT_TRIGGER_ID.

If the workflow cannot be reached the command tries again, --max-tries times
in all, --retry-interval seconds apart.`,
		Example: `  gyre ext-trigger demo "new dataset ready for processing" 20261126.1`,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tries < 1 {
				return &exitError{code: 1, err: fmt.Errorf("--max-tries=%d: give at least 1", tries)}
			}
			workflow, _, err := splitIDs(args[:1])
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			ev := map[string]string{"Message": args[1], "ID": args[2]}
			var lastErr error
			for try := 1; try <= tries; try++ {
				if try > 1 {
					fmt.Fprintf(cmd.ErrOrStderr(), "%v\n  retrying in %gs (%d/%d)\n", lastErr, interval, try, tries)
					if err := waitInterval(cmd.Context(), time.Duration(interval*float64(time.Second))); err != nil {
						return err
					}
				}
				if lastErr = sendExtTrigger(cmd, workflow, ev); lastErr == nil {
					return nil
				}
			}
			return &exitError{code: 1, err: lastErr}
		},
	}
	cmd.Flags().IntVar(&tries, "max-tries", 5, "try this many times in all if the workflow cannot be reached")
	cmd.Flags().Float64Var(&interval, "retry-interval", 10, "seconds between tries")
	return cmd
}

func sendExtTrigger(cmd *cobra.Command, workflow string, ev map[string]string) error {
	var res live.CommandResult
	id, err := callWorkflow(cmd.Context(), workflow, "ext-trigger", ev, &res)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Sent external trigger %q (ID %s) to %s\n", ev["Message"], ev["ID"], id)
	return nil
}
