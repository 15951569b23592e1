package graph

import (
	"strings"
)

// procPair processes one "left => right" pair, in the order of checks
// Cylc's GraphParser._proc_dep_pair makes.
func (p *parser) procPair(pr *pair) error {
	left, right := pr.leftText, pr.rightText
	show := func() string {
		if pr.left == nil {
			return "None => " + right
		}
		return left + " => " + right
	}
	for _, t := range pr.right {
		if t.kind == tokOr {
			return p.errorf(pr.line, right, "only & may join the tasks on the right of =>",
				"Illegal OR on right side: %s", right)
		}
	}
	for _, t := range pr.left {
		if t.kind == tokNode && t.node.suicide {
			return p.errorf(t.line, left, "write !"+t.node.name+" on the right of =>",
				"Suicide markers must be on the right of a trigger: %s", left)
		}
	}
	if countParens(pr.left) != 0 {
		return p.errorf(pr.line, left, "", "Mismatched parentheses in: %q", left)
	}
	if countParens(pr.right) != 0 {
		return p.errorf(pr.line, right, "", "Mismatched parentheses in: %q", right)
	}

	rights, perr := parseRight(pr.right)
	if perr != errNone {
		return p.exprError(perr, pr.line, show(), right)
	}
	if pr.left != nil {
		for _, n := range rights {
			if n.offset != "" {
				if _, ok := p.checkTerminals[n.text]; !ok {
					p.checkTerminals[n.text] = pr
				}
			}
		}
	}

	// A plain "a & b => c" is two triggers of c; an expression with | or
	// parentheses is one.
	var lefts [][]token
	switch {
	case pr.left == nil:
		lefts = [][]token{nil}
	case hasKind(pr.left, tokOr) || hasKind(pr.left, tokLParen):
		lefts = [][]token{pr.left}
	default:
		start := 0
		for i := 0; i <= len(pr.left); i++ {
			if i == len(pr.left) || pr.left[i].kind == tokAnd {
				lefts = append(lefts, pr.left[start:i])
				start = i + 1
			}
		}
	}
	for _, l := range lefts {
		if l != nil && len(l) == 0 {
			return p.errorf(pr.line, show(), "", "Null task name in graph: %s", show())
		}
	}
	for _, n := range rights {
		p.rightNodes[n.text] = true
		if n.xtrig {
			return p.errorf(n.line, n.text, "xtriggers are conditions of the tasks on the right of =>",
				"xtrigger @%s must be on the left of a trigger: %s", n.name, show())
		}
		if msg := checkTaskName(n.name); msg != "" {
			return p.errorf(n.line, n.name, "", "invalid task name %q: %s", n.name, msg)
		}
	}

	for _, l := range lefts {
		var trig *Trigger
		if l != nil {
			var err error
			if trig, err = p.leftTrigger(l, pr, right); err != nil {
				return err
			}
		}
		if err := p.applyRights(trig, rights, pr); err != nil {
			return err
		}
	}
	return nil
}

func hasKind(toks []token, k tokKind) bool {
	for _, t := range toks {
		if t.kind == k {
			return true
		}
	}
	return false
}

// countParens returns the number of '(' minus the number of ')'.
func countParens(toks []token) int {
	n := 0
	for _, t := range toks {
		switch t.kind {
		case tokLParen:
			n++
		case tokRParen:
			n--
		}
	}
	return n
}

func (p *parser) exprError(e exprErr, line int, pairText, part string) error {
	switch e {
	case errNull:
		return p.errorf(line, pairText, "", "Null task name in graph: %s", pairText)
	case errParen:
		return p.errorf(line, part, "", "Mismatched parentheses in: %q", part)
	}
	return p.errorf(line, part, "join nodes with &, | or =>", "Error in expression %q", part)
}

// leftTrigger checks and converts one left-hand expression to a Trigger.
func (p *parser) leftTrigger(toks []token, pr *pair, right string) (*Trigger, error) {
	text := tokensText(toks)
	a, perr := parseExpr(toks)
	if perr != errNone {
		return nil, p.exprError(perr, pr.line, text+" => "+right, text)
	}
	nodes := a.leaves(nil)
	for _, n := range nodes {
		p.leftNodes[n.text] = true
	}
	// Cylc checks for bare family names first, then the qualifiers.
	for _, n := range nodes {
		if n.xtrig {
			continue
		}
		if _, fam := p.fams[n.name]; fam && n.qual == "" {
			return nil, p.errorf(n.line, text+" => "+right,
				"say which member outputs count, e.g. "+n.name+":succeed-all",
				"Family trigger required: %s => %s", text, right)
		}
		if msg := checkTaskName(n.name); msg != "" {
			return nil, p.errorf(n.line, n.name, "", "invalid task name %q: %s", n.name, msg)
		}
		p.noteCustom(n)
	}
	for _, n := range nodes {
		if n.xtrig {
			continue
		}
		members, fam := p.fams[n.name]
		q := standardOutput(n.qual)
		_, famQ := famQualifiers[q]
		switch {
		case fam && !famQ:
			return nil, p.errorf(n.line, n.text, didYouMean(n.qual, famQualifierNames),
				"Illegal family trigger in %s", text)
		case fam && len(members) == 0:
			return nil, p.errorf(n.line, n.text, "the family has no tasks to wait for",
				"Illegal family trigger in %s: family %s has no member tasks", text, n.name)
		case !fam && famQ:
			return nil, p.errorf(n.line, n.text, "only a family can take a -all or -any qualifier",
				"family trigger on non-family namespace %s", text)
		}
	}
	return p.buildTrigger(a, pr.line), nil
}

// applyRights records the trigger (nil for a lone node) for each node on
// the right, and the output optionality those nodes state.
func (p *parser) applyRights(trig *Trigger, rights []*node, pr *pair) error {
	for _, n := range rights {
		members, fam := p.fams[n.name]
		var outputs []string
		optional := n.opt
		if fam {
			q := n.qual
			if q == "" && trig == nil {
				// A lone family means all members, success required
				// (or optional for "FAM?").
				q = "succeed-all"
			} else if strings.HasPrefix(q, "finish") {
				if optional {
					return p.errorf(n.line, n.text, "finish means succeed or fail, which are optional already",
						"Family pseudo-output %s:%s can't be optional", n.name, q)
				}
				optional = true
			}
			if q != "" {
				fq, ok := famQualifiers[q]
				if !ok {
					return p.errorf(n.line, n.text, didYouMean(q, famQualifierNames),
						"Illegal family trigger: %s:%s", n.name, q)
				}
				if fq.output == Finished {
					outputs = []string{Succeeded, Failed}
				} else {
					outputs = []string{fq.output}
				}
			}
		} else {
			members = []string{n.name}
			out := ""
			if n.qual != "" {
				if _, famQ := famQualifiers[n.qual]; famQ {
					return p.errorf(n.line, n.text, "only a family can take a -all or -any qualifier",
						"family trigger on non-family namespace %s", n.text)
				}
				out = standardOutput(n.qual)
				p.noteCustom(n)
			} else if optional || !p.endOfChain[n.text] || trig == nil {
				// "b?" means b:succeeded?; a plain "b" means b:succeeded
				// too, except at the end of a chain that has a left side,
				// where it says nothing about b's outputs.
				out = Succeeded
			}
			if out != "" {
				outputs = []string{out}
			}
		}
		if trig == nil && n.suicide {
			return p.errorf(n.line, n.text, "a suicide trigger needs a left side",
				"Suicide markers must be on the right of a trigger: %s", n.text)
		}
		for _, m := range members {
			if n.offset == "" {
				// Nodes with offsets on the right define no triggers.
				if err := p.setTrigger(m, n.suicide, trig, pr); err != nil {
					return err
				}
			}
			for _, o := range outputs {
				if err := p.setOutputOpt(m, o, optional, n.suicide, fam, n.line); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// setTrigger records trig (nil: a lone node) as a trigger of task.
func (p *parser) setTrigger(task string, suicide bool, trig *Trigger, pr *pair) error {
	byText := p.trigs[task]
	if byText == nil {
		byText = map[string]*Trigger{}
		p.trigs[task] = byText
		p.g.Tasks = append(p.g.Tasks, task)
	}
	if trig == nil {
		p.lone[task] = true
		return nil
	}
	if old, ok := byText[trig.Text]; ok {
		if old.Suicide != suicide {
			return p.errorf(pr.line, pr.leftText+" => "+pr.rightText, "",
				"%s can't trigger both %s and !%s", spacedOrig(p.origTexts[old]), task, task)
		}
		return nil
	}
	t := *trig
	t.Suicide = suicide
	byText[t.Text] = &t
	p.origTexts[&t] = p.origTexts[trig]
	p.g.Triggers[task] = append(p.g.Triggers[task], &t)
	if suicide && p.opts.ExpireTriggers {
		return p.setOutputOpt(task, Expired, true, false, false, pr.line)
	}
	return nil
}

// spacedOrig formats an unexpanded expression for messages as Cylc does.
func spacedOrig(s string) string {
	s = strings.ReplaceAll(s, "&", " & ")
	s = strings.ReplaceAll(s, "|", " | ")
	return strings.ReplaceAll(s, ":succeeded", "")
}

// noteCustom records a reference to a custom output of a task.
func (p *parser) noteCustom(n *node) {
	if n.qual == "" || n.xtrig {
		return
	}
	if _, fam := p.fams[n.name]; fam {
		return
	}
	out := standardOutput(n.qual)
	if isStandardOutput(out) {
		return
	}
	k := TaskOutput{n.name, out}
	if _, ok := p.custom[k]; !ok {
		p.custom[k] = n.line
	}
}
