package platform

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gyre/internal/flowfile"
)

// Config is the platforms part of the global configuration: the merged
// [platforms] and [platform groups] of every global.cylc file read. It is
// immutable once built and safe for concurrent lookups (as long as
// Options.Rand is).
type Config struct {
	// Files are the global.cylc files read, in the order applied (later
	// ones override earlier ones). Empty means Cylc's defaults.
	Files []string

	defs      []*platformDef // localhost first, then in definition order
	groups    []*groupDef
	localHost func(string) bool
	rand      func(int) int
	// written are the [platforms] and [platform groups] entries as the
	// files wrote them, for Dump.
	written [2][]writtenEntry
}

// platformDef is one platform name (after comma expansion) with every
// section that defined it applied in order.
type platformDef struct {
	name  string
	pos   flowfile.Pos   // the heading that first defined it
	re    *regexp.Regexp // whole-name match, commas as alternatives
	plain *regexp.Regexp // whole-name match of the name as written
	p     *Platform      // Cylc's defaults with the settings applied
	// explicit records the settings written for this platform; Cylc tells
	// them apart from defaults when mapping Cylc 7 tasks to platforms.
	// The default localhost has every setting explicit, as in Cylc.
	explicit map[string]bool
	defined  bool         // written in a file (not just the default localhost)
	hostsPos flowfile.Pos // where hosts was last set
}

// groupDef is one [platform groups] entry.
type groupDef struct {
	name      string
	pos       flowfile.Pos
	re        *regexp.Regexp
	platforms []string
	method    string
}

// merger accumulates the entries of each file. Like Cylc, entries are merged
// by their heading as written ("a, b" stays one entry) across files, and
// only then are comma separated headings expanded, so the order of
// definition is the order in which each heading was first seen.
type merger struct {
	platforms []string // raw headings in first-seen order
	pSections map[string][]*flowfile.Section
	groups    []string
	gSections map[string][]*flowfile.Section
}

func newMerger() *merger {
	return &merger{pSections: map[string][]*flowfile.Section{}, gSections: map[string][]*flowfile.Section{}}
}

func (m *merger) add(fs fileSections) {
	for _, r := range fs.platforms {
		if _, ok := m.pSections[r.name]; !ok {
			m.platforms = append(m.platforms, r.name)
		}
		m.pSections[r.name] = append(m.pSections[r.name], r.sec)
	}
	for _, r := range fs.groups {
		if _, ok := m.gSections[r.name]; !ok {
			m.groups = append(m.groups, r.name)
		}
		m.gSections[r.name] = append(m.gSections[r.name], r.sec)
	}
}

// build expands, applies and checks the merged entries.
func (m *merger) build(opts Options) (*Config, error) {
	c := &Config{localHost: opts.LocalHost, rand: opts.Rand}
	for _, raw := range m.platforms {
		c.written[0] = append(c.written[0], writtenEntry{raw, m.pSections[raw]})
	}
	for _, raw := range m.groups {
		c.written[1] = append(c.written[1], writtenEntry{raw, m.gSections[raw]})
	}
	localRE := regexp.MustCompile(`^(?:localhost)$`)
	local := &platformDef{name: "localhost", re: localRE, plain: localRE, p: defaultPlatform(true), explicit: allExplicit()}
	c.defs = []*platformDef{local}
	byName := map[string]*platformDef{"localhost": local}
	var errs errorList
	for _, raw := range m.platforms {
		secs := m.pSections[raw]
		for _, name := range expandHeading(raw) {
			if name == "" {
				errs.add(secs[0].Pos, "remove the extra comma", "empty platform name in heading: [platforms][%s]", raw)
				continue
			}
			d := byName[name]
			if d == nil {
				d = &platformDef{name: name, pos: secs[0].Pos, p: defaultPlatform(false), explicit: map[string]bool{}}
				byName[name] = d
				c.defs = append(c.defs, d)
			}
			if !d.defined {
				d.defined, d.pos = true, secs[0].Pos
			}
			for _, s := range secs {
				d.apply(s)
			}
		}
	}
	for _, d := range c.defs[1:] {
		d.compile(&errs)
	}
	for _, raw := range m.groups {
		secs := m.gSections[raw]
		g := &groupDef{name: raw, pos: secs[0].Pos, method: Random}
		for _, s := range secs {
			g.apply(s)
		}
		re, err := compileFull(raw)
		if err != nil {
			errs.add(g.pos, regexHint, "invalid platform group name: [platform groups][%s] (%v)", raw, err)
		}
		g.re = re
		c.groups = append(c.groups, g)
	}
	checkOverlap(c, &errs)
	checkSingleHost(c, &errs)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

const regexHint = `platform names are regular expressions matching the whole name (Go RE2 syntax: ` +
	`no look-around or back-references); escape special characters with \`

// allExplicit marks every platform setting as written, which is how Cylc's
// default localhost platform looks (its spec entry lists all of them).
func allExplicit() map[string]bool {
	m := map[string]bool{}
	for k := range platformSettings {
		m[k] = true
	}
	return m
}

// apply sets the values of one section on the platform (already validated,
// so errors cannot happen here).
func (d *platformDef) apply(s *flowfile.Section) {
	for _, it := range s.Items {
		if st, ok := platformSettings[it.Key]; ok {
			_ = st.set(d.p, it.Value())
			d.explicit[it.Key] = true
			if it.Key == "hosts" {
				d.hostsPos = it.Pos()
			}
		}
	}
	for _, sub := range s.Sections {
		switch sub.Name {
		case "meta":
			d.p.Meta = setKeyValues(d.p.Meta, sub)
		case "directives":
			d.p.Directives = setKeyValues(d.p.Directives, sub)
		case "profiler":
			applyTable(sub, profilerSettings, d.p)
		case "selection":
			applyTable(sub, selectionSettings, d.p)
		}
	}
}

func applyTable(s *flowfile.Section, table map[string]setting, p *Platform) {
	for _, it := range s.Items {
		if st, ok := table[it.Key]; ok {
			_ = st.set(p, it.Value())
		}
	}
}

// setKeyValues sets each item of s in list: a key keeps its first position
// and takes its last value, as in a Python dict.
func setKeyValues(list []KeyValue, s *flowfile.Section) []KeyValue {
	for _, it := range s.Items {
		v, _ := readString(it.Value())
		i := slices.IndexFunc(list, func(kv KeyValue) bool { return kv.Key == it.Key })
		if i < 0 {
			list = append(list, KeyValue{it.Key, v})
		} else {
			list[i].Value = v
		}
	}
	return list
}

func (g *groupDef) apply(s *flowfile.Section) {
	if it := s.Item("platforms"); it != nil {
		g.platforms, _ = readList(it.Value())
	}
	if sel := s.Section("selection"); sel != nil {
		if it := sel.Item("method"); it != nil {
			g.method, _ = readString(it.Value())
		}
	}
}

// reHeadingPart finds the names of a comma separated heading; a quoted
// name may contain commas.
var reHeadingPart = regexp.MustCompile(`(?:[^,"']+|"[^"]*"|'[^']*')+`)

// expandHeading splits a [platforms] heading "a, 'b', c" into its names.
func expandHeading(raw string) []string {
	var out []string
	for _, part := range reHeadingPart.FindAllString(raw, -1) {
		out = append(out, strings.TrimSpace(dequote(strings.TrimSpace(part))))
	}
	return out
}

func dequote(s string) string {
	if len(s) >= 2 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// compile makes the name's regular expressions and rejects a regular
// expression that would match "localhost", which Cylc forbids because the
// default localhost platform could then be silently replaced.
func (d *platformDef) compile(errs *errorList) {
	re, err := compileFull(commasToAlternatives(d.name))
	if err != nil {
		errs.add(d.pos, regexHint, "invalid platform name: [platforms][%s] (%v)", d.name, err)
		return
	}
	d.re = re
	d.plain, err = compileFull(d.name)
	if err != nil {
		d.plain = re
	}
	if !hasRegexChars(d.name) {
		return
	}
	if prefix, err := regexp.Compile(`^(?:` + d.name + `)`); err == nil && prefix.MatchString("localhost") {
		errs.add(d.pos, "to give localhost and other platforms the same settings, use a comma separated list: [[localhost, "+d.name+"]]",
			`the "localhost" platform cannot be defined using a regular expression: [platforms][%s]`, d.name)
	}
}

// compileFull compiles a pattern that must match a whole name (Python's
// re.fullmatch).
func compileFull(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		// Report the error against the user's pattern, not the wrapper.
		if _, err2 := regexp.Compile(pattern); err2 != nil {
			err = err2
		}
		return nil, err
	}
	return re, nil
}

// commasToAlternatives turns "a, b" into "a|b" but leaves the comma of a
// {m,n} repetition alone, as Cylc's platform lookup does.
func commasToAlternatives(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] != ',' || closesRepetition(name[i+1:]) {
			b.WriteByte(name[i])
			continue
		}
		s := strings.TrimRight(b.String(), " \t\n\r\f\v")
		b.Reset()
		b.WriteString(s)
		b.WriteByte('|')
		for i+1 < len(name) && strings.IndexByte(" \t\n\r\f\v", name[i+1]) >= 0 {
			i++
		}
	}
	return b.String()
}

// closesRepetition reports whether s (what follows a comma) is the rest of
// a {m,n} repetition: digits and spaces, then '}'.
func closesRepetition(s string) bool {
	t := strings.TrimLeft(s, "0123456789 \t\n\r\f\v")
	return strings.HasPrefix(t, "}")
}

// hasRegexChars reports whether Python's re.escape would change name, which
// is Cylc's test for "this name is a regular expression".
func hasRegexChars(name string) bool {
	return strings.ContainsAny(name, "()[]{}?*+-|^$\\.&~# \t\n\r\v\f")
}

// checkOverlap rejects a name that is both a platform and a platform group.
func checkOverlap(c *Config, errs *errorList) {
	for _, g := range c.groups {
		for _, d := range c.defs {
			if d.defined && d.name == g.name {
				errs.add(g.pos, fmt.Sprintf("rename the group or the platform defined at %s", d.pos),
					"platforms and platform groups must not share names: %s", g.name)
			}
		}
	}
}

// singleHostRunners can only manage jobs from the host that submitted them:
// the job ID means nothing anywhere else.
var singleHostRunners = []string{"background", "at"}

func checkSingleHost(c *Config, errs *errorList) {
	for _, d := range c.defs {
		if !d.defined || !d.explicit["hosts"] {
			continue
		}
		runner := d.p.JobRunner
		if !d.explicit["job runner"] {
			runner = "background"
		}
		if slices.Contains(singleHostRunners, runner) && len(d.p.Hosts) > 1 {
			errs.add(d.hostsPos, "give the platform one host, or use a job runner that works across hosts (e.g. slurm, pbs)",
				"%s is a single-host job runner: platform %s (%s) hosts: %s",
				runner, d.name, runner, strings.Join(d.p.Hosts, ", "))
		}
	}
}

// HasRemote reports whether any platform (other than localhost) has a
// host that is not this machine: the scheduler must then be reachable
// from other hosts.
func (c *Config) HasRemote() bool {
	for _, d := range c.defs[1:] {
		p := c.resolve(d, d.name)
		if !p.IsLocal() {
			return true
		}
	}
	return false
}

// PlatformNames lists the [platforms] names (regular expressions) in
// definition order, localhost first, as `cylc config --platform-names`.
func (c *Config) PlatformNames() []string {
	out := make([]string, len(c.defs))
	for i, d := range c.defs {
		out[i] = d.name
	}
	return out
}

// GroupNames lists the [platform groups] names in definition order.
func (c *Config) GroupNames() []string {
	out := make([]string, len(c.groups))
	for i, g := range c.groups {
		out[i] = g.name
	}
	return out
}
