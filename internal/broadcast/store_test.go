package broadcast

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gyre/internal/config"
)

func set(key, value string) config.Setting {
	p, err := parsePath(key)
	if err != nil {
		panic(err)
	}
	return config.Setting{Path: p, Value: value}
}

func path(key string) []string { return set(key, "").Path }

// show renders settings as "key=value" lines for comparison.
func show(settings []config.Setting) string {
	var lines []string
	for _, s := range settings {
		lines = append(lines, s.Key()+"="+s.Value)
	}
	return strings.Join(lines, "\n")
}

func TestForPrecedence(t *testing.T) {
	s := NewStore(nil)
	// Each put: points, namespaces, value of [environment]X.
	for _, p := range []struct {
		points, nss []string
		value       string
	}{
		{nil, nil, "*/root"},
		{[]string{"1"}, []string{"root"}, "1/root"},
		{nil, []string{"FAM"}, "*/FAM"},
		{nil, []string{"foo"}, "*/foo"},
		{[]string{"2"}, []string{"FAM"}, "2/FAM"},
		{[]string{"3"}, []string{"bar"}, "3/bar"},
	} {
		if r := s.Put(p.points, p.nss, []config.Setting{set("[environment]X", p.value)}); r.Err() != nil {
			t.Fatal(r.Err())
		}
	}
	fooMRO := []string{"foo", "FAM", "root"}
	barMRO := []string{"bar", "FAM", "root"}
	bazMRO := []string{"baz", "root"}
	tests := []struct {
		point string
		mro   []string
		want  string
	}{
		{"4", fooMRO, "*/foo"},  // task beats family and root, all points
		{"1", fooMRO, "1/root"}, // any point-specific one beats all-points ones
		{"1", barMRO, "1/root"}, // a point-specific root beats an all-points family
		{"2", barMRO, "2/FAM"},  // point-specific family
		{"2", fooMRO, "2/FAM"},  // point-specific family beats all-points task
		{"3", barMRO, "3/bar"},  // point-specific task
		{"4", barMRO, "*/FAM"},  // family at all points
		{"4", bazMRO, "*/root"}, // root only
		{"1", bazMRO, "1/root"}, // point-specific root
		{"*", fooMRO, "*/foo"},  // the all-points view
		{"4", []string{"root"}, "*/root"},
	}
	for _, tt := range tests {
		got := s.For(tt.point, tt.mro)
		if want := "[environment]X=" + tt.want; show(got) != want {
			t.Errorf("For(%s, %v) = %q, want %q", tt.point, tt.mro, show(got), want)
		}
	}
	if got := s.For("1", nil); got != nil {
		t.Errorf("For with no namespaces = %v", got)
	}
}

// TestForMergeOrder checks that merged settings come in the order Cylc's
// addict builds them: the order in which each key was first met, going
// from all points to the point and from root to the task.
func TestForMergeOrder(t *testing.T) {
	s := NewStore(nil)
	s.Put([]string{"1"}, []string{"foo"}, []config.Setting{set("[environment]B", "foo1"), set("script", "s-foo1")})
	s.Put(nil, []string{"foo"}, []config.Setting{set("[environment]C", "foo*")})
	s.Put(nil, []string{"root"}, []config.Setting{set("[environment]A", "root*"), set("[environment]B", "root*"), set("pre-script", "p")})
	s.Put([]string{"1"}, []string{"root"}, []config.Setting{set("[events]execution timeout", "PT1M")})
	got := show(s.For("1", []string{"foo", "root"}))
	want := strings.Join([]string{
		"[environment]A=root*",
		"[environment]B=foo1",
		"[environment]C=foo*",
		"pre-script=p",
		"[events]execution timeout=PT1M",
		"script=s-foo1",
	}, "\n")
	if got != want {
		t.Errorf("For = \n%s\nwant\n%s", got, want)
	}
}

func TestPutReport(t *testing.T) {
	s := NewStore(nil)
	r := s.Put([]string{"2", "1", "1"}, []string{"b", "a", "a"}, []config.Setting{set("[environment]X", "1"), set("script", "true"), set("[environment]X", "1")})
	want := `Broadcast set:
+ [1/a] [environment]X=1
+ [1/a] script=true
+ [1/b] [environment]X=1
+ [1/b] script=true
+ [2/a] [environment]X=1
+ [2/a] script=true
+ [2/b] [environment]X=1
+ [2/b] script=true`
	if r.String() != want || r.Err() != nil || r.Cancelled {
		t.Errorf("report:\n%s\nerr %v\nwant\n%s", r, r.Err(), want)
	}
	// Re-setting a value is reported again, as in Cylc.
	r = s.Put(nil, nil, []config.Setting{set("script", "a")})
	if r.String() != "Broadcast set:\n+ [*/root] script=a" {
		t.Errorf("report %q", r)
	}
	// The aliases of "*".
	r = s.Put([]string{"all-cycle-points", "all-cycles"}, nil, []config.Setting{set("script", "b")})
	if r.String() != "Broadcast set:\n+ [*/root] script=b" {
		t.Errorf("report %q", r)
	}
	if r := s.Put(nil, nil, nil); r.String() != "" || r.Err() != nil {
		t.Errorf("empty put: %q, %v", r, r.Err())
	}
}

// fakeChecker rejects what its fields name.
type fakeChecker struct {
	badPoint, badNS, badKey string
	conflict                [2]string // namespace, key: rejected together with platform
}

func (c fakeChecker) Point(p string) (string, error) {
	if p == c.badPoint {
		return "", errors.New("not a cycle point")
	}
	return strings.TrimPrefix(p, "0"), nil // "01" standardises to "1"
}

func (c fakeChecker) Namespace(ns string) error {
	if ns == c.badNS {
		return errors.New(`no such task or family (did you mean "foo"?)`)
	}
	return nil
}

func (c fakeChecker) Setting(s config.Setting) error {
	if s.Key() == c.badKey {
		return errors.New("invalid value\n  hint: expected something else")
	}
	return nil
}

func (c fakeChecker) Combined(ns string, overrides []config.Setting) error {
	has := func(key string) bool {
		for _, o := range overrides {
			if o.Key() == key {
				return true
			}
		}
		return false
	}
	if ns == c.conflict[0] && has("platform") && has(c.conflict[1]) {
		return errors.New("platform conflicts with " + c.conflict[1])
	}
	return nil
}

func TestPutRejections(t *testing.T) {
	s := NewStore(fakeChecker{badPoint: "x", badNS: "fooo", badKey: "[events]execution timeout", conflict: [2]string{"foo", "[remote]host"}})
	r := s.Put([]string{"x", "01"}, []string{"fooo", "foo"}, []config.Setting{
		set("[events]execution timeout", "soon"),
		set("[remote]host", "h"),
		set("platform", "p"),
		set("[environment]X", "1"),
	})
	wantSet := "Broadcast set:\n+ [1/foo] [remote]host=h\n+ [1/foo] [environment]X=1"
	wantErr := `broadcast rejected for these options:
  --namespace=fooo: no such task or family (did you mean "foo"?)
  --point=x: not a cycle point
  --set=[events]execution timeout=soon: invalid value
      hint: expected something else
  --set=platform=p: platform conflicts with [remote]host`
	if r.String() != wantSet {
		t.Errorf("report:\n%s\nwant\n%s", r, wantSet)
	}
	if r.Err() == nil || r.Err().Error() != wantErr {
		t.Errorf("err:\n%v\nwant\n%s", r.Err(), wantErr)
	}
	if got := show(s.For("01", []string{"foo"})); got != "" {
		t.Errorf("For(01) = %q: points are looked up as given", got)
	}
	if got := show(s.For("1", []string{"foo"})); got != "[remote]host=h\n[environment]X=1" {
		t.Errorf("For(1) = %q", got)
	}
}

func TestCancelClear(t *testing.T) {
	fill := func() *Store {
		s := NewStore(nil)
		s.Put(nil, []string{"root", "foo"}, []config.Setting{set("[environment]X", "all"), set("script", "s")})
		s.Put([]string{"1", "2"}, []string{"foo"}, []config.Setting{set("[environment]X", "pt"), set("[environment]Y", "y")})
		return s
	}
	tests := []struct {
		name     string
		op       func(s *Store) Report
		report   string
		err      string
		leftRows int
	}{
		{"cancel default point and namespace", func(s *Store) Report { return s.Cancel(nil, nil, [][]string{path("[environment]X")}) },
			"Broadcast cancelled:\n- [*/root] [environment]X=all", "", 7},
		{"cancel several", func(s *Store) Report {
			return s.Cancel([]string{"1", "2"}, []string{"foo"}, [][]string{path("[environment]X"), path("[environment]Y")})
		}, "Broadcast cancelled:\n- [1/foo] [environment]X=pt\n- [1/foo] [environment]Y=y\n- [2/foo] [environment]X=pt\n- [2/foo] [environment]Y=y", "", 4},
		{"cancel nothing", func(s *Store) Report {
			return s.Cancel([]string{"3"}, []string{"bar"}, [][]string{path("[environment]X")})
		},
			"", "nothing to cancel or clear for these options:\n  --cancel=[environment]X\n  --namespace=bar\n  --point=3", 8},
		{"cancel partly", func(s *Store) Report {
			return s.Cancel([]string{"1"}, []string{"foo", "bar"}, [][]string{path("[environment]Y"), path("script")})
		}, "Broadcast cancelled:\n- [1/foo] [environment]Y=y", "nothing to cancel or clear for these options:\n  --cancel=script\n  --namespace=bar", 7},
		{"clear a namespace", func(s *Store) Report { return s.Clear(nil, []string{"foo"}) },
			"Broadcast cancelled:\n- [*/foo] [environment]X=all\n- [*/foo] script=s\n- [1/foo] [environment]X=pt\n- [1/foo] [environment]Y=y\n- [2/foo] [environment]X=pt\n- [2/foo] [environment]Y=y", "", 2},
		{"clear a point", func(s *Store) Report { return s.Clear([]string{"*"}, nil) },
			"Broadcast cancelled:\n- [*/foo] [environment]X=all\n- [*/foo] script=s\n- [*/root] [environment]X=all\n- [*/root] script=s", "", 4},
		{"clear everything", func(s *Store) Report { return s.Clear(nil, []string{}) }, "", "", 0},
		{"clear nothing", func(s *Store) Report { return s.Clear([]string{"9"}, []string{"m6"}) },
			"", "nothing to cancel or clear for these options:\n  --namespace=m6\n  --point=9", 8},
		{"expire", func(s *Store) Report { return s.Expire(func(p string) bool { return p < "2" }) },
			"Broadcast cancelled:\n- [1/foo] [environment]X=pt\n- [1/foo] [environment]Y=y", "", 6},
		{"expire all points", func(s *Store) Report { return s.Expire(func(p string) bool { return true }) },
			"Broadcast cancelled:\n- [1/foo] [environment]X=pt\n- [1/foo] [environment]Y=y\n- [2/foo] [environment]X=pt\n- [2/foo] [environment]Y=y", "", 4},
	}
	for _, tt := range tests {
		s := fill()
		r := tt.op(s)
		if tt.name == "clear everything" {
			if len(r.Changes) != 8 || !r.Cancelled {
				t.Errorf("%s: %d changes", tt.name, len(r.Changes))
			}
		} else if r.String() != tt.report {
			t.Errorf("%s: report\n%s\nwant\n%s", tt.name, r, tt.report)
		}
		gotErr := ""
		if r.Err() != nil {
			gotErr = r.Err().Error()
		}
		if gotErr != tt.err {
			t.Errorf("%s: err\n%s\nwant\n%s", tt.name, gotErr, tt.err)
		}
		if n := len(s.Rows()); n != tt.leftRows {
			t.Errorf("%s: %d rows left, want %d:\n%s", tt.name, n, tt.leftRows, s.Display())
		}
	}
	// Expiring with nothing before the cutoff changes nothing, and "*"
	// never expires.
	s := fill()
	s.Clear([]string{"1", "2"}, nil)
	r := s.Expire(func(string) bool { return true })
	if len(r.Changes) != 0 || r.Err() != nil || len(s.Rows()) != 4 {
		t.Errorf("expire: %+v, %d rows", r, len(s.Rows()))
	}
	// Clearing a setting and setting it again puts it last, as in Cylc.
	s = NewStore(nil)
	s.Put(nil, nil, []config.Setting{set("[environment]A", "1"), set("[environment]B", "2")})
	s.Cancel(nil, nil, [][]string{path("[environment]A")})
	s.Put(nil, nil, []config.Setting{set("[environment]A", "3")})
	if got := show(s.For("1", []string{"root"})); got != "[environment]B=2\n[environment]A=3" {
		t.Errorf("after cancel and put: %q", got)
	}
}

func TestRowsLoad(t *testing.T) {
	s := NewStore(nil)
	s.Put([]string{"20100809T00"}, []string{"m2"}, []config.Setting{set("[environment]BCAST", "M2")})
	s.Put(nil, []string{"root"}, []config.Setting{set("[environment]BCAST", "ROOT"), set("script", "line 1\nline 2")})
	s.Put(nil, []string{"ENS"}, []config.Setting{set("[events]execution timeout", "PT1M"), set("[a][b]c", "d")})
	rows := s.Rows()
	want := []Row{
		{"*", "ENS", "[events]execution timeout", "PT1M"},
		{"*", "ENS", "[a][b]c", "d"},
		{"*", "root", "[environment]BCAST", "ROOT"},
		{"*", "root", "script", "line 1\nline 2"},
		{"20100809T00", "m2", "[environment]BCAST", "M2"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("Rows = %#v\nwant %#v", rows, want)
	}
	restored := NewStore(nil)
	if err := restored.Load(rows); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(restored.Rows(), rows) || restored.Display() != s.Display() {
		t.Errorf("round trip: %#v\n%s", restored.Rows(), restored.Display())
	}
	for _, mro := range [][]string{{"m2", "ENS", "root"}, {"foo", "root"}} {
		if a, b := show(restored.For("20100809T00", mro)), show(s.For("20100809T00", mro)); a != b {
			t.Errorf("For after Load = %q, want %q", a, b)
		}
	}

	// Rows from a Cylc database: aliases of "*", Cylc 7 keys, bad rows.
	s = NewStore(nil)
	err := s.Load([]Row{
		{"all-cycle-points", "root", "[environment]A", "1"},
		{"1", "foo", "[job]execution time limit", "PT1H"},
		{"1", "foo", "[environment]", "x"},
		{"", "foo", "script", "x"},
		{"1", "foo", "[job]shell", "bash"},
	})
	wantRows := []Row{{"*", "root", "[environment]A", "1"}, {"1", "foo", "execution time limit", "PT1H"}}
	if !reflect.DeepEqual(s.Rows(), wantRows) {
		t.Errorf("Rows after Load = %#v, want %#v", s.Rows(), wantRows)
	}
	for _, w := range []string{`"[environment]": [environment] is a section`, "no point or namespace", "obsolete setting: [job]shell"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Load error %v, want it to mention %q", err, w)
		}
	}
}
