package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// parseRmDirs reads --rm values: colon-separated relative paths or globs,
// a trailing slash meaning directories only.
func parseRmDirs(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for part := range strings.SplitSeq(v, ":") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			dirOnly := strings.HasSuffix(part, "/")
			clean := filepath.Clean(part)
			switch {
			case filepath.IsAbs(clean):
				return nil, fmt.Errorf("--rm=%s: --rm option cannot take absolute paths", part)
			case clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
				return nil, fmt.Errorf("--rm=%s: --rm option cannot take paths that point to the run directory or above", part)
			}
			if dirOnly {
				clean += "/"
			}
			if !slices.Contains(out, clean) {
				out = append(out, clean)
			}
		}
	}
	return out, nil
}

// cleanGlob removes what pattern matches in the run directory. A
// symlinked directory in (or at) a match goes with its target.
func cleanGlob(runDir, pattern string, links map[string]string, stderr io.Writer) error {
	matches, err := globRunDir(runDir, pattern, links)
	if err != nil {
		return err
	}
	if len(matches) == 0 {
		fmt.Fprintf(stderr, "INFO - No files matching '%s' in %s\n", pattern, runDir)
		return nil
	}
	for _, d := range symlinkDirs {
		target, ok := links[d]
		link := filepath.Join(runDir, d)
		if st, err := os.Lstat(link); !ok || err != nil || st.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if !slices.ContainsFunc(matches, func(m string) bool { return within(link, m) }) {
			continue
		}
		if err := removeLinkAndTarget(link, target, stderr); err != nil {
			return err
		}
		if d == "" {
			return nil // the run directory itself has gone
		}
		matches = slices.DeleteFunc(matches, func(m string) bool { return m == link })
	}
	for _, m := range matches {
		st, err := os.Lstat(m)
		switch {
		case err != nil:
			continue // went with a symlinked directory
		case st.Mode()&fs.ModeSymlink != 0:
			fmt.Fprintf(stderr, "INFO - Removing symlink: %s\n", m)
		case st.IsDir():
			fmt.Fprintf(stderr, "INFO - Removing directory: %s\n", m)
		default:
			fmt.Fprintf(stderr, "INFO - Removing file: %s\n", m)
		}
		if err := os.RemoveAll(m); err != nil {
			return err
		}
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// globRunDir expands a --rm pattern in the run directory as Python's
// recursive glob does for Cylc: "*", "?" and "[...]" within a name (not
// matching a leading "." unless the pattern has one), "**" for any number
// of directories, a trailing "/" for directories only. Symlinks other than
// the symlinked run directories are not followed, a match's own contents
// are not listed again, and the run directory itself is never a match.
func globRunDir(runDir, pattern string, links map[string]string) ([]string, error) {
	dirOnly := strings.HasSuffix(pattern, "/")
	segs := strings.Split(strings.TrimSuffix(pattern, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(s, "[!", "[^") // fnmatch's negation
		if _, err := filepath.Match(segs[i], ""); err != nil {
			return nil, fmt.Errorf("--rm=%s: bad glob: %v", pattern, err)
		}
	}
	traversable := func(p string) bool {
		st, err := os.Lstat(p)
		if err != nil {
			return false
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			rel, _ := filepath.Rel(runDir, p)
			if _, ok := links[filepath.ToSlash(rel)]; !ok {
				return false
			}
			st, err = os.Stat(p)
		}
		return err == nil && st.IsDir()
	}
	found := map[string]bool{}
	var walk func(dir string, segs []string)
	walk = func(dir string, segs []string) {
		if len(segs) == 0 {
			if dir != runDir {
				found[dir] = true
			}
			return
		}
		seg, rest := segs[0], segs[1:]
		if seg == "**" {
			walk(dir, rest)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") && !strings.HasPrefix(seg, ".") {
				continue
			}
			p := filepath.Join(dir, name)
			switch ok, _ := filepath.Match(seg, name); {
			case seg == "**":
				if traversable(p) {
					walk(p, segs)
				} else if len(rest) == 0 {
					found[p] = true
				}
			case !ok:
			case len(rest) == 0:
				found[p] = true
			case traversable(p):
				walk(p, rest)
			}
		}
	}
	walk(runDir, segs)
	var matches []string
	for p := range found {
		if dirOnly {
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				continue
			}
		}
		matches = append(matches, p)
	}
	// A match inside another goes with it.
	kept := map[string]bool{}
	for _, m := range matches {
		kept[m] = true
	}
	matches = slices.DeleteFunc(matches, func(m string) bool {
		for d := filepath.Dir(m); d != runDir && within(d, runDir); d = filepath.Dir(d) {
			if kept[d] {
				return true
			}
		}
		return false
	})
	slices.Sort(matches)
	return matches, nil
}
