package cli

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// Set by the release build (.ci/cross and .goreleaser.yaml) with
//
//	-ldflags "-X github.com/onboard-dev/onboard/internal/cli.version=v1.2.3
//	          -X github.com/onboard-dev/onboard/internal/cli.commit=<sha>
//	          -X github.com/onboard-dev/onboard/internal/cli.date=<RFC 3339>"
//
// When empty (go install, go build), the values come from the binary's
// build information.
var (
	version string
	commit  string
	date    string
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit, its date and the Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo()
			fmt.Fprint(a.streams.Out, stampOf(info, buildStamp{Version: version, Commit: commit, Date: date}))
			return nil
		},
	}
}

// buildStamp is what a binary knows about the source it was built from.
type buildStamp struct {
	Version  string // module version: v1.2.3, a pseudo-version, or (devel)
	Commit   string // VCS revision
	Date     string // the commit's time, RFC 3339
	Modified bool   // built from a checkout with uncommitted changes
}

// String is the output of `onboard version`: one "key value" line each,
// so that scripts can read it.
func (s buildStamp) String() string {
	c := s.Commit
	if s.Modified {
		c += " (modified)"
	}
	return fmt.Sprintf("onboard %s\ncommit %s\ndate %s\n%s %s/%s\n", s.Version, c, s.Date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// stampOf fills what the release build did not set (ld) from info, the
// build information that the go command records: the module version
// (`go install …@v1.2.3` records v1.2.3; since Go 1.24 `go build` in a
// checkout records a pseudo-version of its commit), and vcs.revision,
// vcs.time and vcs.modified when built inside a checkout. A module
// downloaded by `go install` has no VCS data, but a pseudo-version
// (`@main`, `@latest` without tags) names its commit and time, so those
// are read from it. info may be nil (no build information).
func stampOf(info *debug.BuildInfo, ld buildStamp) buildStamp {
	s := ld
	if info != nil {
		if s.Version == "" {
			s.Version = info.Main.Version
		}
		var rev, at string
		var modified bool
		for _, kv := range info.Settings {
			switch kv.Key {
			case "vcs.revision":
				rev = kv.Value
			case "vcs.time":
				at = kv.Value
			case "vcs.modified":
				modified = kv.Value == "true"
			}
		}
		if pr, pt, ok := pseudoVersion(info.Main.Version); ok {
			rev, at = or(rev, pr), or(at, pt)
		}
		if s.Commit == "" && rev != "" {
			s.Commit, s.Modified = rev, modified
		}
		s.Date = or(s.Date, at)
	}
	s.Version = or(s.Version, "(devel)")
	s.Commit = or(s.Commit, "unknown")
	s.Date = or(s.Date, "unknown")
	return s
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// pseudoRE matches the end of the three forms of Go pseudo-versions
// (vX.0.0-TIME-REV, vX.Y.Z-pre.0.TIME-REV, vX.Y.Z-0.TIME-REV), with an
// optional +build suffix such as +dirty.
var pseudoRE = regexp.MustCompile(`^v\d+\.\d+\.\d+-(?:[0-9A-Za-z.-]*\.)?(\d{14})-([0-9a-f]{12})(?:\+[0-9A-Za-z.-]+)?$`)

// pseudoVersion returns the commit prefix and the commit time (RFC 3339,
// UTC) that the pseudo-version v names; ok is false for any other version.
func pseudoVersion(v string) (rev, at string, ok bool) {
	m := pseudoRE.FindStringSubmatch(v)
	if m == nil {
		return "", "", false
	}
	t, err := time.Parse("20060102150405", m[1])
	if err != nil {
		return "", "", false
	}
	return m[2], t.UTC().Format(time.RFC3339), true
}

// buildVersion is this binary's version and commit, as `onboard version`
// prints them, for reports.
func buildVersion() (v, c string) {
	info, _ := debug.ReadBuildInfo()
	s := stampOf(info, buildStamp{Version: version, Commit: commit, Date: date})
	c = s.Commit
	if s.Modified {
		c += " (modified)"
	}
	return s.Version, c
}
