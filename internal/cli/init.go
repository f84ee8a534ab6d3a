package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/initgen"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

func (a *app) initCommand() *cobra.Command {
	var force, dryRun bool
	c := &cobra.Command{
		Use:   "init [--force] [--dry-run]",
		Short: "Write onboard.yaml from the repository's conventions",
		Long: `init reads what the repository already has (go.mod, package.json and its
lockfile, .nvmrc, pyproject.toml, Gemfile, Cargo.toml, pom.xml, .tool-versions,
Makefile targets, .env.example, docker-compose.yml, Procfile, …) and writes a
first onboard.yaml in the current directory, each item with a comment naming
the file it came from. It never overwrites an existing onboard.yaml without
--force; --dry-run prints what it would write and writes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.initChecklist(force, dryRun)
		},
	}
	// init's own --force, not the run's: it names no item's file, only
	// onboard.yaml. Marked so that a --force elsewhere names init too.
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing onboard.yaml")
	offers(c, "force")
	// -f names the checklist to write.
	a.runFlags(c, flagFile)
	c.Flags().BoolVar(&dryRun, "dry-run", false, "print the checklist instead of writing it")
	return c
}

// initChecklist detects, renders, proves the result loads, then writes.
func (a *app) initChecklist(force, dryRun bool) error {
	path := a.opts.file
	if path == "" {
		path = config.FileName
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	root := filepath.Dir(abs)
	c, err := initgen.Detect(root)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	data, err := initgen.Render(c)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	// A checklist init writes must load: if it does not, that is a bug
	// in init, reported rather than written.
	if _, err := config.Parse(path, data); err != nil {
		return fmt.Errorf("init: the checklist it made does not load (a bug in onboard init, please report it): %v", err)
	}
	files := []string{}
	for name := range c.Files {
		files = append(files, name)
	}
	sort.Strings(files)
	if dryRun {
		fmt.Fprint(a.streams.Out, string(data))
		for _, name := range files {
			fmt.Fprintf(a.streams.Out, "\n# --- %s (written beside it) ---\n%s", name, c.Files[name])
		}
		return nil
	}
	if !force {
		var taken []string
		for _, name := range append([]string{filepath.Base(path)}, files...) {
			if _, err := os.Lstat(filepath.Join(root, name)); !errors.Is(err, fs.ErrNotExist) {
				taken = append(taken, name)
			}
		}
		if len(taken) > 0 {
			verb := "exists"
			if len(taken) > 1 {
				verb = "exist"
			}
			return &UsageError{fmt.Errorf("%s already %s; onboard init overwrites nothing without --force (`onboard init --dry-run` prints what it would write)", strings.Join(taken, " and "), verb)}
		}
	}
	r, err := rootfs.Open(root)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, name := range files {
		if err := r.WriteFile(name, []byte(c.Files[name]), 0o644); err != nil {
			return fmt.Errorf("init: %w", err)
		}
		fmt.Fprintf(a.streams.Out, "wrote %s\n", name)
	}
	if err := r.WriteFile(filepath.Base(path), data, 0o644); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(a.streams.Out, "wrote %s (%s)\n", path, initSummary(c))
	fmt.Fprintln(a.streams.Out, "Next: read it, then `onboard validate` and `onboard plan`.")
	return nil
}

func initSummary(c *initgen.Checklist) string {
	return fmt.Sprintf("%d %s, %d %s, %d %s, %d %s",
		len(c.Inputs), plural(len(c.Inputs), "input", "inputs"),
		len(c.Tools), plural(len(c.Tools), "tool", "tools"),
		len(c.Steps), plural(len(c.Steps), "step", "steps"),
		len(c.Services), plural(len(c.Services), "service", "services"))
}
