package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// --json is offered only by the commands where it does something (issue
// 13): each adds it with jsonFlag, so `--help` shows it where it works,
// and anywhere else the mistake gets a usage error that names those
// commands instead of cobra's bare "unknown flag".

// jsonFlag adds --json to c, bound to the one option every command reads;
// usage says what it prints there.
func (a *app) jsonFlag(c *cobra.Command, usage string) {
	c.Flags().BoolVar(&a.opts.json, "json", false, usage)
	offers(c, "json")
}

// commandsWith are the command paths that take --name, as a person types
// them ("onboard", "onboard check", …), in the order help lists them.
func commandsWith(root *cobra.Command, name string) []string {
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Annotations[flagAnnotation(name)] != "" {
			p := c.CommandPath()
			if name == "json" && c.Name() == "up" && c.HasParent() && c.Parent().Name() == "services" {
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

// flagError is every command's flag error: a usage error, exit 2. A flag
// that other commands take (--json, --yes, --set, …: see offers) says
// where it works, rather than cobra's bare "unknown flag", which would
// leave the reader to guess whether it exists at all.
func flagError(cmd *cobra.Command, err error) error {
	if name, shown, ok := unknownFlag(cmd.Root(), err); ok {
		if where := commandsWith(cmd.Root(), name); len(where) > 0 {
			err = fmt.Errorf("%s has no %s: it works with %s", cmd.CommandPath(), shown, strings.Join(where, ", "))
		}
	}
	return &UsageError{err}
}

// unknownFlag is the flag pflag did not know, if that is the error: its
// name, and how to show it (--set, -y/--yes). A shorthand is looked up on
// the root, which offers every flag that some command takes.
func unknownFlag(root *cobra.Command, err error) (name, shown string, ok bool) {
	var missing *pflag.NotExistError
	if !errors.As(err, &missing) {
		return "", "", false
	}
	name = missing.GetSpecifiedName()
	if missing.GetSpecifiedShortnames() == "" {
		return name, "--" + name, true
	}
	f := root.Flags().ShorthandLookup(name)
	if f == nil {
		return "", "", false
	}
	return f.Name, "-" + f.Shorthand + "/--" + f.Name, true
}

// errJSONForeground: `services up --json` in the foreground would mix the
// events with the services' output on stdout.
var errJSONForeground = &UsageError{errors.New("--json needs -d: in the foreground, stdout carries the services' output (onboard services up -d --json)")}
