package config

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// vdrName maps our types to parsec's validator names.
var vdrName = map[vtype]string{
	tString: "V_STRING", tBool: "V_BOOLEAN", tInt: "V_INTEGER", tFloat: "V_FLOAT",
	tStringList: "V_STRING_LIST", tSpacelessList: "V_SPACELESS_STRING_LIST",
	tInterval: "V_INTERVAL", tIntervalList: "V_INTERVAL_LIST", tCyclePoint: "V_CYCLE_POINT",
	tCyclePointOffsets: "V_CYCLE_POINT_WITH_OFFSETS", tCyclePointFormat: "V_CYCLE_POINT_FORMAT",
	tTimeZone: "V_CYCLE_POINT_TIME_ZONE", tParamList: "V_PARAMETER_LIST", tXtrigger: "V_XTRIGGER",
}

// dumpSpec renders the schema in the format of testdata/spec-8.7.txt, which
// was dumped from Cylc 8.7's cfgspec/workflow.py.
func dumpSpec(b *strings.Builder, s *spec, depth int) {
	for _, c := range s.children {
		ind := strings.Repeat("  ", depth)
		if c.section {
			fmt.Fprintf(b, "%s[%s]\n", ind, c.display)
			dumpSpec(b, c, depth+1)
			continue
		}
		def := "None"
		switch v := c.def.(type) {
		case string:
			def = pyStrRepr(v)
		case bool, int:
			def = pyStr(v)
		case Interval:
			def = "seconds:" + pyFloatRepr(float64(v))
		}
		line := fmt.Sprintf("%s%s :: %s = %s", ind, c.display, vdrName[c.typ], def)
		if len(c.options) > 0 {
			line += " options=" + strings.Join(c.options, ",")
		}
		if len(c.deprOptions) > 0 {
			var kv []string
			for k, v := range c.deprOptions {
				kv = append(kv, k+">"+v)
			}
			sort.Strings(kv)
			line += " deprecated=" + strings.Join(kv, ",")
		}
		if c.warnOptions {
			line += " warn"
		}
		b.WriteString(line + "\n")
	}
}

func TestSchemaMatchesCylc87(t *testing.T) {
	want, err := os.ReadFile("testdata/spec-8.7.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	dumpSpec(&b, workflowSpec, 0)
	got := strings.Split(b.String(), "\n")
	wantLines := strings.Split(string(want), "\n")
	for i := 0; i < max(len(got), len(wantLines)); i++ {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Fatalf("schema differs from Cylc 8.7 at line %d:\n got: %s\nwant: %s", i+1, strconv.Quote(g), strconv.Quote(w))
		}
	}
}
