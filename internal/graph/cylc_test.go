package graph

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cylcCase is a graph (one or more graph strings of one workflow, parsed
// in order with one output table) and what Cylc 8.7 makes of it: either
// the error it raises or, per graph string, each task's triggers keyed by
// Cylc's expression text ("" for a task that stands alone, "!" prefix for
// suicide), and the optional (true) or required (false) outputs. The cases
// re-express Cylc's tests/unit/test_graph_parser.py and add Gyre's own;
// testdata/oracle says how the expectations were generated.
type cylcCase struct {
	Name      string
	Graphs    []string
	Fams      map[string][]string
	Params    map[string][]string
	Templates map[string]string
	Cylc7     bool
	CylcErr   string `json:"cylc_err"`
	Triggers  []map[string][]string
	Opt       map[string]bool
	// Where Gyre deliberately differs from Cylc, Differs says why and the
	// Want fields replace Cylc's results (WantErr "" means no error).
	WantErr      string                `json:"want_err"`
	WantTriggers []map[string][]string `json:"want_triggers"`
	WantOpt      map[string]bool       `json:"want_opt"`
	Differs      string
}

func loadCylcCases(tb testing.TB) []cylcCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/cylc_cases.json")
	if err != nil {
		tb.Fatal(err)
	}
	var cases []cylcCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	if len(cases) < 200 {
		tb.Fatalf("only %d cases in testdata/cylc_cases.json", len(cases))
	}
	return cases
}

func TestCylcCases(t *testing.T) {
	for _, c := range loadCylcCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var expand func(string) ([]string, error)
			if c.Params != nil {
				expand = testExpander(c.Params, c.Templates)
			}
			out := NewOutputs()
			var graphs []*Graph
			var err error
			for i, src := range c.Graphs {
				var g *Graph
				g, err = Parse(src, Options{Families: c.Fams, ExpandParams: expand, Cylc7: c.Cylc7,
					Outputs: out, File: "flow.cylc", Line: 10 * (i + 1)})
				if err != nil {
					break
				}
				graphs = append(graphs, g)
			}
			wantErr, wantTrig, wantOpt := c.CylcErr, c.Triggers, c.Opt
			if c.Differs != "" {
				wantErr = c.WantErr
				if c.WantTriggers != nil {
					wantTrig = c.WantTriggers
				}
				if c.WantOpt != nil {
					wantOpt = c.WantOpt
				}
			}
			if wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %q", wantErr)
				}
				if !sameError(err.Error(), wantErr) {
					t.Fatalf("error %q\nwant it to contain %q", err, wantErr)
				}
				if !strings.HasPrefix(err.Error(), "flow.cylc:") {
					t.Errorf("error %q is not located", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for i, g := range graphs {
				if got := cylcView(g); !equalView(got, wantTrig[i]) {
					t.Errorf("graph %d triggers:\n got %v\nwant %v", i, got, wantTrig[i])
				}
			}
			got := map[string]bool{}
			for _, u := range out.All() {
				got[u.Task+":"+u.Output] = u.Optional
			}
			if !equalOpt(got, wantOpt) {
				t.Errorf("outputs:\n got %v\nwant %v", got, wantOpt)
			}
		})
	}
}

var reOpposite = regexp.MustCompile(`Opposite outputs (\S+) and (\S+) must`)

// sameError reports whether got says what want says. Cylc names the two
// outputs of an "Opposite outputs" error in whichever order its set
// iteration happened to meet them, so either order is accepted there.
func sameError(got, want string) bool {
	if strings.Contains(got, want) {
		return true
	}
	m := reOpposite.FindStringSubmatch(want)
	if m == nil {
		return false
	}
	swapped := strings.Replace(want, m[0], "Opposite outputs "+m[2]+" and "+m[1]+" must", 1)
	return strings.Contains(got, swapped)
}

// cylcView renders a Graph as Cylc's GraphParser.triggers.
func cylcView(g *Graph) map[string][]string {
	lone := map[string]bool{}
	for _, e := range g.Edges {
		if e.Right == "" {
			lone[e.Left] = true
		}
	}
	m := map[string][]string{}
	for _, task := range g.Tasks {
		l := []string{}
		if lone[task] {
			l = append(l, "")
		}
		for _, tr := range g.Triggers[task] {
			s := tr.Text
			if tr.Suicide {
				s = "!" + s
			}
			l = append(l, s)
		}
		slices.Sort(l)
		m[task] = l
	}
	return m
}

func equalView(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}

func equalOpt(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}

var (
	reParamGroup = regexp.MustCompile(`<(.*?)>`)
	reParamItem  = regexp.MustCompile(`^(\w+)\s*([\-+]\s*\d+|=\s*[\w\-+%@]+)?`)
	reTemplate   = regexp.MustCompile(`%\((\w+)\)(0?\d*)([sd])`)
)

// testExpander is a small stand-in for internal/param's graph expansion,
// following Cylc's GraphExpander: every combination of the parameters a
// line uses, <p=v> specific values, <p-1> index offsets, and Cylc's
// -32768 marker for an offset that falls out of range.
func testExpander(params map[string][]string, templates map[string]string) func(string) ([]string, error) {
	return func(line string) ([]string, error) {
		var used []string
		for _, g := range reParamGroup.FindAllStringSubmatch(line, -1) {
			for _, item := range strings.Split(g[1], ",") {
				m := reParamItem.FindStringSubmatch(item)
				if m == nil || params[m[1]] == nil {
					name := item
					if m != nil {
						name = m[1]
					}
					return nil, fmt.Errorf("parameter %s is not defined in <%s>: %s", name, g[1], line)
				}
				if strings.HasPrefix(m[2], "=") && !inParam(m[2][1:], params[m[1]]) {
					return nil, fmt.Errorf("parameter %s out of range: %s", m[1], g[1])
				}
				if !slices.Contains(used, m[1]) {
					used = append(used, m[1])
				}
			}
		}
		var out []string
		var rec func(i int, vals map[string]string)
		rec = func(i int, vals map[string]string) {
			if i < len(used) {
				for _, v := range params[used[i]] {
					vals[used[i]] = v
					rec(i+1, vals)
				}
				return
			}
			l := line
			for _, g := range reParamGroup.FindAllStringSubmatch(line, -1) {
				var repl strings.Builder
				for _, item := range strings.Split(g[1], ",") {
					m := reParamItem.FindStringSubmatch(item)
					name, v := m[1], vals[m[1]]
					switch {
					case strings.HasPrefix(m[2], "="):
						v = m[2][1:]
						if n, err := strconv.Atoi(v); err == nil {
							v = strconv.Itoa(n)
						}
					case m[2] != "":
						off, _ := strconv.Atoi(strings.ReplaceAll(m[2], " ", ""))
						idx := slices.Index(params[name], v) + off
						if idx >= 0 && idx < len(params[name]) {
							v = params[name][idx]
						} else {
							v = "-32768"
						}
					}
					repl.WriteString(formatTemplate(templates[name], name, v))
				}
				l = strings.ReplaceAll(l, g[0], repl.String())
			}
			out = append(out, l)
		}
		rec(0, map[string]string{})
		return out, nil
	}
}

func inParam(v string, list []string) bool {
	if slices.Contains(list, v) {
		return true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return false
	}
	for _, x := range list {
		if m, err := strconv.Atoi(x); err == nil && m == n {
			return true
		}
	}
	return false
}

func formatTemplate(tmpl, name, v string) string {
	return reTemplate.ReplaceAllStringFunc(tmpl, func(s string) string {
		m := reTemplate.FindStringSubmatch(s)
		if m[1] != name {
			return s
		}
		if m[3] == "d" {
			n, _ := strconv.Atoi(v)
			return fmt.Sprintf("%"+m[2]+"d", n)
		}
		return v
	})
}
