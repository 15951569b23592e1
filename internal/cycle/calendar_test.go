package cycle

import (
	"strings"
	"testing"
	"time"
)

func TestParseCalendar(t *testing.T) {
	for in, want := range map[string]Calendar{
		"gregorian": Gregorian, "360day": Days360, "360_day": Days360, "365DAY": Days365,
		"365_day": Days365, "366day": Days366, " 366_day ": Days366,
	} {
		got, err := ParseCalendar(in)
		if err != nil || got != want {
			t.Errorf("ParseCalendar(%q) = %v, %v", in, got, err)
		}
	}
	_, err := ParseCalendar("360days")
	if err == nil || !strings.Contains(err.Error(), `did you mean "360day"`) {
		t.Errorf("ParseCalendar(360days) error = %v", err)
	}
}

func TestMonthLengths(t *testing.T) {
	tests := []struct {
		cal   Calendar
		year  int64
		month int
		want  int
	}{
		{Gregorian, 2000, 2, 29}, {Gregorian, 1900, 2, 28}, {Gregorian, 2004, 2, 29},
		{Gregorian, 2001, 2, 28}, {Gregorian, 2100, 2, 28}, {Gregorian, 2400, 2, 29},
		{Gregorian, 0, 2, 29}, {Gregorian, -1, 2, 28}, {Gregorian, -4, 2, 29},
		{Gregorian, -100, 2, 28}, {Gregorian, -400, 2, 29}, {Gregorian, 2001, 4, 30},
		{Gregorian, 2001, 12, 31}, {Days360, 2000, 2, 30}, {Days360, 2001, 1, 30},
		{Days360, 2001, 12, 30}, {Days365, 2000, 2, 28}, {Days365, 2001, 1, 31},
		{Days366, 2001, 2, 29}, {Days366, 1900, 2, 29}, {Days366, 2001, 11, 30},
	}
	for _, tt := range tests {
		if got := tt.cal.daysInMonth(tt.year, tt.month); got != tt.want {
			t.Errorf("%v %d-%02d: %d days, want %d", tt.cal, tt.year, tt.month, got, tt.want)
		}
	}
	for cal, want := range map[Calendar]int{Days360: 360, Days365: 365, Days366: 366} {
		if got := cal.daysInYear(1999); got != want {
			t.Errorf("%v: %d days in year", cal, got)
		}
	}
}

// Day numbers round trip in every calendar, over negative and huge years.
func TestDayNumberRoundTrip(t *testing.T) {
	for _, cal := range []Calendar{Gregorian, Days360, Days365, Days366} {
		for _, y := range []int64{-13800000000, -401, -1, 0, 1, 1582, 1970, 2000, 2100, 9999, 5400000000} {
			prev := cal.dayNumber(y, 1, 1) - 1
			for m := 1; m <= 12; m++ {
				for d := 1; d <= cal.daysInMonth(y, m); d++ {
					n := cal.dayNumber(y, m, d)
					if n != prev+1 {
						t.Fatalf("%v %d-%02d-%02d: day %d follows %d", cal, y, m, d, n, prev)
					}
					prev = n
					gy, gm, gd := cal.civil(n)
					if gy != y || gm != m || gd != d {
						t.Fatalf("%v day %d: %d-%d-%d, want %d-%d-%d", cal, n, gy, gm, gd, y, m, d)
					}
				}
			}
		}
	}
}

// The Gregorian calendar and its weekdays agree with Go's time package.
func TestGregorianMatchesTime(t *testing.T) {
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 200000; d += 7 {
		tm := start.AddDate(0, 0, d)
		n := Gregorian.dayNumber(int64(tm.Year()), int(tm.Month()), tm.Day())
		if n*86400 != tm.Unix() {
			t.Fatalf("%s: day number %d", tm.Format(time.DateOnly), n)
		}
		wd := int(tm.Weekday())
		if wd == 0 {
			wd = 7
		}
		if got := Gregorian.weekday(n); got != wd {
			t.Fatalf("%s: weekday %d, want %d", tm.Format(time.DateOnly), got, wd)
		}
		wy, w := tm.ISOWeek()
		gy, gw, gd := Gregorian.weekDate(n)
		if gy != int64(wy) || gw != w || gd != wd {
			t.Fatalf("%s: week date %d-W%02d-%d, want %d-W%02d-%d", tm.Format(time.DateOnly), gy, gw, gd, wy, w, wd)
		}
	}
}

func TestWeekDates(t *testing.T) {
	tests := []struct {
		cal     Calendar
		y       int64
		m, d    int
		wy      int64
		w, dow  int
		weeksWy int
	}{
		{Gregorian, 2005, 1, 2, 2004, 53, 7, 53},
		{Gregorian, 2008, 12, 29, 2009, 1, 1, 53},
		{Gregorian, 2010, 1, 3, 2009, 53, 7, 53},
		{Gregorian, 2010, 1, 4, 2010, 1, 1, 52},
		{Gregorian, 2020, 12, 31, 2020, 53, 4, 53},
		{Gregorian, 2000, 1, 3, 2000, 1, 1, 52},
		{Days360, 2000, 1, 3, 2000, 1, 1, 51},
		{Days360, 2001, 1, 1, 2001, 1, 2, 52},
		{Days365, 2001, 1, 1, 2000, 52, 7, 52},
		{Days366, 2001, 1, 1, 2001, 1, 1, 52},
	}
	for _, tt := range tests {
		n := tt.cal.dayNumber(tt.y, tt.m, tt.d)
		wy, w, dow := tt.cal.weekDate(n)
		if wy != tt.wy || w != tt.w || dow != tt.dow {
			t.Errorf("%v %d-%02d-%02d: %d-W%02d-%d, want %d-W%02d-%d", tt.cal, tt.y, tt.m, tt.d, wy, w, dow, tt.wy, tt.w, tt.dow)
		}
		if back := tt.cal.fromWeekDate(wy, w, dow); back != n {
			t.Errorf("%v: week date does not round trip", tt.cal)
		}
		if got := tt.cal.weeksInYear(tt.wy); got != tt.weeksWy {
			t.Errorf("%v %d: %d weeks, want %d", tt.cal, tt.wy, got, tt.weeksWy)
		}
	}
}
