package config

import "testing"

// The expectations in this file were computed with isodatetime and Cylc
// 8.7's validators.

func TestCyclePointValues(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"2000", true},
		{"200001", true},
		{"2000-01", true},
		{"20000101", true},
		{"2000-01-01", true},
		{"2000-01-01T00", true},
		{"2000-01-01T00:00", true},
		{"2000-01-01T00:00:00", true},
		{"20000101T00", true},
		{"20000101T0000", true},
		{"20000101T000000", true},
		{"20000101T0000Z", true},
		{"20000101T0000+01", true},
		{"20000101T0000+0130", true},
		{"2000-01-01T00:00+01:30", true},
		{"2000-01-01T00:00+0130", false}, // (type=cycle point) k = 2000-01-01T00:00+0130 - (Invalid cycle point)
		{"20000101T00:00", false},        // (type=cycle point) k = 20000101T00:00 - (Invalid cycle point)
		{"2000-01-01T0000", false},       // (type=cycle point) k = 2000-01-01T0000 - (Invalid cycle point)
		{"2000-001", true},
		{"2000001", true},
		{"2000-W01", true},
		{"2000W01", true},
		{"2000-W01-1", true},
		{"2000W011", true},
		{"2000-13", false},    // (type=cycle point) k = 2000-13 - (Invalid input (out of bounds): month_of_year: 13)
		{"2000-02-30", false}, // (type=cycle point) k = 2000-02-30 - (Invalid input (out of bounds): day_of_month: 30)
		{"2001-02-29", false}, // (type=cycle point) k = 2001-02-29 - (Invalid input (out of bounds): day_of_month: 29)
		{"20000101T24", true},
		{"20000101T25", false}, // (type=cycle point) k = 20000101T25 - (Invalid input (out of bounds): hour_of_day: 25)
		{"20000101T2400", true},
		{"20000101T0060", false}, // (type=cycle point) k = 20000101T0060 - (Invalid input (out of bounds): minute_of_hour: 60)
		{"20000101T00,5", true},
		{"20000101T00.5", true},
		{"20000101T0000,5", true},
		{"2000-01-01T00:00:00.123", true},
		{"T00", false}, // (type=cycle point) k = T00 - (Invalid cycle point)
		{"-2000", true},
		{"+2000", true},
		{"+002000-01-01", true},
		{"-13800000000-02-29T05:30", true},
		{"+05400000000-12-31T23:59", true},
		{"now", true},
		{"next(T00)", true},
		{"1", true},
		{"12345", true},
		{"P1D", true},
		{"-P1D", true},
		{"+P1D", false}, // (type=cycle point) k = +P1D - (Invalid ISO 8601 duration representation: +P1D)
		{"PT1H", true},
		{"-PX", false}, // (type=cycle point) k = -PX - (Invalid ISO 8601 duration representation: PX)
		{"abc", false}, // (type=cycle point) k = abc - (Invalid cycle point)
		{"2000-01-01T00Z", true},
		{"20000101T00-05", true},
		{"2000T00", false},      // (type=cycle point) k = 2000T00 - (Invalid cycle point)
		{"2000-01T00", false},   // (type=cycle point) k = 2000-01T00 - (Invalid cycle point)
		{"2000-W01T00", false},  // (type=cycle point) k = 2000-W01T00 - (Invalid cycle point)
		{"2000-01-01T", false},  // (type=cycle point) k = 2000-01-01T - (Invalid cycle point)
		{"2000-01-01TZ", false}, // (type=cycle point) k = 2000-01-01TZ - (Invalid cycle point)
		{"20000101Z", false},    // (type=cycle point) k = 20000101Z - (Invalid cycle point)
		{"2000Z", false},        // (type=cycle point) k = 2000Z - (Invalid cycle point)
		{"2000-366", true},
		{"2001-366", false}, // (type=cycle point) k = 2001-366 - (Invalid input (out of bounds): day_of_year: 366)
		{"2000-W53", false}, // (type=cycle point) k = 2000-W53 - (Invalid input (out of bounds): week_of_year: 53)
		{"2004-W53", true},
		{"20000101T00:00Z", false}, // (type=cycle point) k = 20000101T00:00Z - (Invalid cycle point)
		{"2000-01-01t00", false},   // (type=cycle point) k = 2000-01-01t00 - (Invalid cycle point)
		{"20000101 T00", false},    // (type=cycle point) k = 20000101 T00 - (Invalid cycle point)
		{"99999", true},
		{"20000101T0000-01:00", false}, // (type=cycle point) k = 20000101T0000-01:00 - (Invalid cycle point)
		{"2000-01-01T00-01:00", true},
		{"2000-01-01T00-01", true},
		{"2000-01-01T23:59:60", false}, // (type=cycle point) k = 2000-01-01T23:59:60 - (Invalid input (out of bounds): second_of_minute: 60)
		{"20000101T2400Z", true},
		{"20000101T240001", false}, // (type=cycle point) k = 20000101T240001 - (Invalid input (out of bounds): second_of_minute: 1)
		{"2000-W01-1T00", true},
		{"2000-001T00", true},
		{"2000001T00", true},
		{"2000W011T00", true},
		{"20", true},
		{"2000-01-01T00:00:00,5Z", true},
		{"2000-01-01T00:00,5", true},
		{"20000101T00+1", false},    // (type=cycle point) k = 20000101T00+1 - (Invalid cycle point)
		{"20000101T00+013", false},  // (type=cycle point) k = 20000101T00+013 - (Invalid cycle point)
		{"20000101T00+0160", false}, // (type=cycle point) k = 20000101T00+0160 - (Invalid input (out of bounds): TimeZone minutes: 60)
		{"20000101T00+25", true},
		{"20000101T00+2500", true},
		{"2000-00", false},    // (type=cycle point) k = 2000-00 - (Invalid input (out of bounds): month_of_year: 0)
		{"2000-01-00", false}, // (type=cycle point) k = 2000-01-00 - (Invalid input (out of bounds): day_of_month: 0)
		{"2000-000", false},   // (type=cycle point) k = 2000-000 - (Invalid input (out of bounds): day_of_year: 0)
		{"2000-W00", false},   // (type=cycle point) k = 2000-W00 - (Invalid input (out of bounds): week_of_year: 0)
		{"2000-W01-0", false}, // (type=cycle point) k = 2000-W01-0 - (Invalid input (out of bounds): day_of_week: 0)
		{"2000-W01-8", false}, // (type=cycle point) k = 2000-W01-8 - (Invalid input (out of bounds): day_of_week: 8)
		{"02000", true},
		{"+2000-01", false},     // (type=cycle point) k = +2000-01
		{"-0001-01-01", false},  // (type=cycle point) k = -0001-01-01
		{"2000-1-1", false},     // (type=cycle point) k = 2000-1-1 - (Invalid cycle point)
		{"2000-01-01T1", false}, // (type=cycle point) k = 2000-01-01T1 - (Invalid cycle point)
		{"20000101T000", false}, // (type=cycle point) k = 20000101T000 - (Invalid cycle point)
		{"+20000101", true},
		{"+200001", true},
		{"-20000101T00", true},
		{"1T00", false}, // (type=cycle point) k = 1T00 - (Invalid cycle point)
		{"+1", false},   // (type=cycle point) k = +1
		{"+12", false},  // (type=cycle point) k = +12
		{"+P1", false},  // (type=cycle point) k = +P1 - (Invalid ISO 8601 duration representation: +P1)
		{"-P1", false},  // (type=cycle point) k = -P1 - (Invalid ISO 8601 duration representation: P1)
		{"P1", false},   // (type=cycle point) k = P1 - (Invalid ISO 8601 duration representation: P1)
		{"next(x)", true},
		{"previous ( T00 )", true},
		{"2000-01-01T00:00:60", false}, // (type=cycle point) k = 2000-01-01T00:00:60 - (Invalid input (out of bounds): second_of_minute: 60)
		{"20000101T0000+00", true},
		{"20000101T00Z+01", false}, // (type=cycle point) k = 20000101T00Z+01 - (Invalid cycle point)
		{"10000", true},
		{"2000-01-01T00:00:00.", false},    // (type=cycle point) k = 2000-01-01T00:00:00. - (Invalid cycle point)
		{"2000-01-01T00:00:00.5.5", false}, // (type=cycle point) k = 2000-01-01T00:00:00.5.5 - (Invalid cycle point)
		{"\"2000\"", true},
		{"2000 # c", true},
		{"1900-02-29", false}, // (type=cycle point) k = 1900-02-29 - (Invalid input (out of bounds): day_of_month: 29)
		{"2100-W53", false},   // (type=cycle point) k = 2100-W53 - (Invalid input (out of bounds): week_of_year: 53)
		{"2020-W53", true},
		{"2009-W53-7", true},
		{"-0004-02-29", false}, // (type=cycle point) k = -0004-02-29
		{"+10000-02-29", true},
	}
	for _, c := range cases {
		_, err := coerceCyclePoint(c.in)
		if (err == nil) != c.ok {
			t.Errorf("cycle point %q: err = %v, Cylc accepts: %v", c.in, err, c.ok)
		}
	}
}

func TestDurations(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		seconds float64
		printed string
	}{
		{"P", true, 0.0, "P0Y"},
		{"PT", true, 0.0, "P0Y"},
		{"P1Y", true, 31536000.0, "P365D"},
		{"P1M", true, 2592000.0, "P30D"},
		{"P1W", true, 604800.0, "P7D"},
		{"P1D", true, 86400.0, "P1D"},
		{"PT1H", true, 3600.0, "PT1H"},
		{"PT1.5H", true, 5400.0, "PT1H30M"},
		{"PT1,5H", true, 5400.0, "PT1H30M"},
		{"PT1H30M", true, 5400.0, "PT1H30M"},
		{"P1Y2M3DT4H5M6.5S", true, 36993906.5, "P428DT4H5M6,5S"},
		{"P0001-02-03T04:05:06", true, 36993906.0, "P428DT4H5M6S"},
		{"P00010203T040506", true, 36993906.0, "P428DT4H5M6S"},
		{"P0001-02-03", true, 36979200.0, "P428D"},
		{"P0001-032", true, 34300800.0, "P397D"},
		{"P1DT", true, 86400.0, "P1D"},
		{"-P1D", true, -86400.0, "-P1D"},
		{"-PT1M", true, -60.0, "P-1DT23H59M"},
		{"P1Y1W", false, 0, ""}, // Invalid ISO 8601 duration representation: P1Y1W
		{"PT1H1", false, 0, ""}, // Invalid ISO 8601 duration representation: PT1H1
		{"P1.5D", false, 0, ""}, // Invalid ISO 8601 duration representation: P1.5D
		{"PT.5S", false, 0, ""}, // Invalid ISO 8601 duration representation: PT.5S
		{"PT1e3S", true, 1000.0, "PT16M40S"},
		{"P0001-02-03T04", true, 36993600.0, "P428DT4H"},
		{"P0001-02-03T04:05", true, 36993900.0, "P428DT4H5M"},
		{"P0001-13-01", true, 65318400.0, "P756D"},
		{"PT36H", true, 129600.0, "P1DT12H"},
		{"P-1D", false, 0, ""}, // Invalid ISO 8601 duration representation: P-1D
		{"P2W", true, 1209600.0, "P14D"},
		{"PT1H0.5M", true, 3630.0, "PT1H30S"},
		{"PT0.5H30M", true, 3600.0, "PT1H"},
		{"PT0.1S", true, 0.1, "PT0,1S"},
		{"P1000000000Y", true, 3.1536e+16, "P365000000000D"},
		{"PT1000000H", true, 3600000000.0, "P41666DT16H"},
		{"-P1Y", true, -31536000.0, "-P365D"},
		{"-PT0.5S", true, -0.5, "P-1DT23H59M59,5S"},
		{"PT1M1.25S", true, 61.25, "PT1M1,25S"},
		{"P1Y1D", true, 31622400.0, "P366D"},
		{"-P1W", true, -604800.0, "-P7D"},
		{"PT59.999S", true, 59.999, "PT59,999S"},
	}
	for _, c := range cases {
		iv, err := parseDuration(c.in)
		if (err == nil) != c.ok {
			t.Errorf("duration %q: err = %v, Cylc accepts: %v", c.in, err, c.ok)
			continue
		}
		if !c.ok {
			continue
		}
		if float64(iv) != c.seconds {
			t.Errorf("duration %q = %v s, want %v", c.in, float64(iv), c.seconds)
		}
		if got := iv.String(); got != c.printed {
			t.Errorf("duration %q prints %q, want %q", c.in, got, c.printed)
		}
	}
}

func TestWeeksInYear(t *testing.T) {
	for year, want := range map[int64]int{2004: 53, 2009: 53, 2015: 53, 2020: 53, 2000: 52, 2021: 52, 2100: 52, -4: 52, 1: 52} {
		if got := weeksInYear(year); got != want {
			t.Errorf("weeksInYear(%d) = %d, want %d", year, got, want)
		}
	}
}
