// Package cli wires the cobra commands to the engine. It decides nothing
// itself: it parses flags, calls the packages that act, and maps errors to
// exit codes in exit.go.
package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/ui"
)

// options are the flags the commands read. --no-color is every command's;
// the others only the commands that read them offer (run_flags.go,
// json_flag.go).
type options struct {
	file    string
	yes     bool
	set     []string
	only    []string
	skip    []string
	jobs    int
	json    bool
	noColor bool
	verbose bool
	force   bool
}

// app is what every command's RunE reaches: the streams and the flags.
type app struct {
	streams *ui.Streams
	opts    options
	boot    bootstrapOptions
	// pin is the root command's --trust (onboard and onboard <git-url>
	// converge as up does), parsed to its hex digest.
	pin string
	// invoked is the command being run ("onboard services up"), for the
	// run's record (report_record.go).
	invoked string
}

// Main runs onboard with args and returns the process exit code. It never
// exits itself: cmd/onboard does, so tests can call Main in-process.
func Main(ctx context.Context, args []string, streams *ui.Streams) int {
	a := &app{streams: streams}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		a.report(err, cmd)
	}
	return ExitCode(err)
}

// report prints an error the way its kind deserves: checklist problems in
// full with source lines, everything else as one line. A usage error
// points at the help of the command that was called (cmd).
func (a *app) report(err error, cmd *cobra.Command) {
	var list *config.ErrorList
	var quiet silent
	switch {
	case errors.As(err, &quiet):
	case errors.As(err, &list):
		fmt.Fprint(a.streams.Err, list.Render())
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.streams.Err, "onboard: interrupted; run `onboard` again to resume")
	default:
		fmt.Fprintf(a.streams.Err, "onboard: %v\n", err)
	}
	var usage *UsageError
	if errors.As(err, &usage) {
		path := "onboard"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(a.streams.Err, "Run '%s --help' for usage.\n", path)
	}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "onboard [<git-url>] [flags]",
		Short: "From nothing to a working, running checkout, driven by onboard.yaml",
		Long: `onboard converges the checklist in onboard.yaml: it checks the tools, asks the
few questions only a person can answer, writes the environment and starts the
local services. Run it with no arguments inside a checkout, or give it a git URL
to clone first.`,
		Args:          cobra.ArbitraryArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			digest, err := parsePin(a.pin)
			if err != nil {
				return err
			}
			a.pin = digest
			switch {
			case len(args) == 0:
				return a.converge(cmd.Context(), engine.Up, convergeOpts{pin: a.pin})
			case len(args) == 1 && looksLikeGitURL(args[0]):
				return a.bootstrap(cmd.Context(), args[0])
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %q?)", s[0])
			}
			return &UsageError{errors.New(msg)}
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(flagError)
	// The streams learn what was asked of the terminal once flags are parsed.
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		a.streams.NoColor, a.streams.Verbose = a.opts.noColor, a.opts.verbose
		a.invoked = cmd.CommandPath()
	}
	pinFlag(root, &a.pin)
	a.jsonFlag(root, "events as JSON lines on stdout (docs/events.md)")
	root.Flags().StringVar(&a.boot.dir, "dir", "", "`DIR` to clone into with onboard <git-url> (default: $ONBOARD_SRC or ~/src, then host/path)")
	root.Flags().StringVar(&a.boot.branch, "branch", "", "`BRANCH` or tag to check out with onboard <git-url>")
	root.Flags().StringVar(&a.boot.transport, "git", "auto", "how to clone: auto (git if installed, else built in), system, go")
	root.Flags().IntVar(&a.boot.depth, "depth", 0, "clone only the last `N` commits (default: full history)")
	root.Flags().Var(&a.boot.maxPackSize, "max-pack-size", "with the built-in git (--git go), refuse a pack larger than `SIZE` (512m, 8GiB: powers of 1024, as git and docker read them; 0: no limit)")

	// Bare onboard converges as up does, with every flag that shapes a run
	// (run_flags.go). Being the root's, they are also what lets them come
	// before a command name: `onboard -y up` finds up, whose flags decide.
	a.runFlags(root, flagsConverge)
	root.PersistentFlags().BoolVar(&a.opts.noColor, "no-color", false, "no colour (also NO_COLOR)")

	root.AddCommand(
		a.upCommand(),
		a.checkCommand(),
		a.planCommand(),
		a.verifyCommand(),
		a.validateCommand(),
		a.schemaCommand(),
		a.initCommand(),
		a.servicesCommand(),
		a.reportCommand(),
		a.trustCommand(),
		a.inputsCommand(),
		a.statusCommand(),
		a.skipCommand(),
		a.unskipCommand(),
		a.retryCommand(),
		a.redoCommand(),
		a.preflightCommand(),
		a.versionCommand(),
	)
	// `onboard completion bash|zsh|fish|powershell`, made now rather than
	// by Execute so that it gets the same usage errors as every command.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// Without a shell it is a usage error, as `services` is.
			c.RunE = func(cmd *cobra.Command, _ []string) error { return &UsageError{errMissingSubcommand(cmd)} }
		}
	}
	a.registerCompletions(root)
	addHelp(root)
	usageArgs(root)
	for _, c := range root.Commands() {
		c.SilenceErrors, c.SilenceUsage = true, true
	}
	return root
}

// usageArgs makes every wrong number of arguments (cobra's Args checks) a
// usage error, exit 2, like a bad flag.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return &UsageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// looksLikeGitURL tells a repository URL from a mistyped command, so that
// `onboard chek` says "unknown command" instead of trying to clone "chek".
func looksLikeGitURL(s string) bool {
	if strings.Contains(s, "://") || strings.HasSuffix(s, ".git") {
		return true
	}
	// scp-like: user@host:path
	at, colon := strings.Index(s, "@"), strings.Index(s, ":")
	return at > 0 && colon > at+1
}
