package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// brokenCase is what testdata/broken/*/expect.txt says about a workflow.
type brokenCase struct {
	stderr []string
	at     []string
	status int
}

func readExpect(t *testing.T, path string) brokenCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := brokenCase{status: 1}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ": ")
		switch {
		case !ok:
			t.Fatalf("%s:%d: want KEY: VALUE, got %q", path, n, line)
		case key == "stderr":
			c.stderr = append(c.stderr, strings.ReplaceAll(val, `\n`, "\n"))
		case key == "at":
			c.at = append(c.at, val)
		case key == "status":
			if c.status, err = strconv.Atoi(val); err != nil {
				t.Fatalf("%s:%d: bad status %q", path, n, val)
			}
		default:
			t.Fatalf("%s:%d: unknown key %q", path, n, key)
		}
	}
	if len(c.stderr) == 0 {
		t.Fatalf("%s: no stderr expectation", path)
	}
	return c
}

// TestBrokenWorkflows validates each workflow of testdata/broken and
// checks the exit status, the messages and their locations.
func TestBrokenWorkflows(t *testing.T) {
	dirs, err := filepath.Glob("testdata/broken/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want := readExpect(t, filepath.Join(dir, "expect.txt"))
			var out, errOut bytes.Buffer
			status := Run(context.Background(), []string{"validate", dir}, &out, &errOut)
			stderr := errOut.String()
			if status != want.status {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", status, want.status, stderr)
			}
			for _, s := range want.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q\nstderr:\n%s", s, stderr)
				}
			}
			for _, at := range want.at {
				if !strings.Contains(stderr, at+":") {
					t.Errorf("stderr lacks location %s\nstderr:\n%s", at, stderr)
				}
			}
			for _, bad := range []string{"panic", "goroutine ", ".go:"} {
				if strings.Contains(stderr, bad) || strings.Contains(out.String(), bad) {
					t.Errorf("output shows a Go failure (%q):\n%s%s", bad, out.String(), stderr)
				}
			}
			if want.status == 0 && !strings.HasPrefix(out.String(), "Valid for cylc-") {
				t.Errorf("stdout %q, want the validation summary", out.String())
			}
			if want.status != 0 && out.Len() > 0 {
				t.Errorf("a failed validation printed to stdout: %q", out.String())
			}
		})
	}
	if n < 30 {
		t.Errorf("only %d broken workflows, want at least 30", n)
	}
}
