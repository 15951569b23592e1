package flowfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxIncludeDepth stops runaway nesting that the loop check cannot see
// (the same file reached through different symlinks, say).
const maxIncludeDepth = 50

// includer inlines `%include` lines, the first processing stage.
//
// As in Cylc (parsec/include.py), every include path is resolved against the
// workflow directory, also inside included files: a nested include is NOT
// relative to the file that contains it. Cylc has no loop check (it recurses
// until Python gives up); here a loop is reported with its chain.
type includer struct {
	dir   string   // workflow directory that include paths are joined to
	chain []string // files being inlined, outermost first, as shown to users
	keys  []string // the same files as cleaned absolute paths, to spot loops
	out   []Line
}

// inlineIncludes is the first stage, for the lines of the file top.
func inlineIncludes(dir, top string, lines []Line) ([]Line, error) {
	if !slices.ContainsFunc(lines, func(l Line) bool { return strings.Contains(l.Text, "%include") }) {
		return lines, nil // the common case: nothing to copy
	}
	in := &includer{dir: dir, chain: []string{top}, keys: []string{absKey(top)}, out: make([]Line, 0, len(lines))}
	if err := in.inline(lines); err != nil {
		return nil, err
	}
	return in.out, nil
}

// absKey identifies a file for loop detection.
func absKey(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// inline appends lines to in.out, replacing each %include line by the
// (recursively inlined) lines of the file it names.
func (in *includer) inline(lines []Line) error {
	for _, l := range lines {
		target, isInclude, err := matchInclude(l)
		if err != nil {
			return err
		}
		if !isInclude {
			in.out = append(in.out, l)
			continue
		}
		if err := in.include(l, target); err != nil {
			return err
		}
	}
	return nil
}

func (in *includer) include(at Line, target string) error {
	if target == "" {
		return errorAt(at, "%include without a file path", "write %include path/to/file.cylc (relative to the workflow directory)")
	}
	path := target
	if !filepath.IsAbs(path) {
		path = filepath.Join(in.dir, target)
	}
	key := absKey(path)
	for i, k := range in.keys {
		if k == key {
			loop := append(append([]string{}, in.chain[i:]...), path)
			return errorAt(at, "include loop: "+strings.Join(loop, " includes "),
				"a file must not include itself, directly or through other files")
		}
	}
	if len(in.chain) > maxIncludeDepth {
		return errorAt(at, fmt.Sprintf("%%include files nested more than %d deep", maxIncludeDepth), "")
	}
	// Like Cylc (os.path.isfile), only regular files are included: this also
	// keeps "%include /dev/zero" from reading forever.
	st, err := os.Stat(path)
	if err == nil && !st.Mode().IsRegular() {
		what := "not a regular file"
		if st.IsDir() {
			what = "a directory, not a file"
		}
		return errorAt(at, "include path is "+what+": "+path, "")
	}
	var src []byte
	if err == nil {
		src, err = os.ReadFile(path)
	}
	if err != nil {
		return in.readError(at, target, path, err)
	}
	lines, err := splitSource(path, src)
	if err != nil {
		return err
	}
	in.chain = append(in.chain, path)
	in.keys = append(in.keys, key)
	err = in.inline(lines)
	in.chain = in.chain[:len(in.chain)-1]
	in.keys = in.keys[:len(in.keys)-1]
	return err
}

// readError explains why an include file could not be read. The commonest
// surprise is a nested include written relative to its own file, so when
// that file exists the hint says how Cylc resolves the path.
func (in *includer) readError(at Line, target, path string, err error) error {
	var msg, hint string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = fmt.Sprintf("include file not found: %s", path)
		if len(in.chain) > 1 {
			msg += " (included from " + strings.Join(reversed(in.chain), ", from ") + ")"
		}
		hint = "%include paths are relative to the workflow directory " + in.dir
		if in.dir == "" {
			hint = "%include paths are relative to the workflow directory"
		}
		if !filepath.IsAbs(target) {
			near := filepath.Join(filepath.Dir(at.Pos.File), target)
			if st, e := os.Stat(near); e == nil && !st.IsDir() && absKey(near) != absKey(path) {
				if rel, e := filepath.Rel(in.dir, near); e == nil && !strings.HasPrefix(rel, "..") {
					hint = fmt.Sprintf("did you mean %%include %s? Paths are relative to the workflow directory, not to the including file", rel)
				} else {
					hint = fmt.Sprintf("%s exists, but %%include paths are relative to the workflow directory, not to the including file", near)
				}
			}
		}
	default:
		msg = "cannot read include file: " + err.Error()
	}
	e := errorAt(at, msg, hint)
	e.cause = err
	return e
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// matchInclude recognises Cylc's include line,
//
//	\s*%include\s+(['"]?)(.*?)(['"]?)\s*$
//
// and returns the path it names. Quotes are optional but must pair up when
// an opening one is given; a closing quote alone is just dropped, as in Cylc.
func matchInclude(l Line) (target string, ok bool, err error) {
	rest, found := strings.CutPrefix(trimLeftSpace(l.Text), "%include")
	if !found {
		return "", false, nil
	}
	afterKeyword := trimLeftSpace(rest)
	if len(afterKeyword) == len(rest) {
		return "", false, nil // "%includefoo", or "%include" with nothing after it
	}
	rest = afterKeyword
	var q1, q2 string
	if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
		q1, rest = rest[:1], rest[1:]
	}
	rest = trimRightSpace(rest)
	if n := len(rest); n > 0 && (rest[n-1] == '\'' || rest[n-1] == '"') {
		q2, rest = rest[n-1:], rest[:n-1]
	}
	if q1 != "" && q1 != q2 {
		return "", false, errorAt(l, "mismatched quotes in %include",
			"write %include "+q1+strings.TrimSpace(rest)+q1+", or leave the path unquoted")
	}
	return rest, true, nil
}
