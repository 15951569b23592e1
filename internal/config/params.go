package config

import (
	"strconv"

	"gyre/internal/flowfile"
	"gyre/internal/param"
)

// Parameters: [task parameters] values and templates, handed to
// internal/param, which expands "foo<m>" names; this file adapts it to the
// configuration (raw values in, ordered and typed values out).

// ParamValue is one parameter of a parameterised namespace: the value of
// CYLC_TASK_PARAM_<Name> in its jobs. Value is an int for integer
// parameters, else a string.
type ParamValue struct {
	Name  string
	Value any
}

// expandedName is one namespace a heading stands for, with its parameter
// values.
type expandedName struct {
	name   string
	values []ParamValue
}

// rawText is a setting's last raw value, as internal/param wants it.
func rawText(n *Node) string {
	if len(n.raw) == 0 {
		return ""
	}
	return n.raw[len(n.raw)-1].Text
}

// loadParams builds the parameter set. When the workflow has a
// [[templates]] section, Cylc adds its default templates to it, so `cylc
// config` shows them.
func (w *Workflow) loadParams(errs *ErrorList) {
	var items, tmplItems []param.KV
	tp := w.Tree.lookup("task parameters")
	var tmpls *Node
	if tp != nil {
		for _, it := range tp.items {
			items = append(items, param.KV{Key: it.name, Value: rawText(it)})
		}
		if tmpls = tp.lookup("templates"); tmpls != nil {
			for _, it := range tmpls.items {
				tmplItems = append(tmplItems, param.KV{Key: it.name, Value: rawText(it)})
			}
		}
	}
	set, err := param.NewSet(items, tmplItems)
	if err != nil {
		errs.add(tp.pos, "", "%v", err)
		set, _ = param.NewSet(nil, nil)
	}
	w.Params = set
	w.paramOrder = set.Params()
	if tmpls == nil {
		return
	}
	for _, p := range w.paramOrder {
		if tmpls.lookup(p.Name) == nil && p.Template != "" {
			tmpls.put(newItem(p.Name, taskParametersSpec.byName["templates"].many, flowfile.Pos{}, p.Template))
		}
	}
}

// ordered turns internal/param's value map into ParamValues in
// declaration order, with integer parameters as ints.
func (w *Workflow) ordered(vals map[string]string) []ParamValue {
	if len(vals) == 0 {
		return nil
	}
	out := make([]ParamValue, 0, len(vals))
	for _, p := range w.paramOrder {
		v, ok := vals[p.Name]
		if !ok {
			continue
		}
		var typed any = v
		if p.Ints {
			if n, err := strconv.Atoi(v); err == nil {
				typed = n
			}
		}
		out = append(out, ParamValue{p.Name, typed})
	}
	return out
}

// expandName expands a heading or list entry ("foo<m>, bar").
func (w *Workflow) expandName(heading string) ([]expandedName, error) {
	exps, err := w.Params.ExpandName(heading)
	if err != nil {
		return nil, err
	}
	out := make([]expandedName, len(exps))
	for i, e := range exps {
		out[i] = expandedName{name: e.Name, values: w.ordered(e.Values)}
	}
	return out, nil
}

// expandParent resolves a parameterised parent in an inherit list, taking
// unspecified values from the child's own (so "foo<m>" inherits "FAM<m>"
// of the same m).
func (w *Workflow) expandParent(parent string, values []ParamValue) (string, []ParamValue, error) {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[v.Name] = pyStr(v.Value)
	}
	name, used, err := w.Params.ExpandParent(parent, m)
	if err != nil {
		return "", nil, err
	}
	return name, w.ordered(used), nil
}

// firstParamValues maps each parameter to its first value (typed), which
// Cylc uses to check environment templates.
func (w *Workflow) firstParamValues() map[string]any {
	first := map[string]any{}
	for _, p := range w.paramOrder {
		if len(p.Values) == 0 {
			continue
		}
		first[p.Name] = p.Values[0]
		if p.Ints {
			if n, err := strconv.Atoi(p.Values[0]); err == nil {
				first[p.Name] = n
			}
		}
	}
	return first
}

// setParam sets a value in place, or appends it, as a Python dict
// assignment does.
func setParam(vals []ParamValue, name string, v any) []ParamValue {
	for i := range vals {
		if vals[i].Name == name {
			vals[i].Value = v
			return vals
		}
	}
	return append(vals, ParamValue{name, v})
}
