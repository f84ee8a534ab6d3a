package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/steps"
)

// The journal commands act on .onboard/state.json: `skip` and `unskip`
// record a person's decision about an item, under the same lock as `up`,
// so they never race a run. They run nothing, so they need no trust.

func (a *app) skipCommand() *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "skip ID --reason \"WHY\"",
		Short: "Skip an item on every run until its definition changes or `onboard unskip ID`",
		Example: `  onboard skip vpn --reason "I work from the office"
  onboard skip service:kafka --reason "the shared staging Kafka is enough for my work"`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeItemArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" {
				return &UsageError{errors.New(`onboard skip needs --reason "WHY": everyone who reads the run or onboard status sees it`)}
			}
			return a.withJournal(args[0], func(st *engine.State, n *engine.Node) error {
				sk := &engine.Skip{Reason: reason, User: currentUser(), At: time.Now().UTC().Truncate(time.Second), Hash: n.Hash}
				st.SetSkip(n.ID, sk)
				if err := st.Save(); err != nil {
					return err
				}
				fmt.Fprintf(a.streams.Out, "%s is skipped %s.\nIt stays skipped on every run until its definition changes or `onboard unskip %s`; what needs it runs as if it were met.\n",
					n.ID, sk.Describe(), args[0])
				return nil
			})
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why it is skipped (required; shown by up and status)")
	a.runFlags(c, flagFile)
	return c
}

func (a *app) unskipCommand() *cobra.Command {
	c := &cobra.Command{
		Use:               "unskip ID",
		Short:             "Run an item skipped with `onboard skip` again",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeItemArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withJournal(args[0], func(st *engine.State, n *engine.Node) error {
				if !st.Unskip(n.ID) {
					fmt.Fprintf(a.streams.Out, "%s is not skipped; nothing to do.\n", n.ID)
					return nil
				}
				if err := st.Save(); err != nil {
					return err
				}
				fmt.Fprintf(a.streams.Out, "%s is no longer skipped: the next `onboard` runs it.\n", n.ID)
				return nil
			})
		},
	}
	a.runFlags(c, flagFile)
	return c
}

// withJournal finds item id in the checklist and calls do with the state,
// under the checkout's lock.
func (a *app) withJournal(id string, do func(*engine.State, *engine.Node) error) error {
	f, _, root, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	n, err := findNode(f, id)
	if err != nil {
		return err
	}
	ws, err := engine.Open(root)
	if err != nil {
		return err
	}
	defer ws.Close()
	ws.State.Adopt([]*engine.Node{n})
	return do(ws.State, n)
}

// findNode is the checklist's item id (as a person writes it: a bare
// name is a step), or a usage error that names the ids there are.
func findNode(f *config.File, id string) (*engine.Node, error) {
	want := engine.ID(config.CanonicalID(id))
	for _, n := range steps.Build(f, steps.Deps{}) {
		if n.ID == want {
			return n, nil
		}
	}
	return nil, &UsageError{fmt.Errorf("no item %s in the checklist (onboard status lists them)", want)}
}

// currentUser is who made a decision, as the journal records it.
func currentUser() string {
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	return ""
}
