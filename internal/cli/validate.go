package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"gyre/internal/workflow"
)

func init() { register(newValidate) }

// validateResult is validate's JSON answer for a valid workflow.
type validateResult struct {
	Valid       bool     `json:"valid"`
	Tasks       int      `json:"tasks"`
	Families    int      `json:"families"`
	Recurrences int      `json:"recurrences"`
	Warnings    []string `json:"warnings"`
}

// validateFailure is validate's JSON answer for an invalid one.
type validateFailure struct {
	Valid  bool     `json:"valid"`
	Errors []string `json:"errors"`
}

func newValidate() *cobra.Command {
	tf := templateFlags{validate: true}
	var format *formatFlag
	cmd := &cobra.Command{
		Use:   "validate PATH",
		Short: "Parse and validate a workflow definition",
		Long: `Parse and validate a workflow: templating, the schema, inheritance,
cycling and the graph. Every error found is reported with its file and line.

PATH is a workflow directory holding flow.cylc (or suite.rc), or the file.

With --format=json the result goes to stdout as one JSON object:
{"valid": true, "tasks": N, "families": N, "recurrences": N, "warnings": [...]},
or on failure {"valid": false, ..., "errors": [...]} and exit status 1.`,
		Example: `  gyre validate examples/hello
  gyre validate ~/cylc-src/forecast --set 'MEMBERS=10'
  gyre validate --format=json examples/hello`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := tf.load(args[0])
			if format.json() {
				return validateJSON(cmd, w, err)
			}
			errOut := cmd.ErrOrStderr()
			if err != nil {
				return reportLoadErrorColour(painter(cmd, errOut), errOut, err)
			}
			printWarningsColour(painter(cmd, errOut), errOut, w)
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s: %d tasks, %d families, %d recurrences\n",
				painter(cmd, out).Good("Valid for cylc-"+CylcVersion), len(w.GraphTasks), countFamilies(w), len(w.SeqOrder))
			return nil
		},
	}
	cmd.Flags().BoolVar(&tf.checkCircular, "check-circular", false,
		"check for circular dependencies even when there are more than 100 tasks (smaller graphs are always checked)")
	format = addFormatFlag(cmd, "plain", "json")
	tf.add(cmd)
	return cmd
}

// countFamilies counts the families, root excepted, as Cylc reports them.
func countFamilies(w *workflow.Workflow) int {
	n := 0
	for _, ns := range w.Config.Namespaces {
		if ns.IsFamily && ns.Name != "root" {
			n++
		}
	}
	return n
}

// validateJSON writes validate's answer as JSON: the counts and warnings,
// or the errors (with exit status 1, and nothing on stderr).
func validateJSON(cmd *cobra.Command, w *workflow.Workflow, loadErr error) error {
	if loadErr != nil {
		if err := writeJSON(cmd.OutOrStdout(), validateFailure{Errors: errorTexts(loadErr)}); err != nil {
			return err
		}
		return errReported
	}
	res := validateResult{Valid: true, Tasks: len(w.GraphTasks), Families: countFamilies(w), Recurrences: len(w.SeqOrder),
		Warnings: append([]string{}, w.Warnings...)}
	return writeJSON(cmd.OutOrStdout(), res)
}
