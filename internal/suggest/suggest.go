// Package suggest finds the likely intended word when a user misspells a
// name (a setting, a task, an option), so that every error in Gyre can end
// with the same kind of "did you mean" hint.
package suggest

// Distance is the optimal-string-alignment edit distance between a and b,
// counted in runes: insertions, deletions, substitutions and transpositions
// of adjacent letters ("scirpt" is one edit from "script") cost one each.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
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
