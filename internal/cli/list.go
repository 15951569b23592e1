package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/colour"
	"gyre/internal/workflow"
)

func init() { register(newList) }

type listFlags struct {
	allTasks, allNamespaces, tree, box, mro, titles bool
}

func newList() *cobra.Command {
	var tf templateFlags
	var lf listFlags
	var format *formatFlag
	cmd := &cobra.Command{
		Use:   "list PATH",
		Short: "List tasks and families defined in a workflow",
		Long: `Print runtime namespace names (tasks and families) or the first-parent
inheritance tree, exactly as "cylc list" prints them. By default only the
tasks the graph uses are listed.

With --format=json: a list of names; with --mro, objects with each
namespace's name, parents and MRO; with --with-titles, names and titles;
with --tree, the tree as nested {"name", "children"} objects.`,
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
			errOut := cmd.ErrOrStderr()
			ep := painter(cmd, errOut)
			w, err := tf.load(args[0])
			if err != nil {
				return reportLoadErrorColour(ep, errOut, err)
			}
			printWarningsColour(ep, errOut, w)
			if lf.box {
				lf.tree = true
			}
			out := cmd.OutOrStdout()
			if lf.tree {
				if lf.allTasks || lf.allNamespaces || lf.mro {
					fmt.Fprintln(errOut, ep.Level("WARNING:"), "-t chosen, ignoring non-tree options.")
				}
				if format.json() {
					return writeJSON(out, listTreeJSON(w, lf))
				}
				printTree(out, w, lf, painter(cmd, out))
				return nil
			}
			if format.json() {
				return writeJSON(out, listNamesJSON(w, lf))
			}
			printNames(out, w, lf, painter(cmd, out))
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
	format = addFormatFlag(cmd, "plain", "json")
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

// listedNames are the namespaces list prints, sorted.
func listedNames(w *workflow.Workflow, lf listFlags) []string {
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
	return names
}

// printNames prints the names, families in bold on a terminal.
func printNames(out io.Writer, w *workflow.Workflow, lf listFlags, p *colour.Painter) {
	names := listedNames(w, lf)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		shown := n
		if ns := w.Config.Namespaces[n]; ns != nil && ns.IsFamily {
			shown = p.Bold(n)
		}
		switch {
		case lf.mro:
			fmt.Fprintf(out, "%s %s %s\n", shown, strings.Repeat(" ", width-len(n)), strings.Join(w.Config.Namespaces[n].MRO, " "))
		case lf.titles:
			fmt.Fprintf(out, "%s %s %s\n", shown, strings.Repeat(" ", width-len(n)), title(w, n))
		default:
			fmt.Fprintln(out, shown)
		}
	}
}

// treeNode is one level of the first-parent tree.
type treeNode map[string]treeNode

// firstParentTree is the first-parent hierarchy of the graphed tasks,
// and the width of its widest line as Cylc reckons it.
func firstParentTree(w *workflow.Workflow) (tree treeNode, maxlen int) {
	tree = treeNode{}
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
	return tree, maxlen
}

// printTree draws the first-parent hierarchy of the graphed tasks as Cylc
// does (including its trailing spaces, so output compares byte for byte),
// families in bold on a terminal.
func printTree(out io.Writer, w *workflow.Workflow, lf listFlags, p *colour.Painter) {
	tree, maxlen := firstParentTree(w)
	padding := ""
	if lf.titles {
		padding = strings.Repeat(" ", maxlen)
	}
	for _, line := range treeLines(tree, padding, lf.box, "", w, lf.titles, p) {
		fmt.Fprintln(out, line)
	}
}

func treeLines(tree treeNode, padding string, box bool, prefix string, w *workflow.Workflow, titles bool, p *colour.Painter) []string {
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
		shown := item
		if len(tree[item]) > 0 {
			shown = p.Bold(item)
		}
		line := pp + shown + " " + pad
		if titles && len(tree[item]) == 0 {
			line += title(w, item)
		}
		out = append(out, line)
		if len(tree[item]) > 0 {
			out = append(out, treeLines(tree[item], padding, box, pprefix, w, titles, p)...)
		}
	}
	return out
}

// listEntry is a namespace in list's JSON output.
type listEntry struct {
	Name     string      `json:"name"`
	Parents  []string    `json:"parents,omitempty"`
	MRO      []string    `json:"mro,omitempty"`
	Title    *string     `json:"title,omitempty"`
	Children []listEntry `json:"children,omitempty"`
}

// listNamesJSON is list's JSON: the names, or with --mro or --with-titles
// an object for each.
func listNamesJSON(w *workflow.Workflow, lf listFlags) any {
	names := listedNames(w, lf)
	if !lf.mro && !lf.titles {
		return append([]string{}, names...)
	}
	out := make([]listEntry, 0, len(names))
	for _, n := range names {
		e := listEntry{Name: n}
		if lf.mro {
			if ns := w.Config.Namespaces[n]; ns != nil {
				e.Parents, e.MRO = ns.Parents, ns.MRO
			}
		} else {
			t := title(w, n)
			e.Title = &t
		}
		out = append(out, e)
	}
	return out
}

// listTreeJSON is list --tree's JSON: the first-parent tree from root,
// leaves with their titles if asked for.
func listTreeJSON(w *workflow.Workflow, lf listFlags) []listEntry {
	tree, _ := firstParentTree(w)
	var build func(t treeNode) []listEntry
	build = func(t treeNode) []listEntry {
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]listEntry, 0, len(keys))
		for _, k := range keys {
			e := listEntry{Name: k}
			if len(t[k]) > 0 {
				e.Children = build(t[k])
			} else if lf.titles {
				tt := title(w, k)
				e.Title = &tt
			}
			out = append(out, e)
		}
		return out
	}
	return build(tree)
}
