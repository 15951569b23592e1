package platform

import (
	"fmt"
	"slices"
	"strings"

	"gyre/internal/suggest"
)

// joblessModes are run modes whose tasks submit no job; Cylc gives them the
// localhost platform when no platform of that name is defined.
var joblessModes = []string{"simulation", "skip"}

// Platform returns the platform a task with `platform = name` uses (Cylc's
// platform_from_name). An empty name means localhost. A name matching a
// [platform groups] entry (the last defined that matches) is first resolved
// to one of the group's platforms by the group's selection method. Then the
// last-defined [platforms] entry whose regular expression matches the whole
// name gives the settings; localhost is always defined and is checked last.
func (c *Config) Platform(name string) (*Platform, error) {
	return c.lookup(name, nil)
}

// PlatformAvoiding is Platform for a job submission that knows some hosts
// are unreachable: a group member whose hosts are all in badHosts is not
// chosen. When every member is excluded the error wraps ErrNoPlatforms.
func (c *Config) PlatformAvoiding(name string, badHosts map[string]bool) (*Platform, error) {
	return c.lookup(name, badHosts)
}

func (c *Config) lookup(name string, bad map[string]bool) (*Platform, error) {
	if name == "" {
		name = "localhost"
	}
	for _, g := range slices.Backward(c.groups) {
		if g.re != nil && g.re.MatchString(name) {
			chosen, err := c.fromGroup(g, name, bad)
			if err != nil {
				return nil, err
			}
			name = chosen
			break
		}
	}
	if d := c.match(name); d != nil {
		return c.resolve(d, name), nil
	}
	if slices.Contains(joblessModes, name) {
		return c.resolve(c.defs[0], "localhost"), nil
	}
	return nil, c.noPlatform(name)
}

// match returns the last-defined platform whose name matches, or nil.
func (c *Config) match(name string) *platformDef {
	for _, d := range slices.Backward(c.defs) {
		if d.re != nil && d.re.MatchString(name) {
			return d
		}
	}
	return nil
}

// resolve makes the Platform for name from its definition: the name, and the
// name as host and install target when those are not set.
func (c *Config) resolve(d *platformDef, name string) *Platform {
	p := d.p.clone()
	p.Name, p.Pattern = name, d.name
	if len(p.Hosts) == 0 {
		p.Hosts = []string{name}
	}
	if p.InstallTarget == "" {
		p.InstallTarget = name
	}
	p.localHost = c.localHost
	return p
}

// fromGroup picks a platform name from a group (Cylc's
// get_platform_from_group).
func (c *Config) fromGroup(g *groupDef, groupName string, bad map[string]bool) (string, error) {
	names := g.platforms
	if len(bad) > 0 {
		names = nil
		for _, member := range g.platforms {
			p, err := c.lookup(member, nil)
			if err != nil {
				return "", err
			}
			if !allBad(p.Hosts, bad) {
				names = append(names, member)
			}
		}
	}
	if len(names) == 0 {
		hint := "the group has no platforms: set [platform groups][" + g.name + "]platforms"
		if len(g.platforms) > 0 {
			hint = "every host of its platforms is unreachable: " + strings.Join(c.groupHosts(g), ", ")
		}
		return "", &Error{Msg: "Unable to find a contactable platform from group " + groupName, Hint: hint, kind: ErrNoPlatforms}
	}
	if g.method == DefinitionOrder {
		return names[0], nil
	}
	return names[pick(c.rand, len(names))], nil
}

func allBad(hosts []string, bad map[string]bool) bool {
	for _, h := range hosts {
		if !bad[h] {
			return false
		}
	}
	return true
}

// groupHosts lists the hosts of a group's platforms, for messages.
func (c *Config) groupHosts(g *groupDef) []string {
	var hosts []string
	for _, member := range g.platforms {
		if d := c.match(member); d != nil {
			for _, h := range c.resolve(d, member).Hosts {
				if !slices.Contains(hosts, h) {
					hosts = append(hosts, h)
				}
			}
		}
	}
	return hosts
}

// noPlatform is the error for an undefined platform name, listing what is
// defined and suggesting the nearest name.
func (c *Config) noPlatform(name string) error {
	names := c.PlatformNames()
	hint := "platforms defined in global.cylc: " + strings.Join(names, ", ")
	if groups := c.GroupNames(); len(groups) > 0 {
		hint += "; platform groups: " + strings.Join(groups, ", ")
		names = append(names, groups...)
	}
	if len(c.Files) == 0 {
		hint += " (no global.cylc file was found)"
	}
	if s, ok := suggest.Closest(name, names); ok {
		hint = fmt.Sprintf("did you mean %q? %s", s, hint)
	}
	return &Error{Msg: fmt.Sprintf("No matching platform %q found", name), Hint: hint, kind: ErrNoPlatform}
}
