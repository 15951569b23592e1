package jinja

import (
	"unicode/utf8"

	suggestpkg "gyre/internal/suggest"
)

// Did-you-mean hints for misspelt names.

// closest returns the known name nearest a misspelt one, or "" when none
// is near enough to be a likely typo.
func closest(name string, known []string) string {
	best, bestDist := "", min(3, len([]rune(name)))
	for _, k := range known {
		if d := editDistance(name, k); d > 0 && d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// suggest is closest worded as a sentence to append to a message.
func suggest(name string, known []string) string {
	if best := closest(name, known); best != "" {
		return " Did you mean " + reprString(best) + "?"
	}
	return ""
}

func editDistance(a, b string) int {
	if utf8.RuneCountInString(a) > 64 || utf8.RuneCountInString(b) > 64 {
		return 99
	}
	return suggestpkg.Distance(a, b)
}
