package platform

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// The schema of global.cylc's [platforms] and [platform groups], as in
// Cylc 8.7's cfgspec/globalcfg.py. Each setting knows its type and how to
// store a value read as that type in a Platform, so that validation and
// building the typed result are one walk.

// setting is one key of a [platforms][<name>] section (or subsection).
type setting struct {
	typ     vtype
	options []string
	set     func(p *Platform, raw string) error
}

// topSections are the sections of global.cylc that Cylc 8.7 knows. Only
// the two platform sections are interpreted here.
var topSections = []string{
	"hub", "scheduler", "install", "template variables",
	"platforms", "platform groups", "task events",
}

// platformSubsections are the sections allowed inside a platform.
var platformSubsections = []string{"meta", "profiler", "selection", "directives"}

var platformSettings = map[string]setting{
	"hosts":                       listSetting(func(p *Platform) *[]string { return &p.Hosts }),
	"job runner":                  stringSetting(func(p *Platform) *string { return &p.JobRunner }),
	"job runner command template": stringSetting(func(p *Platform) *string { return &p.JobRunnerCommandTemplate }),
	"communication method": optionSetting([]string{CommsZMQ, CommsPoll, CommsSSH},
		func(p *Platform) *string { return &p.CommunicationMethod }),
	"submission polling intervals":           intervalsSetting(func(p *Platform) *[]time.Duration { return &p.SubmissionPollingIntervals }),
	"submission retry delays":                intervalsSetting(func(p *Platform) *[]time.Duration { return &p.SubmissionRetryDelays }),
	"execution polling intervals":            intervalsSetting(func(p *Platform) *[]time.Duration { return &p.ExecutionPollingIntervals }),
	"execution time limit polling intervals": intervalsSetting(func(p *Platform) *[]time.Duration { return &p.ExecutionTimeLimitPollingIntervals }),
	"ssh command":                            stringSetting(func(p *Platform) *string { return &p.SSHCommand }),
	"rsync command":                          stringSetting(func(p *Platform) *string { return &p.RsyncCommand }),
	"use login shell":                        boolSetting(func(p *Platform) *bool { return &p.UseLoginShell }),
	"cylc path":                              stringSetting(func(p *Platform) *string { return &p.CylcPath }),
	"global init-script":                     stringSetting(func(p *Platform) *string { return &p.GlobalInitScript }),
	"copyable environment variables":         listSetting(func(p *Platform) *[]string { return &p.CopyableEnvironmentVariables }),
	"retrieve job logs":                      boolSetting(func(p *Platform) *bool { return &p.RetrieveJobLogs }),
	"retrieve job logs command":              stringSetting(func(p *Platform) *string { return &p.RetrieveJobLogsCommand }),
	"retrieve job logs max size":             stringSetting(func(p *Platform) *string { return &p.RetrieveJobLogsMaxSize }),
	"retrieve job logs retry delays":         intervalsSetting(func(p *Platform) *[]time.Duration { return &p.RetrieveJobLogsRetryDelays }),
	"retrieve job log expected files":        listSetting(func(p *Platform) *[]string { return &p.RetrieveJobLogExpectedFiles }),
	"tail command template":                  stringSetting(func(p *Platform) *string { return &p.TailCommandTemplate }),
	"err tailer":                             stringSetting(func(p *Platform) *string { return &p.ErrTailer }),
	"out tailer":                             stringSetting(func(p *Platform) *string { return &p.OutTailer }),
	"err viewer":                             stringSetting(func(p *Platform) *string { return &p.ErrViewer }),
	"out viewer":                             stringSetting(func(p *Platform) *string { return &p.OutViewer }),
	"job name length maximum":                intSetting(func(p *Platform) *int { return &p.JobNameLengthMaximum }),
	"install target":                         stringSetting(func(p *Platform) *string { return &p.InstallTarget }),
	"clean job submission environment":       boolSetting(func(p *Platform) *bool { return &p.CleanJobSubmissionEnvironment }),
	"job submission environment pass-through": listSetting(func(p *Platform) *[]string {
		return &p.JobSubmissionEnvironmentPassThrough
	}),
	"job submission executable paths":   listSetting(func(p *Platform) *[]string { return &p.JobSubmissionExecutablePaths }),
	"max batch submit size":             intSetting(func(p *Platform) *int { return &p.MaxBatchSubmitSize }),
	"ssh forward environment variables": listSetting(func(p *Platform) *[]string { return &p.SSHForwardEnvironmentVariables }),
}

var profilerSettings = map[string]setting{
	"activate":         boolSetting(func(p *Platform) *bool { return &p.Profiler.Activate }),
	"cgroups path":     stringSetting(func(p *Platform) *string { return &p.Profiler.CgroupsPath }),
	"polling interval": intervalSetting(func(p *Platform) *time.Duration { return &p.Profiler.PollingInterval }),
}

var selectionMethods = []string{Random, DefinitionOrder}

var selectionSettings = map[string]setting{
	"method": optionSetting(selectionMethods, func(p *Platform) *string { return &p.SelectionMethod }),
}

// removedSettings were platform settings in earlier Cylc 8 releases; Cylc
// 8.7 rejects them like any unknown item, but saying why helps.
var removedSettings = map[string]string{
	"shell": "jobs always run in bash since Cylc 8.7: delete this setting",
}

func stringSetting(field func(*Platform) *string) setting {
	return setting{typ: tString, set: func(p *Platform, raw string) error {
		s, err := readString(raw)
		*field(p) = s
		return err
	}}
}

func optionSetting(options []string, field func(*Platform) *string) setting {
	return setting{typ: tString, options: options, set: func(p *Platform, raw string) error {
		s, err := readString(raw)
		if err != nil {
			return err
		}
		if !slices.Contains(options, s) {
			return errBadOption
		}
		*field(p) = s
		return nil
	}}
}

// errBadOption marks a value outside the setting's options.
var errBadOption = fmt.Errorf("not one of the options")

func listSetting(field func(*Platform) *[]string) setting {
	return setting{typ: tStringList, set: func(p *Platform, raw string) error {
		l, err := readList(raw)
		*field(p) = l
		return err
	}}
}

func boolSetting(field func(*Platform) *bool) setting {
	return setting{typ: tBool, set: func(p *Platform, raw string) error {
		b, err := readBool(raw)
		*field(p) = b
		return err
	}}
}

func intSetting(field func(*Platform) *int) setting {
	return setting{typ: tInt, set: func(p *Platform, raw string) error {
		n, err := readInt(raw)
		*field(p) = n
		return err
	}}
}

func intervalSetting(field func(*Platform) *time.Duration) setting {
	return setting{typ: tInterval, set: func(p *Platform, raw string) error {
		d, _, err := readInterval(raw)
		*field(p) = d
		return err
	}}
}

func intervalsSetting(field func(*Platform) *[]time.Duration) setting {
	return setting{typ: tIntervalList, set: func(p *Platform, raw string) error {
		l, err := readIntervalList(raw)
		*field(p) = l
		return err
	}}
}

// settingNames lists a table's keys, sorted, for did-you-mean hints.
func settingNames(m map[string]setting) []string {
	return slices.Sorted(maps.Keys(m))
}

// badValue formats the error for a value its setting cannot read.
func badValue(path, raw string, s setting, err error) (msg, hint string) {
	th := typeHelp[s.typ]
	shown := strings.TrimSpace(raw)
	switch {
	case err == errBadQuoting:
		return fmt.Sprintf("invalid quoting: %s = %s", path, shown), "close the quotes, or remove them"
	case err == errBadOption:
		v, _ := readString(raw)
		return fmt.Sprintf("invalid option: %s = %s", path, v), "expected one of: " + strings.Join(s.options, ", ")
	}
	msg = fmt.Sprintf("invalid %s: %s = %s", th[0], path, shown)
	if err != errNoDetail && err.Error() != "" {
		msg += " (" + err.Error() + ")"
	}
	return msg, "expected " + th[1]
}
