package cli

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/workflow"
)

func init() { register(newConfig) }

func newConfig() *cobra.Command {
	var tf templateFlags
	var items []string
	var defaults, sparse, platformNames, platforms bool
	var format *formatFlag
	cmd := &cobra.Command{
		Use:   "config [PATH]",
		Short: "Print the parsed workflow configuration",
		Long: `Print the workflow configuration after templating and inheritance, in
flow.cylc syntax, as "cylc config" prints it: only what the workflow sets
(and what Cylc derives from it), or with --defaults every setting.

With --format=json the same settings are printed as nested JSON objects,
in the same order, each value the text the plain output shows. With one
-i ITEM the JSON is that section (an object) or setting (a string); with
several, an object holding each under the ITEM as given.

Without PATH, --platform-names lists the platforms and platform groups of
the global configuration (global.cylc, found as Cylc finds it:
$CYLC_CONF_PATH, else /etc/cylc/flow and ~/.cylc/flow), and --platforms
prints their settings as the files set them.`,
		Example: `  gyre config examples/hello
  gyre config -i '[scheduling]initial cycle point' examples/datetime-cycling
  gyre config -i '[runtime][model]environment' examples/datetime-cycling
  gyre config --format=json -i '[runtime]' examples/datetime-cycling
  gyre config --platform-names
  gyre config --platforms`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			errOut := cmd.ErrOrStderr()
			if platformNames || platforms {
				if len(args) > 0 {
					return usageError(errors.New("workflow IDs are incompatible with --platform-names and --platforms"))
				}
				return printPlatforms(cmd, platforms)
			}
			if len(args) == 0 {
				return usageError(errors.New("give the workflow's PATH (or --platform-names, --platforms)"))
			}
			w, err := tf.load(args[0])
			if err != nil {
				return reportLoadErrorColour(painter(cmd, errOut), errOut, err)
			}
			printWarningsColour(painter(cmd, errOut), errOut, w)
			if format.json() {
				v, err := configJSON(w, items, !defaults || sparse)
				if err != nil {
					return err
				}
				return writeJSON(cmd.OutOrStdout(), v)
			}
			return w.Config.Print(cmd.OutOrStdout(), items, !defaults || sparse)
		},
	}
	cmd.Flags().StringArrayVarP(&items, "item", "i", nil, "print only this item or section, e.g. '[scheduling]initial cycle point' (repeatable)")
	cmd.Flags().BoolVarP(&defaults, "defaults", "d", false, "include the default values of settings the workflow does not set")
	// --sparse was the opt-in before sparse became the default, as in Cylc.
	cmd.Flags().BoolVar(&sparse, "sparse", false, "print only what the workflow sets (the default)")
	_ = cmd.Flags().MarkHidden("sparse")
	cmd.Flags().BoolVar(&platformNames, "platform-names", false, "list the global configuration's platforms and platform groups")
	cmd.Flags().BoolVar(&platforms, "platforms", false, "print the global configuration's platforms and platform groups")
	format = addFormatFlag(cmd, "plain", "json")
	tf.add(cmd)
	return cmd
}

// configJSON is config's JSON output. It is read back from the plain
// output, so that the two always agree on what is shown (defaults, values
// Cylc derives, the order, and the errors for items that do not exist).
func configJSON(w *workflow.Workflow, items []string, sparse bool) (any, error) {
	if len(items) == 0 {
		return configItemJSON(w, "", sparse)
	}
	if len(items) == 1 {
		return configItemJSON(w, items[0], sparse)
	}
	var out jsonObject
	for _, it := range items {
		v, err := configItemJSON(w, it, sparse)
		if err != nil {
			return nil, err
		}
		out = append(out, jsonField{it, v})
	}
	return out, nil
}

// configItemJSON prints one item (or, for "", everything) and parses it.
func configItemJSON(w *workflow.Workflow, item string, sparse bool) (any, error) {
	var buf bytes.Buffer
	var sel []string
	if item != "" {
		sel = []string{item}
	}
	if err := w.Config.Print(&buf, sel, sparse); err != nil {
		return nil, err
	}
	keys := itemKeys(item)
	if n := w.Config.Tree.Get(keys...); len(keys) > 0 && n != nil && !n.IsSection() {
		// A setting prints as its bare value.
		return strings.TrimSuffix(buf.String(), "\n"), nil
	}
	return parseConfigText(buf.String(), len(keys)), nil
}

var itemSplitRe = regexp.MustCompile(`\]\[*`)

// itemKeys splits an item as "cylc config -i" reads it:
// "[runtime][model]environment" is runtime, model, environment.
func itemKeys(item string) []string {
	if item == "" {
		return nil
	}
	return itemSplitRe.Split(strings.TrimRight(strings.TrimLeft(item, "["), "]"), -1)
}

// parseConfigText reads back what Config.Print writes for a section at
// depth base (0 for the whole configuration): "key = value" settings,
// "[[name]]" headers with base+1 brackets for a subsection, and
// multi-line values in triple quotes indented one level deeper than
// their key. Lines it cannot place are kept under their own text as key,
// with an empty value, rather than lost.
func parseConfigText(text string, base int) jsonObject {
	root := jsonObject{}
	stack := []*jsonObject{&root}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		lines = nil
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		indent := len(line) - len(strings.TrimLeft(line, " "))
		trimmed := line[indent:]
		if depth, name, ok := sectionHeader(trimmed); ok && depth > base {
			rel := depth - base
			if rel > len(stack) {
				rel = len(stack) // a header deeper than its parent: keep it
			}
			stack = stack[:rel]
			sub := &jsonObject{}
			parent := stack[rel-1]
			*parent = append(*parent, jsonField{name, sub})
			stack = append(stack, sub)
			continue
		}
		key, value, ok := strings.Cut(trimmed, " =")
		if ok {
			value = strings.TrimPrefix(value, " ")
		} else {
			key = trimmed
		}
		if value == `"""` {
			// The body lines carry the key's indent and four spaces more;
			// the closing quotes carry the key's indent.
			closing := line[:indent] + `"""`
			prefix := line[:indent] + "    "
			var body []string
			j := i + 1
			for ; j < len(lines) && lines[j] != closing; j++ {
				body = append(body, strings.TrimPrefix(lines[j], prefix))
			}
			if j < len(lines) {
				value = strings.Join(body, "\n")
				i = j
			}
		}
		top := stack[len(stack)-1]
		*top = append(*top, jsonField{key, value})
	}
	return root
}

// sectionHeader reads "[[name]]": its depth (the number of brackets) and
// name.
func sectionHeader(s string) (depth int, name string, ok bool) {
	open := len(s) - len(strings.TrimLeft(s, "["))
	close := len(s) - len(strings.TrimRight(s, "]"))
	if open == 0 || open != close || open*2 >= len(s) {
		return 0, "", false
	}
	return open, s[open : len(s)-close], true
}

// printPlatforms prints the global configuration's platforms: their names
// (the headings go to standard error, as Cylc prints them, so that the
// names can be piped) or, with details, their settings.
func printPlatforms(cmd *cobra.Command, details bool) error {
	cfg, err := loadPlatforms()
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if details {
		return cfg.Dump(out)
	}
	fmt.Fprint(errOut, "Platform names are regular expressions: a task's platform setting\n"+
		"selects the last one that matches it whole.\n\nPlatforms\n---------\n")
	fmt.Fprintln(out, strings.Join(cfg.PlatformNames(), "\n"))
	if groups := cfg.GroupNames(); len(groups) > 0 {
		fmt.Fprint(errOut, "\nPlatform Groups\n---------------\n")
		fmt.Fprintln(out, strings.Join(groups, "\n"))
	}
	return nil
}
