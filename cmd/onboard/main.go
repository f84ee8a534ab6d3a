// Command onboard takes a new developer from nothing to a working, running
// checkout, driven by the repository's onboard.yaml.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/onboard-dev/onboard/internal/cli"
	"github.com/onboard-dev/onboard/internal/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], ui.System())
	stop()
	os.Exit(code)
}
