package cycle

import "strings"

// The ISO 8601 representations isodatetime accepts, as templates, and
// their compiled forms. Order matters: the first match wins.

// Date templates per format (basic, extended) and type (complete,
// truncated, reduced), in isodatetime's order.
var dateTemplates = [2][3][]string{
	{ // basic
		{"CCYYMMDD", "+XCCYYMMDD", "CCYYDDD", "+XCCYYDDD", "CCYYWwwD", "+XCCYYWwwD"},
		{"-YYMM", "-YY", "--MMDD", "--MM", "---DD", "YYMMDD", "YYDDD", "-DDD",
			"YYWwwD", "YYWww", "-zWwwD", "-zWww", "-WwwD", "-Www", "-W-D"},
		{"CCYY-MM", "CCYY", "CC", "+XCCYY-MM", "+XCCYY", "+XCC", "CCYYWww", "+XCCYYWww"},
	},
	{ // extended
		{"CCYY-MM-DD", "+XCCYY-MM-DD", "CCYY-DDD", "+XCCYY-DDD", "CCYY-Www-D", "+XCCYY-Www-D"},
		{"-YY-MM", "--MM-DD", "YY-MM-DD", "YY-DDD", "-DDD", "YY-Www-D", "YY-Www",
			"-z-WwwD", "-z-Www", "-Www-D"},
		{"CCYY-MM", "+XCCYY-MM", "CCYY-Www", "+XCCYY-Www"},
	},
}

// Time templates per format and type (complete, truncated, reduced); they
// are tried in the order complete, reduced, truncated.
var timeTemplates = [2][3][]string{
	{
		{"hhmmss", "hhmmss,tt", "hhmm,nn", "hh,ii", "hhmmss.tt", "hhmm.nn", "hh.ii"},
		{"-mmss", "-mm", "--ss", "-mmss,tt", "-mm,nn", "--ss,tt", "-mmss.tt", "-mm.nn", "--ss.tt"},
		{"hhmm", "hh"},
	},
	{
		{"hh:mm:ss", "hh:mm:ss,tt", "hh:mm,nn", "hh,ii", "hh:mm:ss.tt", "hh:mm.nn", "hh.ii"},
		{"-mm:ss", "-mm", "--ss", "-mm:ss,tt", "-mm,nn", "--ss,tt", "-mm:ss.tt", "-mm.nn", "--ss.tt"},
		{"hh:mm", "hh"},
	},
}

var tzTemplates = [2][]string{{"Z", "+hh", "+hhmm"}, {"Z", "+hh", "+hh:mm"}}

const (
	fBasic = iota
	fExtended
)

const (
	tComplete = iota
	tTruncated
	tReduced
)

// Parse tokens. Numeric tokens carry their digit count (0: one or more).
type ptok struct {
	kind  byte
	width int
	lit   byte
}

const (
	kLit byte = iota
	kTrunc
	kSign
	kExpanded
	kCentury
	kYoC
	kMonth
	kDoY
	kDoM
	kWeek
	kDoW
	kYoD
	kHour
	kMinute
	kSecond
	kHourDec
	kMinuteDec
	kSecondDec
	kTZSign
	kTZHour
	kTZMinute
	kZ
)

func compileDateTemplate(t string) []ptok {
	var out []ptok
	i := 0
	if strings.HasPrefix(t, "-") {
		n := len(t) - len(strings.TrimLeft(t, "-"))
		n = min(n, 3)
		for range n {
			out = append(out, ptok{kind: kTrunc, lit: '-'})
		}
		i = n
	}
	for i < len(t) {
		switch {
		case strings.HasPrefix(t[i:], "+X"):
			out = append(out, ptok{kind: kSign})
			i++
		case t[i] == 'X':
			out = append(out, ptok{kind: kExpanded})
			i++
		case strings.HasPrefix(t[i:], "CC"):
			out = append(out, ptok{kind: kCentury, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "YY"):
			out = append(out, ptok{kind: kYoC, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "MM"):
			out = append(out, ptok{kind: kMonth, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "DDD"):
			out = append(out, ptok{kind: kDoY, width: 3})
			i += 3
		case strings.HasPrefix(t[i:], "DD"):
			out = append(out, ptok{kind: kDoM, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "Www"):
			out = append(out, ptok{kind: kLit, lit: 'W'}, ptok{kind: kWeek, width: 2})
			i += 3
		case t[i] == 'D':
			out = append(out, ptok{kind: kDoW, width: 1})
			i++
		case t[i] == 'z':
			out = append(out, ptok{kind: kYoD, width: 1})
			i++
		default:
			out = append(out, ptok{kind: kLit, lit: t[i]})
			i++
		}
	}
	return out
}

func compileTimeTemplate(t string) []ptok {
	var out []ptok
	i := 0
	for i < len(t) {
		switch {
		case i == 0 && strings.HasPrefix(t, "hh"):
			out = append(out, ptok{kind: kHour, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "mm") && (t[:i] == "hh" || t[:i] == "hh:" || t[:i] == "-"):
			out = append(out, ptok{kind: kMinute, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "ss"):
			out = append(out, ptok{kind: kSecond, width: 2})
			i += 2
		case strings.HasPrefix(t[i:], "ii") && i > 0:
			out = append(out, ptok{kind: kHourDec})
			i += 2
		case strings.HasPrefix(t[i:], "nn") && i > 0:
			out = append(out, ptok{kind: kMinuteDec})
			i += 2
		case strings.HasPrefix(t[i:], "tt") && i > 0:
			out = append(out, ptok{kind: kSecondDec})
			i += 2
		default:
			out = append(out, ptok{kind: kLit, lit: t[i]})
			i++
		}
	}
	return out
}

func compileTZTemplate(t string) []ptok {
	switch t {
	case "Z":
		return []ptok{{kind: kZ}}
	case "+hh":
		return []ptok{{kind: kTZSign}, {kind: kTZHour, width: 2}}
	case "+hhmm":
		return []ptok{{kind: kTZSign}, {kind: kTZHour, width: 2}, {kind: kTZMinute, width: 2}}
	}
	return []ptok{{kind: kTZSign}, {kind: kTZHour, width: 2}, {kind: kLit, lit: ':'}, {kind: kTZMinute, width: 2}}
}

type template struct {
	expr string
	toks []ptok
}

var (
	dateTmpl [2][3][]template
	timeTmpl [2][3][]template
	tzTmpl   [2][]template
)

func init() {
	for f := range 2 {
		for ty := range 3 {
			for _, e := range dateTemplates[f][ty] {
				dateTmpl[f][ty] = append(dateTmpl[f][ty], template{e, compileDateTemplate(e)})
			}
			for _, e := range timeTemplates[f][ty] {
				timeTmpl[f][ty] = append(timeTmpl[f][ty], template{e, compileTimeTemplate(e)})
			}
		}
		for _, e := range tzTemplates[f] {
			tzTmpl[f] = append(tzTmpl[f], template{e, compileTZTemplate(e)})
		}
	}
}
