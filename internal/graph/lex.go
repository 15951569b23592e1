package graph

import (
	"strings"
)

type tokKind uint8

const (
	tokNode tokKind = iota
	tokArrow
	tokAnd
	tokOr
	tokLParen
	tokRParen
)

// token is one lexical element of a whitespace-free graph line.
type token struct {
	kind tokKind
	node *node // for tokNode
	line int   // source line
}

func (t token) text() string {
	switch t.kind {
	case tokNode:
		return t.node.text
	case tokArrow:
		return "=>"
	case tokAnd:
		return "&"
	case tokOr:
		return "|"
	case tokLParen:
		return "("
	}
	return ")"
}

// node is a graph node as written:
//
//	[!]NAME[<params>][[offset]][:qualifier][?]   or   @xtrigger
type node struct {
	text    string
	suicide bool
	xtrig   bool   // name is then the xtrigger label, without '@'
	name    string // task or family name (parameters unexpanded before the hook)
	offset  string // inside the brackets, "" for none
	qual    string // after the colon, as written ("fail", "x", "succeed-all")
	opt     bool   // trailing '?'
	line    int
}

// tokensText renders tokens back to graph text (whitespace-free, as Cylc
// shows graph fragments in its messages).
func tokensText(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text())
	}
	return b.String()
}

// lex splits a whitespace-free line into tokens. With params set, node
// names may carry <param> groups (before expansion); without, they may not.
func (p *parser) lex(f *fullLine, params bool) ([]token, error) {
	s := f.text
	var toks []token
	for i := 0; i < len(s); {
		line := f.lineAt(i)
		switch s[i] {
		case '&':
			toks = append(toks, token{kind: tokAnd, line: line})
			i++
			continue
		case '|':
			toks = append(toks, token{kind: tokOr, line: line})
			i++
			continue
		case '(':
			toks = append(toks, token{kind: tokLParen, line: line})
			i++
			continue
		case ')':
			toks = append(toks, token{kind: tokRParen, line: line})
			i++
			continue
		case '=':
			if strings.HasPrefix(s[i:], "=>") {
				toks = append(toks, token{kind: tokArrow, line: line})
				i += 2
				continue
			}
		}
		n, end := lexNode(s, i, params)
		if n == nil || (end < len(s) && !atOperator(s, end)) {
			return nil, p.badNode(line, badRun(s, i))
		}
		n.line = line
		if strings.HasPrefix(n.offset, "T+") || strings.HasPrefix(n.offset, "T-") {
			return nil, p.errorf(line, n.text,
				"that is the Cylc 6 offset syntax: write an ISO 8601 duration such as [-PT24H]",
				"Illegal graph node: %s", n.text)
		}
		toks = append(toks, token{kind: tokNode, node: n, line: line})
		i = end
	}
	return toks, nil
}

// badNode reports a node that does not fit the node syntax.
func (p *parser) badNode(line int, text string) error {
	return p.errorf(line, text,
		"correct format is @XTRIG or NAME(<PARAMS>)([CYCLE-POINT-OFFSET])(:QUALIFIER)(?)",
		"Bad graph node format: %s", text)
}

// atOperator reports whether an operator starts at byte i of s.
func atOperator(s string, i int) bool {
	switch s[i] {
	case '&', '|', '(', ')':
		return true
	case '=':
		return strings.HasPrefix(s[i:], "=>")
	}
	return false
}

// badRun returns the text from i up to the next operator, for messages.
func badRun(s string, i int) string {
	j := i
	for j < len(s) && !atOperator(s, j) {
		j++
	}
	if j == i {
		j = min(i+1, len(s))
	}
	return s[i:j]
}

// lexNode reads one node starting at byte i and returns it with the offset
// just past it, or nil if no valid node starts there.
func lexNode(s string, i int, params bool) (*node, int) {
	n := &node{}
	j := i
	if j < len(s) && s[j] == '!' {
		n.suicide = true
		j++
	}
	if j < len(s) && s[j] == '@' {
		j++
		k := j
		for k < len(s) {
			r, w := runeAt(s, k)
			if !isXtrigChar(r) || (k == j && !isWord(r)) {
				break
			}
			k += w
		}
		if k == j {
			return nil, 0
		}
		n.xtrig, n.name, n.text = true, s[j:k], s[i:k]
		return n, k
	}
	start := j
	for j < len(s) {
		r, w := runeAt(s, j)
		switch {
		case isWord(r):
			j += w
			for j < len(s) {
				r, w := runeAt(s, j)
				if !isNameChar(r) {
					break
				}
				j += w
			}
			continue
		case r == '<' && params:
			k := j + 1
			for k < len(s) {
				r, w := runeAt(s, k)
				if !isParamChar(r) {
					break
				}
				k += w
			}
			if k == j+1 || k >= len(s) || s[k] != '>' {
				return nil, 0
			}
			j = k + 1
			continue
		}
		break
	}
	if j == start {
		return nil, 0
	}
	n.name = s[start:j]
	if j < len(s) && s[j] == '[' {
		k := j + 1
		for k < len(s) {
			r, w := runeAt(s, k)
			if !isOffsetChar(r) {
				break
			}
			k += w
		}
		if k == j+1 || k >= len(s) || s[k] != ']' {
			return nil, 0
		}
		n.offset = s[j+1 : k]
		j = k + 1
	}
	if j < len(s) && s[j] == ':' {
		k := j + 1
		for k < len(s) {
			r, w := runeAt(s, k)
			if !isQualChar(r) {
				break
			}
			k += w
		}
		if k == j+1 {
			return nil, 0
		}
		n.qual = s[j+1 : k]
		j = k
	}
	if j < len(s) && s[j] == '?' {
		n.opt = true
		j++
	}
	n.text = s[i:j]
	return n, j
}

// hasParams reports whether a line holds a <param> group, which is when
// Cylc hands it to the parameter expander.
func hasParams(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		k := i + 1
		for k < len(s) {
			r, w := runeAt(s, k)
			if !isParamChar(r) {
				break
			}
			k += w
		}
		if k > i+1 && k < len(s) && s[k] == '>' {
			return true
		}
	}
	return false
}
