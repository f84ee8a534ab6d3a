// Command onboard takes a new developer from nothing to a working, running
// checkout, driven by the repository's onboard.yaml.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/onboard-dev/onboard/internal/cli"
	"github.com/onboard-dev/onboard/internal/ui"
)

func main() {
	os.Exit(run())
}

// run is main without the exit, shared with the testscript entry point so
// scripts exercise the same signal handling as the real binary.
func run() int {
	args := os.Args[1:]
	// Nothing the run starts may outlive it, kill -9 included: a guard
	// process waits above the one that does the work.
	if code, guarded := cli.Guard(args); guarded {
		return code
	}
	// Ctrl-C cancels the context: items stop their process groups, state
	// is saved, and the exit code is 130.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := ui.System()
	code := cli.Main(ctx, args, streams)
	cli.Leftovers(args, streams)
	return code
}
