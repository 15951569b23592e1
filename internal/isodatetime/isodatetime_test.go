package isodatetime

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the golden cases name time zones; keep them hermetic
)

// idtCase is one run of "isodatetime": its local time zone, environment,
// arguments and standard input, and what the Python command printed
// (stdout), exited with, and said last on stderr.
type idtCase struct {
	tz    string
	env   []string
	args  []string
	stdin string
	out   string
	code  int
	err   string
}

// idtTestNow is the clock the golden cases were made with (the Python's
// time.time() returned float64 of these nanoseconds / 1e9).
var idtTestNow = time.Unix(1234567890, 250000000)

// idtFixClock fixes the clock and the local time zone for a test.
func idtFixClock(t testing.TB, now time.Time, tz string) {
	t.Helper()
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	savedNow, savedLoc := idtNow, idtLocation
	idtNow = func() time.Time { return now }
	idtLocation = func() *time.Location { return loc }
	t.Cleanup(func() { idtNow, idtLocation = savedNow, savedLoc })
}

func idtRun(c idtCase) (code int, stdout, stderr string) {
	env := map[string]string{}
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	var out, errb bytes.Buffer
	code = Main(c.args, strings.NewReader(c.stdin), &out, &errb, lookup)
	return code, out.String(), errb.String()
}

func idtLastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestIsodatetimeGolden holds "gyre isodatetime" to what metomi-isodatetime
// printed for each case of isodatetime_cases_test.go: points in every
// form, offsets, print and parse formats, calendars, UTC mode, ref and now,
// durations, totals, recurrences, argument errors and standard input.
func TestIsodatetimeGolden(t *testing.T) {
	for _, c := range idtGolden {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			idtFixClock(t, idtTestNow, c.tz)
			code, out, errs := idtRun(c)
			if code != c.code || out != c.out {
				t.Fatalf("isodatetime %q (TZ=%s %v)\n got exit %d, stdout %q (stderr %q)\nwant exit %d, stdout %q",
					c.args, c.tz, c.env, code, out, errs, c.code, c.out)
			}
			switch c.code {
			case 0:
				if errs != "" {
					t.Errorf("stderr %q, want none", errs)
				}
			case 1:
				if errs != c.err+"\n" {
					t.Errorf("stderr %q, want %q", errs, c.err+"\n")
				}
			case 2:
				if !strings.HasPrefix(errs, idtUsage) || idtLastLine(errs) != c.err {
					t.Errorf("stderr %q, want the usage and %q", errs, c.err)
				}
			}
		})
	}
}

// TestIsodatetimeOwnMessages covers where Gyre's output differs on
// purpose: failures the Python ends with a traceback, and inputs it would
// take hours over.
func TestIsodatetimeOwnMessages(t *testing.T) {
	for _, c := range []idtCase{
		{env: []string{"ISODATETIMECALENDAR=julian"}, args: []string{"2020"}, code: 1,
			err: "KeyError: 'julian': unknown calendar mode (from $ISODATETIMECALENDAR); use gregorian, 360day, 365day or 366day"},
		{args: []string{"-p", "%H %H", "01 01"}, code: 1, err: "re.error: redefinition of group name 'H'"},
		// isodatetime walks these day by day; Gyre answers at once.
		{args: []string{"2020-01-01", "-s", "P99999999999D"}, code: 1,
			err: "Cannot dump TimePoint year: 273792720 not in bounds 0 to 9999."},
		{args: []string{"2020-01-01", "-s", "P999999999999D"}, code: 1, err: "P999999999999D: bad offset value"},
		{args: []string{"2020-01-01T00Z", "-s", "PT1e300H"}, code: 1,
			err: "Invalid input (too large to compute): duration: 4.166666666666667e+298"},
		{args: []string{"R99999999999999999999/2020/P1D", "--max=2"}, out: "2020-01-01T00:00:00Z\n2020-01-02T00:00:00Z\n"},
		{args: []string{"-h"}, out: idtHelpText},
		{args: []string{"2020", "--help"}, out: idtHelpText},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			idtFixClock(t, idtTestNow, "UTC")
			code, out, errs := idtRun(c)
			if code != c.code || out != c.out || strings.TrimSuffix(errs, "\n") != c.err {
				t.Fatalf("got exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", code, out, errs, c.code, c.out, c.err)
			}
		})
	}
}

// TestIsodatetimeNowFollowsClock checks "now" against Go's own rendering of
// the injected clock in several zones.
func TestIsodatetimeNowFollowsClock(t *testing.T) {
	for _, tc := range []struct {
		now time.Time
		tz  string
	}{
		{time.Unix(1700000000, 0), "Asia/Kathmandu"},
		{time.Unix(951782400, 999000000), "UTC"},        // 2000-02-29, just before a second
		{time.Unix(1583020799, 500000000), "Etc/GMT+3"}, // around 2020-02-29T21Z
		{time.Unix(0, 0), "Pacific/Marquesas"},
		{time.Unix(-86400*365, 0), "UTC"},
	} {
		idtFixClock(t, tc.now, tc.tz)
		local := tc.now.In(idtLocation())
		want := local.Format("2006-01-02T15:04:05-07:00")
		if _, off := local.Zone(); off == 0 {
			want = local.Format("2006-01-02T15:04:05Z")
		}
		for _, args := range [][]string{nil, {"now"}, {"ref"}} {
			code, out, errs := idtRun(idtCase{args: args})
			if code != 0 || out != want+"\n" {
				t.Errorf("now %v in %s, args %q: got %d %q %q, want %q", tc.now, tc.tz, args, code, out, errs, want)
			}
		}
		code, out, _ := idtRun(idtCase{args: []string{"now", "-u", "-f", "%s"}})
		if want := strconv.FormatInt(tc.now.Unix(), 10) + "\n"; code != 0 || out != want {
			t.Errorf("now %v as %%s: got %d %q, want %q", tc.now, code, out, want)
		}
	}
}

// FuzzIsodatetime runs the command on arbitrary arguments (NUL-separated)
// and standard input: it must never panic, must exit 0, 1 or 2, and must
// give the same answer twice.
func FuzzIsodatetime(f *testing.F) {
	for _, c := range idtGolden {
		f.Add(strings.Join(c.args, "\x00"), c.stdin)
	}
	f.Add("2020-01-01T00:00:00.5+05:30\x00-s\x00-P1Y2M3DT4H5M6,5S\x00-f\x00%a %s CCYY-Www-D", "")
	f.Add("-\x00--as-total\x00m", "P1W\n")
	f.Add("--calendar\x00360day\x00R/P1M/2020-02-30", "")
	bigMax := regexp.MustCompile(`\d{4}`)
	f.Fuzz(func(t *testing.T, joined, stdin string) {
		if len(joined) > 400 || len(stdin) > 400 {
			return
		}
		args := strings.Split(joined, "\x00")
		for _, a := range args {
			// A recurrence may legitimately print millions of points.
			if strings.Contains(a, "-m") && bigMax.MatchString(joined) {
				return
			}
		}
		idtFixClock(t, idtTestNow, "Asia/Kolkata")
		c := idtCase{args: args, stdin: stdin, env: []string{"ISODATETIMEREF=2020-02-29T12"}}
		code, out, errs := idtRun(c)
		if code < 0 || code > 2 {
			t.Fatalf("exit status %d for %q", code, args)
		}
		if code != 0 && errs == "" {
			t.Fatalf("exit %d with no message for %q", code, args)
		}
		code2, out2, errs2 := idtRun(c)
		if code2 != code || out2 != out || errs2 != errs {
			t.Fatalf("not deterministic for %q: %d %q %q then %d %q %q", args, code, out, errs, code2, out2, errs2)
		}
	})
}
