package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/workflow"
)

func init() { register(newList) }

type listFlags struct {
	allTasks, allNamespaces, tree, box, mro, titles bool
}

func newList() *cobra.Command {
	var tf templateFlags
	var lf listFlags
	cmd := &cobra.Command{
		Use:   "list PATH",
		Short: "List tasks and families defined in a workflow",
		Long: `Print runtime namespace names (tasks and families) or the first-parent
inheritance tree, exactly as "cylc list" prints them. By default only the
tasks the graph uses are listed.`,
		Example: `  gyre list examples/families-params
  gyre list -n examples/families-params     # families too
  gyre list -t examples/families-params     # first-parent tree
  gyre list -m examples/families-params     # C3 linearisation of each`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if lf.allTasks && lf.allNamespaces {
				return fmt.Errorf("choose either -a or -n")
			}
			if lf.titles && lf.mro {
				return fmt.Errorf("please choose --mro or --title, not both")
			}
			w, err := tf.load(args[0])
			if err != nil {
				return reportLoadError(cmd.ErrOrStderr(), err)
			}
			printWarnings(cmd.ErrOrStderr(), w)
			if lf.box {
				lf.tree = true
			}
			out := cmd.OutOrStdout()
			if lf.tree {
				if lf.allTasks || lf.allNamespaces || lf.mro {
					fmt.Fprintln(cmd.ErrOrStderr(), "WARNING: -t chosen, ignoring non-tree options.")
				}
				printTree(out, w, lf)
				return nil
			}
			printNames(out, w, lf)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&lf.allTasks, "all-tasks", "a", false, "print all tasks, not just those used in the graph")
	f.BoolVarP(&lf.allNamespaces, "all-namespaces", "n", false, "print all runtime namespaces, not just tasks")
	f.BoolVarP(&lf.mro, "mro", "m", false, "print the C3 linearisation (method resolution order) of each namespace")
	f.BoolVarP(&lf.tree, "tree", "t", false, "print the first-parent inheritance hierarchy as a tree")
	f.BoolVarP(&lf.box, "box", "b", false, "with --tree, draw with unicode box characters")
	f.BoolVarP(&lf.titles, "with-titles", "w", false, "print namespace titles too")
	tf.add(cmd)
	return cmd
}

// noTitle is what Cylc prints for a namespace whose [meta] section (its
// own or inherited) leaves the title unset.
const noTitle = "No title provided"

// title is a namespace's [meta]title as `cylc list` prints it. Cylc reads
// the title with a plain dict lookup on the inherited settings: a namespace
// with no [meta] section anywhere in its ancestry sees the schema default
// "", but one whose [meta] section lacks a title sees "No title provided".
// Implicit tasks are copied from root's settings with the defaults filled
// in, so they always see a title ("" unless root sets one).
func title(w *workflow.Workflow, ns string) string {
	n := w.Config.Namespaces[ns]
	if n == nil {
		return ""
	}
	meta := n.Settings.Get("meta")
	if meta == nil || !meta.IsSet() {
		return ""
	}
	if t := meta.Get("title"); t != nil && t.IsSet() || n.Implicit {
		return t.String()
	}
	return noTitle
}

func printNames(out io.Writer, w *workflow.Workflow, lf listFlags) {
	var names []string
	switch {
	case lf.allNamespaces:
		names = append(names, w.Config.NamespaceOrder...)
	case lf.allTasks:
		for _, n := range w.Config.NamespaceOrder {
			if !w.Config.Namespaces[n].IsFamily && n != "root" {
				names = append(names, n)
			}
		}
	default:
		names = append(names, w.GraphTasks...)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		switch {
		case lf.mro:
			fmt.Fprintf(out, "%s %s %s\n", n, strings.Repeat(" ", width-len(n)), strings.Join(w.Config.Namespaces[n].MRO, " "))
		case lf.titles:
			fmt.Fprintf(out, "%s %s %s\n", n, strings.Repeat(" ", width-len(n)), title(w, n))
		default:
			fmt.Fprintln(out, n)
		}
	}
}

// treeNode is one level of the first-parent tree.
type treeNode map[string]treeNode

// printTree draws the first-parent hierarchy of the graphed tasks as Cylc
// does (including its trailing spaces, so output compares byte for byte).
func printTree(out io.Writer, w *workflow.Workflow, lf listFlags) {
	tree := treeNode{}
	maxlen := 0
	for _, t := range w.GraphTasks {
		ns := w.Config.Namespaces[t]
		if ns == nil {
			continue
		}
		anc := ns.FirstParentAncestors
		cur := tree
		for i := len(anc) - 1; i >= 0; i-- {
			item := anc[i]
			if cur[item] == nil {
				cur[item] = treeNode{}
			}
			cur = cur[item]
			l := 2*(len(anc)-1-i) + 1 + len(item)
			if i == len(anc)-1 {
				l--
			}
			maxlen = max(maxlen, l)
		}
	}
	padding := ""
	if lf.titles {
		padding = strings.Repeat(" ", maxlen)
	}
	for _, line := range treeLines(tree, padding, lf.box, "", w, lf.titles) {
		fmt.Fprintln(out, line)
	}
}

func treeLines(tree treeNode, padding string, box bool, prefix string, w *workflow.Workflow, titles bool) []string {
	vbar, tee, trm := "|", "|-", "`-"
	if box {
		vbar, tee, trm = "\u2502", "\u251C\u2500", "\u2514\u2500"
	}
	keys := make([]string, 0, len(tree))
	for k := range tree {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for i, item := range keys {
		mark := tee
		if i == len(keys)-1 {
			mark = trm
		}
		pprefix := prefix + " " + mark
		pp := pprefix
		if rest, ok := strings.CutPrefix(pp, " "+trm); ok {
			pp = rest
		} else if rest, ok := strings.CutPrefix(pp, " "+tee); ok {
			pp = rest
		}
		pp = strings.ReplaceAll(pp, trm+" ", "  ")
		pp = strings.ReplaceAll(pp, tee+" ", vbar+" ")
		result := pp + item
		pad := ""
		if len(result) < len(padding) {
			pad = padding[len(result):]
		}
		line := result + " " + pad
		if titles && len(tree[item]) == 0 {
			line += title(w, item)
		}
		out = append(out, line)
		if len(tree[item]) > 0 {
			out = append(out, treeLines(tree[item], padding, box, pprefix, w, titles)...)
		}
	}
	return out
}
