package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// errMissingSubcommand is what a command that only groups others (services)
// says when run alone: the subcommands it has.
func errMissingSubcommand(cmd *cobra.Command) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return fmt.Errorf("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
}
