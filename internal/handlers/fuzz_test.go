package handlers

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"gyre/internal/config"
)

// FuzzExpand: any template and values either expand or give a
// *BadTemplateError, never panic; templates without "%" are classic
// handlers and get the default arguments.
func FuzzExpand(f *testing.F) {
	for _, s := range []struct{ tmpl, msg string }{
		{"echo %(event)s %(message)s", "job failed"},
		{"notify.sh", "it's \"quoted\""},
		{"%(submit_num)03d %(try_num)-4d|", ""},
		{"%(rubbish)s", "x"},
		{"%(", "x"},
		{"100%%", "x"},
		{"%(title)r %(workflow_url)a %(importance)s", "\n"},
		{"%s", ""},
		{"%(port)x %(host)s", "m"},
	} {
		f.Add(s.tmpl, s.msg)
	}
	f.Fuzz(func(t *testing.T, tmpl, msg string) {
		td := taskData()
		td.Message = msg
		td.TaskMeta.Custom = append(td.TaskMeta.Custom, config.KeyValue{Key: "k", Value: msg})
		wd := workflowData()
		wd.Message = msg
		for _, expand := range []func() (string, error){
			func() (string, error) { return ExpandTask(tmpl, td) },
			func() (string, error) { return ExpandWorkflow(tmpl, wd) },
		} {
			out, err := expand()
			if err != nil {
				var be *BadTemplateError
				if !errors.As(err, &be) || be.Template != tmpl || err.Error() == "" {
					t.Fatalf("error %v is not a proper *BadTemplateError", err)
				}
				continue
			}
			if !strings.Contains(tmpl, "%") && !strings.HasPrefix(out, tmpl+" 'failed' '") && !strings.HasPrefix(out, tmpl+" 'startup' '") {
				t.Fatalf("classic handler %q expanded to %q, without the default arguments", tmpl, out)
			}
		}
	})
}

// unquote undoes quote's single-quoting, for checking it.
func unquote(q string) (string, bool) {
	if len(q) < 2 || q[0] != '\'' || q[len(q)-1] != '\'' {
		return "", false
	}
	return strings.ReplaceAll(q[1:len(q)-1], `'"'"'`, "'"), true
}

// FuzzQuote: a quoted value is either left bare (only safe characters) or
// single-quoted so that the shell reads back exactly the value.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "abc", "a b", "it's", "''", "'\"'\"'", "$(rm -rf /)", "é\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quote(s)
		if q == s {
			if s == "" || strings.ContainsFunc(s, func(r rune) bool {
				return !(r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r)))
			}) {
				t.Fatalf("quote(%q) left an unsafe value bare", s)
			}
			return
		}
		back, ok := unquote(q)
		if !ok || back != s || strings.Count(q[1:len(q)-1], "'") != 3*strings.Count(s, "'") {
			t.Fatalf("quote(%q) = %q does not read back", s, q)
		}
	})
}

// TestQuoteThroughBash lets the shell itself read quoted values back.
func TestQuoteThroughBash(t *testing.T) {
	values := []string{"it's", `a"b`, "$HOME `id` $(id)", "tab\there", "two\nlines", "!x", "*", "é", "\\", ""}
	for _, v := range values {
		out, err := exec.Command("bash", "-c", "printf %s "+quote(v)).Output()
		if err != nil || string(out) != v {
			t.Errorf("bash read quote(%q) = %s back as %q (%v)", v, quote(v), out, err)
		}
	}
}
