package persist

import "time"

// PutWorkflowParam sets one workflow parameter (table workflow_params).
// Cylc's keys include "uuid_str", "cylc_version", "UTC_mode", "n_restart",
// "cycle_point_format", "is_paused", "icp", "fcp", "startcp", "stopcp",
// "holdcp", "stop_clock_time", "stop_task", "cycle_point_tz", "run_mode".
type PutWorkflowParam struct {
	Key   string
	Value string
}

// DeleteWorkflowParam removes a workflow parameter, e.g. when a stop point
// is cleared (Cylc writes NULL there; a missing row reads the same way).
type DeleteWorkflowParam struct {
	Key string
}

// PutTemplateVar records a template variable the workflow was run with
// (table workflow_template_vars). Value is the Python repr of the value, as
// Cylc stores it, so that a restart re-reads the same template.
type PutTemplateVar struct {
	Key   string
	Value string
}

// AddFlow records a new flow (table workflow_flows).
type AddFlow struct {
	Num         int
	StartTime   time.Time
	Description string
}

// PutInheritance records a namespace's linearised ancestors, itself first
// (table inheritance), for tools that read the database.
type PutInheritance struct {
	Namespace string
	Ancestors []string
}
