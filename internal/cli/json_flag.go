package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// --json is offered only by the commands where it does something (issue
// 13): each adds it with jsonFlag, so `--help` shows it where it works,
// and anywhere else the mistake gets a usage error that names those
// commands instead of cobra's bare "unknown flag".

// jsonAnnotation marks a command that takes --json, so that the usage
// error can list them without a second list to keep in step.
const jsonAnnotation = "onboard/json"

// jsonFlag adds --json to c, bound to the one option every command reads;
// usage says what it prints there.
func (a *app) jsonFlag(c *cobra.Command, usage string) {
	c.Flags().BoolVar(&a.opts.json, "json", false, usage)
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[jsonAnnotation] = "yes"
}

// jsonCommands are the command paths that take --json, as a person types
// them ("onboard", "onboard check", …), in the order help lists them.
func jsonCommands(root *cobra.Command) []string {
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Annotations[jsonAnnotation] != "" {
			p := c.CommandPath()
			if c.Name() == "up" && c.HasParent() && c.Parent().Name() == "services" {
				p += " -d" // in the foreground stdout carries the services' output
			}
			out = append(out, p)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// flagError is every command's flag error: a usage error, exit 2; an
// unknown --json also says where --json works.
func flagError(cmd *cobra.Command, err error) error {
	if err.Error() == "unknown flag: --json" {
		err = fmt.Errorf("%s has no --json: it works with %s", cmd.CommandPath(), strings.Join(jsonCommands(cmd.Root()), ", "))
	}
	return &UsageError{err}
}

// errJSONForeground: `services up --json` in the foreground would mix the
// events with the services' output on stdout.
var errJSONForeground = &UsageError{errors.New("--json needs -d: in the foreground, stdout carries the services' output (onboard services up -d --json)")}
