package param

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Expanded is one concrete name from a parameterised one, with the
// parameter values it was made from (the CYLC_TASK_PARAM_<name> values).
type Expanded struct {
	Name   string
	Values map[string]string
}

var (
	// reNames splits a runtime heading "foo<m,n>, bar" at commas outside <>.
	reNames = regexp.MustCompile(`(?:[^,<]|<[^>]*>)+`)
	// reNameHead matches a task-name prefix (TaskID.NAME_RE).
	reNameHead = regexp.MustCompile(`^[\p{L}\p{N}_][\p{L}\p{N}_\-+%@]*`)
	// reGroup finds each <...> parameter group.
	reGroup = regexp.MustCompile(`<(.*?)>`)
	// reItem splits "m", "m-1", "m+1", "m=val" (REC_P_OFFS).
	reItem = regexp.MustCompile(`^([\p{L}\p{N}_]+)\s*([\-+]\s*\d+|=\s*[\p{L}\p{N}_\-+%@]+)?`)
	// reParams detects a parameterised graph line (graph_parser REC_PARAMS).
	reParams = regexp.MustCompile(`<[\p{L}\p{N}_,=\-+]+>`)
	// reOutOfRange removes nodes expanded from out-of-range offsets, with
	// their & or | operator (graph_parser REC_NODE_OUT_OF_RANGE). Cylc's
	// pattern makes the final 8 of -32768 optional; kept as is.
	reOutOfRange = regexp.MustCompile(`^[^\s&|]+-3276(?:8)?[^\s&|]+[&|]|[&|][^\s&|]+-3276(?:8)?[^\s&|]+|^[^\s&|]+-3276(?:8)?[^\s&|]+$`)
)

// removed is the value GraphExpander substitutes for an offset that falls
// outside a parameter's values; nodes containing it are then dropped.
const removed = -32768

// maxExpansions bounds the lines or names one expansion may produce.
const maxExpansions = 1 << 20

// ExpandName expands a runtime namespace heading such as "foo<m,n>",
// "foo<m=2>" or a list "foo<m>, bar" into concrete names, with the values
// of the parameters used (Cylc's NameExpander). Offsets ("foo<m-1>") are
// an error here: they only make sense in the graph.
func (s *Set) ExpandName(heading string) ([]Expanded, error) {
	var out []Expanded
	for _, name := range reNames.FindAllString(heading, -1) {
		var tmpl strings.Builder
		fixed := map[string]any{}
		var loop []*Param
		rest := strings.TrimSpace(name)
		for rest != "" {
			head, group, tail, ok := splitParams(strings.TrimSpace(rest))
			if !ok {
				break
			}
			tmpl.WriteString(escapePercent(head))
			for _, item := range strings.Split(group, ",") {
				item = strings.TrimSpace(item)
				m := reItem.FindStringSubmatch(item)
				if m == nil {
					return nil, errorf("parameter %s is not defined in %s", item, heading)
				}
				p := s.byName[m[1]]
				if p == nil || len(p.Values) == 0 {
					return nil, errorf("parameter %s is not defined in %s%s", m[1], heading, s.suggest(m[1]))
				}
				switch sval := m[2]; {
				case sval == "":
					loop = append(loop, p)
				case sval[0] == '+' || sval[0] == '-':
					return nil, errorf("parameter index offsets are not supported in name expansion: %s%s", m[1], sval)
				default:
					val := strings.TrimSpace(sval[1:])
					var v any = val
					if n, err := strconv.Atoi(val); err == nil {
						v = n
					}
					i := p.index(v)
					if i < 0 {
						return nil, errorf("parameter %s out of range: %s (values: %s)", m[1], group, strings.Join(p.Values, ", "))
					}
					if p.Ints {
						fixed[p.Name] = p.ints[i]
					} else {
						fixed[p.Name] = v
					}
				}
				tmpl.WriteString(s.templates[p.Name])
			}
			rest = tail
		}
		if tmpl.Len() == 0 {
			out = append(out, Expanded{Name: strings.TrimSpace(name), Values: map[string]string{}})
			continue
		}
		tmpl.WriteString(escapePercent(rest))
		var err error
		out, err = s.expandName(out, tmpl.String(), loop, fixed)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// splitParams matches Cylc's REC_P_ALL on s: an optional name head, a
// <group> and the tail after it; ok is false when there is no group.
func splitParams(s string) (head, group, tail string, ok bool) {
	head = reNameHead.FindString(s)
	after := s[len(head):]
	if !strings.HasPrefix(after, "<") {
		return "", "", "", false
	}
	end := strings.IndexByte(after, '>')
	if end < 0 {
		return "", "", "", false
	}
	group = after[1:end]
	if group == "" {
		return "", "", "", false
	}
	return head, group, after[end+1:], true
}

// escapePercent protects literal name text inside a % template.
func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

func (s *Set) expandName(out []Expanded, tmpl string, loop []*Param, fixed map[string]any) ([]Expanded, error) {
	if len(loop) == 0 {
		name, err := format(tmpl, fixed)
		if err != nil {
			return nil, err
		}
		if len(out) >= maxExpansions {
			return nil, errorf("parameter expansion of %s makes more than %d names", tmpl, maxExpansions)
		}
		values := make(map[string]string, len(fixed))
		for k, v := range fixed {
			values[k] = str(v)
		}
		return append(out, Expanded{Name: name, Values: values}), nil
	}
	p := loop[0]
	for i := range p.Values {
		fixed[p.Name] = p.value(i)
		var err error
		if out, err = s.expandName(out, tmpl, loop[1:], fixed); err != nil {
			return nil, err
		}
	}
	delete(fixed, p.Name)
	return out, nil
}

func str(v any) string {
	if n, ok := v.(int); ok {
		return strconv.Itoa(n)
	}
	return v.(string)
}

// ExpandParent expands the parameters in a parent name from an "inherit"
// setting of the namespace whose parameter values are given: "FAM<m>"
// takes m from values, "FAM<m=3>" names a value itself (Cylc's
// expand_parent_params). It returns the parent's concrete name and the
// parameter values it used.
func (s *Set) ExpandParent(parent string, values map[string]string) (string, map[string]string, error) {
	groups := reGroup.FindAllStringSubmatchIndex(parent, -1)
	if len(groups) == 0 {
		return parent, nil, nil
	}
	origin := "inherit = " + parent
	used := map[string]any{}
	var tmpl strings.Builder
	last := 0
	for _, g := range groups {
		tmpl.WriteString(escapePercent(parent[last:g[0]]))
		last = g[1]
		for _, item := range strings.Split(parent[g[2]:g[3]], ",") {
			item = strings.TrimSpace(item)
			if strings.ContainsAny(item, "-+") {
				return "", nil, errorf("parameter offsets illegal here: '%s'", origin)
			}
			if name, val, ok := strings.Cut(item, "="); ok {
				name, val = strings.TrimSpace(name), strings.TrimSpace(val)
				p := s.byName[name]
				if p == nil {
					return "", nil, errorf("parameter '%s' undefined in '%s'%s", name, origin, s.suggest(name))
				}
				var v any = val
				if n, err := strconv.Atoi(val); err == nil {
					v = n
				}
				i := p.index(v)
				if i < 0 || !p.Ints && isInt(v) {
					return "", nil, errorf("illegal value '%s=%s' in '%s'", name, val, origin)
				}
				used[name] = p.value(i)
				tmpl.WriteString(s.templates[name])
				continue
			}
			p := s.byName[item]
			v, ok := values[item]
			if p == nil || !ok {
				return "", nil, errorf("parameter '%s' undefined in '%s'", item, origin)
			}
			used[item] = typed(p, v)
			tmpl.WriteString(s.templates[item])
		}
	}
	tmpl.WriteString(escapePercent(parent[last:]))
	name, err := format(tmpl.String(), used)
	if err != nil {
		return "", nil, err
	}
	out := make(map[string]string, len(used))
	for k, v := range used {
		out[k] = str(v)
	}
	return name, out, nil
}

func isInt(v any) bool {
	_, ok := v.(int)
	return ok
}

// typed converts a value string back to the parameter's type.
func typed(p *Param, v string) any {
	if p.Ints {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return v
}

// Interpolate formats an environment value template such as
// "member_%(m)03d" with a task's parameter values (Cylc's
// interpolate_template). Text without "%(" is returned unchanged.
func (s *Set) Interpolate(tmpl string, values map[string]string) (string, error) {
	if !strings.Contains(tmpl, "%(") {
		return tmpl, nil
	}
	vals := make(map[string]any, len(values))
	for k, v := range values {
		if p := s.byName[k]; p != nil {
			vals[k] = typed(p, v)
		} else {
			vals[k] = v
		}
	}
	return format(tmpl, vals)
}

// ExpandGraph expands the parameters in one graph line as Cylc's
// GraphExpander does, then drops nodes whose offset fell outside the
// parameter's values together with their & or | operator; a chain stops
// at a node that disappears entirely, so "a<m-1> => b<m>" yields nothing
// for the first m. Whitespace is removed first, as Cylc's graph parser
// does; comments must already be stripped. Lines are returned without
// duplicates in expansion order.
func (s *Set) ExpandGraph(line string) ([]string, error) {
	line = strings.Join(strings.FieldsFunc(line, unicode.IsSpace), "")
	if !reParams.MatchString(line) {
		return []string{line}, nil
	}
	var used []*Param
	seen := map[string]bool{}
	groups := uniqueGroups(line)
	for _, g := range groups {
		for _, item := range strings.Split(g, ",") {
			m := reItem.FindStringSubmatch(item)
			if m == nil {
				return nil, errorf("parameter %s is not defined in <%s>: %s", item, g, line)
			}
			p := s.byName[m[1]]
			if p == nil || len(p.Values) == 0 {
				return nil, errorf("parameter %s is not defined in <%s>: %s%s", m[1], g, line, s.suggest(m[1]))
			}
			if strings.HasPrefix(m[2], "=") {
				val := m[2][1:]
				var v any = val
				if n, err := strconv.Atoi(val); err == nil {
					v = n
				}
				if p.index(v) < 0 {
					return nil, errorf("parameter %s out of range: %s (values: %s)", m[1], g, strings.Join(p.Values, ", "))
				}
			}
			if !seen[p.Name] {
				seen[p.Name] = true
				used = append(used, p)
			}
		}
	}
	out := []string{}
	dedup := map[string]bool{}
	values := map[string]int{} // index of each looped parameter's value
	var walk func(k int) error
	walk = func(k int) error {
		if k < len(used) {
			for i := range used[k].Values {
				values[used[k].Name] = i
				if err := walk(k + 1); err != nil {
					return err
				}
			}
			return nil
		}
		expanded, err := s.substitute(line, groups, values)
		if err != nil {
			return err
		}
		if reParams.MatchString(expanded) {
			// Brackets inside brackets ("<p<m>>") leave a group behind.
			return errorf("malformed parameter brackets in %s: nested < > are not allowed", line)
		}
		if kept := dropOutOfRange(expanded); kept != "" && !dedup[kept] {
			if len(out) >= maxExpansions {
				return errorf("parameter expansion of %s makes more than %d lines", line, maxExpansions)
			}
			dedup[kept] = true
			out = append(out, kept)
		}
		return nil
	}
	if err := walk(0); err != nil {
		return nil, err
	}
	return out, nil
}

// uniqueGroups lists the distinct <...> group contents of a line.
func uniqueGroups(line string) []string {
	var groups []string
	seen := map[string]bool{}
	for _, m := range reGroup.FindAllStringSubmatch(line, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			groups = append(groups, m[1])
		}
	}
	return groups
}

// substitute replaces every parameter group in line for one combination
// of looped parameter values.
func (s *Set) substitute(line string, groups []string, values map[string]int) (string, error) {
	for _, g := range groups {
		vals := map[string]any{}
		var order []string
		for _, item := range strings.Split(g, ",") {
			m := reItem.FindStringSubmatch(item)
			p := s.byName[m[1]]
			var v any
			switch offs := m[2]; {
			case offs == "":
				v = p.value(values[p.Name])
			case offs[0] == '=':
				v = offs[1:]
				if n, err := strconv.Atoi(offs[1:]); err == nil {
					v = n
				}
			default:
				off, err := strconv.Atoi(strings.ReplaceAll(strings.TrimPrefix(offs, "+"), " ", ""))
				if err != nil {
					return "", errorf("bad parameter offset %s in <%s>", offs, g)
				}
				if i := values[p.Name] + off; i >= 0 && i < len(p.Values) {
					v = p.value(i)
				} else {
					v = removed
				}
			}
			if _, dup := vals[p.Name]; !dup {
				order = append(order, p.Name)
			}
			vals[p.Name] = v
		}
		var tmpl strings.Builder
		for _, name := range order {
			tmpl.WriteString(s.templates[name])
		}
		repl, err := format(tmpl.String(), vals)
		if err != nil {
			return "", err
		}
		line = strings.ReplaceAll(line, "<"+g+">", repl)
	}
	return line, nil
}

// dropOutOfRange applies Cylc's chain rule to an expanded line: remove
// out-of-range nodes from each "=>"-separated part and stop the chain at
// a part that becomes empty.
func dropOutOfRange(line string) string {
	var chain []string
	for _, node := range strings.Split(line, "=>") {
		if node == "" {
			chain = append(chain, node)
			continue
		}
		if strings.Contains(node, "-3276") { // the regexp is costly; most nodes are in range
			node = reOutOfRange.ReplaceAllString(node, "")
		}
		if node == "" {
			break
		}
		chain = append(chain, node)
	}
	return strings.Join(chain, "=>")
}

// suggest offers a defined parameter close to a misspelt name.
func (s *Set) suggest(name string) string {
	best, bestDist := "", min(3, len(name))
	for _, p := range s.params {
		if d := distance(name, p.Name); d > 0 && d < bestDist && len(p.Values) > 0 {
			best, bestDist = p.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
