package cli

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/report"
	"github.com/onboard-dev/onboard/internal/tools"
)

// A fresh verify moves HOME and the XDG dirs but keeps PATH: without it,
// nothing the machine installed would be found. So a tool installed under
// the maintainer's HOME (rustup's ~/.cargo/bin, pyenv's shims, nvm, a
// ~/go/bin or ~/.local/bin) still answers a fresh verify, where a new
// machine would not have it. verify does not fail on it (CI's image may
// put its tools under its own HOME), but names each such tool, as it
// names the CI shortcuts, so nobody takes it for one the checklist
// installs.

// homeTools are the tools the first converge found (found, by name) whose
// program lies under home, in checklist order.
func homeTools(f *config.File, found []report.Tool, home string) []report.HomeTool {
	if home == "" {
		return nil
	}
	var out []report.HomeTool
	for _, t := range f.Tools {
		if !slices.ContainsFunc(found, func(ft report.Tool) bool { return ft.Name == t.Name }) {
			continue
		}
		spec := tools.Spec{Name: t.Name, Command: t.Command.Argv}
		if t.Command.Shell != "" {
			spec.Command = strings.Fields(t.Command.Shell) // as the tool item splits it
		}
		argv, _, err := spec.Resolve()
		if err != nil {
			continue
		}
		// A relative path names a program in the clone, never under HOME.
		if strings.ContainsRune(argv[0], '/') && !filepath.IsAbs(argv[0]) {
			continue
		}
		path, err := exec.LookPath(argv[0]) // verify keeps this process's PATH
		if err != nil {
			continue
		}
		if under(path, home) {
			out = append(out, report.HomeTool{Name: t.Name, Line: t.Pos.Line, Path: path})
			continue
		}
		// A link on a system path to a program under HOME is the same case.
		if real, err := filepath.EvalSymlinks(path); err == nil && under(real, home) {
			out = append(out, report.HomeTool{Name: t.Name, Line: t.Pos.Line, Path: path + " → " + real})
		}
	}
	return out
}

// under reports whether path lies inside dir.
func under(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
