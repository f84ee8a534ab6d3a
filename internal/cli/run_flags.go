package cli

import (
	"github.com/spf13/cobra"
)

// The flags that shape a run (--file, --yes, --set, --only, --skip,
// --jobs, --force, --verbose) are offered only by the commands that read
// them, as --json is (json_flag.go): were they global, `onboard status
// --set x=1` would be accepted and do nothing, and every command's --help
// would list flags that do nothing there. Each command adds its own with
// runFlags; anywhere else the flag is a usage error naming the commands
// that take it (flagError). Only --no-color stays global: no command
// prints colour without honouring it.

// runFlag picks flags for runFlags; combine them with |.
type runFlag uint

const (
	flagFile runFlag = 1 << iota
	flagYes
	flagSet
	flagOnly
	flagSkip
	flagJobs
	flagForce
	flagVerbose
)

// flagsConverge are the flags of a converge with nothing decided for it:
// onboard and onboard up.
const flagsConverge = flagFile | flagYes | flagSet | flagOnly | flagSkip | flagJobs | flagForce | flagVerbose

// flagAnnotation marks a command that offers the flag name, so that the
// usage error can list them without a second list to keep in step.
func flagAnnotation(name string) string { return "onboard/flag/" + name }

// offers records on c that it takes --name.
func offers(c *cobra.Command, name string) {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[flagAnnotation(name)] = "yes"
}

// runFlags adds the chosen flags to c, each bound to the option every
// command reads (a.opts), with the same name, shorthand and help on every
// command that has it.
func (a *app) runFlags(c *cobra.Command, which runFlag) {
	f := c.Flags()
	if which&flagFile != 0 {
		f.StringVarP(&a.opts.file, "file", "f", "", "the checklist (default: onboard.yaml found upward from the working directory)")
		_ = c.MarkFlagFilename("file", "yaml", "yml")
		offers(c, "file")
	}
	if which&flagYes != 0 {
		f.BoolVarP(&a.opts.yes, "yes", "y", false, "trust the checklist and accept defaults")
		offers(c, "yes")
	}
	if which&flagSet != 0 {
		f.StringArrayVar(&a.opts.set, "set", nil, "answer a question: `name=value` (repeatable)")
		offers(c, "set")
	}
	// The completions are registered here, on each command's own flag:
	// cobra keys them by the flag itself, not by its name.
	if which&flagOnly != 0 {
		f.StringArrayVar(&a.opts.only, "only", nil, "run only this item `ID` (repeatable)")
		_ = c.RegisterFlagCompletionFunc("only", a.completeItems)
		offers(c, "only")
	}
	if which&flagSkip != 0 {
		f.StringArrayVar(&a.opts.skip, "skip", nil, "skip this item `ID` (repeatable)")
		_ = c.RegisterFlagCompletionFunc("skip", a.completeItems)
		offers(c, "skip")
	}
	if which&flagJobs != 0 {
		f.IntVarP(&a.opts.jobs, "jobs", "j", 0, "items run in parallel (default: number of CPUs)")
		offers(c, "jobs")
	}
	if which&flagForce != 0 {
		f.BoolVar(&a.opts.force, "force", false, "overwrite files you changed since onboard wrote them (a backup is kept)")
		offers(c, "force")
	}
	if which&flagVerbose != 0 {
		f.BoolVarP(&a.opts.verbose, "verbose", "v", false, "more detail")
		offers(c, "verbose")
	}
}

// groupFlags lets a flag come before the subcommand of a group (`onboard
// services -y up -d`, as `onboard -y up` works through the root's): cobra
// finds the subcommand by skipping the flags it knows, and one it does not
// know is taken to swallow the next word, the subcommand's name. Only the
// boolean ones need this, hidden, as the group's help would otherwise list
// flags it does not read; the subcommand's own flags then decide.
func groupFlags(c *cobra.Command) {
	f := c.Flags()
	f.BoolP("yes", "y", false, "")
	f.Bool("force", false, "")
	f.BoolP("verbose", "v", false, "")
	for _, name := range []string{"yes", "force", "verbose"} {
		_ = f.MarkHidden(name)
	}
}
