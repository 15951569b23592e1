package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/colour"
	"gyre/internal/suggest"
	"gyre/internal/workflow"
)

// Output formats and colour shared by the read commands. Plain output is
// Cylc's text, which the golden tests compare byte for byte; --format=json
// is for scripts; colour is added only on a terminal and never changes a
// byte of the text itself.

// writeJSON writes v as JSON indented by two spaces, ending in a newline.
// HTML characters are left alone: graph strings are full of "<" and "&".
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonField is one member of a jsonObject.
type jsonField struct {
	Key   string
	Value any
}

// jsonObject is a JSON object whose members keep their order, where the
// order means something (configuration settings in Cylc's order) and a Go
// map would sort them.
type jsonObject []jsonField

// MarshalJSON writes the members in order. HTML characters are left
// alone, as writeJSON leaves them (the encoder does not undo the escaping
// of a Marshaler's output).
func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(f.Key); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := enc.Encode(f.Value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// lookup returns the value of the member key.
func (o jsonObject) lookup(key string) (any, bool) {
	for _, f := range o {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// formatFlag is a --format value restricted to a few names, so a typo is
// refused (with a suggestion) while the command line is read.
type formatFlag struct {
	value   string
	allowed []string
}

func (f *formatFlag) String() string { return f.value }
func (f *formatFlag) Type() string   { return "format" }

func (f *formatFlag) Set(s string) error {
	for _, a := range f.allowed {
		if s == a {
			f.value = s
			return nil
		}
	}
	return fmt.Errorf("unknown format %q%s; use %s", s, suggest.Hint(s, f.allowed), strings.Join(f.allowed, " or "))
}

// json reports whether JSON output was asked for.
func (f *formatFlag) json() bool { return f.value == "json" }

// addFormatFlag gives cmd a --format option taking one of values (the
// first is the default), with shell completion of the values.
func addFormatFlag(cmd *cobra.Command, values ...string) *formatFlag {
	f := &formatFlag{value: values[0], allowed: values}
	cmd.Flags().Var(f, "format", "output format: "+strings.Join(values, " or "))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	return f
}

// colourFlag is the name of the root command's --color option (--colour
// is its hidden alias).
const colourFlag = "color"

// addColourFlag gives root the persistent --color/--colour option.
func addColourFlag(root *cobra.Command) {
	mode := new(colour.Mode)
	pf := root.PersistentFlags()
	pf.Var(mode, colourFlag, "colour the output: auto (on a terminal, unless $NO_COLOR is set), always or never")
	pf.Var(mode, "colour", "")
	_ = pf.MarkHidden("colour")
	for _, name := range []string{colourFlag, "colour"} {
		_ = root.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(colour.Modes(), cobra.ShellCompDirectiveNoFileComp))
	}
}

// painter is the colour painter for output written to w by cmd: the
// --color option of the root command, else auto.
func painter(cmd *cobra.Command, w io.Writer) *colour.Painter {
	m := colour.Auto
	if f := cmd.Flag(colourFlag); f != nil {
		if v, ok := f.Value.(*colour.Mode); ok {
			m = *v
		}
	}
	return colour.New(w, m, os.Getenv)
}

// printWarningsColour is printWarnings with the WARNING tag coloured.
func printWarningsColour(p *colour.Painter, stderr io.Writer, w *workflow.Workflow) {
	for _, warn := range w.Warnings {
		fmt.Fprintln(stderr, p.Level("WARNING:"), indentRest(warn))
	}
}

// reportLoadErrorColour is reportLoadError with the error tag coloured.
func reportLoadErrorColour(p *colour.Painter, w io.Writer, err error) error {
	for _, e := range flatten(err) {
		fmt.Fprintln(w, p.Level("error:"), indentRest(e.Error()))
	}
	return errReported
}

// errorTexts are the messages of a load error, one per error found.
func errorTexts(err error) []string {
	var out []string
	for _, e := range flatten(err) {
		out = append(out, e.Error())
	}
	return out
}
