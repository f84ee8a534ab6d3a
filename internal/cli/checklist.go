package cli

import (
	"os"
	"path/filepath"

	"github.com/onboard-dev/onboard/internal/config"
)

// Every command that reads the checklist finds it here, the same way.

// loadChecklist finds the checklist (see findChecklist) and loads it: the
// file, the path to show, and the root of the work, the directory that
// holds it.
func (a *app) loadChecklist(arg string) (f *config.File, shown, root string, err error) {
	shown, root, err = a.findChecklist(arg)
	if err != nil {
		return nil, "", "", err
	}
	f, err = config.Load(shown)
	if err != nil {
		return nil, "", "", err
	}
	return f, shown, root, nil
}

// findChecklist finds the checklist without reading it (so that stopping
// the services works while onboard.yaml is broken): the argument, else -f,
// else onboard.yaml found upward from the working directory. It returns
// the path to open and show, relative to the working directory when that
// is shorter, and the root: the directory that holds it.
func (a *app) findChecklist(arg string) (shown, root string, err error) {
	switch {
	case arg != "":
		shown = arg
	case a.opts.file != "":
		shown = a.opts.file
	default:
		wd, err := os.Getwd()
		if err != nil {
			return "", "", err
		}
		p, err := config.Find(wd)
		if err != nil {
			return "", "", err
		}
		shown = p
		if rel, err := filepath.Rel(wd, p); err == nil {
			shown = rel
		}
	}
	abs, err := filepath.Abs(shown)
	if err != nil {
		return "", "", err
	}
	return shown, filepath.Dir(abs), nil
}
