package platform

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gyre/internal/flowfile"
	"gyre/internal/jinja"
)

// DefaultCylcVersion is the Cylc release whose global.cylc Gyre reads: it
// names the version-specific sub-directories searched.
const DefaultCylcVersion = "8.7.0"

// confBasename is the global configuration file name (Cylc 7's global.rc is
// not read by Cylc 8 either).
const confBasename = "global.cylc"

// Options for Load and Parse.
type Options struct {
	// CylcVersion selects the versioned sub-directories searched, e.g.
	// "8.7.0" → "", "8", "8.7", "8.7.0". Empty means DefaultCylcVersion.
	CylcVersion string
	// LocalHost reports whether a host name other than "localhost..."
	// names this machine (its hostname, FQDN or address); nil means none
	// does. It decides Platform.IsLocal and the Cylc 7 mapping.
	LocalHost func(host string) bool
	// Rand returns a random integer in [0, n) for the "random" selection
	// of platform group members; nil means math/rand/v2's IntN.
	Rand func(n int) int
}

// ConfigFiles returns the global.cylc paths Cylc would read, in the order they
// are applied, whether or not they exist: $CYLC_CONF_PATH/global.cylc alone
// when that variable is set; otherwise the site files under
// $CYLC_SITE_CONF_PATH/flow (default /etc/cylc/flow) and then the user files
// under $HOME/.cylc/flow, each in the version hierarchy. home is used when
// env has no HOME.
func ConfigFiles(env []string, home string, cylcVersion string) []string {
	if dir := getenv(env, "CYLC_CONF_PATH"); dir != "" {
		return []string{filepath.Join(dir, confBasename)}
	}
	site := getenv(env, "CYLC_SITE_CONF_PATH")
	if site == "" {
		site = "/etc/cylc"
	}
	if h := getenv(env, "HOME"); h != "" {
		home = h
	}
	if cylcVersion == "" {
		cylcVersion = DefaultCylcVersion
	}
	var out []string
	for _, root := range []string{filepath.Join(site, "flow"), filepath.Join(home, ".cylc", "flow")} {
		for _, v := range versionHierarchy(cylcVersion) {
			out = append(out, filepath.Join(root, v, confBasename))
		}
	}
	return out
}

// reVersion splits a version into its release numbers and an optional
// alpha/beta/rc part, enough of PEP 440 for Cylc's release names.
var reVersion = regexp.MustCompile(`^(\d+(?:\.\d+)*)((?:a|b|rc)\d+)?`)

// versionHierarchy is Cylc's get_version_hierarchy: "8.0.1a2.dev" →
// "", "8", "8.0", "8.0.1", "8.0.1a2", "8.0.1a2.dev".
func versionHierarchy(version string) []string {
	out := []string{""}
	m := reVersion.FindStringSubmatch(version)
	if m != nil {
		parts := strings.Split(m[1], ".")
		for i := range parts {
			out = append(out, strings.Join(parts[:i+1], "."))
		}
		if m[2] != "" {
			out = append(out, m[1]+m[2])
		}
	}
	if out[len(out)-1] != version {
		out = append(out, version)
	}
	return out
}

func getenv(env []string, key string) string {
	val := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val = v // the last one wins, as in a process environment
		}
	}
	return val
}

// Load reads the global configuration the way Cylc does (see ConfigFiles) and
// returns its platforms. Files that do not exist or cannot be read are
// skipped, as in Cylc; no file at all gives Cylc's defaults (the localhost
// platform alone). env is the environment as "NAME=value" entries: it
// locates the files and is what Jinja2 templates in them see.
func Load(env []string, home string, opts Options) (*Config, error) {
	m := newMerger()
	var read []string
	for _, path := range ConfigFiles(env, home, opts.CylcVersion) {
		src, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				continue
			}
			return nil, &Error{Pos: flowfile.Pos{File: path}, Msg: "cannot read the global configuration: " + err.Error()}
		}
		secs, err := parseFile(path, filepath.Dir(path), src, templater(env, opts))
		if err != nil {
			return nil, err
		}
		m.add(secs)
		read = append(read, path)
	}
	c, err := m.build(opts)
	if err != nil {
		return nil, err
	}
	c.Files = read
	return c, nil
}

// Default returns Cylc's defaults: the localhost platform alone, as with
// no global configuration at all.
func Default(opts Options) *Config {
	c, err := newMerger().build(opts)
	if err != nil {
		// Nothing was read, so nothing can be wrong.
		c = &Config{}
	}
	return c
}

// Parse reads one global.cylc text (name is used in messages and is the
// directory %include and Jinja2 includes are resolved against).
func Parse(name string, src []byte, env []string, opts Options) (*Config, error) {
	return parse(name, src, templater(env, opts), opts)
}

func parse(name string, src []byte, tmpl func(name, dir, src string) (string, error), opts Options) (*Config, error) {
	secs, err := parseFile(name, filepath.Dir(name), src, tmpl)
	if err != nil {
		return nil, err
	}
	m := newMerger()
	m.add(secs)
	c, err := m.build(opts)
	if err != nil {
		return nil, err
	}
	c.Files = []string{name}
	return c, nil
}

// parseFile parses and validates one file.
func parseFile(name, dir string, src []byte, tmpl func(name, dir, src string) (string, error)) (fileSections, error) {
	f, err := flowfile.Parse(name, dir, src, flowfile.Options{Template: tmpl})
	if err != nil {
		return fileSections{}, err
	}
	secs, errs := validateFile(f.Root)
	return secs, errs.err()
}

// templater renders Jinja2 global.cylc files with the variables Cylc gives
// them: the environment (environ and CYLC_* globals), CYLC_VERSION,
// CYLC_TEMPLATE_VARS and CYLC_WORKFLOW_SRC_DIR (the file's directory).
func templater(env []string, opts Options) func(name, dir, src string) (string, error) {
	version := opts.CylcVersion
	if version == "" {
		version = DefaultCylcVersion
	}
	r := &jinja.Renderer{Environ: env}
	return func(name, dir, src string) (string, error) {
		vars := map[string]any{
			"CYLC_VERSION":          version,
			"CYLC_TEMPLATE_VARS":    map[string]any{"CYLC_VERSION": version},
			"CYLC_WORKFLOW_SRC_DIR": dir,
		}
		return r.Render(name, dir, src, vars)
	}
}
