package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// The commands below are part of the contract but not built yet. Each says
// so and exits 2 rather than pretending to work.

func (a *app) stub(use, short string, configure func(*cobra.Command)) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short + " (not implemented yet)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return notImplemented("onboard " + cmd.CommandPath()[len(cmd.Root().Name())+1:])
		},
	}
	if configure != nil {
		configure(c)
	}
	return c
}

func (a *app) reportCommand() *cobra.Command {
	return a.stub("report", "A markdown report of the last run, secrets masked", func(c *cobra.Command) {
		c.Flags().String("out", "", "write to `FILE` instead of stdout")
	})
}

func errMissingSubcommand(cmd *cobra.Command) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return fmt.Errorf("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
}
