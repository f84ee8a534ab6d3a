package cli

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
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

// homePrograms maps each tool of the checklist whose program lies under
// home (or is a link to one there) to that program's path, as verify's
// PATH finds it; nil without a home.
func homePrograms(f *config.File, home string) map[string]string {
	if home == "" {
		return nil
	}
	out := map[string]string{}
	for _, t := range f.Tools {
		spec := tools.Spec{Name: t.Name, Command: t.Command.Argv}
		if t.Command.Shell != "" {
			spec.Command = strings.Fields(t.Command.Shell) // as the tool item splits it
		}
		argv, _, err := spec.Resolve()
		if err != nil {
			continue
		}
		// A relative path names a program in the clone, never under HOME.
		if filepath.Base(argv[0]) != argv[0] && !filepath.IsAbs(argv[0]) {
			continue
		}
		path, err := exec.LookPath(argv[0]) // verify keeps this process's PATH
		if err != nil {
			continue
		}
		if under(path, home) {
			out[t.Name] = path
			continue
		}
		// A link on a system path to a program under HOME is the same case.
		if real, err := filepath.EvalSymlinks(path); err == nil && under(real, home) {
			out[t.Name] = path + " → " + real
		}
	}
	return out
}

// homeTools are the tools of programs (homePrograms) that the first
// converge found (found, by name), in checklist order.
func homeTools(f *config.File, programs map[string]string, found []report.Tool) []report.HomeTool {
	var out []report.HomeTool
	for _, t := range f.Tools {
		path, ok := programs[t.Name]
		if ok && slices.ContainsFunc(found, func(ft report.Tool) bool { return ft.Name == t.Name }) {
			out = append(out, report.HomeTool{Name: t.Name, Line: t.Pos.Line, Path: path})
		}
	}
	return out
}

// homeHint explains a tool that failed a fresh verify from a program under
// the HOME verify replaced: such a tool often keeps its data there (as
// rustup's proxies keep their toolchains in ~/.rustup).
func (v *verdict) homeHint(it *report.Item) string {
	id := engine.ID(it.ID)
	path, ok := v.homePrograms[id.Name()]
	if id.Kind() != engine.KindTool || !ok {
		return ""
	}
	return fmt.Sprintf(" (its program %s is under your HOME, which a fresh verify replaces with an empty one: if the tool keeps what it needs there, install it in the CI image, or verify this checkout with --in-place)", path)
}

// under reports whether path lies inside dir.
func under(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
