package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gyre/internal/suggest"
)

// validate checks the (upgraded) raw tree against the schema and builds the
// typed tree. It reports every problem rather than stopping at the first.
func validate(raw *rawNode, errs *ErrorList, warns *[]Warning) *Node {
	root := newSection("", workflowSpec, raw.pos)
	validateSection(raw, root, workflowSpec, nil, errs, warns)
	return root
}

func validateSection(raw *rawNode, dst *Node, sp *spec, keys []string, errs *ErrorList, warns *[]Warning) {
	for _, c := range raw.children {
		cs := sp.byName[c.name]
		if cs == nil && sp.many != nil {
			cs = sp.many
			if !c.section && strings.Contains(c.name, "  ") && !equalKeys(keys, "scheduling", "graph") {
				errs.add(c.pos, "use single spaces between words",
					"illegal item (consecutive spaces): %s", itemPath(append(keys, c.name), false))
				continue
			}
		}
		ckeys := append(append([]string{}, keys...), c.name)
		switch {
		case cs == nil:
			errs.add(c.pos, didYouMean(c.name, sp), "illegal item: %s", itemPath(ckeys, c.section))
		case c.section && !cs.section:
			errs.add(c.pos, "write it as "+itemPath(ckeys, false)+" = VALUE",
				"illegal item: %q should be a setting not a [section]: %s", c.name, itemPath(ckeys, true))
		case !c.section && cs.section:
			errs.add(c.pos, "write it as a heading "+strings.Repeat("[", len(ckeys))+c.name+strings.Repeat("]", len(ckeys)),
				"illegal item: %q should be a [section] not a setting: %s", c.name, itemPath(ckeys, false))
		case c.section:
			sub := dst.lookup(c.name)
			if sub == nil {
				sub = newSection(c.name, cs, c.pos)
				dst.put(sub)
			}
			validateSection(c, sub, cs, ckeys, errs, warns)
		default:
			if v, ok := validateValue(c, cs, ckeys, errs, warns); ok {
				it := newItem(c.name, cs, c.pos, v)
				it.raw = c.values
				dst.put(it)
			}
		}
	}
}

func equalKeys(keys []string, want ...string) bool {
	if len(keys) != len(want) {
		return false
	}
	for i := range keys {
		if keys[i] != want[i] {
			return false
		}
	}
	return true
}

// validateValue coerces one setting and checks it against its options.
func validateValue(c *rawNode, cs *spec, keys []string, errs *ErrorList, warns *[]Warning) (any, bool) {
	v, err := coerce(cs.typ, c.values, c.name)
	if err != nil {
		th := typeHelp[cs.typ]
		msg := fmt.Sprintf("invalid %s: %s = %s", th[0], itemPath(keys, false), shownValue(c))
		if errors.Is(err, errBadQuoting) {
			msg = fmt.Sprintf("invalid quoting: %s = %s", itemPath(keys, false), shownValue(c))
		} else if err != errNoDetail && err.Error() != "" {
			msg += " (" + err.Error() + ")"
		}
		errs.add(c.pos, "expected "+th[1], "%s", msg)
		return nil, false
	}
	if len(cs.options) == 0 {
		return v, true
	}
	valid := func(s string) bool {
		if _, ok := cs.deprOptions[s]; ok {
			return true
		}
		for _, o := range cs.options {
			if o == s {
				return true
			}
		}
		return false
	}
	hint := "expected one of: " + strings.Join(cs.options, ", ")
	if lst, ok := v.([]string); ok {
		var bad, good []string
		for _, s := range lst {
			if valid(s) {
				good = append(good, s)
			} else {
				bad = append(bad, s)
			}
		}
		if len(bad) == 0 {
			return v, true
		}
		msg := fmt.Sprintf("(type=option) %s = %s", itemPath(keys, false), strings.Join(bad, ", "))
		if cs.warnOptions {
			*warns = append(*warns, Warning{Pos: c.pos, Msg: msg + "\nInvalid items have been removed"})
			if good == nil {
				good = []string{}
			}
			return good, true
		}
		errs.add(c.pos, hint, "invalid option: %s = %s", itemPath(keys, false), strings.Join(bad, ", "))
		return nil, false
	}
	s, _ := v.(string)
	if !valid(s) {
		if dm := closest(s, cs.options); len(dm) > 0 {
			hint += "; did you mean " + quoteList(dm) + "?"
		}
		errs.add(c.pos, hint, "invalid option: %s = %s", itemPath(keys, false), s)
		return nil, false
	}
	return v, true
}

// shownValue is the raw value for a message, shortened to one line.
func shownValue(c *rawNode) string {
	s := strings.TrimSpace(c.text())
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}

// didYouMean suggests the closest legal keys at that level.
func didYouMean(key string, sp *spec) string {
	var names []string
	for _, c := range sp.children {
		if c.name != manyName {
			names = append(names, c.name)
		}
	}
	if dm := closest(key, names); len(dm) > 0 {
		return "did you mean " + quoteList(dm) + "?"
	}
	if len(names) > 0 && len(names) <= 12 {
		return "legal items here: " + strings.Join(names, ", ")
	}
	return ""
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, " or ")
}

// closest returns up to three candidates within a small edit distance of
// key (case-insensitive), best first.
func closest(key string, candidates []string) []string {
	type scored struct {
		name string
		d    int
	}
	var best []scored
	limit := max(2, len([]rune(key))/3)
	for _, c := range candidates {
		d := suggest.Distance(strings.ToLower(key), strings.ToLower(c))
		if d <= limit {
			best = append(best, scored{c, d})
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].d < best[j].d })
	var out []string
	for i, b := range best {
		if i == 3 || b.d > best[0].d {
			break
		}
		out = append(out, b.name)
	}
	return out
}
