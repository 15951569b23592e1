package flowfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadLocatesTheWorkflowFile(t *testing.T) {
	const flow, suite = "[which]\nfile = flow\n", "[which]\nfile = suite\n"
	tests := []struct {
		name     string
		files    map[string]string
		symlinks map[string]string // link name -> target
		arg      string            // relative to the temp dir
		wantFile string            // relative path of File.Path, "" for an error
		cylc7    bool
		wantErr  string // Error() with the temp dir written as DIR
	}{
		{name: "directory with flow.cylc", files: map[string]string{"flow.cylc": flow},
			arg: ".", wantFile: "flow.cylc"},
		{name: "directory with suite.rc is Cylc 7", files: map[string]string{"suite.rc": suite},
			arg: ".", wantFile: "suite.rc", cylc7: true},
		{name: "the file itself", files: map[string]string{"other.cylc": flow},
			arg: "other.cylc", wantFile: "other.cylc"},
		{name: "a suite.rc named directly", files: map[string]string{"suite.rc": suite},
			arg: "suite.rc", wantFile: "suite.rc", cylc7: true},
		{name: "flow.cylc symlinked to suite.rc is allowed, in Cylc 7 mode",
			files: map[string]string{"suite.rc": suite}, symlinks: map[string]string{"flow.cylc": "suite.rc"},
			arg: ".", wantFile: "flow.cylc", cylc7: true},
		{name: "flow.cylc symlinked elsewhere", files: map[string]string{"real/flow.cylc": flow},
			symlinks: map[string]string{"flow.cylc": "real/flow.cylc"},
			arg:      ".", wantFile: "flow.cylc"},
		{name: "both files present", files: map[string]string{"flow.cylc": flow, "suite.rc": suite},
			arg: ".", wantErr: "DIR: both flow.cylc and suite.rc are present\n  hint: remove one of them (flow.cylc may be a symlink to suite.rc)"},
		{name: "flow.cylc symlinked elsewhere beside a suite.rc",
			files:    map[string]string{"real/flow.cylc": flow, "suite.rc": suite},
			symlinks: map[string]string{"flow.cylc": "real/flow.cylc"},
			arg:      ".", wantErr: "DIR: both flow.cylc and suite.rc are present\n  hint: remove one of them (flow.cylc may be a symlink to suite.rc)"},
		{name: "empty directory", arg: ".", wantErr: "DIR: no flow.cylc or suite.rc in this directory"},
		{name: "missing path", arg: "nope", wantErr: "DIR/nope: cannot load workflow: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			for link, target := range tc.symlinks {
				if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
					t.Fatal(err)
				}
			}
			arg := filepath.Join(dir, tc.arg)
			f, err := Load(arg, Options{})
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Load succeeded, want error %q", tc.wantErr)
				}
				if got := strings.ReplaceAll(err.Error(), dir, "DIR"); got != tc.wantErr {
					t.Errorf("Error()\n got: %s\nwant: %s", got, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if want := filepath.Join(dir, tc.wantFile); f.Path != want || f.Dir != filepath.Dir(want) {
				t.Errorf("Path, Dir = %q, %q; want %q", f.Path, f.Dir, want)
			}
			if f.Cylc7 != tc.cylc7 {
				t.Errorf("Cylc7 = %v, want %v", f.Cylc7, tc.cylc7)
			}
			wantWhich := "flow"
			if strings.HasSuffix(tc.wantFile, "suite.rc") || tc.cylc7 {
				wantWhich = "suite"
			}
			if got := f.Root.Lookup("which").Item("file").Value(); got != wantWhich {
				t.Errorf("loaded %q, want %q", got, wantWhich)
			}
			if f.Lines[0].Pos.File != f.Path {
				t.Errorf("positions name %q, want %q", f.Lines[0].Pos.File, f.Path)
			}
		})
	}
}
