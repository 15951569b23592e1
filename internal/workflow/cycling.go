package workflow

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gyre/internal/cycle"
	"gyre/internal/flowfile"
)

// settingPath locates the settings the cycle package reports errors for:
// cycle.Error.What names the setting, this says which section holds it.
var settingPath = map[string][]string{
	"cycling mode":                         {"scheduling", "cycling mode"},
	"initial cycle point":                  {"scheduling", "initial cycle point"},
	"final cycle point":                    {"scheduling", "final cycle point"},
	"initial cycle point constraints":      {"scheduling", "initial cycle point constraints"},
	"final cycle point constraints":        {"scheduling", "final cycle point constraints"},
	"cycle point format":                   {"scheduler", "cycle point format"},
	"cycle point time zone":                {"scheduler", "cycle point time zone"},
	"cycle point num expanded year digits": {"scheduler", "cycle point num expanded year digits"},
}

// buildCycling makes the cycling context from [scheduler] and [scheduling]
// (with command-line overrides), as Cylc's process_initial_cycle_point and
// process_final_cycle_point do, and records the standardised points that
// `cylc config --defaults` shows.
func (w *Workflow) buildCycling(opts Options, errs *checkErrors) {
	s := w.Config.Scheduling()
	sch := w.Config.Scheduler()
	settings := cycle.Settings{
		CyclingMode:        s.CyclingMode,
		TimeZone:           sch.CyclePointTimeZone,
		Format:             sch.CyclePointFormat,
		ExpandedYearDigits: sch.CyclePointNumExpandedYear,
		InitialCyclePoint:  s.InitialCyclePoint,
		FinalCyclePoint:    s.FinalCyclePoint,
		InitialConstraints: s.InitialCyclePointConstraints,
		FinalConstraints:   s.FinalCyclePointConstraints,
	}
	if sch.UTCMode != nil {
		settings.UTCMode = *sch.UTCMode
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Unix(0, 0).UTC()
	}
	if settings.TimeZone == "" && w.Config.Cylc7 && !settings.UTCMode {
		// Cylc 7 workflows keep cycle points in the local time zone.
		settings.TimeZone = localZone(now)
		_ = w.Config.SetDerived("[scheduler]cycle point time zone", settings.TimeZone)
	}
	if opts.InitialCyclePoint != "" {
		settings.InitialCyclePoint = opts.InitialCyclePoint
	}
	if opts.FinalCyclePoint != "" {
		settings.FinalCyclePoint = opts.FinalCyclePoint
	}
	ctx, err := cycle.NewContext(settings, now)
	if err != nil {
		errs.add(w.cyclingErrorPos(err), cyclingHint(err), "%v", err)
		return
	}
	w.Cycle = ctx
	_ = w.Config.SetDerived("[scheduling]initial cycle point", ctx.Initial().String())
	if p, ok := ctx.Final(); ok {
		_ = w.Config.SetDerived("[scheduling]final cycle point", p.String())
	}
	w.checkStopPoint(s.StopAfterCyclePoint, errs)
}

// checkStopPoint reads [scheduling]stop after cycle point as Cylc does
// (relative to the initial point), warning when it is after the final
// point and so has no effect.
func (w *Workflow) checkStopPoint(stop string, errs *checkErrors) {
	if strings.TrimSpace(stop) == "" {
		return
	}
	pos := w.Config.Tree.Get("scheduling", "stop after cycle point").Pos()
	p, err := w.Cycle.PointRelative(stop, w.Cycle.Initial())
	if err != nil {
		errs.add(pos, "give a cycle point, or an offset from the initial cycle point such as +P1D",
			"invalid [scheduling]stop after cycle point = %s: %v", stop, err)
		return
	}
	if final, ok := w.Cycle.Final(); ok && p.After(final) {
		w.Warnings = append(w.Warnings, fmt.Sprintf(
			"Stop cycle point '%s' will have no effect as it is after the final cycle point '%s'.", p, final))
		_ = w.Config.SetDerived("[scheduling]stop after cycle point", nil)
		return
	}
	_ = w.Config.SetDerived("[scheduling]stop after cycle point", p.String())
}

// cyclingErrorPos is the position of the setting a cycling error is about,
// or of [scheduling] when the setting is not written in the file (an
// initial cycle point that is missing, or given on the command line).
func (w *Workflow) cyclingErrorPos(err error) flowfile.Pos {
	var ce *cycle.Error
	if errors.As(err, &ce) {
		if path, ok := settingPath[ce.What]; ok {
			if n := w.Config.Tree.Get(path...); n != nil && n.IsSet() && n.Pos().Line > 0 {
				return n.Pos()
			}
		}
	}
	if n := w.Config.Tree.Get("scheduling"); n != nil {
		return n.Pos()
	}
	return flowfile.Pos{File: w.File.Path}
}

func cyclingHint(err error) string {
	var ce *cycle.Error
	if errors.As(err, &ce) && ce.What == "initial cycle point" && ce.Value == "" {
		return "set [scheduling]initial cycle point (e.g. 2000-01-01T00Z), or use cycling mode = integer"
	}
	return ""
}

// localZone is the time zone of now as isodatetime writes the local zone:
// Z for UTC, else +hhmm or -hhmm.
func localZone(now time.Time) string {
	_, off := now.Zone()
	if off == 0 {
		return "Z"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("%s%02d%02d", sign, off/3600, off/60%60)
}
