package param

import (
	"errors"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
)

// format applies a parameter template with Python's "tmpl % values" for a
// mapping: "%(m)s", "%(m)03d", "%(m)+03d", "%%". Values are int or string.
// The formatting is pyformat's; this only words its errors for parameters.
func format(tmpl string, values map[string]any) (string, error) {
	out, err := pyformat.Mapping(tmpl, values)
	if err == nil {
		return out, nil
	}
	var e *pyformat.Error
	if !errors.As(err, &e) {
		return "", errorf("bad template %q: %v", tmpl, err)
	}
	switch {
	case e.Err == pyformat.ErrMissingKey:
		return "", errorf("parameter %s is not defined.", e.Key)
	case e.Unkeyed:
		return "", errorf("bad template %q: use %%(name)s to insert a parameter", tmpl)
	case e.Err == pyformat.ErrWrongType:
		want := "an integer"
		switch {
		case strings.IndexByte("eEfFgG", e.Conv) >= 0:
			want = "a number"
		case e.Conv == 'c':
			want = "a single character"
		}
		return "", errorf("wrong data type for parameter %s: %%(%s)%c needs %s, got %s",
			e.Key, e.Key, e.Conv, want, strconv.Quote(str(e.Value)))
	}
	return "", errorf("bad template syntax: %q: %s", tmpl, e.Reason)
}
