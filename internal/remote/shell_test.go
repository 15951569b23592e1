package remote

import (
	"slices"
	"strings"
	"testing"
)

// Expected words are Python's shlex.split on the same input (Cylc splits
// the platforms' command settings with it).
func TestSplitShell(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"ssh -oBatchMode=yes -oConnectTimeout=10", []string{"ssh", "-oBatchMode=yes", "-oConnectTimeout=10"}},
		{"  ssh   -l  gyreremote ", []string{"ssh", "-l", "gyreremote"}},
		{`ssh -o "ProxyCommand ssh -W %h:%p gw"`, []string{"ssh", "-o", "ProxyCommand ssh -W %h:%p gw"}},
		{`a\ b c`, []string{"a b", "c"}},
		{`x'y z'w`, []string{"xy zw"}},
		{`"a\"b" "c\\d" "e\f"`, []string{`a"b`, `c\d`, `e\f`}},
		{`"" '' x`, []string{"", "", "x"}},
		{"a#b #c", []string{"a#b", "#c"}},
		{"tab\there\nnl", []string{"tab", "here", "nl"}},
		{`"multi word"suffix`, []string{"multi wordsuffix"}},
		{`trailing\\`, []string{`trailing\`}},
		{"", nil},
		{"   ", nil},
	} {
		got, err := splitShell(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("splitShell(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{`"unterminated`, `x'`, `trailing\`, `"ends in escape\`} {
		if got, err := splitShell(in); err == nil {
			t.Errorf("splitShell(%q) = %q; want an error", in, got)
		}
	}
}

func TestCommandWordsErrors(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"", `platform setting "ssh command" = : the command is empty`},
		{`ssh "-l`, `platform setting "ssh command" = ssh "-l: no closing quotation in "ssh \"-l"`},
	} {
		_, err := commandWords("ssh command", c.value)
		if err == nil || err.Error() != c.want {
			t.Errorf("commandWords(%q) error %v; want %s", c.value, err, c.want)
		}
	}
}

func TestQuoteWord(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "''"},
		{"jobs-submit", "jobs-submit"},
		{"--runner=slurm", "--runner=slurm"},
		{"1/foo/01", "1/foo/01"},
		{"$HOME/gyre-run/x", "'$HOME/gyre-run/x'"},
		{"a b", "'a b'"},
		{"it's", `'it'"'"'s'`},
		{`exec "$0" "$@"`, `'exec "$0" "$@"'`},
	} {
		if got := quoteWord(c.in); got != c.want {
			t.Errorf("quoteWord(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestHomeWord(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"$HOME/gyre-run/flow/run1/.service/gyre", `"$HOME"/gyre-run/flow/run1/.service/gyre`},
		{"${HOME}/a b", `"$HOME"/'a b'`},
		{"~/bin/gyre", `"$HOME"/bin/gyre`},
		{"$HOME", `"$HOME"`},
		{"/opt/gyre/bin/gyre", "/opt/gyre/bin/gyre"},
		{"/opt/my gyre", "'/opt/my gyre'"},
		{"$HOMER/x", "'$HOMER/x'"},
	} {
		if got := homeWord(c.in); got != c.want {
			t.Errorf("homeWord(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestExpandHome(t *testing.T) {
	for _, c := range []struct{ in, home, want string }{
		{"$HOME/gyre-run/x", "/home/u", "/home/u/gyre-run/x"},
		{"~/x", "/home/u/", "/home/u/x"},
		{"$HOME", "/home/u", "/home/u"},
		{"/abs/x", "/home/u", "/abs/x"},
		{"rel/x", "/home/u", "rel/x"},
	} {
		if got := expandHome(c.in, c.home); got != c.want {
			t.Errorf("expandHome(%q, %q) = %q, want %q", c.in, c.home, got, c.want)
		}
	}
}

// FuzzSplitShell: splitting never panics, and words quoted by quoteWord
// and joined split back into the same words (what the remote shell does
// to the command line ssh sends it).
func FuzzSplitShell(f *testing.F) {
	for _, s := range []string{"ssh -oBatchMode=yes", `a\ b "c d" 'e f'`, `"x\"y"`, "'", `\`, "", "a\x00b", "é 'ü'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitShell(s)
		if err != nil {
			return
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = quoteWord(w)
		}
		again, err := splitShell(strings.Join(quoted, " "))
		if err != nil || !slices.Equal(again, words) {
			t.Fatalf("split(%q) = %q; quoted and split again: %q, %v", s, words, again, err)
		}
	})
}
