package cli

import "github.com/spf13/cobra"

func init() {
	register(func() *cobra.Command {
		return newControl(controlSpec{
			name:  "reload",
			short: "Reload a running workflow's flow.cylc without restarting it",
			long: "Reload the workflow definition of a running workflow: its installed flow.cylc (in the run\n" +
				"directory) is read and validated again with the options the run started with, and applied\n" +
				"at once: tasks in the pool take their new definitions, keeping their state, outputs and\n" +
				"satisfied prerequisites; waiting tasks whose definition has gone are removed; jobs\n" +
				"submitted from then on are written from the new settings. A file that does not load is\n" +
				"reported and leaves the running configuration as it was.",
			example: "  vi ~/gyre-run/demo/run1/flow.cylc\n  gyre reload demo",
		})
	})
}
