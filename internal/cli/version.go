package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at release time with
// -ldflags "-X github.com/onboard-dev/onboard/internal/cli.version=v1.2.3 -X ...cli.commit=abc123".
// When empty, the values come from the binary's build information.
var (
	version string
	commit  string
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c := buildVersion()
			fmt.Fprintf(a.streams.Out, "onboard %s\ncommit %s\n%s %s/%s\n", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

// buildVersion prefers the ldflags values, then the module version and VCS
// revision that `go build`/`go install` record.
func buildVersion() (v, c string) {
	v, c = version, commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case c == "" && s.Key == "vcs.revision":
				c = s.Value
			case s.Key == "vcs.modified" && s.Value == "true" && c != "" && commit == "":
				c += " (modified)"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return v, c
}
