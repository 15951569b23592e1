package flowfile

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// conformanceDir holds workflows from Cylc's functional test suite, in the
// repository's sibling "shared" directory (not part of the module).
const conformanceDir = "../../../shared/conformance/cylc"

var jinja2Hashbang = regexp.MustCompile(`(?i)^#!jinja2`)

// TestConformanceWorkflowsLoad loads every plain (non-Jinja2) conformance
// workflow, which Cylc validates, and checks that the Jinja2 ones are
// recognised as such.
func TestConformanceWorkflowsLoad(t *testing.T) {
	var files []string
	for _, name := range []string{"flow.cylc", "suite.rc"} {
		m, err := filepath.Glob(filepath.Join(conformanceDir, "*", name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no conformance workflows under %s (the repository's sibling shared/ directory is absent)", conformanceDir)
	}
	plain := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(file)
		f, err := Load(dir, Options{})
		if jinja2Hashbang.Match(src) {
			var e *Error
			if !errors.As(err, &e) || e.Msg != "Jinja2 support not configured" {
				t.Errorf("%s: Jinja2 workflow without a renderer: error = %v", file, err)
			}
			continue
		}
		plain++
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		if f.Root.Section("scheduling") == nil {
			t.Errorf("%s: no [scheduling] section", dir)
		}
	}
	if plain == 0 {
		t.Errorf("none of the %d conformance workflows is plain: the Jinja2 check is wrong", len(files))
	}
}
