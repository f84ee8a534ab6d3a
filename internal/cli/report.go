package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/lastrun"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// reportJSON is `onboard report --json`: the record as written, and what
// the report concludes from it.
type reportJSON struct {
	*lastrun.Run
	Analysis lastrun.Analysis `json:"analysis"`
}

func (a *app) reportCommand() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "report",
		Short: "A markdown report of the last run, secrets masked",
		Long: `report turns the last run (.onboard/last-run.json, written by every up and
verify; check writes nothing in the checkout) into a blameless post-mortem in
markdown, ready to paste into an issue: what failed, on which item and line of
the checklist, a timeline, the environment, the failing output (secrets
masked), the likely cause, and what in the checklist would have caught it
earlier. It runs nothing.`,
		Example: "  onboard report\n  onboard report --out onboard-report.md\n  onboard report --json | jq .analysis",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, root, err := a.findChecklist("")
			if err != nil {
				return err
			}
			if err := engine.RealDirs(root, engine.DirName); err != nil {
				return err
			}
			run, err := lastrun.Read(root)
			if errors.Is(err, lastrun.ErrNone) {
				// Exit 2, as for a usage mistake: nothing failed (1 would
				// say an item did), there is just nothing to report yet.
				return &UsageError{fmt.Errorf("no run to report in %s yet: run `onboard up` first (report reads %s, which up and verify write)", root, filepath.Join(engine.DirName, lastrun.FileName))}
			}
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if a.opts.json {
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				err = enc.Encode(reportJSON{Run: run, Analysis: lastrun.Analyse(run)})
			} else {
				err = lastrun.Markdown(&buf, run)
			}
			if err != nil {
				return err
			}
			if out == "" {
				_, err = a.streams.Out.Write(buf.Bytes())
				return err
			}
			if err := rootfs.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.streams.Err, "onboard: wrote the report of the last %s to %s\n", run.Command, out)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "write the report to `FILE` instead of stdout")
	a.jsonFlag(c, "the report as one JSON object: the last run's record and its analysis")
	a.runFlags(c, flagFile)
	return c
}
