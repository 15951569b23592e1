package config

// Runtime is the typed view of one namespace's inherited [runtime]
// settings, defaults included.
type Runtime struct {
	Completion                 string
	Platform                   string
	Inherit                    []string
	Script                     string
	InitScript                 string
	EnvScript                  string
	ErrScript                  string
	ExitScript                 string
	PreScript                  string
	PostScript                 string
	WorkSubDirectory           string
	ExecutionPollingIntervals  []Interval
	ExecutionRetryDelays       []Interval
	ExecutionTimeLimit         *Interval
	SubmissionPollingIntervals []Interval
	SubmissionRetryDelays      []Interval
	RunMode                    string // live or skip

	Meta struct {
		Title, Description, URL string // URL with templates expanded
		Custom                  []KeyValue
	}
	Skip struct {
		Outputs                  []string
		DisableTaskEventHandlers bool
	}
	Simulation struct {
		DefaultRunLength         Interval
		SpeedupFactor            *float64
		TimeLimitBuffer          Interval
		FailCyclePoints          []string
		FailTry1Only             bool
		DisableTaskEventHandlers bool
	}
	EnvironmentFilter struct {
		Include, Exclude []string
	}
	// Job and Remote are Cylc 7 settings used to pick a platform when
	// "platform" is not set.
	Job struct {
		BatchSystem, BatchSubmitCommandTemplate string
	}
	Remote struct {
		Host, Owner                string
		RetrieveJobLogs            *bool
		RetrieveJobLogsMaxSize     string
		RetrieveJobLogsRetryDelays []Interval
	}
	Events struct {
		Handlers           []string
		HandlerEvents      []string
		HandlerRetryDelays []Interval
		MailEvents         []string
		ExecutionTimeout   *Interval
		SubmissionTimeout  *Interval
		LateOffset         *Interval
		// EventHandlers maps an event ("succeeded", "submission failed",
		// "custom", ...) to its "<event> handlers" list.
		EventHandlers map[string][]string
	}
	MailFrom, MailTo     string
	WorkflowStatePolling struct {
		Interval      *Interval
		MaxPolls      *int
		Message       string
		AltCylcRunDir string
		VerboseMode   *bool
	}
	Environment []KeyValue // after inheritance and the environment filter
	Directives  []KeyValue
	Outputs     []KeyValue // output name -> message
}

// taskEvents are the events with "<event> handlers" settings.
var taskEvents = []string{
	"expired", "late", "submitted", "started", "succeeded", "failed",
	"submission failed", "warning", "critical", "retry", "submission retry",
	"execution timeout", "submission timeout", "custom",
}

// Runtime returns the settings of a namespace; ok is false if there is no
// such namespace.
func (w *Workflow) Runtime(name string) (rt *Runtime, ok bool) {
	ns := w.Namespaces[name]
	if ns == nil {
		return nil, false
	}
	n := ns.Settings
	rt = &Runtime{
		Completion:                 n.Get("completion").String(),
		Platform:                   n.Get("platform").String(),
		Inherit:                    n.Get("inherit").Strings(),
		Script:                     n.Get("script").String(),
		InitScript:                 n.Get("init-script").String(),
		EnvScript:                  n.Get("env-script").String(),
		ErrScript:                  n.Get("err-script").String(),
		ExitScript:                 n.Get("exit-script").String(),
		PreScript:                  n.Get("pre-script").String(),
		PostScript:                 n.Get("post-script").String(),
		WorkSubDirectory:           n.Get("work sub-directory").String(),
		ExecutionPollingIntervals:  n.Get("execution polling intervals").Intervals(),
		ExecutionRetryDelays:       n.Get("execution retry delays").Intervals(),
		ExecutionTimeLimit:         optInterval(n.Get("execution time limit")),
		SubmissionPollingIntervals: n.Get("submission polling intervals").Intervals(),
		SubmissionRetryDelays:      n.Get("submission retry delays").Intervals(),
		RunMode:                    n.Get("run mode").String(),
		MailFrom:                   n.Get("mail", "from").String(),
		MailTo:                     n.Get("mail", "to").String(),
		Environment:                keyValues(n.Get("environment")),
		Directives:                 keyValues(n.Get("directives")),
		Outputs:                    keyValues(n.Get("outputs")),
	}
	meta := n.Get("meta")
	rt.Meta.Title = meta.Get("title").String()
	rt.Meta.Description = meta.Get("description").String()
	rt.Meta.URL = meta.Get("URL").String()
	if u, ok := w.derived["[runtime]["+name+"][meta]URL"].(string); ok {
		rt.Meta.URL = u
	}
	for _, it := range meta.Items() {
		if meta.spec.byName[it.name] == nil {
			rt.Meta.Custom = append(rt.Meta.Custom, KeyValue{it.name, it.String()})
		}
	}
	rt.Skip.Outputs = n.Get("skip", "outputs").Strings()
	rt.Skip.DisableTaskEventHandlers, _ = n.Get("skip", "disable task event handlers").Bool()
	sim := n.Get("simulation")
	rt.Simulation.DefaultRunLength, _ = sim.Get("default run length").Interval()
	if f, ok := sim.Get("speedup factor").Float(); ok {
		rt.Simulation.SpeedupFactor = &f
	}
	rt.Simulation.TimeLimitBuffer, _ = sim.Get("time limit buffer").Interval()
	rt.Simulation.FailCyclePoints = sim.Get("fail cycle points").Strings()
	rt.Simulation.FailTry1Only, _ = sim.Get("fail try 1 only").Bool()
	rt.Simulation.DisableTaskEventHandlers, _ = sim.Get("disable task event handlers").Bool()
	rt.EnvironmentFilter.Include = n.Get("environment filter", "include").Strings()
	rt.EnvironmentFilter.Exclude = n.Get("environment filter", "exclude").Strings()
	rt.Job.BatchSystem = n.Get("job", "batch system").String()
	rt.Job.BatchSubmitCommandTemplate = n.Get("job", "batch submit command template").String()
	rem := n.Get("remote")
	rt.Remote.Host = rem.Get("host").String()
	rt.Remote.Owner = rem.Get("owner").String()
	rt.Remote.RetrieveJobLogs = optBool(rem.Get("retrieve job logs"))
	rt.Remote.RetrieveJobLogsMaxSize = rem.Get("retrieve job logs max size").String()
	rt.Remote.RetrieveJobLogsRetryDelays = rem.Get("retrieve job logs retry delays").Intervals()
	ev := n.Get("events")
	rt.Events.Handlers = ev.Get("handlers").Strings()
	rt.Events.HandlerEvents = ev.Get("handler events").Strings()
	rt.Events.HandlerRetryDelays = ev.Get("handler retry delays").Intervals()
	rt.Events.MailEvents = ev.Get("mail events").Strings()
	rt.Events.ExecutionTimeout = optInterval(ev.Get("execution timeout"))
	rt.Events.SubmissionTimeout = optInterval(ev.Get("submission timeout"))
	rt.Events.LateOffset = optInterval(ev.Get("late offset"))
	rt.Events.EventHandlers = map[string][]string{}
	for _, e := range taskEvents {
		if h := ev.Get(e + " handlers").Strings(); h != nil {
			rt.Events.EventHandlers[e] = h
		}
	}
	wsp := n.Get("workflow state polling")
	rt.WorkflowStatePolling.Interval = optInterval(wsp.Get("interval"))
	if v, ok := wsp.Get("max-polls").Int(); ok {
		rt.WorkflowStatePolling.MaxPolls = &v
	}
	rt.WorkflowStatePolling.Message = wsp.Get("message").String()
	rt.WorkflowStatePolling.AltCylcRunDir = wsp.Get("alt-cylc-run-dir").String()
	rt.WorkflowStatePolling.VerboseMode = optBool(wsp.Get("verbose mode"))
	return rt, true
}
