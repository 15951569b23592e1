package cycle

import (
	"regexp"
	"strings"
)

// This file is Cylc's abbreviated date-time syntax (CylcTimeParser): points
// such as "T06", "01T00" (day 1 of a month), "W-1", "+PT6H" (an offset
// from a context point), "2000+P1M-P1D" and "min(T00, T06+PT1H)".

// cpoint is a point as the Cylc time parser handles it: absent, a full
// date-time at full precision, or a truncated one still to be resolved
// against a context point.
type cpoint struct {
	ok bool
	p  Point
	tr *fields // non-nil: truncated
}

func full(p Point) cpoint { return cpoint{ok: true, p: p} }

// resolve adds a truncated point to a context point (isodatetime's
// TimePoint + truncated TimePoint): the first matching time at or after
// the context, worked out in the truncated point's time zone.
func (c *Context) resolve(tr *fields, ctx Point) Point {
	q := ctx.withTZ(tr.tz)
	q.day, q.ns = tr.resolve(c.cal, q.day, q.ns)
	return q.withTZ(ctx.tz)
}

// Truncation prefixes Cylc tries when a string does not parse: "04T00" is
// read as "---04T00" (day 4 of a month), "0229T" as "--0229T00", "W-1" as
// "-W-1".
var truncationPrefixes = []struct {
	prefix string
	recs   []*regexp.Regexp
}{
	{"---", []*regexp.Regexp{regexp.MustCompile(`^\d\dT`)}},
	{"--", []*regexp.Regexp{regexp.MustCompile(`^\d\d\d\dT`)}},
	{"-", []*regexp.Regexp{
		regexp.MustCompile(`^\d\d\dT`), regexp.MustCompile(`\dW\d\dT`),
		regexp.MustCompile(`W\d\d\d?T`), regexp.MustCompile(`W-\dT`), regexp.MustCompile(`W-\d`),
	}},
}

var (
	reOffset     = regexp.MustCompile(`[+-]P.+$`)
	reTwoDigits  = regexp.MustCompile(`^\d\d$`)
	reMinExpr    = regexp.MustCompile(`min\(([^)]+)\)`)
	reOffsetItem = regexp.MustCompile(`^[+-]P.`)
)

// chainTokens splits an expression like "2000-01-01T00Z+P1M-P1D" the way
// Cylc's CHAIN_REGEX ((?:[+-P]|[\dT])[\d\w]*) finds its items: an item
// starts with a character in '+'..'P' or a digit or T and runs over word
// characters; anything else is skipped.
func chainTokens(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		ch := s[i]
		if (ch >= '+' && ch <= 'P') || ch == 'T' {
			j := i + 1
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
			continue
		}
		i++
	}
	return out
}

// parseChain separates offsets from an expression: "T12+P10D" is "T12"
// followed by +P10D. Offsets are kept in order, as Cylc applies them one
// by one.
func (c *Context) parseChain(expr string) (string, []Duration, error) {
	var (
		b       strings.Builder
		offsets []Duration
	)
	for _, item := range chainTokens(expr) {
		if !strings.Contains(item, "P") {
			b.WriteString(item)
			continue
		}
		if !reOffsetItem.MatchString(item) {
			b.WriteString(item)
		}
		d, err := parseISODuration(item[1:], c.cal)
		if err != nil {
			return "", nil, withWhat(err, "offset", item)
		}
		if item[0] == '-' {
			d = d.Neg()
		}
		offsets = append(offsets, d)
	}
	return b.String(), offsets, nil
}

// pointExpr is CylcTimeParser._get_point_from_expression. expr nil means
// the expression is absent (not just empty).
func (c *Context) pointExpr(expr *string, ctx *Point, required, allowTruncated bool) (cpoint, []Duration, error) {
	if expr == nil {
		if required && allowTruncated {
			if ctx == nil {
				return cpoint{}, nil, errMissingContext
			}
			return full(*ctx), nil, nil
		}
		return cpoint{}, nil, nil
	}
	e := *expr
	if strings.HasPrefix(e, "min(") {
		m, err := c.minExpr(e, ctx)
		if err != nil {
			return cpoint{}, nil, err
		}
		e = m
	}
	var offsets []Duration
	if reOffset.MatchString(e) {
		var err error
		if e, offsets, err = c.parseChain(e); err != nil {
			return cpoint{}, nil, err
		}
	}
	if e == "" && allowTruncated {
		if ctx == nil {
			return cpoint{}, offsets, nil
		}
		return full(*ctx), offsets, nil
	}
	if reTwoDigits.MatchString(e) {
		return cpoint{}, nil, pointErr(e, "2 digit centuries not allowed").withHint("did you mean T-digit-digit e.g. 'T00'?")
	}
	toParse := e
	if strings.HasSuffix(e, "T") {
		toParse += "00"
	}
	cp, err := c.parseCPoint(toParse)
	if err == nil {
		return cp, offsets, nil
	}
	if allowTruncated {
		for _, t := range truncationPrefixes {
			for _, rec := range t.recs {
				if rec.MatchString(e) {
					if cp, err2 := c.parseCPoint(t.prefix + toParse); err2 == nil {
						return cp, offsets, nil
					}
				}
			}
		}
	}
	return cpoint{}, nil, &Error{What: "cycle point", Value: e,
		Msg: "not a valid cylc-shorthand or full ISO 8601 date representation", Hint: hintOf(err)}
}

func hintOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Msg
	}
	return ""
}

var errMissingContext = &Error{What: "cycle point", Value: "", Msg: "missing context cycle point"}

// parseCPoint parses a full or truncated point at full precision.
func (c *Context) parseCPoint(s string) (cpoint, error) {
	f, err := c.parser.parse(s)
	if err != nil {
		return cpoint{}, err
	}
	if err := f.finish(s, c.cal); err != nil {
		return cpoint{}, err
	}
	if f.truncated {
		return cpoint{ok: true, tr: &f}, nil
	}
	p, err := c.fromFields(s, f)
	if err != nil {
		return cpoint{}, err
	}
	return full(p), nil
}

// at resolves a cpoint against a context and applies offsets. ctxName
// names the context point for messages ("final cycle point").
func (c *Context) at(cp cpoint, ctx *Point, offsets []Duration, ctxName string) (Point, bool, error) {
	if !cp.ok {
		if len(offsets) > 0 {
			return Point{}, false, &Error{What: "cycle point", Msg: "an offset needs a " + ctxName + " to be relative to"}
		}
		return Point{}, false, nil
	}
	p := cp.p
	if cp.tr != nil {
		if ctx == nil {
			return Point{}, false, &Error{What: "cycle point", Value: cp.tr.expr,
				Msg: "a truncated point needs a " + ctxName + " to be relative to"}
		}
		p = c.resolve(cp.tr, *ctx)
	}
	for _, o := range offsets {
		p = p.addRaw(o)
	}
	return p, true, nil
}

// minExpr picks the earliest of the points in "min(a, b, ...)" and returns
// its expression (anything after the closing parenthesis is ignored, as in
// Cylc).
func (c *Context) minExpr(e string, ctx *Point) (string, error) {
	m := reMinExpr.FindStringSubmatch(e)
	if m == nil {
		return "", &Error{What: "cycle point", Value: e, Msg: "bad min() expression"}
	}
	var (
		best    Point
		have    bool
		entry   string
		entries = strings.Split(m[1], ",")
	)
	for _, raw := range entries {
		item := strings.TrimSpace(raw)
		cp, offs, err := c.pointExpr(&item, ctx, false, true)
		if err != nil {
			return "", err
		}
		if !cp.ok {
			continue
		}
		p, _, err := c.at(cp, ctx, offs, "context cycle point")
		if err != nil {
			return "", err
		}
		if !have || p.Compare(best) <= 0 {
			best, have, entry = p, true, item
		}
	}
	return entry, nil
}

// PointRelative is Cylc's get_point_relative: offsets from base ("+P1D",
// "-PT6H", "+P1D-PT1H"), or else a point that may be truncated ("T06",
// "01T00") or carry offsets ("2000 +P1D"), resolved against base. In
// integer cycling "+P2"/"-P1" are offsets and anything else an absolute
// point. It is how final and stop cycle points and cycle point
// constraints are read.
func (c *Context) PointRelative(expr string, base Point) (Point, error) {
	if c.integer {
		s := strings.TrimSpace(expr)
		if reRelativeInt.MatchString(s) {
			d, err := parseIntegerInterval(s)
			if err != nil {
				return Point{}, err
			}
			return base.Add(d), nil
		}
		return c.ParsePoint(s)
	}
	// a chain of intervals split at + and -
	p, ok := base, true
	op := byte('+')
	for _, part := range splitSigns(expr) {
		if part == "+" || part == "-" {
			op = part[0]
			continue
		}
		d, err := c.intervalParse(part)
		if err != nil {
			ok = false
			break
		}
		if op == '-' {
			d = d.Neg()
		}
		p = p.Add(d)
	}
	if ok {
		return p, nil
	}
	e := expr
	cp, offs, err := c.pointExpr(&e, &base, false, true)
	if err != nil {
		return Point{}, withWhat(err, "cycle point", expr)
	}
	if !cp.ok {
		return Point{}, pointErr(expr, "not a valid cylc-shorthand or full ISO 8601 date representation")
	}
	q, _, err := c.at(cp, &base, offs, "base cycle point")
	if err != nil {
		return Point{}, err
	}
	return c.checked(c.canon(q), expr)
}

// splitSigns is re.split(r'(\+|-)', s).
func splitSigns(s string) []string {
	var out []string
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '+' || s[i] == '-' {
			out = append(out, s[last:i], s[i:i+1])
			last = i + 1
		}
	}
	out = append(out, s[last:])
	var res []string
	for _, p := range out {
		if p != "" {
			res = append(res, p)
		}
	}
	return res
}
