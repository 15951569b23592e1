package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newValidate) }

func newValidate() *cobra.Command {
	tf := templateFlags{validate: true}
	cmd := &cobra.Command{
		Use:   "validate PATH",
		Short: "Parse and validate a workflow definition",
		Long: `Parse and validate a workflow: templating, the schema, inheritance,
cycling and the graph. Every error found is reported with its file and line.

PATH is a workflow directory holding flow.cylc (or suite.rc), or the file.`,
		Example: `  gyre validate examples/hello
  gyre validate ~/cylc-src/forecast --set 'MEMBERS=10'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := tf.load(args[0])
			if err != nil {
				return reportLoadError(cmd.ErrOrStderr(), err)
			}
			printWarnings(cmd.ErrOrStderr(), w)
			families := 0
			for _, ns := range w.Config.Namespaces {
				if ns.IsFamily && ns.Name != "root" {
					families++
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Valid for cylc-%s: %d tasks, %d families, %d recurrences\n",
				CylcVersion, len(w.GraphTasks), families, len(w.SeqOrder))
			return nil
		},
	}
	cmd.Flags().BoolVar(&tf.checkCircular, "check-circular", false,
		"check for circular dependencies even when there are more than 100 tasks (smaller graphs are always checked)")
	tf.add(cmd)
	return cmd
}
