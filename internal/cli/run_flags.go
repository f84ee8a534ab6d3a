package cli

import (
	"github.com/spf13/cobra"
)

// The flags that shape a converge (--yes, --set, --only, --skip, --jobs,
// --force) are offered only by the commands that read them, as --json is
// (json_flag.go): were they global, `onboard status --set x=1` would be
// accepted and do nothing, and every command's --help would list flags
// that do nothing there. Each command adds its own with runFlags; anywhere
// else the flag is a usage error naming the commands that take it
// (flagError).

// runFlag picks flags for runFlags; combine them with |.
type runFlag uint

const (
	flagYes runFlag = 1 << iota
	flagSet
	flagOnly
	flagSkip
	flagJobs
	flagForce
)

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
}
