package cli

import (
	"github.com/spf13/cobra"
)

func init() { register(newConfig) }

func newConfig() *cobra.Command {
	var tf templateFlags
	var items []string
	var defaults, sparse bool
	cmd := &cobra.Command{
		Use:   "config PATH",
		Short: "Print the parsed workflow configuration",
		Long: `Print the workflow configuration after templating and inheritance, in
flow.cylc syntax, as "cylc config" prints it: only what the workflow sets
(and what Cylc derives from it), or with --defaults every setting.`,
		Example: `  gyre config examples/hello
  gyre config -i '[scheduling]initial cycle point' examples/datetime-cycling
  gyre config -i '[runtime][model]environment' examples/datetime-cycling`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := tf.load(args[0])
			if err != nil {
				return reportLoadError(cmd.ErrOrStderr(), err)
			}
			printWarnings(cmd.ErrOrStderr(), w)
			return w.Config.Print(cmd.OutOrStdout(), items, !defaults || sparse)
		},
	}
	cmd.Flags().StringArrayVarP(&items, "item", "i", nil, "print only this item or section, e.g. '[scheduling]initial cycle point' (repeatable)")
	cmd.Flags().BoolVarP(&defaults, "defaults", "d", false, "include the default values of settings the workflow does not set")
	// --sparse was the opt-in before sparse became the default, as in Cylc.
	cmd.Flags().BoolVar(&sparse, "sparse", false, "print only what the workflow sets (the default)")
	_ = cmd.Flags().MarkHidden("sparse")
	tf.add(cmd)
	return cmd
}
