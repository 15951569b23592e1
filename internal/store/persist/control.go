package persist

import "time"

// Timer is a task action timer (table task_action_timers): a retry timer, a
// poll timer or an event-handler timer, restored on restart so that retries
// and handlers carry on where they were.
type Timer struct {
	Cycle string
	Name  string
	// CtxKey identifies the timer, as Cylc's JSON: "poll_timer",
	// ["try_timers", "execution-retry"], or [["handler", "event"], 1].
	CtxKey string
	// Ctx is the JSON of the timer's context (Cylc: [type name, args]), or
	// "null".
	Ctx string
	// Delays are the configured delays in seconds; Num is how many have been
	// used; Delay is the current one in seconds.
	Delays []float64
	Num    int
	Delay  float64
	// Timeout is when the timer fires; zero when it is not running.
	Timeout time.Time
}

// PutTimer inserts or replaces an action timer.
type PutTimer struct {
	Timer Timer
}

// DeleteTimer removes an action timer.
type DeleteTimer struct {
	Cycle  string
	Name   string
	CtxKey string
}

// PutHold records a task to hold when it spawns (table tasks_to_hold).
type PutHold struct {
	Name  string
	Cycle string
}

// DeleteHold removes a task from the hold list.
type DeleteHold struct {
	Name  string
	Cycle string
}

// Broadcast is one broadcast setting: Key is the setting path in Cylc's
// form ("script", "[environment]FOO"), Point a cycle point or "*",
// Namespace a task or family name or "root".
type Broadcast struct {
	Point     string
	Namespace string
	Key       string
	Value     string
}

// PutBroadcast sets a broadcast (table broadcast_states) and logs the
// change as "+" (table broadcast_events) at Time.
type PutBroadcast struct {
	Time      time.Time
	Broadcast Broadcast
}

// DeleteBroadcast cancels a broadcast and logs the change as "-".
type DeleteBroadcast struct {
	Time      time.Time
	Broadcast Broadcast
}

// PutXtrigger records a satisfied xtrigger call and its results (table
// xtriggers), so a restart need not call it again. Results is the JSON of
// the results dict.
type PutXtrigger struct {
	Signature string
	Results   string
}

// DeleteXtrigger forgets a satisfied xtrigger call.
type DeleteXtrigger struct {
	Signature string
}
