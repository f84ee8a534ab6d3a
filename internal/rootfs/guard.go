package rootfs

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Local refuses a path whose text leaves the checkout: an absolute path,
// or one that climbs out with "..". The loader refuses these in the
// checklist already; checking again keeps each user of a path safe on its
// own, whoever built it.
func Local(name string) error {
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") {
		return fmt.Errorf("%s is an absolute path; onboard reads and writes only inside the repository", name)
	}
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("%s leaves the repository; onboard reads and writes only inside it", name)
	}
	return nil
}

// Guard refuses a path a checklist names for onboard's own reads and
// writes (a template's src and dest) when its text leaves the checkout
// (Local) or when it is, or leads into, the repository's git directory
// (see gitDir). what words the error: "cannot read" or "cannot write".
//
// A symlink that leads outside the checkout needs no guard here: every
// read and write of the Root refuses it when the path is used.
func (r *Root) Guard(name, what string) error {
	if err := Local(name); err != nil {
		return err
	}
	return r.gitDir(name, what)
}
