package flowfile

import "strings"

// joinContinuations is the third stage: a line ending in a backslash is
// joined to the next one (the joined line keeps the position of its first
// part), and every resulting line loses its trailing whitespace. It runs
// after Jinja2 because templates may generate continuation lines.
//
// Like Cylc's _concatenate: a backslash followed only by whitespace is an
// error (it looks like a continuation but is not one) unless a '#' comes
// before it; the check applies to the first physical line of each joined
// line only; and a backslash on the very last line is simply dropped.
// A comment line ending in a backslash swallows the next line, as in Cylc.
//
// The result reuses the storage of lines (each joined line is written at or
// before the first line it was built from).
func joinContinuations(lines []Line) ([]Line, error) {
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		first := lines[i]
		if spaceAfterBackslash(first.Text) {
			return nil, errorAt(first, `whitespace after the line continuation character "\"`,
				`delete the whitespace after the backslash (or the backslash, if the line should not continue)`)
		}
		text := first.Text
		if strings.HasSuffix(text, `\`) {
			var b strings.Builder
			for strings.HasSuffix(text, `\`) {
				b.WriteString(text[:len(text)-1])
				if i == len(lines)-1 {
					text = b.String()
					b.Reset()
					continue
				}
				i++
				text = lines[i].Text
			}
			b.WriteString(text)
			text = b.String()
		}
		out = append(out, Line{Text: trimRightSpace(text), Pos: first.Pos})
	}
	return out, nil
}

// spaceAfterBackslash matches Cylc's ^([^#\n]+)?\\\s+$ : a backslash that is
// the last non-blank character, followed by whitespace, with no '#' before it.
func spaceAfterBackslash(s string) bool {
	t := trimRightSpace(s)
	if len(t) == len(s) || !strings.HasSuffix(t, `\`) {
		return false
	}
	return !strings.Contains(t[:len(t)-1], "#")
}
