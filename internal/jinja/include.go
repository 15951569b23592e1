package jinja

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Cylc's loader is ChoiceLoader([FileSystemLoader(workflow dir),
// PyModuleLoader()]): template names are paths under the workflow
// directory, and names that are not files are imported as Python modules.
// Gyre cannot import Python, so it offers the few modules workflows use
// to log from templates or do arithmetic (see pyModules).

// module is an imported template (or emulated Python module); its
// exported names are its top-level variables not starting with "_".
type module struct {
	name string
	vars map[string]any
}

// errNotFound marks a missing template so include can honour
// "ignore missing".
var errNotFound = errors.New("template not found")

// loadTemplate reads and parses a template by Jinja2 name.
func (r *renderer) loadTemplate(name string) (*loaded, error) {
	var pieces []string
	for _, piece := range strings.Split(name, "/") {
		if piece == ".." {
			return nil, errNotFound
		}
		if piece != "" && piece != "." {
			pieces = append(pieces, piece)
		}
	}
	path := filepath.Join(append([]string{r.dir}, pieces...)...)
	if l, ok := r.cache[path]; ok {
		return l, nil
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return nil, errNotFound
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errNotFound
		}
		return nil, &evalError{kind: "OSError", msg: err.Error()}
	}
	l := &loaded{name: name, path: path, src: string(data)}
	l.nodes, err = parseChecked(l.src, 1)
	if e, ok := err.(*Error); ok {
		e.File = path
		return nil, e
	}
	r.cache[path] = l
	return l, nil
}

func (r *renderer) notFound(name string) error {
	return &evalError{kind: "TemplateNotFound", msg: fmt.Sprintf("%s (no such template in %s; gyre cannot import Python modules other than %s)", name, r.dir, strings.Join(pyModuleNames(), ", "))}
}

// within runs fn with errors attributed to l's file and, on the way out,
// records the include/import statement that led there.
func (r *renderer) within(l *loaded, line int, fn func() error) error {
	if err := r.step(); err != nil {
		return r.located(err, line)
	}
	if r.depth++; r.depth > maxDepth {
		r.depth--
		return r.located(&evalError{kind: "RecursionError", msg: "maximum recursion depth exceeded including " + reprString(l.name)}, line)
	}
	savedFile := r.file
	r.file = l.path
	err := fn()
	r.file = savedFile
	r.depth--
	return r.callSite(err, line)
}

func (r *renderer) execInclude(n *includeNode, sc *scope) error {
	v, err := r.eval(n.template, sc)
	if err != nil {
		return err
	}
	var names []any
	switch v := v.(type) {
	case string:
		names = []any{v}
	case *pyList:
		names = v.items
	case Tuple:
		names = v
	case *undefined:
		return r.located(v.err(), n.line)
	default:
		return r.located(typeErr("include expects a template name, not %s", typeName(v)), n.line)
	}
	for _, nv := range names {
		name, ok := nv.(string)
		if !ok {
			return r.located(typeErr("template name must be a string, not %s", typeName(nv)), n.line)
		}
		l, err := r.loadTemplate(name)
		if err == errNotFound {
			continue
		}
		if err != nil {
			return r.withStack(r.located(err, n.line), n.line)
		}
		parent := r.globals
		if n.withContext {
			parent = sc
		}
		return r.within(l, n.line, func() error { return r.execBody(l.nodes, newScope(parent)) })
	}
	if n.ignoreMissing {
		return nil
	}
	if len(names) == 1 {
		s, _ := names[0].(string)
		return r.located(r.notFound(s), n.line)
	}
	var quoted []string
	for _, nv := range names {
		s, _ := nv.(string)
		quoted = append(quoted, reprString(s))
	}
	return r.located(&evalError{kind: "TemplatesNotFound", msg: "none of the templates given were found: " + strings.Join(quoted, ", ")}, n.line)
}

// withStack adds an include position to errors raised while loading
// (parsing) the included file, which happen before within() runs.
func (r *renderer) withStack(err error, line int) error { return r.callSite(err, line) }

func (r *renderer) importModule(tmpl expr, withContext bool, sc *scope, line int) (*module, error) {
	v, err := r.eval(tmpl, sc)
	if err != nil {
		return nil, err
	}
	name, ok := v.(string)
	if !ok {
		if u, isU := v.(*undefined); isU {
			return nil, r.located(u.err(), line)
		}
		return nil, r.located(typeErr("import expects a template name, not %s", typeName(v)), line)
	}
	l, err := r.loadTemplate(name)
	if err == errNotFound {
		if mod := r.pyModule(strings.TrimPrefix(name, "__python__.")); mod != nil {
			return mod, nil
		}
		return nil, r.located(r.notFound(name), line)
	}
	if err != nil {
		return nil, r.withStack(r.located(err, line), line)
	}
	parent := r.globals
	if withContext {
		parent = sc
	}
	top := newScope(parent)
	err = r.within(l, line, func() error {
		_, err := r.capture(l.nodes, top)
		return err
	})
	if err != nil {
		return nil, err
	}
	mod := &module{name: name, vars: map[string]any{}}
	for k, v := range top.vars {
		if !strings.HasPrefix(k, "_") {
			mod.vars[k] = v
		}
	}
	return mod, nil
}

func (r *renderer) execFromImport(n *fromImportNode, sc *scope) error {
	mod, err := r.importModule(n.template, n.withContext, sc, n.line)
	if err != nil {
		return err
	}
	for _, pair := range n.names {
		if v, ok := mod.vars[pair[0]]; ok {
			sc.vars[pair[1]] = v
			continue
		}
		sc.vars[pair[1]] = &undefined{hint: fmt.Sprintf("the template %s (imported on line %d) does not export the requested name %s", reprString(mod.name), n.line, reprString(pair[0]))}
	}
	return nil
}

// pyModules are the Python modules a template may import.
func pyModuleNames() []string {
	return []string{"cylc.flow", "math", "os"}
}

func (r *renderer) pyModule(name string) *module {
	fn := func(name string, f func(args []any) (any, error)) *builtinFunc {
		return &builtinFunc{name: name, fn: func(_ *renderer, args []any, kw []kwarg) (any, error) {
			if len(kw) > 0 {
				return nil, typeErr("%s() takes no keyword arguments", name)
			}
			return f(args)
		}}
	}
	switch name {
	case "cylc.flow":
		logger := &module{name: "LOG", vars: map[string]any{}}
		for _, level := range []string{"debug", "info", "warning", "error", "critical", "exception"} {
			level := level
			logger.vars[level] = fn(level, func(args []any) (any, error) {
				if len(args) == 0 {
					return nil, typeErr("%s() missing 1 required positional argument: 'msg'", level)
				}
				msg, err := toStr(args[0])
				if err != nil {
					return nil, err
				}
				if len(args) > 1 {
					v, err := percentFormat(msg, Tuple(args[1:]))
					if err != nil {
						return nil, err
					}
					msg = v.(string)
				}
				if r.env.Log != nil {
					r.env.Log(level, msg)
				}
				return nil, nil
			})
		}
		return &module{name: name, vars: map[string]any{"LOG": logger}}
	case "os":
		env, _ := r.globals.lookup("environ")
		return &module{name: name, vars: map[string]any{
			"environ": env,
			"sep":     "/",
			"getenv": &builtinFunc{name: "getenv", fn: func(_ *renderer, args []any, kw []kwarg) (any, error) {
				vals, err := bindArgs("getenv", []string{"key", "default"}, 1, args, kw)
				if err != nil {
					return nil, err
				}
				if v, ok := env.(*Dict).Get(vals[0]); ok {
					return v, nil
				}
				if vals[1] == noValue {
					return nil, nil
				}
				return vals[1], nil
			}},
		}}
	case "math":
		unary := func(name string, f func(float64) float64) *builtinFunc {
			return fn(name, func(args []any) (any, error) {
				if len(args) != 1 {
					return nil, typeErr("math.%s() takes exactly one argument (%d given)", name, len(args))
				}
				n, ok := asNumber(args[0])
				if !ok {
					return nil, typeErr("must be real number, not %s", typeName(args[0]))
				}
				return f(toFloat(n)), nil
			})
		}
		toInt := func(name string, f func(float64) float64) *builtinFunc {
			return fn(name, func(args []any) (any, error) {
				if len(args) != 1 {
					return nil, typeErr("math.%s() takes exactly one argument (%d given)", name, len(args))
				}
				n, ok := asNumber(args[0])
				if !ok {
					return nil, typeErr("must be real number, not %s", typeName(args[0]))
				}
				if i, isInt := n.(int); isInt {
					return i, nil
				}
				return truncToInt(f(n.(float64)))
			})
		}
		return &module{name: name, vars: map[string]any{
			"pi": math.Pi, "e": math.E, "inf": math.Inf(1), "nan": math.NaN(),
			"sqrt": unary("sqrt", math.Sqrt), "exp": unary("exp", math.Exp),
			"log10": unary("log10", math.Log10), "log2": unary("log2", math.Log2),
			"fabs": unary("fabs", math.Abs), "sin": unary("sin", math.Sin),
			"cos": unary("cos", math.Cos), "tan": unary("tan", math.Tan),
			"floor": toInt("floor", math.Floor), "ceil": toInt("ceil", math.Ceil),
			"trunc": toInt("trunc", math.Trunc),
			"log": fn("log", func(args []any) (any, error) {
				if len(args) < 1 || len(args) > 2 {
					return nil, typeErr("log expected 1 or 2 arguments, got %d", len(args))
				}
				var fs []float64
				for _, a := range args {
					n, ok := asNumber(a)
					if !ok {
						return nil, typeErr("must be real number, not %s", typeName(a))
					}
					fs = append(fs, toFloat(n))
				}
				if len(fs) == 2 {
					return math.Log(fs[0]) / math.Log(fs[1]), nil
				}
				return math.Log(fs[0]), nil
			}),
		}}
	}
	return nil
}

// sortedKeys lists a map's keys in order, for deterministic output.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
