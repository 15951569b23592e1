package jinja

// Filters that apply another filter, a test or an attribute lookup to
// each item: map, select, reject, selectattr, rejectattr, groupby.

func filterGroupby(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("groupby", []string{"attribute", "default", "case_sensitive"}, 1, args, kw)
	if err != nil {
		return nil, err
	}
	cs, err := truth(orDefault(a[2], false))
	if err != nil {
		return nil, err
	}
	def := orDefault(a[1], nil)
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	key := func(it any) (any, error) {
		k, err := r.getAttrPath(it, a[0], def)
		if err != nil || cs {
			return k, err
		}
		return ignoreCase(k), nil
	}
	if err := sortValues(items, false, key); err != nil {
		return nil, err
	}
	var out []any
	var lastKey any
	var group *pyList
	for _, it := range items {
		k, err := key(it)
		if err != nil {
			return nil, err
		}
		if group != nil {
			if same, err := equal(k, lastKey); err != nil || same {
				if err != nil {
					return nil, err
				}
				group.items = append(group.items, it)
				continue
			}
		}
		group, lastKey = &pyList{items: []any{it}}, k
		grouper, err := r.getAttrPath(it, a[0], def)
		if err != nil {
			return nil, err
		}
		out = append(out, Tuple{grouper, group})
	}
	return &pyList{items: out}, nil
}

// filterMap is map(attribute=...) or map('filter', args...).
func filterMap(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		var attr, def any
		for _, k := range kw {
			switch k.name {
			case "attribute":
				attr = k.val
			case "default":
				def = k.val
			default:
				return nil, &evalError{kind: "FilterArgumentError", msg: "Unexpected keyword argument " + reprString(k.name)}
			}
		}
		if attr == nil {
			return nil, &evalError{kind: "FilterArgumentError", msg: "map requires a filter argument"}
		}
		out, err := r.mapAttr(items, attr, def)
		return &pyList{items: out}, err
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, typeErr("map filter name must be a string")
	}
	fn, ok := filters[name]
	if !ok {
		return nil, unknownFilter(name)
	}
	out := make([]any, len(items))
	for i, it := range items {
		if out[i], err = fn(r, it, args[1:], kw); err != nil {
			return nil, err
		}
	}
	return &pyList{items: out}, nil
}

// selectReject implements select, reject, selectattr and rejectattr.
func selectReject(name string, keep, byAttr bool) filterFunc {
	return func(r *renderer, v any, args []any, kw []kwarg) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		var attr any
		if byAttr {
			if len(args) == 0 {
				return nil, &evalError{kind: "FilterArgumentError", msg: "Missing parameter for attribute name"}
			}
			attr, args = args[0], args[1:]
		}
		var test testFunc
		if len(args) > 0 {
			tname, ok := args[0].(string)
			if !ok {
				return nil, typeErr("%s test name must be a string", name)
			}
			if test, ok = tests[tname]; !ok {
				return nil, unknownTest(tname)
			}
			args = args[1:]
		}
		var out []any
		for _, it := range items {
			x := it
			if byAttr {
				if x, err = r.getAttrPath(it, attr, nil); err != nil {
					return nil, err
				}
			}
			var ok bool
			if test != nil {
				ok, err = test(r, x, args, kw)
			} else {
				ok, err = truth(x)
			}
			if err != nil {
				return nil, err
			}
			if ok == keep {
				out = append(out, it)
			}
		}
		return &pyList{items: out}, nil
	}
}
