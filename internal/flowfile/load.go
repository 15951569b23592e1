package flowfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Workflow definition file names: Cylc 8's, and Cylc 7's, which switches on
// Cylc 7 back-compatibility mode.
const (
	flowFile = "flow.cylc"
	suiteRC  = "suite.rc"
)

// Options for Load and Parse.
type Options struct {
	// Template renders a Jinja2 template; nil means Jinja2 files are an
	// error ("Jinja2 support not configured"). The loader does not import a
	// Jinja2 implementation itself so that it stays small and pure; the
	// caller wires one in.
	//
	// name is the file path for messages, dir the workflow directory and src
	// the text after %include inlining, starting with the #!Jinja2 line;
	// like Cylc, the renderer must leave that line out of the template (and
	// of its output). If the error returned implements
	// interface{ TemplateLine() int }, that line of src (the header being
	// line 1) is reported, traced back through %include.
	Template func(name, dir, src string) (string, error)
}

// File is a loaded workflow definition.
type File struct {
	Path   string   // the flow.cylc / suite.rc path that was loaded
	Dir    string   // the workflow directory
	Cylc7  bool     // loaded from suite.rc: the config layer applies Cylc 7 back-compat
	Jinja2 bool     // the file started with a #!Jinja2 line
	Root   *Section // the merged tree
	Lines  []Line   // the processed lines (after include, template, continuation)
}

// Line is one processed line and the best known origin of it.
type Line struct {
	Text string
	Pos  Pos
}

// Load reads path: a directory holding flow.cylc (preferred) or suite.rc,
// or the file itself.
//
// As in Cylc, a directory holding both files is an error unless flow.cylc is
// a symlink to the suite.rc beside it (the documented way to move a Cylc 7
// workflow to Cylc 8 gradually); the file is in Cylc 7 mode when it resolves
// to a suite.rc.
func Load(path string, opts Options) (*File, error) {
	file, err := locate(path)
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, &Error{Pos: Pos{File: file}, Msg: "cannot read the workflow file: " + unwrapPath(err), cause: err}
	}
	f, err := Parse(file, filepath.Dir(file), src, opts)
	if err != nil {
		return nil, err
	}
	if resolved, err := filepath.EvalSymlinks(file); err == nil {
		f.Cylc7 = filepath.Base(resolved) == suiteRC
	}
	return f, nil
}

// locate finds the workflow file for a Load path.
func locate(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", &Error{Pos: Pos{File: path}, Msg: "cannot load workflow: " + unwrapPath(err), cause: err}
	}
	if !st.IsDir() {
		return path, nil
	}
	flow := filepath.Join(path, flowFile)
	suite := filepath.Join(path, suiteRC)
	hasFlow, hasSuite := isFile(flow), isFile(suite)
	switch {
	case hasFlow && hasSuite:
		if sameFile(flow, suite) {
			return flow, nil
		}
		return "", &Error{
			Pos:  Pos{File: path},
			Msg:  "both flow.cylc and suite.rc are present",
			Hint: "remove one of them (flow.cylc may be a symlink to suite.rc)",
		}
	case hasFlow:
		return flow, nil
	case hasSuite:
		return suite, nil
	}
	return "", &Error{Pos: Pos{File: path}, Msg: "no flow.cylc or suite.rc in this directory"}
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// sameFile reports whether link resolves to target (Cylc permits flow.cylc
// -> suite.rc in the same directory).
func sameFile(link, target string) bool {
	a, err1 := filepath.EvalSymlinks(link)
	b, err2 := filepath.EvalSymlinks(target)
	return err1 == nil && err2 == nil && a == b
}

// unwrapPath drops the "op path:" prefix of a *fs.PathError: the path is
// already at the front of the message.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse parses already-read text as the file name (used in messages; a
// name ending in suite.rc sets Cylc7). %include paths are resolved against
// dir, as Load resolves them against the workflow directory. The stages run
// in Cylc's order: inline includes, Jinja2 (when the first line is
// #!Jinja2), join continuation lines, parse.
func Parse(name, dir string, src []byte, opts Options) (*File, error) {
	lines, err := splitSource(name, src)
	if err != nil {
		return nil, err
	}
	if lines, err = inlineIncludes(dir, name, lines); err != nil {
		return nil, err
	}

	f := &File{Path: name, Dir: dir, Cylc7: filepath.Base(name) == suiteRC}
	if len(lines) > 0 && hasJinja2Hashbang(lines[0].Text) {
		f.Jinja2 = true
		if lines, err = renderJinja2(name, dir, lines, opts.Template); err != nil {
			return nil, err
		}
	}
	if lines, err = joinContinuations(lines); err != nil {
		return nil, err
	}
	// Untraceable Jinja2 output lines are numbered as processed lines, the
	// numbering a user sees in a listing of File.Lines.
	for i := range lines {
		if lines[i].Pos.AfterJinja2 {
			lines[i].Pos.Line = i + 1
		}
	}
	if f.Root, err = buildTree(lines, f.Jinja2); err != nil {
		return nil, err
	}
	f.Lines = lines
	return f, nil
}
