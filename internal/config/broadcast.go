package config

import (
	"fmt"
	"slices"
	"strings"

	"gyre/internal/flowfile"
	"gyre/internal/suggest"
)

// Broadcast support. `cylc broadcast` overrides [runtime] settings of a
// running workflow; internal/broadcast keeps the overrides, and this file
// is the part that needs the schema: checking that a setting exists and
// that its value reads as its type, and building a namespace's Runtime with
// overrides applied. Values are read the way Cylc's server reads broadcast
// values (BroadcastConfigValidator), which differs from the flow.cylc
// reading in one way that matters to shell scripts: a bare string keeps a
// '#' ("${FOO#*bar}" is parameter expansion, not a comment).

// Setting is one [runtime] setting of a namespace: its path below
// [runtime][<namespace>] (["environment", "X"], ["script"]) and its value as
// text, the way a user writes it after "=".
type Setting struct {
	Path  []string
	Value string
}

// Key is the path as Cylc writes it in broadcast messages and in its
// database: "[environment]X", "[events]execution timeout", "script".
func (s Setting) Key() string { return itemPath(s.Path, false) }

// notBroadcastable are [runtime] items that exist in the schema but that a
// broadcast cannot change, with the reason given to the user.
var notBroadcastable = map[string][2]string{
	"inherit": {"inheritance cannot be changed by broadcast",
		"the family tree is fixed when the workflow loads: edit flow.cylc and reload"},
	"outputs": {"task outputs cannot be changed by broadcast",
		"outputs are part of the graph: edit flow.cylc and reload"},
	"parameter environment templates": {"[parameter environment templates] cannot be broadcast",
		"broadcast the variable itself, e.g. [environment]NAME=value"},
}

// UpgradeSettingPath maps a Cylc 7 [runtime] setting path to its Cylc 8
// one ([job]execution time limit → execution time limit, [events]mail to →
// [mail]to, ...), as Cylc upgrades broadcasts before sending them, so that
// old task scripts that broadcast keep working. A path that Cylc 8 made
// obsolete is an error; any other path is returned unchanged (a copy).
func UpgradeSettingPath(path []string) ([]string, error) {
	out := slices.Clone(path)
	for _, r := range upgradeRules {
		if len(r.old) < 3 || r.old[0] != "runtime" || r.old[1] != manyName {
			continue
		}
		old := r.old[2:]
		if r.isSection {
			if len(out) <= len(old) || !slices.Equal(out[:len(old)], old) {
				continue
			}
		} else if !slices.Equal(out, old) {
			continue
		}
		if r.new == nil {
			return nil, &Error{
				Msg:  fmt.Sprintf("obsolete setting: %s (%s %s)", itemPath(out, false), r.describe, r.version),
				Hint: "Cylc 8 no longer has this setting: drop it",
			}
		}
		out = append(slices.Clone(r.new[2:]), out[len(old):]...)
	}
	return out, nil
}

// CheckSetting reports whether [runtime][<namespace>]+path is a setting
// that a broadcast may change and value reads as its type. The error is an
// *Error with a did-you-mean or the expected form of the value as its hint.
func (w *Workflow) CheckSetting(path []string, value string) error {
	sp, err := broadcastSpec(path)
	if err != nil {
		return err
	}
	_, err = broadcastValue(sp, path, value)
	return err
}

// FileSettingValue reads raw, the value of path as written in a broadcast
// file (flow.cylc syntax: quotes, trailing comments, lists), and returns it
// as the text that a `-s` broadcast of the same value would carry, which is
// what Cylc sends for `cylc broadcast -F FILE`. The path is checked as
// CheckSetting does.
func FileSettingValue(path []string, raw string) (string, error) {
	sp, err := broadcastSpec(path)
	if err != nil {
		return "", err
	}
	v, err := coerce(sp.typ, []flowfile.Value{{Text: raw}}, path[len(path)-1])
	if err != nil {
		return "", valueError(sp, path, raw, err)
	}
	if err := checkOptions(sp, path, v); err != nil {
		return "", err
	}
	return formatValue(v, false, ""), nil
}

// RuntimeWith is Runtime(name) with overrides applied, in order, over a
// copy of the namespace's settings: the workflow itself is not changed.
// As in Cylc (parsec's poverride with prepend), a setting that exists is
// replaced where it is, and a new user-defined key (an environment
// variable, a directive) goes first in its section, so that the workflow's
// own environment can refer to a broadcast variable. The result is an error
// if a setting is invalid or if the overrides combine platform with the
// Cylc 7 host settings it replaces.
func (w *Workflow) RuntimeWith(name string, overrides []Setting) (*Runtime, error) {
	ns := w.Namespaces[name]
	if ns == nil {
		return nil, &Error{Msg: "no such namespace: " + name, Hint: strings.TrimSpace(suggest.Hint(name, w.NamespaceOrder))}
	}
	if len(overrides) == 0 {
		rt, _ := w.Runtime(name)
		return rt, nil
	}
	n := ns.Settings.clone()
	urlSet := false
	for _, s := range overrides {
		if err := applySetting(n, s); err != nil {
			return nil, err
		}
		urlSet = urlSet || slices.Equal(s.Path, []string{"meta", "URL"})
	}
	if err := checkPlatformConflict(name, n); err != nil {
		return nil, err
	}
	nsCopy := *ns
	nsCopy.Settings = n
	view := *w
	view.Namespaces = map[string]*Namespace{name: &nsCopy}
	rt, _ := view.Runtime(name)
	if urlSet { // a broadcast URL is used as given, not template-expanded
		rt.Meta.URL = n.Get("meta", "URL").String()
	}
	return rt, nil
}

// broadcastSpec finds the schema of a broadcastable setting.
func broadcastSpec(path []string) (*spec, error) {
	if len(path) == 0 {
		return nil, &Error{Msg: "empty setting name", Hint: "name a [runtime] setting, e.g. script or [environment]NAME"}
	}
	if nb, ok := notBroadcastable[path[0]]; ok {
		return nil, &Error{Msg: nb[0] + ": " + itemPath(path, false), Hint: nb[1]}
	}
	sp := runtimeSpec.many
	for i, key := range path {
		last := i == len(path)-1
		cs := sp.child(key)
		shown := itemPath(path[:i+1], !last || (cs != nil && cs.section))
		switch {
		case strings.TrimSpace(key) == "":
			return nil, &Error{Msg: "empty name in setting " + itemPath(path, false)}
		case cs == nil:
			return nil, &Error{Msg: "unknown [runtime] setting: " + shown, Hint: didYouMean(key, sp)}
		case cs == sp.many && !cs.section && strings.Contains(key, "  "):
			return nil, &Error{Msg: "illegal item (consecutive spaces): " + shown, Hint: "use single spaces between words"}
		case !last && !cs.section:
			return nil, &Error{Msg: fmt.Sprintf("%s is a setting, not a [section]: %s", key, itemPath(path, false)),
				Hint: "write it as " + itemPath(path[:i+1], false) + "=VALUE"}
		case last && cs.section:
			hint := "give a setting below it, e.g. " + shown + "NAME=VALUE"
			if cs.many == nil {
				hint = "give a setting below it, e.g. " + shown + cs.children[0].name + "=VALUE"
			}
			return nil, &Error{Msg: "[" + key + "] is a section, not a setting: " + shown, Hint: hint}
		}
		sp = cs
	}
	if path[0] == "environment" && !legalVarName(path[1]) {
		return nil, &Error{Msg: "illegal environment variable name: " + itemPath(path, false),
			Hint: "a name starts with a letter or _ and holds only letters, digits and _"}
	}
	return sp, nil
}

// broadcastValue reads a broadcast value as its type and checks its options.
func broadcastValue(sp *spec, path []string, raw string) (any, error) {
	v, err := coerceBroadcast(sp.typ, raw)
	if err != nil {
		return nil, valueError(sp, path, raw, err)
	}
	if err := checkOptions(sp, path, v); err != nil {
		return nil, err
	}
	return v, nil
}

// coerceBroadcast reads a value as Cylc's BroadcastConfigValidator does: a
// string is unquoted if quoted and otherwise kept whole ('#' included); a
// list may be wrapped in [brackets] (how Python prints one). Other types
// read as in flow.cylc.
func coerceBroadcast(t vtype, raw string) (any, error) {
	switch t {
	case tString:
		s, quoted, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		if !quoted {
			s = raw
		}
		return pyStrip(pyDedent(s)), nil
	case tStringList, tSpacelessList, tIntervalList:
		if strings.HasPrefix(raw, "[") && strings.HasSuffix(raw, "]") {
			raw = strings.TrimRight(strings.TrimLeft(raw, "["), "]")
		}
	}
	return coerce(t, []flowfile.Value{{Text: raw}}, "")
}

// valueError words a value that does not read as its type.
func valueError(sp *spec, path []string, raw string, err error) error {
	th := typeHelp[sp.typ]
	shown := strings.TrimSpace(raw)
	if i := strings.IndexByte(shown, '\n'); i >= 0 {
		shown = shown[:i] + " …"
	}
	msg := fmt.Sprintf("invalid %s: %s = %s", th[0], itemPath(path, false), shown)
	switch {
	case err == errBadQuoting:
		msg = fmt.Sprintf("invalid quoting: %s = %s", itemPath(path, false), shown)
	case err != errNoDetail && err.Error() != "":
		msg += " (" + err.Error() + ")"
	}
	return &Error{Msg: msg, Hint: "expected " + th[1]}
}

// checkOptions rejects a value that is not one of the setting's options.
func checkOptions(sp *spec, path []string, v any) error {
	if len(sp.options) == 0 || v == nil {
		return nil
	}
	valid := func(s string) bool {
		_, depr := sp.deprOptions[s]
		return depr || slices.Contains(sp.options, s)
	}
	vals, isList := v.([]string)
	if !isList {
		s, _ := v.(string)
		vals = []string{s}
	}
	for _, s := range vals {
		if !valid(s) {
			hint := "expected one of: " + strings.Join(sp.options, ", ")
			if dm := closest(s, sp.options); len(dm) > 0 {
				hint += "; did you mean " + quoteList(dm) + "?"
			}
			return &Error{Msg: fmt.Sprintf("invalid option: %s = %s", itemPath(path, false), s), Hint: hint}
		}
	}
	return nil
}

// applySetting sets one override in n, a namespace's settings.
func applySetting(n *Node, s Setting) error {
	sp, err := broadcastSpec(s.Path)
	if err != nil {
		return err
	}
	v, err := broadcastValue(sp, s.Path, s.Value)
	if err != nil {
		return err
	}
	cur := n
	for _, key := range s.Path[:len(s.Path)-1] {
		cur = cur.ensureSection(key)
	}
	key := s.Path[len(s.Path)-1]
	it := newItem(key, sp, flowfile.Pos{}, v)
	if sp.name == manyName && cur.lookup(key) == nil {
		cur.items = append([]*Node{it}, cur.items...)
		cur.reindex()
		return nil
	}
	cur.put(it)
	return nil
}

// checkPlatformConflict rejects platform together with the Cylc 7 settings
// that it replaces, which only a broadcast can bring together once the
// workflow has loaded (Cylc's fail_if_platform_and_host_conflict).
func checkPlatformConflict(name string, n *Node) error {
	platform := n.Lookup("platform").String()
	if platform == "" {
		return nil
	}
	var bad []string
	for _, f := range forbiddenWithPlatform {
		for _, k := range f.keys {
			if it := n.Lookup(f.section, k); it != nil && !it.section && it.Value() != nil {
				bad = append(bad, "\n * ["+f.section+"]"+k)
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &Error{
		Msg: fmt.Sprintf("task '%s' has the following deprecated '[runtime]' setting(s) which cannot be used with 'platform = %s':%s",
			name, platform, strings.Join(bad, "")),
		Hint: "broadcast either platform or the Cylc 7 host settings, not both",
	}
}
