package cli

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCyclePointGolden holds `gyre cycle-point` to what the real
// `cylc cycle-point` printed and exited with for each case of
// testdata/cyclepoint/args.tsv (see scripts/regen-cyclepoint-golden).
// Error messages are Gyre's own; the exit status must match.
func TestCyclePointGolden(t *testing.T) {
	f, err := os.Open("testdata/cyclepoint/golden.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := localUTCOffset
	localUTCOffset = func() int { return 0 } // the golden file was made with TZ=UTC
	defer func() { localUTCOffset = saved }()
	envName := regexp.MustCompile(`^[A-Z_]+=`)
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 3 {
			t.Fatalf("golden.tsv: bad line %q", line)
		}
		wantCode, err := strconv.Atoi(fields[0])
		if err != nil {
			t.Fatalf("golden.tsv: bad exit status in %q", line)
		}
		want := fields[1]
		var env [][2]string
		args := []string{"cycle-point"}
		for _, a := range fields[2:] {
			switch {
			case a == "(none)":
			case len(args) == 1 && envName.MatchString(a):
				k, v, _ := strings.Cut(a, "=")
				env = append(env, [2]string{k, v})
			default:
				args = append(args, a)
			}
		}
		n++
		t.Run(strings.Join(fields[2:], " "), func(t *testing.T) {
			t.Setenv("CYLC_TASK_CYCLE_POINT", "")
			os.Unsetenv("CYLC_TASK_CYCLE_POINT")
			for _, kv := range env {
				t.Setenv(kv[0], kv[1])
			}
			out, errOut, code := runGyre(args...)
			if code != wantCode {
				t.Fatalf("exit %d, want %d (stdout %q, stderr %q)", code, wantCode, out, errOut)
			}
			wantOut := ""
			if wantCode == 0 && want != "" {
				wantOut = want + "\n"
			}
			if out != wantOut {
				t.Errorf("stdout %q, want %q", out, wantOut)
			}
			if code == 2 && !strings.HasPrefix(errOut, "gyre: ") {
				t.Errorf("stderr %q: want an error message", errOut)
			}
		})
	}
	if n < 40 {
		t.Fatalf("only %d cases read", n)
	}
}

// TestCyclePointErrors checks that errors name what is wrong.
func TestCyclePointErrors(t *testing.T) {
	t.Setenv("CYLC_TASK_CYCLE_POINT", "")
	os.Unsetenv("CYLC_TASK_CYCLE_POINT")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"notapoint"}, `cycle point "notapoint"`},
		{nil, "provide a POINT argument, or define $CYLC_TASK_CYCLE_POINT"},
		{[]string{"20100823T18", "--offset-hours=x"}, `offset must be integer: "x"`},
		{[]string{"20100823T18", "--offset=1D"}, `duration "1D"`},
		{[]string{"20100823T18", "--print-day", "--print-hour"}, "choose NONE or ONE of"},
		{[]string{"20100823T18", "--template=CCYY", "--print-year"}, `"print only" options are incompatible with templating`},
		{[]string{"a", "b"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		_, errOut, code := runGyre(append([]string{"cycle-point"}, tt.args...)...)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("cycle-point %q: exit %d, stderr %q; want an error containing %q", tt.args, code, errOut, tt.want)
		}
		if strings.Contains(errOut, `cylc cycle-point ""`) {
			t.Errorf("cycle-point %q: stderr %q repeats an empty value", tt.args, errOut)
		}
	}
}
