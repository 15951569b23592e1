package graph

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const conformanceDir = "/work/shared/conformance/cylc"

// conformanceGolden is what Cylc 8.7's GraphParser makes of each
// conformance workflow's graph strings (generated with the workflow's
// family map and parameters as Cylc loads them).
type conformanceGolden struct {
	Fams   map[string][]string
	Graphs map[string]map[string][]string
	Opt    map[string]bool
	Cylc7  bool
}

// TestConformanceGraphs parses the graph strings of every conformance
// workflow that does not use Jinja2 and compares the triggers and output
// optionality with Cylc's.
func TestConformanceGraphs(t *testing.T) {
	index, err := os.ReadFile(filepath.Join(conformanceDir, "INDEX.tsv"))
	if err != nil {
		t.Skipf("conformance workflows not available: %v", err)
	}
	data, err := os.ReadFile("testdata/conformance.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]conformanceGolden
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range strings.Split(string(index), "\n")[2:] {
		cols := strings.Split(row, "\t")
		if len(cols) < 2 || cols[1] != "n" {
			continue
		}
		name := cols[0]
		n++
		t.Run(name, func(t *testing.T) {
			want, ok := golden[name]
			if !ok {
				t.Fatalf("no golden result for %s", name)
			}
			path := filepath.Join(conformanceDir, name, "flow.cylc")
			wf, err := readFlow(path)
			if err != nil {
				t.Fatal(err)
			}
			if !equalView(wf.families(), want.Fams) {
				t.Fatalf("test reader families %v, Cylc's %v", wf.families(), want.Fams)
			}
			if want.Cylc7 {
				// Valid only as a Cylc 7 suite.rc: Cylc 8 rules reject it.
				if _, err := wf.parse(path, false); err == nil || !strings.Contains(err.Error(), "Opposite outputs") {
					t.Errorf("Cylc 8 mode: got %v, want an Opposite outputs error", err)
				}
			}
			graphs, err := wf.parse(path, want.Cylc7)
			if err != nil {
				t.Fatal(err)
			}
			if len(graphs) != len(want.Graphs) {
				t.Fatalf("%d graph strings, Cylc has %d", len(graphs), len(want.Graphs))
			}
			for _, g := range graphs {
				if got := cylcView(g); !equalView(got, want.Graphs[g.Key]) {
					t.Errorf("[%s] triggers:\n got %v\nwant %v", g.Key, got, want.Graphs[g.Key])
				}
			}
			got := map[string]bool{}
			for _, u := range graphs[0].Outputs.All() {
				got[u.Task+":"+u.Output] = u.Optional
			}
			if !equalOpt(got, want.Opt) {
				t.Errorf("outputs:\n got %v\nwant %v", got, want.Opt)
			}
			checkIndex(t, graphs)
		})
	}
	if n < 80 {
		t.Errorf("only %d non-Jinja2 conformance workflows found", n)
	}
}

// checkIndex checks that the index agrees with the graphs it was built
// from, both ways.
func checkIndex(t *testing.T, graphs []*Graph) {
	t.Helper()
	ix := NewIndex(graphs...)
	uses := 0
	for _, g := range graphs {
		for _, task := range g.Tasks {
			trigs := ix.Triggers(task, g.Key)
			if !slices.Equal(trigs, g.Triggers[task]) {
				t.Errorf("index triggers of %s on %s differ from the graph's", task, g.Key)
			}
			for ti, tr := range trigs {
				for ai, a := range tr.Atoms {
					uses++
					found := false
					for _, d := range ix.Dependents(a.Task, a.Output) {
						if d.Task == task && d.Key == g.Key && d.Trigger == ti && d.Atom == ai {
							found = d.Offset == a.Offset && d.Suicide == tr.Suicide
						}
					}
					if !found {
						t.Errorf("%s on %s: atom %v of %q not indexed", task, g.Key, a, tr.Text)
					}
				}
			}
		}
		for _, task := range g.Cycling {
			if !slices.Contains(ix.Recurrences(task), g.Key) {
				t.Errorf("%s: recurrence %s not indexed", task, g.Key)
			}
		}
	}
	total := 0
	for _, ds := range ix.dependents {
		total += len(ds)
	}
	if total != uses {
		t.Errorf("index has %d dependents, graphs have %d atoms", total, uses)
	}
}

// flowGraphs is what the test needs from a flow.cylc: its graph items and
// enough of [runtime] and [task parameters] to parse them.
type flowGraphs struct {
	items     []flowItem
	inherit   map[string][]string
	params    map[string][]string
	templates map[string]string
}

type flowItem struct {
	key, value string
	line       int
}

var (
	reHeading = regexp.MustCompile(`^\s*(\[+)\s*([^\]]*?)\s*\]+\s*(#.*)?$`)
	reItem    = regexp.MustCompile(`^\s*([^=#]+?)\s*=\s*(.*)$`)
)

// readFlow is a throwaway flow.cylc reader: headings, items, triple-quoted
// and quoted values. Enough for the conformance workflows, nothing more.
func readFlow(path string) (*flowGraphs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	wf := &flowGraphs{inherit: map[string][]string{}, params: map[string][]string{}, templates: map[string]string{}}
	var sect []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := reHeading.FindStringSubmatch(l); m != nil {
			depth := len(m[1])
			sect = append(sect[:min(depth-1, len(sect))], m[2])
			if depth == 2 && sect[0] == "runtime" {
				for _, ns := range strings.Split(m[2], ",") {
					if ns = strings.TrimSpace(ns); wf.inherit[ns] == nil {
						wf.inherit[ns] = []string{}
					}
				}
			}
			continue
		}
		m := reItem.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		key, val, line := m[1], m[2], i+1
		triple := false
		for _, q := range []string{`"""`, `'''`} {
			if !strings.HasPrefix(val, q) {
				continue
			}
			triple = true
			rest := val[3:]
			if k := strings.Index(rest, q); k >= 0 {
				val = rest[:k]
				break
			}
			var b strings.Builder
			b.WriteString(rest)
			for i++; i < len(lines); i++ {
				if k := strings.Index(lines[i], q); k >= 0 {
					b.WriteString("\n" + lines[i][:k])
					break
				}
				b.WriteString("\n" + lines[i])
			}
			val = b.String()
		}
		switch {
		case triple:
		case len(val) > 0 && (val[0] == '"' || val[0] == '\''):
			if k := strings.IndexByte(val[1:], val[0]); k >= 0 {
				val = val[1 : k+1]
			}
		default:
			if k := strings.Index(val, "#"); k >= 0 {
				val = strings.TrimSpace(val[:k])
			}
		}
		switch {
		case len(sect) == 2 && sect[0] == "scheduling" && sect[1] == "graph":
			wf.items = append(wf.items, flowItem{key, val, line})
		case len(sect) == 2 && sect[0] == "runtime" && key == "inherit":
			for _, ns := range strings.Split(sect[1], ",") {
				for _, p := range strings.Split(val, ",") {
					ns = strings.TrimSpace(ns)
					wf.inherit[ns] = append(wf.inherit[ns], strings.Trim(strings.TrimSpace(p), `"'`))
				}
			}
		case len(sect) == 1 && sect[0] == "task parameters":
			wf.params[key] = paramValues(val)
			wf.templates[key] = "_" + key + "%(" + key + ")s"
		case len(sect) == 2 && sect[0] == "task parameters" && sect[1] == "templates":
			wf.templates[key] = val
		}
	}
	return wf, nil
}

// paramValues reads "1..7" or "a, b, c".
func paramValues(v string) []string {
	if a, b, ok := strings.Cut(v, ".."); ok {
		lo, err1 := strconv.Atoi(strings.TrimSpace(a))
		hi, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 == nil && err2 == nil {
			var out []string
			for i := lo; i <= hi; i++ {
				out = append(out, strconv.Itoa(i))
			}
			return out
		}
	}
	var out []string
	for _, x := range strings.Split(v, ",") {
		out = append(out, strings.TrimSpace(x))
	}
	return out
}

// families maps each family to its descendant tasks, as Cylc's loader
// gives the graph parser.
func (wf *flowGraphs) families() map[string][]string {
	children := map[string][]string{}
	for ns, parents := range wf.inherit {
		for _, p := range parents {
			children[p] = append(children[p], ns)
		}
	}
	fams := map[string][]string{}
	for fam := range children {
		if fam == "root" {
			continue
		}
		var tasks []string
		var walk func(string)
		walk = func(ns string) {
			for _, c := range children[ns] {
				if len(children[c]) == 0 {
					if !slices.Contains(tasks, c) {
						tasks = append(tasks, c)
					}
				} else {
					walk(c)
				}
			}
		}
		walk(fam)
		slices.Sort(tasks)
		fams[fam] = tasks
	}
	return fams
}

// parse parses the graph items in file order with one output table.
func (wf *flowGraphs) parse(path string, cylc7 bool) ([]*Graph, error) {
	out := NewOutputs()
	var expand func(string) ([]string, error)
	if len(wf.params) > 0 {
		expand = testExpander(wf.params, wf.templates)
	}
	var graphs []*Graph
	for _, it := range wf.items {
		g, err := Parse(it.value, Options{Key: it.key, File: path, Line: it.line,
			Families: wf.families(), ExpandParams: expand, Cylc7: cylc7, Outputs: out})
		if err != nil {
			return nil, err
		}
		graphs = append(graphs, g)
	}
	return graphs, nil
}
