package cycle

import (
	"errors"
	"strings"
	"testing"
)

func TestCyclePoint(t *testing.T) {
	env := map[string]string{"MYTEMPLATE": "foo-CCYY-MM.nc"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		o    CyclePointOptions
		want string
	}{
		{CyclePointOptions{Point: "2010080T00", Template: "foo-CCYY-MM-DD-Thh.nc"}, "foo-2010-03-21-T00.nc"},
		{CyclePointOptions{Point: "2010080T00", Template: "foo-%Y-%m-%d-T%H.nc"}, "foo-2010-03-21-T00.nc"},
		{CyclePointOptions{Point: "20100823T1800Z", OffsetHours: "6"}, "20100824T0000Z"},
		{CyclePointOptions{Point: "20100823T1800Z", OffsetHours: "-6"}, "20100823T1200Z"},
		{CyclePointOptions{Point: "2010-08", OffsetYears: "2", Template: "foo-CCYY-MM.nc"}, "foo-2012-08.nc"},
		{CyclePointOptions{Point: "2010-08", OffsetYears: "2", Template: "MYTEMPLATE", LookupEnv: lookup}, "foo-2012-08.nc"},
		{CyclePointOptions{Point: "2010-08", OffsetYears: "2"}, "2012-08"},
		{CyclePointOptions{Point: "20100131T00Z", OffsetMonths: "1"}, "20100228T00Z"},
		{CyclePointOptions{Point: "20100131T00Z", Offset: "-P1D"}, "20100130T00Z"},
		{CyclePointOptions{Point: "20100131T00Z", Offset: "PT36H", OffsetDays: "1"}, "20100202T12Z"},
		{CyclePointOptions{Point: "2010-08-23T18:00+05:30", OffsetMinutes: "45"}, "2010-08-23T18:45+05:30"},
		{CyclePointOptions{Point: "20100823T1800Z", PrintYear: true}, "2010"},
		{CyclePointOptions{Point: "20100823T1800Z", PrintMonth: true}, "08"},
		{CyclePointOptions{Point: "20100823T1800Z", PrintDay: true}, "23"},
		{CyclePointOptions{Point: "20100823T1800Z", PrintHour: true}, "18"},
		{CyclePointOptions{Point: "20100823T1830Z", PrintMinute: true}, "30"},
		{CyclePointOptions{Point: "20100823T1830Z", Template: "hh"}, "18"},
		{CyclePointOptions{Point: "20100823T1830Z", Template: "CCYYDDD"}, "2010235"},
		{CyclePointOptions{Point: "20100823T1830Z", Template: "CCYY-Www-D"}, "2010-W34-1"},
		{CyclePointOptions{Point: "2010-W05-3"}, "2010-W05-3"},
		{CyclePointOptions{Point: "2010-W05-3", OffsetDays: "7"}, "2010-W06-3"},
		{CyclePointOptions{Point: "+0020100101T00Z", NumExpandedYearDigits: 2, OffsetYears: "-3000"}, "-0009900101T00Z"},
		{CyclePointOptions{Point: "20100823T1800Z", PrintYear: true, NumExpandedYearDigits: 2}, "±002010"},
		{CyclePointOptions{Point: "20100823T18Z", Equal: "2010-08-23T18:00Z"}, ""},
	}
	for _, tt := range tests {
		got, err := CyclePoint(tt.o)
		if err != nil || got != tt.want {
			t.Errorf("%+v: got %q (%v), want %q", tt.o, got, err, tt.want)
		}
	}
	_, err := CyclePoint(CyclePointOptions{Point: "20100823T18Z", Equal: "20100823T19Z"})
	if !errors.Is(err, ErrPointsDiffer) {
		t.Errorf("--equal of different points: %v", err)
	}
	for _, o := range []CyclePointOptions{
		{Point: "20100823T18Z", Template: "CCYY", PrintYear: true},
		{Point: "20100823T18Z", PrintYear: true, PrintMonth: true},
		{Point: "20100823T18Z", OffsetHours: "six"},
		{Point: "20100823T18Z", Offset: "P1"},
		{Point: "yesterday"},
		{Point: "T06"},
		{Point: "99991231T23Z", OffsetDays: "1"},
	} {
		if out, err := CyclePoint(o); err == nil {
			t.Errorf("%+v: want an error, got %q", o, out)
		} else if o.Point == "yesterday" && !strings.Contains(err.Error(), "yesterday") {
			t.Errorf("error %q does not name the point", err)
		}
	}
}
