package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree lists the paths under dir (links as "path -> target"), sorted.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			rel += " -> " + target
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func TestClean(t *testing.T) {
	run := map[string]string{
		"flow.cylc": "", "log/scheduler/log": "", "log/job/2020/a/01/job.out": "", "log/job/2021/a/01/job.out": "",
		"work/1/a/x.csv": "", "share/data/y.csv": "", "share/data/keep.txt": "", ".service/token": "",
	}
	for _, c := range []struct {
		name   string
		args   []string
		status int
		stdout string
		stderr []string
		after  []string // the run root's entries after, if checked
	}{
		{"several runs need --yes", []string{"demo"}, 1, "Would clean the following workflows:\n  demo/run1\n  demo/run2\n  demo/run10\n",
			[]string{"Use --yes to remove multiple workflows in non-interactive mode."}, nil},
		{"one run", []string{"demo/run1"}, 0, "", []string{"INFO - Removing directory: ROOT/demo/run1\n"}, nil},
		{"runN", []string{"demo/runN"}, 0, "", []string{"INFO - Removing directory: ROOT/demo/run10\n"}, nil},
		{"all runs", []string{"--yes", "demo"}, 0, "", []string{"ROOT/demo/run1\n", "ROOT/demo/run2\n", "ROOT/demo/run10\n", "INFO - Removing directory: ROOT/demo\n"},
			[]string{"flat", "other"}},
		{"glob", []string{"-y", "*/run1"}, 0, "", []string{"ROOT/demo/run1\n", "ROOT/other/run1\n", "INFO - Removing directory: ROOT/other\n"}, nil},
		{"glob across levels", []string{"-y", "dem*"}, 0, "", []string{"ROOT/demo/run1\n", "ROOT/demo/run2\n", "ROOT/demo/run10\n"}, []string{"flat", "other"}},
		{"flat workflow", []string{"flat"}, 0, "", []string{"INFO - Removing directory: ROOT/flat\n"}, nil},
		{"not installed", []string{"nosuch"}, 0, "", []string{"INFO - No directory to clean at ROOT/nosuch (nosuch is not installed)\n  hint: installed workflows: demo/run1, demo/run2, demo/run10, flat, other/run1"}, nil},
		{"glob matching nothing", []string{"zz*"}, 0, "", []string{"WARNING - No stopped workflows matching zz*"}, nil},
		{"--rm", []string{"demo/run2", "--rm", "log/job/2020*:work", "--rm", "**/*.csv"}, 0, "", []string{
			"INFO - Removing directory: ROOT/demo/run2/log/job/2020\n", "INFO - Removing directory: ROOT/demo/run2/work\n",
			"INFO - Removing file: ROOT/demo/run2/share/data/y.csv\n"}, nil},
		{"--rm of hidden files needs a dot", []string{"demo/run2", "--rm", "*", "--rm", ".serv*"}, 0, "", []string{"ROOT/demo/run2/.service\n", "ROOT/demo/run2/flow.cylc\n"}, nil},
		{"--rm directories only", []string{"demo/run2", "--rm", "*/"}, 0, "", []string{"INFO - Removing directory: ROOT/demo/run2/log\n", "INFO - Removing directory: ROOT/demo/run2/share\n"}, nil},
		{"--rm matching nothing", []string{"demo/run2", "--rm", "nothing*"}, 0, "", []string{"INFO - No files matching 'nothing*' in ROOT/demo/run2"}, nil},
		{"--rm .", []string{"demo/run2", "--rm", "."}, 1, "", []string{"--rm option cannot take paths that point to the run directory or above"}, nil},
		{"--rm ..", []string{"demo/run2", "--rm", "log/../.."}, 1, "", []string{"--rm option cannot take paths that point to the run directory or above"}, nil},
		{"--rm absolute", []string{"demo/run2", "--rm", "/tmp"}, 1, "", []string{"--rm option cannot take absolute paths"}, nil},
		{"--rm bad glob", []string{"demo/run2", "--rm", "[x"}, 1, "", []string{"bad glob"}, nil},
		{"local and remote", []string{"--local", "--remote", "demo/run1"}, 1, "", []string{"--local and --remote options are mutually exclusive"}, nil},
		// No run database: no job went anywhere, so nothing is removed.
		{"remote only", []string{"--remote-only", "demo/run1"}, 0, "", nil, []string{"demo", "flat", "other"}},
		{"remote only with --rm", []string{"--remote-only", "demo/run1", "--rm", "work"}, 1, "", []string{"--rm cleans the local run only"}, nil},
		{"bad ID", []string{"../x"}, 1, "", []string{"../x: invalid workflow ID"}, nil},
		{"no ID", nil, 1, "", []string{"requires at least 1 arg"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			t.Setenv("GYRE_RUN_ROOT", root)
			for _, r := range []string{"demo/run1", "demo/run2", "demo/run10", "other/run1"} {
				files := map[string]string{}
				for f, text := range run {
					files[filepath.Join(r, f)] = text
				}
				makeTree(t, root, files, nil)
			}
			makeTree(t, root, map[string]string{"flat/flow.cylc": ""}, map[string]string{"demo/runN": "run10", "other/runN": "run1"})
			status, stdout, stderr := runCLI(append([]string{"clean"}, c.args...)...)
			if status != c.status || stdout != c.stdout {
				t.Errorf("clean %s = %d %q, want %d %q\nstderr: %s", strings.Join(c.args, " "), status, stdout, c.status, c.stdout, stderr)
			}
			for _, want := range c.stderr {
				if want = strings.ReplaceAll(want, "ROOT", root); !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if c.after != nil {
				if got := dirNames(root); !slices.Equal(got, c.after) {
					t.Errorf("after: %q\nwant %q", got, c.after)
				}
			}
		})
	}
}

func TestCleanTidiesUp(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	makeTree(t, root, map[string]string{"a/b/run1/flow.cylc": "", "a/b/run2/flow.cylc": "", "a/b/_cylc-install/source": ""},
		map[string]string{"a/b/runN": "run2"})
	// Cleaning run1 leaves run2 and the runN link to it.
	if status, _, stderr := runCLI("clean", "a/b/run1"); status != 0 {
		t.Fatalf("clean a/b/run1: %d %s", status, stderr)
	}
	want := []string{"a", "a/b", "a/b/_cylc-install", "a/b/_cylc-install/source", "a/b/run2", "a/b/run2/flow.cylc", "a/b/runN -> run2"}
	if got := tree(t, root); !slices.Equal(got, want) {
		t.Errorf("after clean of run1: %q", got)
	}
	// Cleaning the last run removes its link, the lone _cylc-install
	// and the empty workflow directories.
	status, _, stderr := runCLI("clean", "a/b/run2")
	if got := tree(t, root); status != 0 || len(got) != 0 {
		t.Errorf("after clean of run2: %d %q\n%s", status, got, stderr)
	}
	if !strings.Contains(stderr, "INFO - Removing directory: "+filepath.Join(root, "a", "b", "_cylc-install")) {
		t.Errorf("stderr lacks the removal of _cylc-install:\n%s", stderr)
	}
}

// Symlinked directories go with their targets; a target not laid out as
// Cylc's "symlink dirs" are refuses the clean.
func TestCleanSymlinkDirs(t *testing.T) {
	tmp := t.TempDir()
	root, elsewhere := filepath.Join(tmp, "run"), filepath.Join(tmp, "scratch", "gyre-run")
	t.Setenv("GYRE_RUN_ROOT", root)
	makeTree(t, tmp, map[string]string{
		"run/demo/run1/flow.cylc":                   "",
		"scratch/gyre-run/demo/run1/log/db":         "",
		"scratch/gyre-run/demo/run1/work/1/a/out":   "",
		"scratch/gyre-run/other/run1/share/x":       "",
		"run/bad/run1/flow.cylc":                    "",
		"scratch/gyre-run/elsewhere/share/precious": "",
	}, map[string]string{
		"run/demo/run1/log":   filepath.Join(elsewhere, "demo/run1/log"),
		"run/demo/run1/work":  filepath.Join(elsewhere, "demo/run1/work"),
		"run/demo/run1/share": filepath.Join(elsewhere, "demo/run1/share-gone"),
		"run/bad/run1/share":  filepath.Join(elsewhere, "elsewhere/share"),
	})
	status, _, stderr := runCLI("clean", "--rm", "work", "demo/run1")
	if status != 0 || !strings.Contains(stderr, "INFO - Removing symlink and its target directory: "+filepath.Join(root, "demo/run1/work")+" -> "+filepath.Join(elsewhere, "demo/run1/work")) {
		t.Errorf("clean --rm work = %d:\n%s", status, stderr)
	}
	status, _, stderr = runCLI("clean", "demo/run1")
	if status != 0 || !strings.Contains(stderr, "INFO - Removing broken symlink: "+filepath.Join(root, "demo/run1/share")) {
		t.Errorf("clean = %d:\n%s", status, stderr)
	}
	want := []string{"bad", "bad/run1", "bad/run1/flow.cylc", "bad/run1/share -> " + filepath.Join(elsewhere, "elsewhere/share")}
	if got := tree(t, root); !slices.Equal(got, want) {
		t.Errorf("run root after: %q", got)
	}
	want = []string{"elsewhere", "elsewhere/share", "elsewhere/share/precious", "other", "other/run1", "other/run1/share", "other/run1/share/x"}
	if got := tree(t, elsewhere); !slices.Equal(got, want) {
		t.Errorf("symlink root after: %q", got)
	}
	status, _, stderr = runCLI("clean", "bad/run1")
	if status != 1 || !strings.Contains(stderr, "bad/run1: clean incomplete\n    invalid symlink at "+filepath.Join(root, "bad/run1/share")) ||
		!strings.Contains(stderr, `the target should end with "bad/run1/share"`) {
		t.Errorf("clean of a bad symlink = %d:\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "elsewhere/share/precious")); err != nil {
		t.Errorf("the bad symlink's target was touched: %v", err)
	}
}

// A contact file whose scheduler has gone is removed, with a note, and
// the workflow cleaned.
func TestCleanStaleContact(t *testing.T) {
	root := t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	makeTree(t, root, map[string]string{"stale/run1/flow.cylc": "", "stale/run1/.service/contact": staleContact(t)}, nil)
	status, _, stderr := runCLI("clean", "stale/run1")
	if status != 0 || !strings.Contains(stderr, "INFO - Removed contact file for stale/run1 (workflow no longer running).\nINFO - Removing directory: "+filepath.Join(root, "stale/run1")) {
		t.Errorf("clean = %d:\n%s", status, stderr)
	}
	if got := tree(t, root); len(got) != 0 {
		t.Errorf("left %q", got)
	}
}
