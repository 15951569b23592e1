package graph

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// fullLine is one logical graph line: physical lines joined where Cylc
// joins them, with all whitespace removed. parts remembers where each
// physical line starts so that a node can be traced to its source line.
type fullLine struct {
	text  string
	parts []linePart
}

type linePart struct {
	offset int // byte offset of the part in text
	line   int // source line number
}

// lineAt returns the source line of the byte at offset off.
func (f *fullLine) lineAt(off int) int {
	i := sort.Search(len(f.parts), func(i int) bool { return f.parts[i].offset > off })
	return f.parts[max(i-1, 0)].line
}

// continuations are the strings that continue a graph line onto the next
// when they end a line or start the following one; "&&" and "||" are
// mistakes, and a line touching one of them is not joined so that the
// mistake is reported on its own.
var continuations = []string{"=>", "&", "|"}

func hasContinuationSuffix(s string) bool {
	for _, c := range continuations {
		if strings.HasSuffix(s, c) {
			return true
		}
	}
	return false
}

func hasContinuationPrefix(s string) bool {
	for _, c := range continuations {
		if strings.HasPrefix(s, c) {
			return true
		}
	}
	return false
}

// splitLines strips comments, blank lines and whitespace and joins
// continued lines, exactly as Cylc does before anything else.
func (p *parser) splitLines(src string) ([]fullLine, error) {
	type phys struct {
		text string
		line int
	}
	var lines []phys
	for i, raw := range strings.Split(src, "\n") {
		n := p.firstLine + i
		if k := strings.IndexByte(raw, '#'); k >= 0 {
			raw = raw[:k]
		}
		if strings.TrimFunc(raw, isSpace) == "" {
			continue
		}
		if bad := badSpaces(raw); bad != "" {
			return nil, p.errorf(n, strings.TrimFunc(raw, isSpace),
				"graph nodes must be separated by &, | or =>",
				"Bad graph node format: %q has a space inside a node", bad)
		}
		lines = append(lines, phys{stripSpace(raw), n})
	}

	var out []fullLine
	var cur fullLine
	for i, this := range lines {
		if i == 0 {
			for _, c := range continuations {
				if strings.HasPrefix(this.text, c) {
					return nil, p.errorf(this.line, this.text,
						"the first line of a graph string cannot continue a previous one",
						"Leading %s: %s", c, this.text)
				}
			}
		}
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1].text
		} else {
			for _, c := range continuations {
				if strings.HasSuffix(this.text, c) {
					return nil, p.errorf(this.line, this.text,
						"nothing follows it in this graph string",
						"Dangling %s:%s", c, this.text)
				}
			}
		}
		cur.parts = append(cur.parts, linePart{len(cur.text), this.line})
		cur.text += this.text
		if hasContinuationSuffix(this.text) && hasContinuationPrefix(next) {
			return nil, p.errorf(this.line, this.text+"\n"+next,
				"continue a line with an operator at the end of it or at the start of the next, not both",
				"Consecutive lines end and start with continuation characters:\n%s\n%s", this.text, next)
		}
		cont := hasContinuationSuffix(this.text) || hasContinuationPrefix(next)
		bad := strings.HasSuffix(this.text, "&&") || strings.HasSuffix(this.text, "||") ||
			strings.HasPrefix(next, "&&") || strings.HasPrefix(next, "||")
		if cont && !bad {
			continue
		}
		out = append(out, cur)
		cur = fullLine{}
	}
	return out, nil
}

// stripSpace removes every whitespace character: once the space checks are
// done, Cylc's graph syntax is whitespace-insensitive.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}

// badSpaces finds whitespace between two parts of what would otherwise read
// as one node once whitespace is removed ("foo bar => baz" would become
// "foobar"), and returns that text, or "". Spaces around + or - before a
// number are allowed, for parameter offsets like <m - 1>.
func badSpaces(line string) string {
	rs := []rune(line)
	for s := 0; s < len(rs); {
		if !isNameChar(rs[s]) {
			s++
			continue
		}
		t := s
		word := false
		for t < len(rs) && isNameChar(rs[t]) {
			word = word || isWord(rs[t])
			t++
		}
		start := s
		s = t
		if !word || t >= len(rs) || !isSpace(rs[t]) {
			continue
		}
		u := t
		for u < len(rs) && isSpace(rs[u]) {
			u++
		}
		if u >= len(rs) || !isNameChar(rs[u]) {
			continue
		}
		if (rs[t-1] == '-' || rs[t-1] == '+') && isDigit(rs[u]) {
			continue
		}
		if rs[u] == '-' || rs[u] == '+' {
			v := u + 1
			for v < len(rs) && isSpace(rs[v]) {
				v++
			}
			if v < len(rs) && isDigit(rs[v]) {
				continue
			}
		}
		end := u
		for end < len(rs) && isNameChar(rs[end]) {
			end++
		}
		return string(rs[start:end])
	}
	return ""
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// runeAt decodes the rune at byte offset i of s.
func runeAt(s string, i int) (rune, int) {
	return utf8.DecodeRuneInString(s[i:])
}
