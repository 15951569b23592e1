package cli

import (
	"github.com/spf13/cobra"

	"gyre/internal/remote"
)

// The remote side of jobs on a platform reached with ssh (Cylc's "cylc
// jobs-submit" and friends): "gyre jobs-submit", "gyre jobs-poll", "gyre
// jobs-kill" and "gyre jobs-watch". The scheduler runs them on the job
// host; they call the job runner there and print one JSON object per job.
func init() {
	for _, verb := range remote.Verbs {
		register(func() *cobra.Command { return newJobsCommand(verb) })
	}
}

// newJobsCommand makes one remote command. Its arguments are the remote
// package's to read, so that the code writing them (on the scheduler's
// host) and the code reading them are one: cobra leaves the flags alone.
func newJobsCommand(verb string) *cobra.Command {
	return &cobra.Command{
		Use:                verb + " --runner=NAME [FLAGS] -- RUN_DIR JOB_ID...",
		Short:              "Run by the scheduler over ssh: " + verb + " on this job host",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return remote.Serve(cmd.Context(), verb, args, cmd.OutOrStdout())
		},
	}
}
