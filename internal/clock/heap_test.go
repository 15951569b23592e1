package clock

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func h(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }

func TestDeadlines(t *testing.T) {
	type op struct {
		arm    string // key to arm at hour n
		n      int
		cancel string
		pop    int      // popDue at hour pop, when want != nil
		want   []string // keys popped
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"earliest first", []op{
			{arm: "c", n: 3}, {arm: "a", n: 1}, {arm: "b", n: 2},
			{pop: 2, want: []string{"a", "b"}},
			{pop: 5, want: []string{"c"}},
		}},
		{"equal times keep arming order", []op{
			{arm: "x", n: 1}, {arm: "y", n: 1}, {arm: "w", n: 1},
			{pop: 1, want: []string{"x", "y", "w"}},
		}},
		{"re-arm replaces and counts as armed anew", []op{
			{arm: "a", n: 1}, {arm: "b", n: 1}, {arm: "a", n: 1},
			{pop: 1, want: []string{"b", "a"}},
		}},
		{"re-arm later", []op{
			{arm: "a", n: 1}, {arm: "b", n: 2}, {arm: "a", n: 3},
			{pop: 2, want: []string{"b"}},
			{pop: 3, want: []string{"a"}},
		}},
		{"cancel", []op{
			{arm: "a", n: 1}, {arm: "b", n: 2}, {arm: "c", n: 3}, {cancel: "b"}, {cancel: "nope"},
			{pop: 9, want: []string{"a", "c"}},
		}},
		{"nothing due", []op{
			{arm: "a", n: 5},
			{pop: 4, want: []string{}},
			{pop: 5, want: []string{"a"}},
			{pop: 6, want: []string{}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d deadlines[string]
			for _, o := range tc.ops {
				switch {
				case o.arm != "":
					d.set(o.arm, h(o.n))
				case o.cancel != "":
					d.remove(o.cancel)
				default:
					got := keys(d.popDue(h(o.pop)))
					if !slices.Equal(got, o.want) {
						t.Fatalf("popDue(%dh) = %q, want %q", o.pop, got, o.want)
					}
				}
				checkHeap(t, &d)
			}
		})
	}
}

// checkHeap verifies the heap order and the key index.
func checkHeap[K comparable](t *testing.T, d *deadlines[K]) {
	t.Helper()
	if len(d.byKey) != len(d.items) {
		t.Fatalf("index has %d keys, heap %d", len(d.byKey), len(d.items))
	}
	for i, e := range d.items {
		if e.index != i || d.byKey[e.key] != e {
			t.Fatalf("entry %v at %d has index %d", e.key, i, e.index)
		}
		if i > 0 && d.less(i, (i-1)/2) {
			t.Fatalf("heap order broken at %d", i)
		}
	}
}
