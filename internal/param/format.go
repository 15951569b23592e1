package param

import (
	"fmt"
	"strconv"
	"strings"
)

// format applies a parameter template with Python's "tmpl % values" for a
// mapping: "%(m)s", "%(m)03d", "%(m)+03d", "%%". Values are int or string.
func format(tmpl string, values map[string]any) (string, error) {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(tmpl) {
			return "", errorf("bad template syntax: %q ends with %%", tmpl)
		}
		if tmpl[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if tmpl[i] != '(' {
			return "", errorf("bad template %q: use %%(name)s to insert a parameter", tmpl)
		}
		end := strings.IndexByte(tmpl[i:], ')')
		if end < 0 {
			return "", errorf("bad template syntax: %q", tmpl)
		}
		key := tmpl[i+1 : i+end]
		i += end + 1
		j := i
		for j < len(tmpl) && strings.IndexByte("#0- +", tmpl[j]) >= 0 {
			j++
		}
		for j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
			j++
		}
		if j < len(tmpl) && tmpl[j] == '.' {
			j++
			for j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
				j++
			}
		}
		if j >= len(tmpl) {
			return "", errorf("bad template syntax: %q", tmpl)
		}
		spec, verb := tmpl[i:j], tmpl[j]
		i = j
		v, ok := values[key]
		if !ok {
			return "", errorf("parameter %s is not defined.", key)
		}
		if len(spec) > 6 {
			return "", errorf("bad template syntax: %q", tmpl)
		}
		switch verb {
		case 's', 'r':
			text := str(v)
			if verb == 'r' {
				if _, isInt := v.(int); !isInt {
					text = "'" + text + "'"
				}
			}
			b.WriteString(fmt.Sprintf("%"+strings.Trim(spec, "#0+ ")+"s", text))
		case 'd', 'i', 'u', 'x', 'X', 'o':
			n, ok := v.(int)
			if !ok {
				return "", errorf("wrong data type for parameter %s: %%(%s)%c needs an integer, got %s", key, key, verb, strconv.Quote(str(v)))
			}
			if verb == 'i' || verb == 'u' {
				verb = 'd'
			}
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), n))
		default:
			return "", errorf("bad template %q: unsupported format character %q", tmpl, verb)
		}
	}
	return b.String(), nil
}
