package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/steps"
)

// Dynamic shell completion (`onboard completion bash|zsh|fish|powershell`
// writes the script; the shell then asks `onboard __complete …`). Every
// function here only reads the checklist: it runs nothing, needs no trust
// and writes nothing, so pressing Tab is always safe.

// completeItems completes --only and --skip with the checklist's item ids
// (tool:go, step:deps, service:api, …). A word without a colon also
// matches a step by its bare id, as --only accepts it.
func (a *app) completeItems(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	f, _, _, err := a.loadChecklist("")
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, id := range steps.IDs(f) {
		if strings.HasPrefix(id.String(), toComplete) {
			out = append(out, id.String())
			continue
		}
		if bare := id.Name(); id.Kind() == engine.KindStep && toComplete != "" && strings.HasPrefix(bare, toComplete) {
			out = append(out, bare)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeItemArgs completes the item ids of skip, unskip, retry and
// redo, leaving out those already given.
func (a *app) completeItemArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	all, dir := a.completeItems(cmd, args, toComplete)
	var out []cobra.Completion
	for _, id := range all {
		if !slices.Contains(args, id) {
			out = append(out, id)
		}
	}
	return out, dir
}

// completeServices completes the arguments of `services up|down|logs|
// restart` with the checklist's service names, leaving out those already
// given.
func (a *app) completeServices(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	names, err := a.checklistServices()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, n := range names {
		if strings.HasPrefix(n, toComplete) && !slices.Contains(args, n) {
			out = append(out, n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// registerCompletions wires the completion functions to the root's flags
// (--file, --only and --skip get theirs where runFlags adds them).
func (a *app) registerCompletions(root *cobra.Command) {
	_ = root.MarkFlagDirname("dir")
}
