package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Options tell Parse what it cannot know from the graph string itself.
type Options struct {
	// Key is the recurrence (the graph item's key, e.g. "R1", "PT6H",
	// "+P1D/P1D"); it is copied to Graph.Key and used by the Index.
	Key string
	// File and Line locate the graph string: Line is the source line of
	// the first line of src (1 if zero).
	File string
	Line int
	// Families maps each family name (root excluded) to the tasks below it
	// at any depth, not only first-parent members: that is what Cylc
	// expands family triggers to. Members are sorted before use.
	Families map[string][]string
	// ExpandParams expands task parameters in one graph line. It receives
	// a logical line with whitespace removed and continuation lines
	// joined (e.g. "foo<m-1>=>foo<m>") and returns the expanded lines.
	// Nodes whose parameter offset falls out of range may either be
	// dropped by the hook or left carrying Cylc's out-of-range marker
	// (-32768): they are then dropped here the way Cylc drops them. If
	// nil, a line with <params> is an error.
	ExpandParams func(line string) ([]string, error)
	// Cylc7 is Cylc 7 back-compat mode (suite.rc): every output the graph
	// mentions is optional, and no optional/required checks are made.
	Cylc7 bool
	// ExpireTriggers is [scheduler][experimental]expire triggers: the
	// expired output of a task with a suicide trigger becomes optional.
	ExpireTriggers bool
	// Outputs carries output optionality between the graph strings of one
	// workflow, so that "a? => b" in one recurrence and "a => c" in another
	// is caught. Nil starts a fresh table.
	Outputs *Outputs
}

// parser holds the state of one Parse call.
type parser struct {
	opts      Options
	firstLine int
	fams      map[string][]string
	out       *Outputs
	g         *Graph

	endOfChain     map[string]bool
	pairs          map[pairKey]*pair
	pairOrder      []*pair
	leftNodes      map[string]bool
	rightNodes     map[string]bool
	checkTerminals map[string]*pair
	trigs          map[string]map[string]*Trigger
	lone           map[string]bool
	origTexts      map[*Trigger]string
	custom         map[TaskOutput]int
}

// pair is one "left => right" dependency of a chain; left is nil for the
// nodes of a chain's first segment, which are tasks in their own right.
type pair struct {
	left, right []token
	leftText    string
	rightText   string
	line        int
}

type pairKey struct {
	left, right string
	hasLeft     bool
}

// Parse parses one graph string. See Options for what the caller supplies.
// The error, if any, is an *Error.
func Parse(src string, opts Options) (*Graph, error) {
	p := &parser{
		opts:           opts,
		firstLine:      max(opts.Line, 1),
		fams:           make(map[string][]string, len(opts.Families)),
		out:            opts.Outputs,
		endOfChain:     map[string]bool{},
		pairs:          map[pairKey]*pair{},
		leftNodes:      map[string]bool{},
		rightNodes:     map[string]bool{},
		checkTerminals: map[string]*pair{},
		trigs:          map[string]map[string]*Trigger{},
		lone:           map[string]bool{},
		origTexts:      map[*Trigger]string{},
		custom:         map[TaskOutput]int{},
	}
	for f, m := range opts.Families {
		if f == "root" {
			continue
		}
		p.fams[f] = slices.Sorted(slices.Values(m))
	}
	if p.out == nil {
		p.out = NewOutputs()
	}
	p.g = &Graph{
		Key:      opts.Key,
		Triggers: map[string][]*Trigger{},
		Outputs:  p.out,
		Polling:  map[string]Polling{},
	}
	if err := p.parse(src); err != nil {
		return nil, err
	}
	return p.g, nil
}

func (p *parser) parse(src string) error {
	lines, err := p.splitLines(src)
	if err != nil {
		return err
	}
	// All lines are checked before any is expanded, as in Cylc, so that
	// syntax errors are reported before parameter errors.
	toks := make([][]token, len(lines))
	for i := range lines {
		if toks[i], err = p.checkLine(&lines[i]); err != nil {
			return err
		}
	}
	var expanded [][]token
	for i := range lines {
		ex, err := p.expand(&lines[i], toks[i])
		if err != nil {
			return err
		}
		expanded = append(expanded, ex...)
	}
	for _, toks := range expanded {
		p.chain(toks)
	}
	sort.SliceStable(p.pairOrder, func(i, j int) bool {
		return sortKey(p.pairOrder[i]) < sortKey(p.pairOrder[j])
	})
	for _, pr := range p.pairOrder {
		if err := p.procPair(pr); err != nil {
			return err
		}
	}
	if err := p.checkOffsetTerminals(); err != nil {
		return err
	}
	return p.finish()
}

// sortKey orders pairs as Cylc does (by str(left), where no left is
// "None"); it decides which error is reported first and the order in which
// output optionality is inferred.
func sortKey(pr *pair) string {
	if pr.left == nil {
		return "None"
	}
	return pr.leftText
}

// checkLine applies the whole-line checks to one logical line and
// tokenises it.
func (p *parser) checkLine(f *fullLine) ([]token, error) {
	line := f.parts[0].line
	p.extractPolling(f)
	if strings.Contains(f.text, "&&") {
		return nil, p.errorf(line, f.text, "", "The graph AND operator is '&': %s", f.text)
	}
	if strings.Contains(f.text, "||") {
		return nil, p.errorf(line, f.text, "", "The graph OR operator is '|': %s", f.text)
	}
	return p.lex(f, true)
}

// expand expands the parameters of a checked line, returning the token
// lists of the expanded lines (toks itself when there are none).
func (p *parser) expand(f *fullLine, toks []token) ([][]token, error) {
	if !hasParams(f.text) {
		return [][]token{toks}, nil
	}
	line := f.parts[0].line
	if p.opts.ExpandParams == nil {
		name := paramName(f.text)
		return nil, p.errorf(line, f.text, "define it under [task parameters]",
			"parameter %s is not defined in <%s>: %s", name, paramGroup(f.text), f.text)
	}
	lines, err := p.opts.ExpandParams(f.text)
	if err != nil {
		return nil, p.errorf(line, f.text, "", "%v", err)
	}
	seen := map[string]bool{}
	var out [][]token
	for _, l := range lines {
		l = stripSpace(l)
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		ef := &fullLine{text: l, parts: []linePart{{0, line}}}
		toks, err := p.lex(ef, false)
		if err != nil {
			e := err.(*Error)
			e.Msg += fmt.Sprintf(" (after parameter expansion of %s)", f.text)
			return nil, e
		}
		out = append(out, toks)
	}
	return out, nil
}

// paramGroup and paramName pick the first <...> group of a line for the
// "parameter not defined" message.
func paramGroup(s string) string {
	i := strings.IndexByte(s, '<')
	j := strings.IndexByte(s[i:], '>')
	return s[i+1 : i+j]
}

func paramName(s string) string {
	g := paramGroup(s)
	end := len(g)
	for i, r := range g {
		if !isWord(r) {
			end = i
			break
		}
	}
	return g[:end]
}

// chain splits an expanded line into segments at "=>" and records its
// dependency pairs. Segments lose out-of-range parameter nodes first; a
// segment left empty ends the chain there, as in Cylc.
func (p *parser) chain(toks []token) {
	var segs [][]token
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i].kind != tokArrow {
			continue
		}
		seg := toks[start:i]
		start = i + 1
		if len(seg) == 0 {
			segs = append(segs, seg)
			continue
		}
		seg = dropOutOfRange(seg)
		if len(seg) == 0 {
			break
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		return
	}
	for _, t := range segs[0] {
		if t.kind == tokNode && !t.node.xtrig {
			p.addPair(nil, []token{t}, t.line)
		}
	}
	for i := 0; i+1 < len(segs); i++ {
		line := toks[0].line
		if len(segs[i+1]) > 0 {
			line = segs[i+1][0].line
		} else if len(segs[i]) > 0 {
			line = segs[i][len(segs[i])-1].line
		}
		p.addPair(segs[i], segs[i+1], line)
	}
	for _, t := range segs[len(segs)-1] {
		if t.kind == tokNode {
			p.endOfChain[t.node.text] = true
		}
	}
}

func (p *parser) addPair(left, right []token, line int) {
	pr := &pair{left: left, right: right, leftText: tokensText(left), rightText: tokensText(right), line: line}
	k := pairKey{pr.leftText, pr.rightText, left != nil}
	if _, ok := p.pairs[k]; ok {
		return
	}
	p.pairs[k] = pr
	p.pairOrder = append(p.pairOrder, pr)
}

// outOfRangeMarker is what Cylc's parameter expander writes in place of a
// parameter value whose offset falls outside the parameter's range.
const outOfRangeMarker = "-3276"

// dropOutOfRange removes nodes carrying the out-of-range marker from a
// segment together with one adjacent & or | operator.
func dropOutOfRange(seg []token) []token {
	out := seg
	for {
		i := slices.IndexFunc(out, func(t token) bool {
			if t.kind != tokNode {
				return false
			}
			k := strings.Index(t.node.text, outOfRangeMarker)
			return k > 0 && k+len(outOfRangeMarker) < len(t.node.text)
		})
		if i < 0 {
			return out
		}
		lo, hi := i, i+1
		if i > 0 && (out[i-1].kind == tokAnd || out[i-1].kind == tokOr) {
			lo--
		} else if hi < len(out) && (out[hi].kind == tokAnd || out[hi].kind == tokOr) {
			hi++
		}
		out = slices.Concat(out[:lo], out[hi:])
	}
}
