package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/jinja"
	"gyre/internal/workflow"
)

// templateFlags are the options every command that reads a workflow takes.
type templateFlags struct {
	set     []string
	setFile []string
	icp     string
	// validate and checkCircular ask for the checks only `validate`
	// makes (see workflow.Options).
	validate, checkCircular bool
}

func (tf *templateFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVarP(&tf.set, "set", "s", nil, `set a Jinja2 template variable: NAME=VALUE, a Python literal (strings quoted: 'WHO="world"')`)
	f.StringArrayVar(&tf.setFile, "set-file", nil, "set Jinja2 template variables from a file of NAME=VALUE lines")
	f.StringVar(&tf.icp, "initial-cycle-point", "", "set the initial cycle point (overrides the workflow's)")
	f.StringVar(&tf.icp, "icp", "", "short for --initial-cycle-point")
}

// vars reads --set-file then --set (later settings win, as in Cylc).
func (tf *templateFlags) vars() (map[string]any, error) {
	vars := map[string]any{}
	for _, path := range tf.setFile {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--set-file: %w", err)
		}
		m, err := jinja.ParseSetFile(path, data)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			vars[k] = v
		}
	}
	for _, s := range tf.set {
		k, v, err := jinja.ParseSet(s)
		if err != nil {
			return nil, fmt.Errorf("--set %s: %w", s, err)
		}
		vars[k] = v
	}
	return vars, nil
}

// load reads a workflow the way every read-only command does.
func (tf *templateFlags) load(path string) (*workflow.Workflow, error) {
	vars, err := tf.vars()
	if err != nil {
		return nil, err
	}
	return workflow.Load(path, workflow.Options{
		Vars:              vars,
		Env:               os.Environ(),
		Now:               time.Now(),
		InitialCyclePoint: tf.icp,
		Validate:          tf.validate,
		CheckCircular:     tf.checkCircular,
	})
}

// reportLoadError prints every error a load produced, one per line, and
// returns errReported so the caller exits 1 without repeating them.
func reportLoadError(w io.Writer, err error) error {
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, e := range flatten(err) {
			fmt.Fprintln(w, "error:", indentRest(e.Error()))
		}
	} else {
		fmt.Fprintln(w, "error:", indentRest(err.Error()))
	}
	return errReported
}

func flatten(err error) []error {
	if l, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range l.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func indentRest(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

// printWarnings writes a loaded workflow's warnings to stderr, as Cylc
// logs them for every command that reads a workflow.
func printWarnings(stderr io.Writer, w *workflow.Workflow) {
	for _, warn := range w.Warnings {
		fmt.Fprintln(stderr, "WARNING:", indentRest(warn))
	}
}
