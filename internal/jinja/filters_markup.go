package jinja

import (
	"sort"
	"strconv"
	"strings"
)

// Filters for HTML, URLs and JSON (Jinja2 has them; Cylc templates rarely
// need them, but they behave as in Jinja2).

func filterEscape(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	return htmlEscape(s), nil
}

// htmlEscape is markupsafe.escape.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func filterStriptags(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	s, err := toStr(v)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "<")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		end := ">"
		if strings.HasPrefix(s[i:], "<!--") {
			end = "-->"
		}
		j := strings.Index(s[i:], end)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		s = s[i+j+len(end):]
	}
	text := strings.Join(strings.FieldsFunc(b.String(), isPySpace), " ")
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(text), nil
}

func filterUrlencode(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	quote := func(x any, forQS bool) (string, error) {
		s, err := toStr(x)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, c := range []byte(s) {
			switch {
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-~", c) >= 0:
				b.WriteByte(c)
			case c == '/' && !forQS:
				b.WriteByte(c)
			case c == ' ' && forQS:
				b.WriteByte('+')
			default:
				b.WriteString("%" + strings.ToUpper(hex2(int(c))))
			}
		}
		return b.String(), nil
	}
	var pairs []any
	switch x := v.(type) {
	case string:
		return quote(x, false)
	case *Dict:
		for i, k := range x.keys {
			pairs = append(pairs, Tuple{k, x.vals[i]})
		}
	default:
		items, err := iterate(v)
		if err != nil {
			return quote(v, false)
		}
		pairs = items
	}
	var parts []string
	for _, p := range pairs {
		kv, err := iterate(p)
		if err != nil || len(kv) != 2 {
			return nil, valueErr("urlencode needs key/value pairs")
		}
		k, err := quote(kv[0], true)
		if err != nil {
			return nil, err
		}
		val, err := quote(kv[1], true)
		if err != nil {
			return nil, err
		}
		parts = append(parts, k+"="+val)
	}
	return strings.Join(parts, "&"), nil
}

func filterXmlattr(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("xmlattr", []string{"autospace"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*Dict)
	if !ok {
		return nil, typeErr("xmlattr needs a dict, not %s", typeName(v))
	}
	var items []string
	for i, k := range d.keys {
		val := d.vals[i]
		if _, isU := val.(*undefined); isU || val == nil {
			continue
		}
		ks, err := toStr(k)
		if err != nil {
			return nil, err
		}
		if strings.IndexFunc(ks, func(c rune) bool { return isPySpace(c) || strings.ContainsRune("/>=", c) }) >= 0 {
			return nil, valueErr("Invalid character in attribute name: %s", reprString(ks))
		}
		vs, err := toStr(val)
		if err != nil {
			return nil, err
		}
		items = append(items, htmlEscape(ks)+`="`+htmlEscape(vs)+`"`)
	}
	out := strings.Join(items, " ")
	auto, err := truth(orDefault(a[0], true))
	if err != nil {
		return nil, err
	}
	if auto && out != "" {
		out = " " + out
	}
	return out, nil
}

// filterTojson is Jinja2's tojson: JSON with sorted keys and the HTML-safe
// escapes for < > & '.
func filterTojson(r *renderer, v any, args []any, kw []kwarg) (any, error) {
	a, err := bindArgs("tojson", []string{"indent"}, 0, args, kw)
	if err != nil {
		return nil, err
	}
	indent := -1
	if i := orDefault(a[0], nil); i != nil {
		if indent, err = wantInt("tojson", i); err != nil {
			return nil, err
		}
	}
	var b strings.Builder
	if err := writeJSON(&b, v, indent, 0, map[any]bool{}); err != nil {
		return nil, err
	}
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`).Replace(b.String()), nil
}

func writeJSON(b *strings.Builder, v any, indent, level int, open map[any]bool) error {
	switch v.(type) {
	case *pyList, *Dict:
		if open[v] {
			return valueErr("Circular reference detected")
		}
		open[v] = true
		defer delete(open, v)
	}
	if b.Len() > maxOutput {
		return &evalError{kind: "MemoryError", msg: "value is too large to print"}
	}
	newline := func(l int) {
		if indent >= 0 {
			b.WriteString("\n" + strings.Repeat(" ", indent*l))
		}
	}
	sep := ", "
	if indent >= 0 {
		sep = ","
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(map[bool]string{true: "true", false: "false"}[v])
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		s := formatFloat(v)
		switch s {
		case "inf":
			s = "Infinity"
		case "-inf":
			s = "-Infinity"
		case "nan":
			s = "NaN"
		}
		b.WriteString(s)
	case string:
		b.WriteString(jsonString(v))
	case *pyList, Tuple, *dictView:
		items, _ := iterate(v)
		if len(items) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, it := range items {
			if i > 0 {
				b.WriteString(sep)
			}
			newline(level + 1)
			if err := writeJSON(b, it, indent, level+1, open); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte(']')
	case *Dict:
		if v.Len() == 0 {
			b.WriteString("{}")
			return nil
		}
		type kv struct {
			k string
			v any
		}
		var pairs []kv
		for i, k := range v.keys {
			var ks string
			switch k := k.(type) {
			case string:
				ks = k
			case nil:
				ks = "null"
			case bool, int, float64:
				var kb strings.Builder
				_ = writeJSON(&kb, k, -1, 0, open)
				ks = kb.String()
			default:
				return typeErr("keys must be str, int, float, bool or None, not %s", typeName(k))
			}
			pairs = append(pairs, kv{ks, v.vals[i]})
		}
		sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].k < pairs[j].k })
		b.WriteByte('{')
		for i, p := range pairs {
			if i > 0 {
				b.WriteString(sep)
			}
			newline(level + 1)
			b.WriteString(jsonString(p.k) + ": ")
			if err := writeJSON(b, p.v, indent, level+1, open); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte('}')
	case *undefined:
		return v.err()
	default:
		return typeErr("Object of type %s is not JSON serializable", typeName(v))
	}
	return nil
}

// jsonString quotes s as Python's json.dumps does (ensure_ascii).
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case c < 0x20 || c > 0x7e && c < 0x10000:
				b.WriteString(`\u` + strings.Repeat("0", 4-len(strconv.FormatInt(int64(c), 16))) + strconv.FormatInt(int64(c), 16))
			case c >= 0x10000:
				c -= 0x10000
				hi, lo := 0xd800+(c>>10), 0xdc00+(c&0x3ff)
				b.WriteString(`\u` + strconv.FormatInt(int64(hi), 16) + `\u` + strconv.FormatInt(int64(lo), 16))
			default:
				b.WriteRune(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
