package cli

import (
	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
)

func (a *app) schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of onboard.yaml",
		Long: `Print the JSON Schema (2020-12) of onboard.yaml on stdout. Save it next to the
checklist and point your editor at it for completion and inline errors:

  onboard schema > onboard.schema.json
  # first line of onboard.yaml:
  # yaml-language-server: $schema=./onboard.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := a.streams.Out.Write(config.Schema())
			return err
		},
	}
}
