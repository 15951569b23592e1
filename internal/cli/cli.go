// Package cli implements the gyre command line. Every subcommand lives in its
// own file and writes only to the streams it is given, so the whole CLI runs
// in-process in tests exactly as it runs from a shell.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is the Gyre release; the Cylc version is the one whose workflow
// language and behaviour Gyre follows (it is what CYLC_VERSION reports to
// templates and jobs).
const (
	Version     = "0.1.0"
	CylcVersion = "8.7.0"
)

// exitError carries a specific exit status out of a command; commands that
// simply fail return an ordinary error and exit 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// reported marks an error whose details the command has already written, so
// Run only sets the exit status.
var errReported = errors.New("error reported")

// Run executes the gyre command line args and returns the process exit
// status. It never calls os.Exit, so tests drive it directly.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if !errors.Is(ee.err, errReported) {
			fmt.Fprintln(stderr, "gyre:", ee.err)
		}
		return ee.code
	}
	if !errors.Is(err, errReported) {
		fmt.Fprintln(stderr, "gyre:", err)
	}
	return 1
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "gyre",
		Short: "An event-driven scheduler for cycling workflows (Cylc 8 compatible)",
		Long: `Gyre runs Cylc 8 workflows (flow.cylc) with an event-driven scheduler:
no main loop and no sleep, so a job's completion leads to the next
submission at once.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       fmt.Sprintf("%s (Cylc %s compatible)", Version, CylcVersion),
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	addColourFlag(root)
	for _, add := range commands {
		root.AddCommand(add())
	}
	installCompletion(root)
	// Cobra adds its completion command on Execute; made now, it can
	// carry examples like every other command.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Example = "  source <(gyre completion bash)                      # this shell\n" +
			"  gyre completion bash > /etc/bash_completion.d/gyre  # every bash\n" +
			"  gyre completion zsh > \"${fpath[1]}/_gyre\""
	}
	return root
}

// commands lists the subcommand constructors; each file registers its own in
// an init function so adding a command touches only its file.
var commands []func() *cobra.Command

func register(f func() *cobra.Command) { commands = append(commands, f) }
