package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"gyre/internal/rundir"
)

func init() { register(newInstall) }

func newInstall() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "install [PATH]",
		Short: "Install a workflow source directory as a new run",
		Long: `Copy a workflow source directory (default: the current directory) to a new
numbered run under the run root ($GYRE_RUN_ROOT, default ~/gyre-run), as
NAME/runN, and point NAME/runN's "runN" link at it, as "cylc install" does.
NAME is the source directory's name unless --workflow-name is given.`,
		Example: `  gyre install ~/flows/demo                 # INSTALLED demo/run1 from /home/me/flows/demo
  gyre install --workflow-name=fido ~/flows/demo`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := "."
			if len(args) == 1 {
				src = args[0]
			}
			return runInstall(cmd, src, name)
		},
	}
	cmd.Flags().StringVarP(&name, "workflow-name", "n", "", "install under this name (default: the source directory's name)")
	return cmd
}

func runInstall(cmd *cobra.Command, src, name string) error {
	st, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if !st.IsDir() {
		src = filepath.Dir(src)
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	found := false
	for _, f := range []string{"flow.cylc", "suite.rc"} {
		if _, err := os.Stat(filepath.Join(abs, f)); err == nil {
			found = true
		}
	}
	if !found {
		return fmt.Errorf("install: no flow.cylc or suite.rc in %s\n  hint: give the workflow's source directory", abs)
	}
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return err
	}
	id, _, err := rundir.Install(root, abs, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "INSTALLED %s from %s\n", id, abs)
	return nil
}
