package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/suggest"
	"gyre/internal/workflow"
)

func init() { register(newGraph) }

type graphFlags struct {
	reference   bool
	format      string
	output      string
	namespaces  bool
	groups      []string
	cycles      bool
	transpose   bool
	showSuicide bool
}

func newGraph() *cobra.Command {
	var tf templateFlags
	var gf graphFlags
	cmd := &cobra.Command{
		Use:   "graph PATH [START [STOP]]",
		Short: "Print the workflow's dependency graph over cycle points",
		Long: `Expand the graph over cycle points and print it, either in Cylc's
sorted reference format (--reference, identical to "cylc graph --reference")
or as Graphviz dot for drawing (the default, or -o FILE.dot; other -o
extensions such as .svg or .png are rendered with Graphviz "dot" if it is
installed), or as JSON (--format=json or -o FILE.json): {"nodes": [...],
"edges": [...]}, each node its ID, task and cycle point, each edge its
two node IDs and whether it is conditional or a suicide trigger.

START defaults to the initial cycle point. STOP is a cycle point or an
interval from START containing "P" (P1D, +P2); without it, the first three
cycle points are drawn. Suicide triggers are left out unless --show-suicide.`,
		Example: `  gyre graph --reference examples/datetime-cycling
  gyre graph -r examples/datetime-cycling 2026-01-01T06Z P1D
  gyre graph examples/families-params -g '<all>' > graph.dot
  gyre graph examples/families-params -o graph.svg   # needs Graphviz
  gyre graph -n examples/families-params             # inheritance`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGraph(cmd, args, &tf, &gf)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&gf.reference, "reference", "r", false, `print Cylc's sorted plain-text reference format (same as --format=reference)`)
	f.StringVar(&gf.format, "format", "", `output format: "reference", "dot" or "json" (default dot, or reference with -r)`)
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"dot", "reference", "json"}, cobra.ShellCompDirectiveNoFileComp))
	f.StringVarP(&gf.output, "output", "o", "", "write to FILE; its extension chooses the format (.dot, .ref, .json, or any Graphviz format)")
	f.BoolVarP(&gf.namespaces, "namespaces", "n", false, "draw the runtime inheritance hierarchy instead of the dependency graph")
	f.StringArrayVarP(&gf.groups, "group", "g", nil, `draw this family as one node per cycle point (repeatable; "<all>" for every family)`)
	f.BoolVarP(&gf.cycles, "cycles", "c", true, "in dot output, box the tasks of each cycle point together (--cycles=false to turn off)")
	f.BoolVarP(&gf.transpose, "transpose", "t", false, "in dot output, lay the graph out left to right")
	f.BoolVar(&gf.showSuicide, "show-suicide", false, "draw suicide triggers (left out by default)")
	tf.add(cmd)
	return cmd
}

func runGraph(cmd *cobra.Command, args []string, tf *templateFlags, gf *graphFlags) error {
	if len(gf.groups) > 0 && gf.namespaces {
		return errors.New("cannot combine --group and --namespaces")
	}
	if gf.namespaces && cmd.Flags().Changed("cycles") && gf.cycles {
		return errors.New("cannot combine --cycles and --namespaces")
	}
	format, render, err := graphFormat(gf)
	if err != nil {
		return err
	}
	w, err := tf.load(args[0])
	if err != nil {
		return reportLoadError(cmd.ErrOrStderr(), err)
	}
	var d *workflow.Drawing
	if gf.namespaces {
		d = w.DrawInheritance()
	} else {
		opts := workflow.DrawOptions{Group: gf.groups, ShowSuicide: gf.showSuicide}
		if len(args) > 1 {
			opts.Start = args[1]
		}
		if len(args) > 2 {
			opts.Stop = args[2]
		}
		if d, err = w.Draw(opts); err != nil {
			return err
		}
	}
	ep := painter(cmd, cmd.ErrOrStderr())
	for _, warn := range d.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), ep.Level("WARNING:"), warn)
	}
	var buf bytes.Buffer
	switch format {
	case "reference":
		writeReference(&buf, d)
	case "json":
		if err := writeJSON(&buf, graphJSON(d)); err != nil {
			return err
		}
	default:
		if len(d.Nodes) == 0 {
			msg := "no tasks to display"
			if len(args) > 1 {
				msg += "\n  hint: try changing the start and stop values"
			}
			return errors.New(msg)
		}
		writeDot(&buf, d, dotStyle{cycles: gf.cycles && !gf.namespaces, transpose: gf.transpose, namespaces: gf.namespaces})
	}
	switch {
	case gf.output == "":
		_, err = cmd.OutOrStdout().Write(buf.Bytes())
		return err
	case render != "":
		return renderDot(buf.Bytes(), gf.output, render)
	}
	return os.WriteFile(gf.output, buf.Bytes(), 0o644)
}

// graphFormat works out the text format to produce and, for -o with an
// image extension, the Graphviz format to render it to.
func graphFormat(gf *graphFlags) (format, render string, err error) {
	format = gf.format
	switch format {
	case "", "dot", "reference", "json":
	default:
		return "", "", fmt.Errorf("unknown --format %q%s\n  hint: use --format=reference, --format=dot or --format=json",
			gf.format, suggest.Hint(gf.format, []string{"reference", "dot", "json"}))
	}
	if gf.reference {
		if format == "dot" || format == "json" {
			return "", "", fmt.Errorf("--reference and --format=%s contradict each other", format)
		}
		format = "reference"
	}
	if gf.output != "" {
		ext := strings.TrimPrefix(filepath.Ext(gf.output), ".")
		switch {
		case ext == "":
			return "", "", fmt.Errorf("output file %q has no extension to choose the format\n  hint: e.g. graph.dot, graph.svg, graph.png", gf.output)
		case ext == "ref" || ext == "txt":
			if format == "" {
				format = "reference"
			}
		case ext == "json":
			if format == "" {
				format = "json"
			}
		case ext != "dot" && format != "reference" && format != "json":
			render = ext
		}
	}
	if format == "" {
		format = "dot"
	}
	return format, render, nil
}

// renderDot pipes dot text through Graphviz to make an image.
func renderDot(dot []byte, file, format string) error {
	bin, err := exec.LookPath("dot")
	if err != nil {
		return fmt.Errorf("rendering %s needs Graphviz \"dot\", which is not installed\n  hint: write %s instead and render it elsewhere",
			file, strings.TrimSuffix(file, filepath.Ext(file))+".dot")
	}
	c := exec.Command(bin, "-T"+format, "-o", file)
	c.Stdin = bytes.NewReader(dot)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("graphviz dot -T%s: %v: %s", format, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// writeReference prints Cylc's reference format: edges, "graph", nodes,
// "stop", each node labelled "TASK\nPOINT" (a literal backslash-n).
func writeReference(out io.Writer, d *workflow.Drawing) {
	var b strings.Builder
	for _, e := range d.Edges {
		b.WriteString(`edge "` + e.Left.ID() + `" "` + e.Right.ID() + "\"\n")
	}
	b.WriteString("graph\n")
	for _, n := range d.Nodes {
		label := n.Task
		if n.Point != "" {
			label += `\n` + n.Point
		}
		b.WriteString(`node "` + n.ID() + `" "` + label + "\"\n")
	}
	b.WriteString("stop\n")
	io.WriteString(out, b.String())
}

// graphNode and graphEdge are the JSON form of a drawing.
type graphNode struct {
	ID    string `json:"id"`
	Task  string `json:"task"`
	Point string `json:"point,omitempty"`
}

type graphEdge struct {
	Source      string `json:"source"`
	Target      string `json:"target"`
	Conditional bool   `json:"conditional"`
	Suicide     bool   `json:"suicide"`
}

type graphDoc struct {
	Nodes []graphNode `json:"nodes"`
	Edges []graphEdge `json:"edges"`
}

// graphJSON is the drawing as JSON, nodes and edges in the order of the
// reference format.
func graphJSON(d *workflow.Drawing) graphDoc {
	doc := graphDoc{Nodes: []graphNode{}, Edges: []graphEdge{}}
	for _, n := range d.Nodes {
		doc.Nodes = append(doc.Nodes, graphNode{ID: n.ID(), Task: n.Task, Point: n.Point})
	}
	for _, e := range d.Edges {
		doc.Edges = append(doc.Edges, graphEdge{Source: e.Left.ID(), Target: e.Right.ID(), Conditional: e.Conditional, Suicide: e.Suicide})
	}
	return doc
}
