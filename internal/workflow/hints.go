package workflow

import "gyre/internal/suggest"

// closest is the candidate name is likely a misspelling of, or "".
func closest(name string, candidates []string) string {
	s, _ := suggest.Closest(name, candidates)
	return s
}
