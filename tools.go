//go:build tools

// This file pins modules that packages under construction will import, so
// that `go mod tidy` keeps them while the importing code is being written.
package tools

import (
	_ "github.com/nikolalohinski/gonja/v2"
	_ "github.com/spf13/cobra"
	_ "go.uber.org/goleak"
	_ "modernc.org/sqlite"
	_ "pgregory.net/rapid"
)
