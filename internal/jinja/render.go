package jinja

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Renderer holds what a render needs from the process, so callers and
// tests can pass it explicitly.
type Renderer struct {
	// Environ is the process environment as "NAME=value" entries: it
	// becomes the environ global, and its CYLC_* variables (except
	// CYLC_VERSION and CYLC_ENV_NAME) become globals too.
	Environ []string
	// Log receives messages templates log through
	// {% from "cylc.flow" import LOG %}; level is "debug", "info", ... .
	// Nil discards them.
	Log func(level, msg string)

	stepLimit int // work limit; 0 means defaultStepLimit (tests lower it)
}

// Render expands src (the text of flow.cylc after %include inlining) as
// Cylc's Jinja2 stage does, with the current process environment. name is
// the file path used in messages; dir is the workflow directory, the root
// for {% include %}, {% import %} and {% from ... import %}; vars are the
// template variables (values as ParseValue returns them, or plain Go
// ints, floats, strings, bools, slices and string-keyed maps).
//
// Like Cylc, Render drops a first line "#!jinja2" or "#!Jinja2" (the
// error line numbers still count it) and returns the rendered lines with
// blank ones removed, each ending in a newline. Cylc adds CYLC_VERSION,
// CYLC_TEMPLATE_VARS and CYLC_WORKFLOW_SRC_DIR to the variables before
// rendering; that is the caller's job.
func Render(name, dir, src string, vars map[string]any) (string, error) {
	return (&Renderer{Environ: os.Environ()}).Render(name, dir, src, vars)
}

var reHeader = regexp.MustCompile(`^#![jJ]inja2`)

// Render is the package-level Render with this Renderer's environment.
func (e *Renderer) Render(name, dir, src string, vars map[string]any) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = "", &Error{File: name, Kind: "InternalError", Msg: fmt.Sprintf("gyre's Jinja2 engine failed (%v); please report this with the template", p)}
		}
	}()
	body, first := src, 1
	if reHeader.MatchString(src) {
		body, first = "", 2
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			body = src[i+1:]
		}
	}
	r := &renderer{env: e, dir: dir, file: name, cache: map[string]*loaded{}}
	text, err := r.render(body, first, vars)
	if err != nil {
		if te, ok := err.(*Error); ok {
			r.addContext(te, name, src)
		}
		return "", err
	}
	var b strings.Builder
	for _, line := range pySplitLines(text, false) {
		if strings.TrimFunc(line, isPySpace) != "" {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

func (r *renderer) render(body string, firstLine int, vars map[string]any) (string, error) {
	nodes, err := parseChecked(body, firstLine)
	if err != nil {
		if te, ok := err.(*Error); ok {
			te.File = r.file
		}
		return "", err
	}
	r.globals = newGlobals(r.env.Environ)
	varScope := newScope(r.globals)
	for _, k := range sortedKeys(vars) {
		v, err := fromGo(vars[k])
		if err != nil {
			return "", &Error{File: r.file, Kind: "TypeError", Msg: fmt.Sprintf("template variable %s: %v", k, err)}
		}
		varScope.vars[k] = v
	}
	var out strings.Builder
	r.out = &out
	if err := r.execBody(nodes, newScope(varScope)); err != nil {
		return "", err
	}
	return out.String(), nil
}

// parseChecked parses a template and rejects unknown filters and tests,
// which Jinja2 reports when it compiles a template, before rendering.
func parseChecked(src string, firstLine int) ([]node, error) {
	nodes, err := parse(src, firstLine)
	if err != nil {
		return nil, err
	}
	var bad error
	walkNodes(nodes, func(x expr) {
		if bad != nil {
			return
		}
		switch x := x.(type) {
		case *filterExpr:
			if _, ok := filters[x.name]; !ok {
				bad = &Error{Kind: "TemplateAssertionError", Msg: unknownFilter(x.name).Error(), Line: x.line}
			}
		case *testExpr:
			if _, ok := tests[x.name]; !ok {
				bad = &Error{Kind: "TemplateAssertionError", Msg: unknownTest(x.name).Error(), Line: x.line}
			}
		}
	})
	return nodes, bad
}

// addContext fills in the source lines around the error.
func (r *renderer) addContext(e *Error, name, src string) {
	if e.File == "" {
		e.File = name
	}
	text := src
	if e.File != name {
		text = ""
		for _, l := range r.cache {
			if l.path == e.File {
				text = l.src
			}
		}
		if text == "" {
			if data, err := os.ReadFile(e.File); err == nil {
				text = string(data)
			}
		}
	}
	e.Context = contextLines(text, e.Line)
}

// fromGo converts a caller's Go value to the template value model.
func fromGo(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, string, int, float64:
		return v, nil
	case int8:
		return int(v), nil
	case int16:
		return int(v), nil
	case int32:
		return int(v), nil
	case int64:
		return int(v), nil
	case uint8:
		return int(v), nil
	case uint16:
		return int(v), nil
	case uint32:
		return int(v), nil
	case uint:
		if v > 1<<63-1 {
			return nil, fmt.Errorf("integer %d is out of range", v)
		}
		return int(v), nil
	case uint64:
		if v > 1<<63-1 {
			return nil, fmt.Errorf("integer %d is out of range", v)
		}
		return int(v), nil
	case float32:
		return float64(v), nil
	case []string:
		items := make([]any, len(v))
		for i, s := range v {
			items[i] = s
		}
		return &pyList{items: items}, nil
	case []any:
		items, err := fromGoSlice(v)
		return &pyList{items: items}, err
	case Tuple:
		items, err := fromGoSlice(v)
		return Tuple(items), err
	case map[string]any:
		d := NewDict()
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x, err := fromGo(v[k])
			if err != nil {
				return nil, err
			}
			_ = d.Set(k, x)
		}
		return d, nil
	case map[string]string:
		d := NewDict()
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_ = d.Set(k, v[k])
		}
		return d, nil
	case *Dict:
		d := NewDict()
		d.label = v.label
		for i, k := range v.keys {
			x, err := fromGo(v.vals[i])
			if err != nil {
				return nil, err
			}
			if err := d.Set(k, x); err != nil {
				return nil, err
			}
		}
		return d, nil
	case *Set:
		s := NewSet()
		for _, k := range v.d.keys {
			_ = s.Add(k)
		}
		return s, nil
	}
	return nil, fmt.Errorf("unsupported Go type %T", v)
}

func fromGoSlice(v []any) ([]any, error) {
	items := make([]any, len(v))
	for i, x := range v {
		c, err := fromGo(x)
		if err != nil {
			return nil, err
		}
		items[i] = c
	}
	return items, nil
}
