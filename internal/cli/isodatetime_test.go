package cli

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"gyre/internal/isodatetime"
)

// TestIsodatetimeViaRun runs the command through gyre's command line, as
// the job shim does, for its exit statuses and streams.
func TestIsodatetimeViaRun(t *testing.T) {
	t.Setenv("ISODATETIMECALENDAR", "")
	t.Setenv("ISODATETIMEREF", "2020-02-28T18Z")
	for _, c := range []struct {
		args       []string
		code       int
		out, errRe string
	}{
		{[]string{"isodatetime", "ref", "--offset", "PT12H"}, 0, "2020-02-29T06Z\n", `^$`},
		{[]string{"isodatetime", "2026-11-26T09:40:03Z", "2026-11-26T09:40:04Z", "--as-total", "s"}, 0, "1.0\n", `^$`},
		{[]string{"isodatetime", "201abc"}, 1, "", `^Invalid ISO 8601 date representation: 201abc\n$`},
		{[]string{"isodatetime", "--bogus"}, 2, "", `isodatetime: error: unrecognized arguments: --bogus\n$`},
		{[]string{"isodatetime", "--version"}, 0, isodatetime.Version + "\n", `^$`},
	} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), c.args, &out, &errb)
		if code != c.code || out.String() != c.out || !regexp.MustCompile(c.errRe).MatchString(errb.String()) {
			t.Errorf("gyre %q: got %d %q %q, want %d %q %s", c.args, code, out.String(), errb.String(), c.code, c.out, c.errRe)
		}
	}
}
