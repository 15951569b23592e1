// Package suggest finds the likely intended word when a user misspells a
// name (a setting, a task, an option), so that every error in Gyre can end
// with the same kind of "did you mean" hint.
package suggest

// Distance is the Levenshtein edit distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the candidate nearest to name, if it is near enough to
// be a plausible misspelling: fewer edits than half the name's length plus
// two. Ties go to the earlier candidate.
func Closest(name string, candidates []string) (string, bool) {
	best, bestD := "", len(name)/2+2
	for _, c := range candidates {
		if d := Distance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// Hint is " (did you mean "x"?)" for the closest candidate, or "".
func Hint(name string, candidates []string) string {
	if c, ok := Closest(name, candidates); ok {
		return ` (did you mean "` + c + `"?)`
	}
	return ""
}
