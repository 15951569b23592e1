package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstallNumbersRunsAndLinksTheLatest(t *testing.T) {
	root, src := t.TempDir(), filepath.Join(t.TempDir(), "forecast")
	for _, f := range []string{"flow.cylc", "bin/tool", "log/old", ".git/HEAD"} {
		p := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{"forecast/run1", "forecast/run2"} {
		id, dir, err := Install(root, src, "")
		if err != nil {
			t.Fatal(err)
		}
		if id != want || dir != filepath.Join(root, want) {
			t.Fatalf("install %d: %s at %s", i+1, id, dir)
		}
		if _, err := os.Stat(filepath.Join(dir, "bin/tool")); err != nil {
			t.Errorf("bin/tool not installed: %v", err)
		}
		for _, skipped := range []string{"log", ".git"} {
			if _, err := os.Stat(filepath.Join(dir, skipped)); err == nil {
				t.Errorf("%s should not be installed", skipped)
			}
		}
	}
	id, dir, err := Resolve(root, "forecast")
	if err != nil || id != "forecast/run2" || dir != filepath.Join(root, "forecast/run2") {
		t.Fatalf("Resolve(forecast) = %s, %s, %v", id, dir, err)
	}
	if id, _, err := Resolve(root, "forecast/run1/"); err != nil || id != "forecast/run1" {
		t.Fatalf("Resolve(forecast/run1/) = %s, %v", id, err)
	}
}

func TestInstallNamesAndErrors(t *testing.T) {
	root, src := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "flow.cylc"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if id, _, err := Install(root, filepath.Join(src, "flow.cylc"), "nwp/global"); err != nil || id != "nwp/global/run1" {
		t.Fatalf("install by file with a hierarchical name: %s, %v", id, err)
	}
	if _, _, err := Install(root, src, "../escape"); err == nil || !strings.Contains(err.Error(), "invalid workflow name") {
		t.Errorf("want an invalid-name error, got %v", err)
	}
	_, _, err := Resolve(root, "nwp/globle")
	if err == nil || !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), "hint: installed workflows: nwp") {
		t.Errorf("want a not-found error with a hint, got %v", err)
	}
}

func TestRootFromEnvironment(t *testing.T) {
	got, err := Root(func(k string) string {
		if k == "GYRE_RUN_ROOT" {
			return "/tmp/somewhere"
		}
		return ""
	})
	if err != nil || got != "/tmp/somewhere" {
		t.Errorf("Root = %s, %v", got, err)
	}
	def, err := Root(func(string) string { return "" })
	if err != nil || !strings.HasSuffix(def, "gyre-run") {
		t.Errorf("default root = %s, %v", def, err)
	}
}
