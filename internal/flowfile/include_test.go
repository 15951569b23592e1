package flowfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles creates files (path relative to dir -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// posDump lists each processed line as "file:line text", with file
// relative to dir, for checking where included lines come from.
func posDump(dir string, lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		file := l.Pos.File
		if rel, err := filepath.Rel(dir, file); err == nil {
			file = rel
		}
		fmt.Fprintf(&b, "%s:%d %s\n", file, l.Pos.Line, l.Text)
	}
	return b.String()
}

func TestInclude(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // flow.cylc plus included files
		tree  string
		lines string
	}{
		{
			name: "nested includes resolve against the workflow directory (Cylc's include-files test)",
			files: map[string]string{
				"flow.cylc":           "[meta]\n    title = \"nested\"\n\n%include inc/body.cylc\n[end]\n",
				"inc/body.cylc":       "%include inc/scheduling.cylc\n%include 'inc/runtime.cylc'\n",
				"inc/scheduling.cylc": "[scheduling]\n    [[graph]]\n        R1 = foo\n",
				"inc/runtime.cylc":    "[runtime]\n    [[root]]\n        script = \"echo Hello World\"\n",
			},
			tree: "[meta]@1\n  title = \"\\\"nested\\\"\"@2\n[scheduling]@1\n  [graph]@2\n    R1 = \"foo\"@3\n[runtime]@1\n  [root]@2\n    script = \"\\\"echo Hello World\\\"\"@3\n[end]@5\n",
			lines: "flow.cylc:1 [meta]\nflow.cylc:2     title = \"nested\"\nflow.cylc:3 \n" +
				"inc/scheduling.cylc:1 [scheduling]\ninc/scheduling.cylc:2     [[graph]]\ninc/scheduling.cylc:3         R1 = foo\n" +
				"inc/runtime.cylc:1 [runtime]\ninc/runtime.cylc:2     [[root]]\ninc/runtime.cylc:3         script = \"echo Hello World\"\n" +
				"flow.cylc:5 [end]\n",
		},
		{
			name: "quoting styles and surrounding whitespace (Cylc's 08-whitespace)",
			files: map[string]string{
				"flow.cylc": "[a]\n  %include \"x.cylc\"   \n%include   y.cylc\t\n",
				"x.cylc":    "x = 1\n",
				"y.cylc":    "\ufeffy = 2\r\n",
			},
			tree:  "[a]@1\n  x = \"1\"@1\n  y = \"2\"@1\n",
			lines: "flow.cylc:1 [a]\nx.cylc:1 x = 1\ny.cylc:1 y = 2\n",
		},
		{
			name: "an include inside a multi-line value is still inlined",
			files: map[string]string{
				"flow.cylc": "[a]\nscript = \"\"\"\n%include body.sh\n\"\"\"\n",
				"body.sh":   "echo 1\necho 2\n",
			},
			tree:  "[a]@1\n  script = \"\\\"\\\"\\\"\\necho 1\\necho 2\\n\\\"\\\"\\\"\"@2\n",
			lines: "flow.cylc:1 [a]\nflow.cylc:2 script = \"\"\"\nbody.sh:1 echo 1\nbody.sh:2 echo 2\nflow.cylc:4 \"\"\"\n",
		},
		{
			name: "continuation across an include boundary reports its first line",
			files: map[string]string{
				"flow.cylc": "[a]\nx = one \\\n%include more.cylc\n",
				"more.cylc": "two\n",
			},
			tree:  "[a]@1\n  x = \"one two\"@2\n",
			lines: "flow.cylc:1 [a]\nflow.cylc:2 x = one two\n",
		},
		{
			name: "the same file may be included twice",
			files: map[string]string{
				"flow.cylc": "[a]\n%include x.cylc\n[b]\n%include x.cylc\n",
				"x.cylc":    "v = 1\n",
			},
			tree:  "[a]@1\n  v = \"1\"@1\n[b]@3\n  v = \"1\"@1\n",
			lines: "flow.cylc:1 [a]\nx.cylc:1 v = 1\nflow.cylc:3 [b]\nx.cylc:1 v = 1\n",
		},
		{
			name:  "an empty include file",
			files: map[string]string{"flow.cylc": "[a]\n%include empty.cylc\n", "empty.cylc": ""},
			tree:  "[a]@1\n",
			lines: "flow.cylc:1 [a]\n",
		},
		{
			name:  "a commented-out include is a comment",
			files: map[string]string{"flow.cylc": "[a]\n# %include missing.cylc\n"},
			tree:  "[a]@1\n",
			lines: "flow.cylc:1 [a]\nflow.cylc:2 # %include missing.cylc\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			f, err := Load(dir, Options{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := dump(f.Root); got != tc.tree {
				t.Errorf("tree\n got:\n%s\nwant:\n%s", got, tc.tree)
			}
			if got := posDump(dir, f.Lines); got != tc.lines {
				t.Errorf("lines\n got:\n%s\nwant:\n%s", got, tc.lines)
			}
		})
	}
}

func TestIncludeAbsolutePath(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	abs := filepath.Join(elsewhere, "shared.cylc")
	writeFiles(t, elsewhere, map[string]string{"shared.cylc": "[shared]\nx = 1\n"})
	writeFiles(t, dir, map[string]string{"flow.cylc": "%include " + abs + "\n"})
	f, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(f.Root), "[shared]@1\n  x = \"1\"@2\n"; got != want {
		t.Errorf("tree\n got:\n%s\nwant:\n%s", got, want)
	}
	if f.Lines[0].Pos.File != abs {
		t.Errorf("included line from %q, want %q", f.Lines[0].Pos.File, abs)
	}
}

func TestIncludeErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		file  string // file of the error, relative to the workflow dir
		line  int
		want  string // Error() with the workflow directory written as DIR
	}{
		{
			name:  "missing file",
			files: map[string]string{"flow.cylc": "[a]\n%include foo.cylc\n"},
			file:  "flow.cylc", line: 2,
			want: "DIR/flow.cylc:2: include file not found: DIR/foo.cylc: \"%include foo.cylc\"\n" +
				"  hint: %include paths are relative to the workflow directory DIR",
		},
		{
			name: "missing nested file reports the chain (Cylc's 09-include-missing)",
			files: map[string]string{
				"flow.cylc": "%include foo.cylc\n",
				"foo.cylc":  "# comment\n%include bar.cylc\n",
			},
			file: "foo.cylc", line: 2,
			want: "DIR/foo.cylc:2: include file not found: DIR/bar.cylc (included from DIR/foo.cylc, from DIR/flow.cylc): \"%include bar.cylc\"\n" +
				"  hint: %include paths are relative to the workflow directory DIR",
		},
		{
			name: "nested path written relative to the including file",
			files: map[string]string{
				"flow.cylc":  "%include inc/a.cylc\n",
				"inc/a.cylc": "%include b.cylc\n",
				"inc/b.cylc": "x = 1\n",
			},
			file: "inc/a.cylc", line: 1,
			want: "DIR/inc/a.cylc:1: include file not found: DIR/b.cylc (included from DIR/inc/a.cylc, from DIR/flow.cylc): \"%include b.cylc\"\n" +
				"  hint: did you mean %include inc/b.cylc? Paths are relative to the workflow directory, not to the including file",
		},
		{
			name:  "a file including itself",
			files: map[string]string{"flow.cylc": "[a]\n%include flow.cylc\n"},
			file:  "flow.cylc", line: 2,
			want: "DIR/flow.cylc:2: include loop: DIR/flow.cylc includes DIR/flow.cylc: \"%include flow.cylc\"\n" +
				"  hint: a file must not include itself, directly or through other files",
		},
		{
			name: "an include cycle",
			files: map[string]string{
				"flow.cylc": "%include a.cylc\n",
				"a.cylc":    "%include b.cylc\n",
				"b.cylc":    "x = 1\n%include ./a.cylc\n",
			},
			file: "b.cylc", line: 2,
			want: "DIR/b.cylc:2: include loop: DIR/a.cylc includes DIR/b.cylc includes DIR/a.cylc: \"%include ./a.cylc\"\n" +
				"  hint: a file must not include itself, directly or through other files",
		},
		{
			name:  "including a directory",
			files: map[string]string{"flow.cylc": "%include sub\n", "sub/x": ""},
			file:  "flow.cylc", line: 1,
			want: "DIR/flow.cylc:1: include path is a directory, not a file: DIR/sub: \"%include sub\"",
		},
		{
			name: "syntax error inside an included file",
			files: map[string]string{
				"flow.cylc": "[a]\n%include x.cylc\n",
				"x.cylc":    "ok = 1\nnot ok\n",
			},
			file: "x.cylc", line: 2,
			want: "DIR/x.cylc:2: invalid line: \"not ok\"\n" +
				"  hint: expected a [section] heading, a \"key = value\" setting or a # comment",
		},
		{
			name: "bad UTF-8 inside an included file",
			files: map[string]string{
				"flow.cylc": "[a]\n%include x.cylc\n",
				"x.cylc":    "a = 1\nb = \xc3\x28\n",
			},
			file: "x.cylc", line: 2,
			want: "DIR/x.cylc:2: the file is not valid UTF-8 text\n  hint: save the file with UTF-8 encoding",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			_, err := Load(dir, Options{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Load error = %v, want *Error", err)
			}
			if want := filepath.Join(dir, tc.file); e.Pos.File != want || e.Pos.Line != tc.line {
				t.Errorf("Pos = %v, want %s:%d", e.Pos, want, tc.line)
			}
			if got := strings.ReplaceAll(err.Error(), dir, "DIR"); got != tc.want {
				t.Errorf("Error()\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestIncludeMissingIsNotExist(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"flow.cylc": "%include gone.cylc\n"})
	_, err := Load(dir, Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
}
