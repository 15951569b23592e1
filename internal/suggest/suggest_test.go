package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"script", "scirpt", 1}, {"ab", "ba", 1}, {"héllo", "hello", 1}, {"same", "same", 0},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"script", "pre-script", "platform", "inherit"}
	if got, ok := Closest("scirpt", cands); !ok || got != "script" {
		t.Errorf("Closest(scirpt) = %q, %v", got, ok)
	}
	if _, ok := Closest("zzzzzzzz", cands); ok {
		t.Error("nothing is close to zzzzzzzz")
	}
	if got := Hint("inherts", cands); got != ` (did you mean "inherit"?)` {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint("qqq", nil); got != "" {
		t.Errorf("Hint with no candidates = %q", got)
	}
}
