// Package rundir manages the run root: installing a workflow source
// directory as a new numbered run (NAME/runN, with a runN link to the
// latest, as Cylc lays out ~/cylc-run) and resolving the names users give
// on the command line to run directories.
package rundir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Root returns the run root: $GYRE_RUN_ROOT, or ~/gyre-run.
func Root(getenv func(string) string) (string, error) {
	if r := getenv("GYRE_RUN_ROOT"); r != "" {
		return filepath.Abs(r)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the run root: set GYRE_RUN_ROOT (%w)", err)
	}
	return filepath.Join(home, "gyre-run"), nil
}

// LatestLink is the name of the link to the newest run of a workflow.
const LatestLink = "runN"

var runRe = regexp.MustCompile(`^run([0-9]+)$`)

// skipped are source entries that are never installed: version control,
// and the directories a run makes for itself.
var skipped = map[string]bool{
	".git": true, ".svn": true, "log": true, "work": true, "share": true,
	".service": true, LatestLink: true,
}

// Install copies the workflow source directory src to a new run
// ROOT/NAME/runN (N one more than the highest so far), points the runN
// link at it and returns the run's ID ("NAME/runN") and directory. name
// defaults to the source directory's base name.
func Install(root, src, name string) (id, dir string, err error) {
	src, err = filepath.Abs(src)
	if err != nil {
		return "", "", err
	}
	if st, err := os.Stat(src); err != nil {
		return "", "", fmt.Errorf("workflow source %s: %w", src, err)
	} else if !st.IsDir() {
		src = filepath.Dir(src)
	}
	if name == "" {
		name = filepath.Base(src)
	}
	if err := checkName(name); err != nil {
		return "", "", err
	}
	wdir := filepath.Join(root, name)
	if err := os.MkdirAll(wdir, 0o755); err != nil {
		return "", "", err
	}
	n, err := nextRun(wdir)
	if err != nil {
		return "", "", err
	}
	run := "run" + strconv.Itoa(n)
	dir = filepath.Join(wdir, run)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", "", err
	}
	if err := copyTree(src, dir); err != nil {
		return "", "", fmt.Errorf("installing %s: %w", src, err)
	}
	link := filepath.Join(wdir, LatestLink)
	tmp := link + ".new"
	os.Remove(tmp)
	if err := os.Symlink(run, tmp); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, link); err != nil {
		return "", "", err
	}
	return name + "/" + run, dir, nil
}

func checkName(name string) error {
	if strings.HasPrefix(name, "/") || strings.Contains(name, "..") || strings.ContainsAny(name, " \t\n") {
		return fmt.Errorf("invalid workflow name %q: use letters, digits, '-', '_', '.' and '/' between names", name)
	}
	return nil
}

func nextRun(wdir string) (int, error) {
	entries, err := os.ReadDir(wdir)
	if err != nil {
		return 0, err
	}
	highest := 0
	for _, e := range entries {
		if m := runRe.FindStringSubmatch(e.Name()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n > highest {
				highest = n
			}
		}
	}
	return highest + 1, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "." {
			return nil
		}
		if skipped[strings.SplitN(rel, string(filepath.Separator), 2)[0]] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			l, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		case d.Type().IsRegular():
			return copyFile(path, target)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Resolve turns a workflow ID as users write it — NAME (its latest run),
// NAME/runN or NAME/runN with a trailing slash — into the run's ID and
// directory under root.
func Resolve(root, id string) (string, string, error) {
	id = strings.Trim(id, "/")
	if id == "" {
		return "", "", errors.New("no workflow ID given")
	}
	dir := filepath.Join(root, id)
	base := filepath.Base(id)
	if !runRe.MatchString(base) {
		link := filepath.Join(dir, LatestLink)
		target, err := os.Readlink(link)
		if err != nil {
			if _, serr := os.Stat(filepath.Join(dir, "flow.cylc")); serr == nil {
				return id, dir, nil // a run directory without numbered runs
			}
			return "", "", fmt.Errorf("workflow %s not found in %s%s", id, root, suggest(root, id))
		}
		id = id + "/" + target
		dir = filepath.Join(dir, target)
	}
	if _, err := os.Stat(dir); err != nil {
		return "", "", fmt.Errorf("workflow %s not found in %s%s", id, root, suggest(root, id))
	}
	return id, dir, nil
}

func suggest(root, id string) string {
	entries, err := os.ReadDir(root)
	if err != nil || len(entries) == 0 {
		return ""
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) > 8 {
		names = names[:8]
	}
	return "\n  hint: installed workflows: " + strings.Join(names, ", ")
}
