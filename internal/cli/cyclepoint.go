package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/cycle"
)

func init() { register(newCyclePoint) }

func newCyclePoint() *cobra.Command {
	var o cycle.CyclePointOptions
	cmd := &cobra.Command{
		Use:   "cycle-point [POINT]",
		Short: "Cycle point arithmetic and filename templating",
		Long: `Add offsets to an ISO 8601 date-time cycle point and print it in the
format it was given in, or fill a template with its fields, as
"cylc cycle-point" does. POINT defaults to $CYLC_TASK_CYCLE_POINT, so task
scripts can compute neighbouring cycles and file names.

Templates use ISO 8601 (CCYY, MM, DD, hh, mm, ss) or strftime (%Y, %m, %d,
%H, %M, %S) fields; if the template names an environment variable, its value
is the template. With --equal, nothing is printed: the exit status is 0 if
the points are the same instant (whatever their formats), 1 if not.`,
		Example: `  gyre cycle-point --offset-hours=6 20100823T1800Z        # 20100824T0000Z
  gyre cycle-point 2010080T00 --template foo-CCYY-MM-DD-Thh.nc
  CYLC_TASK_CYCLE_POINT=2010-08 gyre cycle-point --offset-years=2 --template=foo-CCYY-MM.nc
  gyre cycle-point 20100823T1800Z --offset=-P1M2D
  gyre cycle-point 20100823T1800Z --equal 2010-08-23T18:00Z && echo same`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Point = args[0]
			} else {
				p, ok := os.LookupEnv("CYLC_TASK_CYCLE_POINT")
				if !ok {
					return usageError(errors.New("provide a POINT argument, or define $CYLC_TASK_CYCLE_POINT"))
				}
				o.Point = p
			}
			n := 0
			for _, on := range []bool{o.PrintYear, o.PrintMonth, o.PrintDay, o.PrintHour} {
				if on {
					n++
				}
			}
			if n > 1 {
				return usageError(errors.New("choose NONE or ONE of --print-year, --print-month, --print-day, --print-hour"))
			}
			o.LookupEnv = os.LookupEnv
			o.LocalUTCOffset = localUTCOffset()
			out, err := cycle.CyclePoint(o)
			switch {
			case errors.Is(err, cycle.ErrPointsDiffer):
				return &exitError{code: 1, err: errReported}
			case err != nil:
				return usageError(err)
			case o.Equal != "":
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.OffsetHours, "offset-hours", "", "add N hours to the point (N may be negative)")
	f.StringVar(&o.OffsetDays, "offset-days", "", "add N days to the point (N may be negative)")
	f.StringVar(&o.OffsetMonths, "offset-months", "", "add N months to the point (N may be negative)")
	f.StringVar(&o.OffsetYears, "offset-years", "", "add N years to the point (N may be negative)")
	f.StringVar(&o.Offset, "offset", "", "add an ISO 8601 duration to the point (e.g. PT6H, -P1M2D)")
	f.StringVar(&o.Equal, "equal", "", "exit 0 if POINT2 is the same instant as POINT, 1 if not (formats may differ)")
	f.StringVar(&o.Template, "template", "", "print the point through this template (or the template in this environment variable)")
	f.StringVar(&o.TimeZone, "time-zone", "", "accepted for compatibility: as in Cylc 8.7, the result keeps the input's time zone")
	f.IntVar(&o.NumExpandedYearDigits, "num-expanded-year-digits", 0, "extra year digits of signed, expanded-year points (e.g. 2 for +012010)")
	f.BoolVar(&o.PrintYear, "print-year", false, "print only the year (CCYY) of the result")
	f.BoolVar(&o.PrintMonth, "print-month", false, "print only the month (MM) of the result")
	f.BoolVar(&o.PrintDay, "print-day", false, "print only the day of the month (DD) of the result")
	f.BoolVar(&o.PrintHour, "print-hour", false, "print only the hour (hh) of the result")
	return cmd
}

// localUTCOffset is the local time zone in minutes east of UTC, assumed
// for points written without a zone (a variable so tests can fix it).
var localUTCOffset = func() int {
	_, offset := time.Now().Zone()
	return offset / 60
}

// usageError exits 2 as Cylc's option parser does for bad input, so that
// scripts can tell it from "points differ" (1). The cycle package labels
// option errors with the command and no value; that label is dropped.
func usageError(err error) error {
	var ce *cycle.Error
	if errors.As(err, &ce) && ce.Value == "" {
		msg := ce.Msg
		if ce.Hint != "" {
			msg += "\n  hint: " + ce.Hint
		}
		err = errors.New(msg)
	}
	return &exitError{code: 2, err: err}
}
