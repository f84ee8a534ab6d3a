package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotFound is returned by Find when no checklist exists up to the root.
var ErrNotFound = errors.New("no " + FileName + " here or in any parent directory")

// Find walks up from dir to the filesystem root and returns the first
// onboard.yaml, the way git finds .git: a maintainer can run onboard from any
// subdirectory of the checkout.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		info, err := os.Stat(p)
		switch {
		case err == nil && !info.IsDir():
			return p, nil
		case err == nil:
			return "", &ReadError{Path: p, Err: errors.New("is a directory, not a checklist file")}
		case !errors.Is(err, fs.ErrNotExist):
			return "", &ReadError{Path: p, Err: err}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w (run onboard inside the checkout, or name the checklist with -f)", ErrNotFound)
		}
		dir = parent
	}
}
