package broadcast

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"gyre/internal/config"
	"gyre/internal/flowfile"
)

// The scenario of Cylc's functional test broadcast/00-simple, re-expressed:
// a sequence of broadcast commands, what each answers, the --display
// listing, and the value every task ends up with.

const simpleWorkflow = `
[scheduler]
    cycle point format = %Y%m%dT%H
    allow implicit tasks = True
[scheduling]
    initial cycle point = 20100808T00
    final cycle point = 20100809T00
    [[graph]]
        R1 = "prep => check & foo"
        T00 = """
            foo => bar & baz & qux & wibble => ENS?
            ENS:finish-all => wobble
        """
[runtime]
    [[root]]
        script = true
        [[[environment]]]
            BCAST = ${BCAST:-(not set)}
            LOG = ${CYLC_WORKFLOW_SHARE_DIR}/broadcast.log
    [[prep, check, wobble]]
    [[ENS]]
    [[ENS1]]
        inherit = ENS
    [[m1, m2, m3, m4, m5, m6, m7, m8, m9]]
        inherit = ENS1
    [[ENS2]]
        inherit = ENS
    [[n1]]
        inherit = ENS2
    [[ENS3]]
        inherit = ENS
    [[o1]]
        inherit = ENS3
    [[bar]]
        platform = hpc
`

func loadWorkflow(t *testing.T, src string, implicit ...string) *config.Workflow {
	t.Helper()
	f, err := flowfile.Parse("flow.cylc", t.TempDir(), []byte(strings.TrimLeft(src, "\n")), flowfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := config.Build(f, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range implicit {
		if err := w.AddImplicitTask(name); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

var rePoint = regexp.MustCompile(`^\d{8}T\d\d$`)

// standardise stands in for internal/cycle: it accepts the workflow's
// point format only.
func standardise(p string) (string, error) {
	if !rePoint.MatchString(p) {
		return "", fmt.Errorf("invalid cycle point %q (expected CCYYMMDDThh)", p)
	}
	return p, nil
}

func TestSimpleScenario(t *testing.T) {
	w := loadWorkflow(t, simpleWorkflow, "foo", "baz", "qux", "wibble")
	s := NewStore(WorkflowChecker(w, standardise))
	bcast := func(v string) []config.Setting { return []config.Setting{set("[environment]BCAST", v)} }
	p1, p2 := []string{"20100808T00"}, []string{"20100809T00"}
	ns := func(n string) []string { return []string{n} }
	cancel := [][]string{path("[environment]BCAST")}
	steps := []struct {
		op     func() Report
		report string
		err    string
	}{
		{func() Report { return s.Put(nil, nil, bcast("ROOT")) }, "Broadcast set:\n+ [*/root] [environment]BCAST=ROOT", ""},
		{func() Report { return s.Put(p1, ns("foo"), bcast("FOO")) }, "Broadcast set:\n+ [20100808T00/foo] [environment]BCAST=FOO", ""},
		{func() Report { return s.Put(nil, ns("bar"), bcast("BAR")) }, "Broadcast set:\n+ [*/bar] [environment]BCAST=BAR", ""},
		{func() Report { return s.Put(p2, ns("baz"), bcast("BAZ")) }, "Broadcast set:\n+ [20100809T00/baz] [environment]BCAST=BAZ", ""},
		{func() Report { return s.Put(p2, ns("qux"), bcast("QUX")) }, "Broadcast set:\n+ [20100809T00/qux] [environment]BCAST=QUX", ""},
		{func() Report { return s.Cancel(p2, ns("qux"), cancel) }, "Broadcast cancelled:\n- [20100809T00/qux] [environment]BCAST=QUX", ""},
		{func() Report { return s.Put(nil, ns("wibble"), bcast("WIBBLE")) }, "Broadcast set:\n+ [*/wibble] [environment]BCAST=WIBBLE", ""},
		{func() Report { return s.Clear(nil, ns("wibble")) }, "Broadcast cancelled:\n- [*/wibble] [environment]BCAST=WIBBLE", ""},
		{func() Report { return s.Put(nil, ns("ENS"), bcast("ENS")) }, "Broadcast set:\n+ [*/ENS] [environment]BCAST=ENS", ""},
		{func() Report { return s.Put(nil, ns("ENS1"), bcast("ENS1")) }, "Broadcast set:\n+ [*/ENS1] [environment]BCAST=ENS1", ""},
		{func() Report { return s.Put(p2, ns("m2"), bcast("M2")) }, "Broadcast set:\n+ [20100809T00/m2] [environment]BCAST=M2", ""},
		{func() Report { return s.Cancel(p2, ns("m4"), cancel) }, "",
			"nothing to cancel or clear for these options:\n  --cancel=[environment]BCAST\n  --namespace=m4\n  --point=20100809T00"},
		{func() Report { return s.Cancel(nil, ns("m5"), cancel) }, "",
			"nothing to cancel or clear for these options:\n  --cancel=[environment]BCAST\n  --namespace=m5\n  --point=*"},
		{func() Report { return s.Clear(nil, ns("m6")) }, "", "nothing to cancel or clear for these options:\n  --namespace=m6"},
		{func() Report { return s.Clear(nil, ns("m7")) }, "", "nothing to cancel or clear for these options:\n  --namespace=m7"},
		{func() Report { return s.Put(nil, ns("m7"), bcast("M7")) }, "Broadcast set:\n+ [*/m7] [environment]BCAST=M7", ""},
		{func() Report { return s.Put(nil, ns("m8"), bcast("M8")) }, "Broadcast set:\n+ [*/m8] [environment]BCAST=M8", ""},
		{func() Report { return s.Put(nil, ns("m9"), bcast("M9")) }, "Broadcast set:\n+ [*/m9] [environment]BCAST=M9", ""},
		{func() Report { return s.Clear(nil, ns("ENS3")) }, "", "nothing to cancel or clear for these options:\n  --namespace=ENS3"},
		// Rejected by the workflow:
		{func() Report { return s.Put([]string{"2010-08-08"}, ns("mm1"), bcast("X")) }, "",
			"broadcast rejected for these options:\n" +
				`  --namespace=mm1: no such task or family in the workflow (did you mean "m1"?)` + "\n" +
				`  --point=2010-08-08: invalid cycle point "2010-08-08" (expected CCYYMMDDThh)`},
		{func() Report {
			return s.Put(nil, ns("m1"), []config.Setting{set("[environment]BCAST", "M1"), set("[events]execution timout", "PT1M")})
		}, "Broadcast set:\n+ [*/m1] [environment]BCAST=M1",
			"broadcast rejected for these options:\n  --set=[events]execution timout=PT1M: unknown [runtime] setting: [events]execution timout\n" +
				`      hint: did you mean "execution timeout"?`},
		{func() Report { return s.Cancel(nil, ns("m1"), cancel) }, "Broadcast cancelled:\n- [*/m1] [environment]BCAST=M1", ""},
		{func() Report { return s.Put(nil, ns("bar"), []config.Setting{set("[remote]host", "h")}) }, "",
			"broadcast rejected for these options:\n  --set=[remote]host=h: task 'bar' has the following deprecated '[runtime]' setting(s) which cannot be used with 'platform = hpc':\n" +
				"     * [remote]host\n      hint: broadcast either platform or the Cylc 7 host settings, not both"},
	}
	for i, st := range steps {
		r := st.op()
		if r.String() != st.report {
			t.Errorf("step %d: report\n%s\nwant\n%s", i, r, st.report)
		}
		gotErr := ""
		if err := r.Err(); err != nil {
			gotErr = err.Error()
		}
		if gotErr != st.err {
			t.Errorf("step %d: error\n%s\nwant\n%s", i, gotErr, st.err)
		}
	}

	wantDisplay := `*                 
 |-ENS            
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      ENS
 |-ENS1           
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      ENS1
 |-bar            
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      BAR
 |-m7             
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      M7
 |-m8             
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      M8
 |-m9             
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      M9
 ` + "`" + `-root           
   ` + "`" + `-environment  
     ` + "`" + `-BCAST      ROOT
20100808T00       
 ` + "`" + `-foo            
   ` + "`" + `-environment  
     ` + "`" + `-BCAST      FOO
20100809T00       
 |-baz            
 | ` + "`" + `-environment  
 |   ` + "`" + `-BCAST      BAZ
 ` + "`" + `-m2             
   ` + "`" + `-environment  
     ` + "`" + `-BCAST      M2
`
	if got := s.Display(); got != wantDisplay {
		t.Errorf("Display:\n%s\nwant\n%s", got, wantDisplay)
	}

	// What each task gets (Cylc's broadcast.ref).
	want := map[string]string{
		"20100808T00 bar": "BAR", "20100808T00 baz": "ROOT", "20100808T00 check": "ROOT", "20100808T00 foo": "FOO",
		"20100808T00 m1": "ENS1", "20100808T00 m2": "ENS1", "20100808T00 m4": "ENS1", "20100808T00 m7": "M7",
		"20100808T00 m9": "M9", "20100808T00 n1": "ENS", "20100808T00 o1": "ENS", "20100808T00 qux": "ROOT",
		"20100808T00 wibble": "ROOT", "20100808T00 wobble": "ROOT",
		"20100809T00 bar": "BAR", "20100809T00 baz": "BAZ", "20100809T00 foo": "ROOT", "20100809T00 m1": "ENS1",
		"20100809T00 m2": "M2", "20100809T00 m3": "ENS1", "20100809T00 m8": "M8", "20100809T00 n1": "ENS",
		"20100809T00 qux": "ROOT", "20100809T00 wibble": "ROOT",
	}
	for id, value := range want {
		point, task, _ := strings.Cut(id, " ")
		rt, err := w.RuntimeWith(task, s.For(point, w.Namespaces[task].MRO))
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if rt.Environment[0].Key != "BCAST" || rt.Environment[0].Value != value || len(rt.Environment) != 2 {
			t.Errorf("%s: environment %v, want BCAST=%s first", id, rt.Environment, value)
		}
	}

	wantTask := "*                 \n |-ENS            \n | `-environment  \n |   `-BCAST      ENS\n |-ENS1           \n" +
		" | `-environment  \n |   `-BCAST      ENS1\n `-root           \n   `-environment  \n     `-BCAST      ROOT\n" +
		"20100809T00       \n `-m2             \n   `-environment  \n     `-BCAST      M2\n"
	if got := s.DisplayTask("20100809T00", w.Namespaces["m2"].MRO); got != wantTask {
		t.Errorf("DisplayTask:\n%s\nwant\n%s", got, wantTask)
	}
}

func TestDisplay(t *testing.T) {
	s := NewStore(nil)
	if s.Display() != "" || s.DisplayTask("1", []string{"root"}) != "" {
		t.Errorf("empty store displays %q", s.Display())
	}
	s.Put([]string{"1"}, []string{"föö"}, []config.Setting{
		set("[environment]Z", "z"), set("[environment]A", "a"), set("script", "s"), set("[events]execution timeout", "PT1M"),
	})
	s.Put(nil, []string{"root"}, []config.Setting{set("pre-script", "p")})
	// Expected output generated with Cylc's get_tree and get_padding.
	want := "*                         \n `-root                   \n   `-pre-script           p\n" +
		"1                         \n `-föö                    \n   |-environment          \n" +
		"   | |-A                  a\n   | `-Z                  z\n   |-events               \n" +
		"   | `-execution timeout  PT1M\n   `-script               s\n"
	if got := s.Display(); got != want {
		t.Errorf("Display:\n%q\nwant\n%q", got, want)
	}
	if got := s.DisplayTask("2", []string{"föö", "root"}); got != "*                \n `-root          \n   `-pre-script  p\n" {
		t.Errorf("DisplayTask:\n%q", got)
	}
}

func TestWorkflowChecker(t *testing.T) {
	w := loadWorkflow(t, simpleWorkflow)
	c := WorkflowChecker(w, nil)
	if p, err := c.Point("anything"); p != "anything" || err != nil {
		t.Errorf("Point with no standardiser = %q, %v", p, err)
	}
	if err := c.Namespace("ENS1"); err != nil {
		t.Errorf("Namespace(ENS1): %v", err)
	}
	var ce *config.Error
	if err := c.Setting(set("[environment]1X", "x")); !errors.As(err, &ce) {
		t.Errorf("Setting([environment]1X) = %v, want a *config.Error", err)
	}
	if err := c.Combined("m1", []config.Setting{set("platform", "p"), set("[remote]host", "h")}); err == nil {
		t.Errorf("Combined: platform with [remote]host accepted")
	}
}
