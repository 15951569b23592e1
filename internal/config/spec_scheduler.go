package config

// The [meta] and [scheduler] sections of the schema.

// metaSpec is shared by [meta] and [runtime][<namespace>][meta] (Cylc
// defines them separately, in a different item order).
func metaSpec() *spec {
	return sec("meta",
		item("description", tString, ""),
		item("title", tString, ""),
		item("URL", tString, ""),
		item("<custom metadata>", tString, ""),
	)
}

// workflowEvents are the [scheduler][events] handler/mail event names;
// deprecated Cylc 7 names are accepted and upgraded later.
var workflowEvents = []string{
	"startup", "shutdown", "abort", "stall", "stall timeout",
	"workflow timeout", "inactivity timeout", "restart timeout",
}

var deprecatedWorkflowEvents = map[string]string{
	"aborted":    "abort",
	"inactivity": "inactivity timeout",
	"stalled":    "stall",
	"timeout":    "stall timeout",
}

func workflowEventList(name string) *spec {
	s := item(name, tStringList).oneOf(workflowEvents...)
	s.deprOptions = deprecatedWorkflowEvents
	s.warnOptions = true
	return s
}

var schedulerSpec = sec("scheduler",
	item("UTC mode", tBool),
	item("allow implicit tasks", tBool, false),
	item("install", tStringList),
	item("cycle point format", tCyclePointFormat),
	item("cycle point num expanded year digits", tInt, 0),
	item("cycle point time zone", tTimeZone),
	sec("experimental",
		item("all", tBool, false),
		item("expire triggers", tBool, false),
	),
	sec("main loop",
		sec("<plugin name>",
			item("interval", tInterval),
		),
	),
	sec("events",
		item("handlers", tStringList),
		workflowEventList("handler events"),
		workflowEventList("mail events"),
		item("startup handlers", tStringList),
		item("shutdown handlers", tStringList),
		item("abort handlers", tStringList),
		item("workflow timeout", tInterval),
		item("workflow timeout handlers", tStringList),
		item("abort on workflow timeout", tBool),
		item("stall handlers", tStringList),
		item("stall timeout", tInterval),
		item("stall timeout handlers", tStringList),
		item("abort on stall timeout", tBool),
		item("inactivity timeout", tInterval),
		item("inactivity timeout handlers", tStringList),
		item("abort on inactivity timeout", tBool),
		item("restart timeout", tInterval),
		item("expected task failures", tStringList),
	),
	sec("mail",
		item("footer", tString),
		item("to", tString),
		item("from", tString),
		item("task event batch interval", tInterval),
	),
)
