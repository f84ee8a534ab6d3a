package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
)

// inputsCommand lists the answers and where each comes from, and asks
// chosen questions again: the next `up` carries a changed answer to what
// uses it (env files, services).
func (a *app) inputsCommand() *cobra.Command {
	var ask []string
	c := &cobra.Command{
		Use:   "inputs [--ask NAME...]",
		Short: "The answers and where each came from (secrets masked); --ask asks again",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(ask) > 0 {
				return a.inputsAsk(cmd.Context(), ask)
			}
			return a.inputsList()
		},
	}
	c.Flags().StringSliceVar(&ask, "ask", nil, "ask these inputs again (`NAME`, repeatable or comma-separated), on a terminal or from --set")
	// --set shows (or, with --ask, records) an answer; --yes is not read:
	// inputs asks only with --ask, and then on purpose.
	a.runFlags(c, flagFile|flagSet)
	return c
}

func (a *app) inputsList() error {
	f, _, root, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	set, err := a.setFlags(f)
	if err != nil {
		return err
	}
	// Reading the answers writes nothing: no .onboard is created.
	remembered, err := inputs.LoadRemembered(filepath.Join(root, engine.DirName))
	if err != nil {
		return err
	}
	entries, err := inputs.Explain(f, inputs.Sources{Set: set, Environ: os.Environ(), Remembered: remembered, Project: f.Project.Value})
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(a.streams.Out, "The checklist asks no questions.")
		return nil
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		v := e.Value
		switch {
		case v == "" && e.From != "--set":
			v = "-"
		case e.Secret:
			v = "****"
		}
		rows = append(rows, []string{e.Name, v, e.From})
	}
	a.streams.Table([]string{"NAME", "VALUE", "FROM"}, rows)
	return nil
}

// inputsAsk forgets the remembered answers of names and answers them
// again: from --set, or on a terminal. Without either it exits 4 naming
// the flag, as up does. It asks exactly names: an input never answered
// is the next up's to ask, with the rest of its form, and another
// input's answer is left as it is.
func (a *app) inputsAsk(ctx context.Context, names []string) error {
	f, _, root, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	known := make([]string, len(f.Inputs))
	for i, in := range f.Inputs {
		known[i] = in.Name
	}
	for _, n := range names {
		if !slices.Contains(known, n) {
			return &UsageError{fmt.Errorf("--ask %s: the checklist has no input %q (its inputs: %v)", n, n, known)}
		}
	}
	set, err := a.setFlags(f)
	if err != nil {
		return err
	}
	for n := range set {
		// Only the named inputs are answered: an answer to another one
		// would be dropped without a word.
		if !slices.Contains(names, n) {
			return &UsageError{fmt.Errorf("--set %s: --ask does not name %s; add --ask %s to answer it too", n, n, n)}
		}
	}
	ws, err := engine.Open(root)
	if err != nil {
		return err
	}
	defer ws.Close()
	remembered, err := inputs.LoadRemembered(ws.Dir)
	if err != nil {
		return err
	}
	asked := *f
	asked.Inputs = nil
	keep := map[string]inputs.Answer{}
	for _, in := range f.Inputs {
		switch v, ok := remembered[in.Name]; {
		case slices.Contains(names, in.Name):
			asked.Inputs = append(asked.Inputs, in)
		case ok:
			keep[in.Name] = inputs.Answer{Value: v, Secret: in.Secret, From: "remembered"}
		}
	}
	// The person asked to answer again: a variable of the environment
	// must not answer for them (it is reported below, as it still wins
	// on the next up).
	environ := withoutInputVars(os.Environ(), names)
	src := inputs.Sources{Set: set, Environ: environ, Project: f.Project.Value}
	if p := a.streams.Prompter(); p != nil { // a nil *Prompter is no terminal
		src.Prompter = p
	}
	answers, err := inputs.Resolve(ctx, &asked, src)
	if err != nil {
		return err
	}
	for n, ans := range answers {
		keep[n] = ans
	}
	if err := inputs.SaveRemembered(ws.Dir, keep); err != nil {
		return fmt.Errorf("saving answers: %w", err)
	}
	for _, n := range names {
		v := answers[n].Value
		if answers[n].Secret {
			v = "****"
		}
		fmt.Fprintf(a.streams.Out, "%s = %s (%s)\n", n, v, answers[n].From)
		if w := overriddenBy(n, answers[n], os.Environ()); w != "" {
			fmt.Fprintln(a.streams.Out, w)
		}
	}
	fmt.Fprintln(a.streams.Out, "Run `onboard` to carry the new answers to the files and services that use them.")
	return nil
}
