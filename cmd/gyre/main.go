// Command gyre is the Gyre workflow scheduler: one binary that is the
// scheduler, the command line client and the job-side messaging client.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gyre/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
