package config

import (
	"sort"
	"strings"

	"gyre/internal/flowfile"
)

// The upgrades Cylc does outside its generic upgrader: moving the Cylc 7
// graph section, merging parameter environment templates into the
// environment, and warnings about settings that platforms replace.

// upgradeGraph moves [scheduling][dependencies][X]graph (and the bare
// [scheduling][dependencies]graph) to [scheduling][graph]X.
func (u *upgrader) upgradeGraph() {
	sched, ok := u.root.get([]string{"scheduling"})
	if !ok || !sched.section {
		return
	}
	deps := sched.child("dependencies")
	if deps == nil {
		return
	}
	msgOld, msgNew, listKeys := "[scheduling][dependencies][X]graph", "[scheduling][graph]X - for X in:", true
	note := ""
	if len(deps.children) == 1 && deps.children[0].name == "graph" {
		msgOld, msgNew, listKeys = "[scheduling][dependencies]graph", "[scheduling][graph]R1", false
	} else if deps.child("graph") != nil {
		note = "\n   ([scheduling][dependencies]graph moves to [scheduling][graph]R1)"
	}
	if sched.child("graph") != nil {
		u.errs.add(deps.pos, "move the graph strings to [scheduling][graph]",
			"cannot upgrade deprecated item %q because [scheduling][graph] already exists", msgOld+" -> "+strings.TrimSuffix(msgNew, " - for X in:"))
		return
	}
	graph := &rawNode{name: "graph", section: true, pos: deps.pos}
	var keys []string
	for _, c := range deps.children {
		switch {
		case c.section && c.child("graph") != nil:
			g := c.child("graph")
			graph.children = append(graph.children, &rawNode{name: c.name, pos: g.pos, values: g.values})
			keys = append(keys, c.name)
		case !c.section && c.name == "graph":
			graph.children = append(graph.children, c)
			keys = append(keys, c.name)
		default:
			graph.children = append(graph.children, c)
		}
	}
	sched.putChild(graph)
	sched.children = removeChild(sched.children, "dependencies")
	if len(keys) > 0 && !u.cylc7 {
		msg := `graph items were automatically upgraded in "workflow definition":` +
			"\n * (8.0.0) " + msgOld + " -> " + msgNew
		if listKeys {
			sort.Strings(keys)
			msg += "\n       " + strings.Join(keys, ", ")
		}
		u.warn(deps.pos, WarnDeprecated, msg+note)
	}
}

func removeChild(list []*rawNode, name string) []*rawNode {
	for i, c := range list {
		if c.name == name {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// upgradeParamEnvTemplates prepends [runtime][X][parameter environment
// templates] to [runtime][X][environment].
func (u *upgrader) upgradeParamEnvTemplates() {
	rt, ok := u.root.get([]string{"runtime"})
	if !ok || !rt.section {
		return
	}
	for _, ns := range rt.children {
		if !ns.section {
			continue
		}
		tmpls := ns.child("parameter environment templates")
		if tmpls == nil {
			continue
		}
		dep := "[runtime][" + ns.name + "][parameter environment templates]"
		newPath := "[runtime][" + ns.name + "][environment]"
		if !u.cylc7 {
			u.warn(tmpls.pos, WarnDeprecated, "(8.0.0) "+dep+" contents prepended to "+newPath)
		}
		env := ns.child("environment")
		for i := len(tmpls.children) - 1; i >= 0; i-- {
			c := tmpls.children[i]
			if env != nil && env.child(c.name) != nil {
				u.warn(c.pos, WarnOther, dep+" "+c.name+" ignored as "+c.name+" already exists in "+newPath)
				continue
			}
			if env == nil {
				env = &rawNode{name: "environment", section: true, pos: tmpls.pos}
				ns.children = append(ns.children, env)
			}
			env.prepend(c)
		}
		ns.children = removeChild(ns.children, "parameter environment templates")
	}
}

// forbiddenWithPlatform lists the Cylc 7 host and batch system settings
// that platforms replace, with the values that do not count as set.
var forbiddenWithPlatform = []struct {
	section string
	keys    []string
}{
	{"remote", []string{"host", "retrieve job logs", "retrieve job logs max size", "retrieve job logs retry delays"}},
	{"job", []string{"batch system", "batch submit command template"}},
}

// warnDeprecatedPlatform rejects platform together with the settings it
// replaces, rejects backtick subshells in platform, and otherwise warns
// about the old settings.
func (u *upgrader) warnDeprecatedPlatform() {
	rt, ok := u.root.get([]string{"runtime"})
	if !ok || !rt.section {
		return
	}
	for _, ns := range rt.children {
		if !ns.section {
			continue
		}
		if p := ns.child("platform"); p != nil && !p.section && p.text() != "" {
			var bad []string
			for _, f := range forbiddenWithPlatform {
				if s := ns.child(f.section); s != nil && s.section {
					for _, k := range f.keys {
						if s.child(k) != nil {
							bad = append(bad, "\n * ["+f.section+"]"+k)
						}
					}
				}
			}
			if len(bad) > 0 {
				u.errs.add(p.pos, "remove the Cylc 7 settings or the platform",
					"task '%s' has the following deprecated '[runtime]' setting(s) which cannot be used with 'platform = %s':%s",
					ns.name, p.text(), strings.Join(bad, ""))
			}
			if reHostCommand.MatchString(p.text()) && !rePlatformCommand.MatchString(p.text()) {
				u.errs.add(p.pos, "use $(command) instead",
					"platform = %s: backticks are not supported; please use $()", p.text())
			}
			continue
		}
		if u.cylc7 {
			continue
		}
		var depr []string
		var pos flowfile.Pos
		for _, f := range forbiddenWithPlatform {
			s := ns.child(f.section)
			if s == nil || !s.section {
				continue
			}
			for _, k := range f.keys {
				c := s.child(k)
				if c == nil || c.section || (k == "host" && c.text() == "localhost") {
					continue
				}
				if pos.Line == 0 {
					pos = c.pos
				}
				depr = append(depr, "["+"runtime]["+ns.name+"]["+f.section+"]"+k+" = "+c.text())
			}
		}
		if len(depr) > 0 {
			u.warn(pos, WarnDeprecated, "deprecated settings found (please replace with [runtime]["+ns.name+"]platform):\n"+strings.Join(depr, "\n"))
		}
	}
}

// warnDeprecatedHandlerTemplates warns about Cylc 7 event handler template
// variables.
func (u *upgrader) warnDeprecatedHandlerTemplates() {
	rt, ok := u.root.get([]string{"runtime"})
	if !ok || !rt.section || u.cylc7 {
		return
	}
	for _, ns := range rt.children {
		ev := ns.child("events")
		if !ns.section || ev == nil || !ev.section {
			continue
		}
		for _, h := range ev.children {
			for _, d := range [][2]string{
				{"batch_sys_job_id", "job_id"}, {"batch_sys_name", "job_runner_name"},
				{"suite", "workflow"}, {"suite_uuid", "uuid"},
			} {
				if strings.Contains(h.text(), "%("+d[0]+")") {
					u.warn(h.pos, WarnDeprecated, `The event handler template variable "%(`+d[0]+`)s" is deprecated - use "%(`+d[1]+`)s" instead.`)
				}
			}
		}
	}
}
