package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// Help: examples for the commands that work, and the exit codes in the
// root's help. Examples name only commands and flags that work today
// (help_test.go runs each through the command line's own parser); the
// services subcommands carry theirs in services.go.

// examples are the examples of the root and of commands defined in files
// of their own, by command path without "onboard ".
var examples = map[string]string{
	"": `  onboard                                      # converge this checkout's onboard.yaml
  onboard https://git.example.com/acme/api     # clone into ~/src/git.example.com/acme/api, then converge it
  onboard git@git.example.com:acme/api.git --dir ~/work/api --branch main
  onboard check                                # change nothing; exit 3 if an item is not met
  onboard --only service:db                    # one item and what it needs
  onboard --set region=eu -y                   # answer a question, trust the checklist for this run`,
	"up": `  onboard up
  onboard up --only step:deps                  # that item and what it needs
  onboard up --skip service:web -j 2
  onboard up --json > events.jsonl             # one event per line
  onboard up --yes --trust sha256:DIGEST       # CI: run only the version reviewed (onboard trust --print)`,
	"check": `  onboard check                                # exit 3 if anything is not met
  onboard check --only service:api
  onboard check --json
  onboard check --junit report.xml             # and a JUnit report, one testcase per item`,
	"verify": `  onboard verify                               # a fresh clone of HEAD: converge twice, check, stop
  onboard verify --junit report.xml --json-report report.json
  onboard verify --in-place --keep-services    # this checkout as it is; leave the stack running
  onboard verify --trust sha256:DIGEST         # CI: run only the version reviewed (onboard trust --print)`,
	"plan": `  onboard plan
  onboard plan -f path/to/onboard.yaml
  onboard plan --json                          # each item's check, apply, needs and last run`,
	"validate": `  onboard validate
  onboard validate path/to/onboard.yaml
  onboard validate --json                      # each problem with its file, line and column`,
	"trust": `  onboard trust                                # after reading onboard.yaml and what it runs
  onboard trust path/to/onboard.yaml
  onboard trust --print                        # the digest to pin in CI: onboard up --trust sha256:…`,
	"init": `  onboard init --dry-run                       # print the checklist it would write
  onboard init                                 # write onboard.yaml (then: onboard validate, onboard plan)
  onboard init --force                         # overwrite an existing onboard.yaml`,
	"schema": `  onboard schema > onboard.schema.json`,
	"inputs": `  onboard inputs                               # every answer and where it came from
  onboard inputs --ask db_password             # ask again on a terminal; the next onboard carries it
  onboard inputs --ask region --set region=eu`,
	"services": `  onboard services status
  onboard services logs -F api
  onboard services restart api
  onboard services down`,
}

// exitCodes is the root help's last section: DESIGN.md's table.
const exitCodes = `
Exit codes:
  0    done: every item met
  1    an item failed (the message names it, its file:line and the fix), or the preflight found problems
  2    usage or checklist error (file:line:col: message)
  3    check: items not met; verify: items not met, or the second converge changed something
  4    input needed and no terminal (the message names the flag and the env var that answer it)
  5    checklist not trusted and no terminal (onboard trust trusts it, --yes for one run)
  130  interrupted (Ctrl-C); state is saved, the next run resumes
`

// addHelp sets the examples and adds the exit codes to the root's help
// (its subcommands' help does not repeat them).
func addHelp(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(strings.TrimPrefix(c.CommandPath(), root.Name()), " ")
		if ex, ok := examples[path]; ok {
			c.Example = ex
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	root.SetHelpTemplate(root.HelpTemplate() + "{{if not .HasParent}}" + exitCodes + "{{end}}")
}
