package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/steps"
)

func (a *app) validateCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check the checklist's schema and semantics, all errors at once",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			shown, root, err := a.findChecklist(arg)
			var f *config.File
			if err == nil {
				f, err = config.Load(shown)
			}
			if err == nil {
				err = steps.CheckTemplates(f, root)
			}
			out := a.streams.Out
			if a.opts.json {
				if shown == "" {
					shown = config.FileName
				}
				if werr := writeJSON(a.streams.Out, validationOf(shown, f, err)); werr != nil {
					return werr
				}
				out = a.streams.Err // the human verdict too, as with events
			}
			if err != nil {
				return err
			}
			// Warnings first: the checklist loads, but not as written.
			fmt.Fprint(a.streams.Err, f.RenderWarnings())
			fmt.Fprintf(out, "%s: valid (%s)\n", shown, summary(f))
			return nil
		},
	}
	a.jsonFlag(c, "the verdict and each problem (file, line, column, severity, message) as one JSON object on stdout")
	a.runFlags(c, flagFile)
	return c
}

// summary counts what a checklist holds, in the order onboard works.
func summary(f *config.File) string {
	return fmt.Sprintf("%d %s, %d %s, %d %s, %d %s",
		len(f.Inputs), plural(len(f.Inputs), "input", "inputs"),
		len(f.Tools), plural(len(f.Tools), "tool", "tools"),
		len(f.Steps), plural(len(f.Steps), "step", "steps"),
		len(f.Services), plural(len(f.Services), "service", "services"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
