// Package layering holds the test that keeps Gyre's functional core pure.
//
// The workflow definition, cycling, graph, task and pool packages must be
// deterministic functions of their inputs: no processes, no network, no
// database and no wall clock. That is what lets the scheduler replay events
// and run simulations in virtual time, so it is enforced here rather than left
// to review.
package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// purePackages are checked together with every gyre package they import.
var purePackages = []string{
	"flowfile", "jinja", "param", "config", "cycle", "graph", "task", "pool",
}

var forbiddenImports = map[string]string{
	"os/exec":      "starts processes",
	"net":          "talks to the network",
	"net/http":     "talks to the network",
	"database/sql": "touches a database",
	"syscall":      "makes system calls",
}

// forbiddenTime are the time functions that read or wait on the wall clock.
var forbiddenTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

func TestPurePackagesStayPure(t *testing.T) {
	root := filepath.Join("..")
	seen := map[string]bool{}
	queue := append([]string(nil), purePackages...)
	checked := 0
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		dir := filepath.Join(root, pkg)
		if _, err := os.Stat(dir); err != nil {
			continue // not written yet
		}
		deps, problems := checkDir(t, dir, pkg)
		for _, p := range problems {
			t.Error(p)
		}
		queue = append(queue, deps...)
		checked++
	}
	if checked == 0 {
		t.Fatal("no pure package found: the layering test is looking in the wrong place")
	}
}

// checkDir reports violations in the non-test Go files of dir and returns the
// gyre/internal packages it imports, which must be pure as well.
func checkDir(t *testing.T, dir, pkg string) (deps, problems []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		d, p := violations(fset, f, pkg)
		deps = append(deps, d...)
		problems = append(problems, p...)
	}
	return deps, problems
}

func violations(fset *token.FileSet, f *ast.File, pkg string) (deps, problems []string) {
	timeName := ""
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if why, bad := forbiddenImports[path]; bad {
			problems = append(problems, fmt.Sprintf("%s: pure package %s imports %s, which %s",
				fset.Position(imp.Pos()), pkg, path, why))
		}
		if rest, ok := strings.CutPrefix(path, "gyre/internal/"); ok {
			deps = append(deps, rest)
		}
		if path == "time" {
			timeName = "time"
			if imp.Name != nil {
				timeName = imp.Name.Name
			}
		}
	}
	if timeName == "" {
		return deps, problems
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && forbiddenTime[sel.Sel.Name] {
			problems = append(problems, fmt.Sprintf("%s: pure package %s calls time.%s: time must come in as an argument",
				fset.Position(sel.Pos()), pkg, sel.Sel.Name))
		}
		return true
	})
	return deps, problems
}

// TestViolationsAreFound proves the checker catches what it is for, so a
// silent pass above means something.
func TestViolationsAreFound(t *testing.T) {
	src := `package bad
import (
	"os/exec"
	clk "time"
	"gyre/internal/cycle"
)
func f() { _ = exec.Command; _ = clk.Now(); _ = clk.Duration(1); _ = cycle.X }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "bad.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	deps, problems := violations(fset, f, "bad")
	if len(problems) != 2 {
		t.Fatalf("want 2 problems (os/exec, time.Now), got %q", problems)
	}
	if !strings.Contains(problems[0], "os/exec") || !strings.Contains(problems[1], "time.Now") {
		t.Errorf("unexpected problems %q", problems)
	}
	if len(deps) != 1 || deps[0] != "cycle" {
		t.Errorf("deps = %q, want [cycle]", deps)
	}
}
