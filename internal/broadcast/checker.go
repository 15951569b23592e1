package broadcast

import (
	"fmt"

	"gyre/internal/config"
	"gyre/internal/suggest"
)

// Checker is how a Store validates what it is asked to hold, so that the
// Store itself needs no loaded workflow and no cycling arithmetic (tests
// and tools can run it with none). Errors are shown to the user as the
// reason a point, namespace or setting was rejected.
type Checker interface {
	// Point returns the standard form of a cycle point (as the workflow
	// writes points), or why it is not one. It is never passed "*".
	Point(point string) (string, error)
	// Namespace reports a name that is not a task or family.
	Namespace(name string) error
	// Setting reports a setting that a broadcast cannot make: unknown, not
	// broadcastable, or a value that does not read as its type.
	Setting(s config.Setting) error
	// Combined reports a conflict between a namespace's own settings and
	// overrides (all those at one point and namespace, the new one last),
	// such as platform with the Cylc 7 [remote]host it replaces.
	Combined(namespace string, overrides []config.Setting) error
}

// WorkflowChecker checks broadcasts against a loaded workflow. point
// standardises cycle points (internal/cycle knows how); nil accepts them as
// written.
func WorkflowChecker(w *config.Workflow, point func(string) (string, error)) Checker {
	return workflowChecker{w: w, point: point}
}

type workflowChecker struct {
	w     *config.Workflow
	point func(string) (string, error)
}

func (c workflowChecker) Point(p string) (string, error) {
	if c.point == nil {
		return p, nil
	}
	return c.point(p)
}

func (c workflowChecker) Namespace(name string) error {
	if c.w.Namespaces[name] != nil {
		return nil
	}
	return fmt.Errorf("no such task or family in the workflow%s", suggest.Hint(name, c.w.NamespaceOrder))
}

func (c workflowChecker) Setting(s config.Setting) error {
	return c.w.CheckSetting(s.Path, s.Value)
}

func (c workflowChecker) Combined(namespace string, overrides []config.Setting) error {
	_, err := c.w.RuntimeWith(namespace, overrides)
	return err
}

// acceptAll is the Checker of a Store made without one.
type acceptAll struct{}

func (acceptAll) Point(p string) (string, error)          { return p, nil }
func (acceptAll) Namespace(string) error                  { return nil }
func (acceptAll) Setting(config.Setting) error            { return nil }
func (acceptAll) Combined(string, []config.Setting) error { return nil }
