package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gyre/internal/flowfile"
)

// WarningKind classifies warnings so that a caller can print Cylc's
// grouped headers (DeprecatedHeader, ObsoleteHeader) above them.
type WarningKind int

const (
	WarnOther      WarningKind = iota
	WarnDeprecated             // an old item was moved or renamed
	WarnObsolete               // an old item was deleted
)

// Cylc's headers for groups of upgrade warnings.
const (
	DeprecatedHeader = "Deprecated config items were automatically upgraded. Please alter your workflow to use the new syntax."
	ObsoleteHeader   = "Obsolete config items were automatically deleted. Please check your workflow and remove them permanently."
)

// upgradeRule is one entry of Cylc's upg(): an item or section that moved
// (new != nil) or was deleted (new == nil) at a version. Paths may hold
// manyName once, standing for every key at that level.
type upgradeRule struct {
	version   string
	old, new  []string
	isSection bool
	// compatSilent rules (deprecations) do not warn in Cylc 7
	// compatibility mode, so that workflows can stay valid for both.
	compatSilent bool
	convert      func(string) (string, error) // nil: value unchanged
	describe     string                       // "{old}"/"{new}" are replaced
}

func obsolete(vn string, old ...string) upgradeRule {
	return upgradeRule{version: vn, old: old, describe: "DELETED (OBSOLETE)"}
}

func obsoleteSection(vn string, old ...string) upgradeRule {
	r := obsolete(vn, old...)
	r.isSection = true
	return r
}

func deprecate(vn string, old, new []string) upgradeRule {
	return upgradeRule{version: vn, old: old, new: new, compatSilent: true, describe: "value unchanged"}
}

func deprecateSection(vn string, old, new []string) upgradeRule {
	r := deprecate(vn, old, new)
	r.isSection = true
	return r
}

func path(keys ...string) []string { return keys }

const many = manyName

// upgradeRules lists Cylc 8.7's upg() in the order it applies them: grouped
// by version in order of each version's first use, then in declaration
// order within a version.
var upgradeRules = func() []upgradeRule {
	r := []upgradeRule{
		// 7.8.0
		obsolete("7.8.0", "runtime", many, "suite state polling", "template"),
		// 7.8.1
		obsolete("7.8.1", "cylc", "events", "reset timer"),
		obsolete("7.8.1", "cylc", "events", "reset inactivity timer"),
		obsolete("7.8.1", "runtime", many, "events", "reset timer"),
		// 8.0.0
		obsolete("8.0.0", "cylc", "force run mode"),
		obsoleteSection("8.0.0", "cylc", "authentication"),
		obsolete("8.0.0", "cylc", "include at start-up"),
		obsolete("8.0.0", "cylc", "exclude at start-up"),
		obsolete("8.0.0", "cylc", "log resolved dependencies"),
		obsolete("8.0.0", "cylc", "required run mode"),
		obsolete("8.0.0", "cylc", "health check interval"),
		obsolete("8.0.0", "runtime", many, "events", "mail retry delays"),
		obsolete("8.0.0", "runtime", many, "extra log files"),
		obsolete("8.0.0", "runtime", many, "job", "shell"),
		obsolete("8.0.0", "runtime", many, "remote", "suite definition directory"),
		obsolete("8.0.0", "cylc", "abort if any task fails"),
		obsolete("8.0.0", "cylc", "disable automatic shutdown"),
		obsoleteSection("8.0.0", "cylc", "environment"),
		obsoleteSection("8.0.0", "cylc", "reference test"),
		obsolete("8.0.0", "cylc", "simulation", "disable suite event handlers"),
		obsoleteSection("8.0.0", "cylc", "simulation"),
		obsoleteSection("8.0.0", "visualization"),
		obsolete("8.0.0", "scheduling", "spawn to max active cycle points"),
		deprecate("8.0.0", path("cylc", "task event mail interval"), path("cylc", "mail", "task event batch interval")),
		deprecateSection("8.0.0", path("runtime", many, "suite state polling"), path("runtime", many, "workflow state polling")),
		obsolete("8.0.0", "runtime", many, "workflow state polling", "host"),
		obsolete("8.0.0", "runtime", many, "workflow state polling", "user"),
	}
	r = append(r,
		deprecateSection("8.0.0", path("cylc", "parameters"), path("task parameters")),
		deprecateSection("8.0.0", path("cylc", "parameter templates"), path("task parameters", "templates")),
	)
	for _, s := range []string{"to", "from", "footer"} {
		r = append(r, deprecate("8.0.0", path("cylc", "events", "mail "+s), path("cylc", "mail", s)))
	}
	for _, s := range []string{"to", "from"} {
		r = append(r, deprecate("8.0.0", path("runtime", many, "events", "mail "+s), path("runtime", many, "mail", s)))
	}
	smtp := `DELETED (OBSOLETE) - use "global.cylc[scheduler][mail]smtp" instead`
	r = append(r,
		upgradeRule{version: "8.0.0", old: path("cylc", "events", "mail smtp"), compatSilent: true, describe: smtp},
		upgradeRule{version: "8.0.0", old: path("runtime", many, "events", "mail smtp"), compatSilent: true, describe: smtp},
		upgradeRule{
			version: "8.0.0", old: path("scheduling", "max active cycle points"),
			new: path("scheduling", "runahead limit"), compatSilent: true,
			convert: maxActiveToRunahead, describe: `"{old}" -> "{new}"`,
		},
		deprecate("8.0.0", path("scheduling", "hold after point"), path("scheduling", "hold after cycle point")),
	)
	for _, s := range []string{
		"execution polling intervals", "execution retry delays", "execution time limit",
		"submission polling intervals", "submission retry delays",
	} {
		r = append(r, deprecate("8.0.0", path("runtime", many, "job", s), path("runtime", many, s)))
	}
	for _, on := range [][2]string{
		{"timeout", "stall timeout"},
		{"abort on timeout", "abort on stall timeout"},
		{"inactivity", "inactivity timeout"},
		{"abort on inactivity", "abort on inactivity timeout"},
		{"startup handler", "startup handlers"},
		{"shutdown handler", "shutdown handlers"},
		{"timeout handler", "stall timeout handlers"},
		{"stalled handler", "stall handlers"},
		{"aborted handler", "abort handlers"},
		{"inactivity handler", "inactivity timeout handlers"},
	} {
		r = append(r, deprecate("8.0.0", path("cylc", "events", on[0]), path("cylc", "events", on[1])))
	}
	for _, old := range []string{
		"expired handler", "late handler", "submitted handler", "started handler",
		"succeeded handler", "failed handler", "submission failed handler",
		"warning handler", "critical handler", "retry handler",
		"submission retry handler", "execution timeout handler",
		"submission timeout handler", "custom handler",
	} {
		r = append(r, deprecate("8.0.0", path("runtime", many, "events", old), path("runtime", many, "events", old+"s")))
	}
	for _, old := range []string{
		"abort on stalled", "abort if startup handler fails",
		"abort if shutdown handler fails", "abort if timeout handler fails",
		"abort if inactivity handler fails", "abort if stalled handler fails",
	} {
		r = append(r, obsolete("8.0.0", "cylc", "events", old))
	}
	r = append(r,
		deprecateSection("8.0.0", path("cylc"), path("scheduler")),
		// 8.3.0
		deprecate("8.3.0", path("runtime", many, "workflow state polling", "run-dir"),
			path("runtime", many, "workflow state polling", "alt-cylc-run-dir")),
	)
	return r
}()

// maxActiveToRunahead converts Cylc 7's "max active cycle points = N" to
// "runahead limit = P(N-1)".
func maxActiveToRunahead(x string) (string, error) {
	if x == "" {
		return "", nil
	}
	n, ok := pyInt(x)
	if !ok {
		return "", fmt.Errorf("invalid integer %q", x)
	}
	return "P" + strconv.Itoa(n-1), nil
}

// upgrader applies upgradeRules to a raw tree, collecting warnings and
// errors.
type upgrader struct {
	root     *rawNode
	cylc7    bool
	warnings []Warning
	errs     *ErrorList
}

func (u *upgrader) warn(pos flowfile.Pos, kind WarningKind, msg string) {
	u.warnings = append(u.warnings, Warning{Pos: pos, Msg: msg, Kind: kind})
}

// expand turns a rule with a manyName key into one rule per existing key at
// that level.
func (u *upgrader) expand(r upgradeRule) []upgradeRule {
	i := -1
	for j, k := range r.old {
		if k == manyName {
			i = j
		}
	}
	if i < 0 {
		return []upgradeRule{r}
	}
	parent, ok := u.root.get(r.old[:i])
	if !ok || !parent.section {
		return nil
	}
	var out []upgradeRule
	for _, c := range parent.children {
		e := r
		e.old = append(append(append([]string{}, r.old[:i]...), c.name), r.old[i+1:]...)
		if r.new != nil {
			e.new = append(append(append([]string{}, r.new[:i]...), c.name), r.new[i+1:]...)
		}
		out = append(out, e)
	}
	return out
}

func (u *upgrader) apply() {
	for _, rule := range upgradeRules {
		for _, r := range u.expand(rule) {
			old, ok := u.root.get(r.old)
			if !ok {
				continue
			}
			newVal := old.text()
			if r.convert != nil {
				if old.section {
					u.errs.add(old.pos, "", "cannot upgrade %s: it should be a setting, not a [section]", itemPath(r.old, true))
					continue
				}
				v, err := r.convert(old.text())
				if err != nil {
					u.errs.add(old.pos, "", "cannot upgrade %s: %v", itemPath(r.old, r.isSection), err)
					continue
				}
				newVal = v
			}
			msg := itemPath(r.old, r.isSection)
			kind := WarnObsolete
			if r.new != nil {
				msg += " -> " + itemPath(r.new, r.isSection)
				kind = WarnDeprecated
			}
			desc := strings.NewReplacer("{old}", old.text(), "{new}", newVal).Replace(r.describe)
			msg += " - " + desc
			if !(r.compatSilent && u.cylc7) {
				u.warn(old.pos, kind, "("+r.version+") "+msg)
			}
			u.root.del(r.old)
			if r.new == nil {
				continue
			}
			if existing, ok := u.root.get(r.new); ok && existing.truthy() {
				u.errs.add(old.pos, "remove one of the two",
					"cannot upgrade deprecated item %q because the upgraded item already exists", msg)
				continue
			}
			moved := old
			if r.convert != nil {
				moved = &rawNode{pos: old.pos, values: []flowfile.Value{{Text: newVal, Pos: old.pos}}}
			}
			u.root.put(r.new, moved)
		}
	}
	u.upgradeGraph()
	u.upgradeParamEnvTemplates()
	u.warnDeprecatedPlatform()
	u.warnDeprecatedHandlerTemplates()
}

var (
	reHostCommand     = regexp.MustCompile("^(`|\\$\\()\\s*(.*)\\s*([`)])$")
	rePlatformCommand = regexp.MustCompile(`^(\$\()\s*(.*)\s*(\))`)
)
