package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/steps"
)

func (a *app) validateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check the checklist's schema and semantics, all errors at once",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			f, shown, root, err := a.loadChecklist(arg)
			if err != nil {
				return err
			}
			// Warnings first: the checklist loads, but not as written.
			fmt.Fprint(a.streams.Err, f.RenderWarnings())
			if err := steps.CheckTemplates(f, root); err != nil {
				return err
			}
			fmt.Fprintf(a.streams.Out, "%s: valid (%s)\n", shown, summary(f))
			return nil
		},
	}
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
