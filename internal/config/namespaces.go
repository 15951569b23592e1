package config

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"gyre/internal/pyformat"
)

// [runtime] namespaces: parameters, expansion of headings that stand for
// several namespaces, and the checks on names and environments.

// reVarName is Cylc's rule for environment variable names: an ASCII
// letter or underscore, then word characters.
var reVarName = regexp.MustCompile(`^[a-zA-Z_][\pL\pN\pM_]*$`)

func legalVarName(s string) bool { return reVarName.MatchString(s) }

// checkEnvNames rejects environment variable names a shell cannot export.
func (w *Workflow) checkEnvNames(rt *Node, errs *ErrorList) {
	for _, ns := range rt.subs {
		for _, key := range []string{"environment", "parameter environment templates"} {
			env := ns.lookup(key)
			if env == nil {
				continue
			}
			for _, v := range env.items {
				if !legalVarName(v.name) {
					errs.add(v.pos, "a name starts with a letter or _ and holds only letters, digits and _",
						"illegal environment variable name: [runtime][%s][%s]%s", ns.name, key, v.name)
				}
			}
		}
	}
}

// checkParamEnvTemplates warns about environment values that use
// parameter templates ("%(m)s") wrongly.
func (w *Workflow) checkParamEnvTemplates(rt *Node) {
	first := w.firstParamValues()
	var bad []string
	for _, ns := range rt.subs {
		env := ns.lookup("environment")
		if env == nil {
			continue
		}
		for _, v := range env.items {
			tmpl := v.String()
			if !strings.Contains(tmpl, "%(") {
				continue
			}
			if _, err := pyformat.Mapping(tmpl, first); err != nil {
				msg := tmplProblem(err)
				bad = append(bad, fmt.Sprintf("[runtime][%s][environment]%s = %s  # %s", ns.name, v.name, tmpl, msg))
			}
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		w.Warnings = append(w.Warnings, Warning{Msg: "bad parameter environment template:\n    " + strings.Join(bad, "\n    ")})
	}
}

// checkForOwner rejects [remote]owner, which Cylc 8 no longer supports.
func (w *Workflow) checkForOwner(rt *Node, errs *ErrorList) {
	for _, ns := range rt.subs {
		if o := ns.Get("remote", "owner"); o != nil && o.String() != "" {
			errs.add(o.pos, "see https://cylc.github.io/cylc-doc/stable/html/7-to-8/major-changes/remote-owner.html",
				`"[runtime][task][remote]owner" is obsolete at Cylc 8: [runtime][%s][remote]owner`, ns.name)
		}
	}
}

// expandRuntime replaces each heading that stands for several namespaces
// ([[a, b]], [[foo<m>]]) by one section per namespace, merging repeats in
// definition order (later settings override earlier ones).
func (w *Workflow) expandRuntime(rt *Node, errs *ErrorList) bool {
	w.taskParams = map[string][]ParamValue{}
	needed := len(w.paramOrder) > 0
	for _, ns := range rt.subs {
		needed = needed || strings.Contains(ns.name, ",")
	}
	if !needed {
		return true
	}
	newRT := newSection("runtime", runtimeSpec, rt.pos)
	ok := true
	for _, heading := range rt.subs {
		names, err := w.expandName(heading.name)
		if err != nil {
			errs.add(heading.pos, "", "%v", err)
			ok = false
			continue
		}
		for _, en := range names {
			ns := newRT.lookup(en.name)
			if ns == nil {
				ns = newSection(en.name, runtimeSpec.many, heading.pos)
				newRT.put(ns)
			}
			replicate(ns, heading)
			if len(en.values) > 0 {
				w.addTaskParams(en.name, en.values)
				env := newSection("environment", runtimeSpec.many.byName["environment"], heading.pos)
				if old := ns.lookup("environment"); old != nil {
					env = old.clone()
				}
				ns.put(env)
			}
			if inh := ns.lookup("inherit"); inh != nil && !inh.section {
				parents := inh.Strings()
				repl := make([]string, 0, len(parents))
				for _, p := range parents {
					name, used, err := w.expandParent(p, en.values)
					if err != nil {
						errs.add(inh.pos, "", "%v", err)
						ok = false
						continue
					}
					repl = append(repl, name)
					if len(used) > 0 {
						w.addTaskParams(en.name, used)
					}
				}
				c := *inh
				c.value = repl
				ns.put(&c)
			}
		}
	}
	rt.subs = newRT.subs
	rt.reindex()
	return ok
}

// addTaskParams merges parameter values as a Python dict.update does.
func (w *Workflow) addTaskParams(name string, vals []ParamValue) {
	cur := w.taskParams[name]
	for _, v := range vals {
		cur = setParam(cur, v.Name, v.Value)
	}
	w.taskParams[name] = cur
}

// validateNamespaceNames applies Cylc's task name rules to [runtime]
// names.
func (w *Workflow) validateNamespaceNames(errs *ErrorList) {
	for _, ns := range w.Tree.lookup("runtime").subs {
		if ns.name == "root" {
			continue
		}
		if err := CheckTaskName(ns.name); err != nil {
			errs.add(ns.pos, "", "illegal task/family name [runtime][[%s]]: %v", ns.name, err)
		}
	}
}

// CheckTaskName applies Cylc's rules for task and family names: start with
// a word character, then word characters or - + % @, not starting with
// "_cylc" and not "root".
func CheckTaskName(name string) error {
	isWord := func(r rune) bool {
		return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
	}
	r := []rune(name)
	switch {
	case len(r) == 0 || !isWord(r[0]):
		return fmt.Errorf("must start with: alphanumeric (regex word characters - `\\w`)")
	case strings.ContainsFunc(name, func(c rune) bool { return !isWord(c) && !strings.ContainsRune("-+%@", c) }):
		return fmt.Errorf("can only contain: alphanumeric (regex word characters - `\\w`), `-`, `+`, `%%`, `@`")
	case strings.HasPrefix(name, "_cylc"):
		return fmt.Errorf("cannot start with: `_cylc`")
	case name == "root":
		return fmt.Errorf("cannot be: `root`")
	}
	return nil
}

// tmplProblem words a template error as Cylc's validation warning does
// (it names the Python exception class: KeyError, TypeError, ValueError).
func tmplProblem(err error) string {
	switch {
	case errors.Is(err, pyformat.ErrMissingKey):
		return "bad parameter"
	case errors.Is(err, pyformat.ErrWrongType):
		return "wrong data type for parameter"
	}
	return "bad template syntax"
}
