package rootfs

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Confine is the symlink guard for a checklist path that onboard hands to
// another program rather than opening itself (a `run:` step's `dir:`, a
// `creates:` it checks for): it returns the path of rel under the checkout
// at dir, and refuses one whose symlinks lead outside the checkout.
//
// An os.Root cannot hold a path for a process, so the path is resolved as
// the kernel will resolve it for that process: every link followed,
// absolute ones too, and what it lands on must be the checkout or inside
// it. A path that does not exist yet is returned as written; its text was
// checked when the checklist loaded (Local).
func Confine(dir, rel string) (string, error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return p, nil
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	if real != root && !strings.HasPrefix(real, root+string(filepath.Separator)) {
		return "", fmt.Errorf("%s leads outside the repository (to %s) through a symlink", rel, real)
	}
	return p, nil
}

// ConfineLink is Confine for a path that is only looked at, never followed
// (a step's `creates:`): the directories leading to it must stay inside the
// checkout, but its last component may be a symlink that points anywhere,
// as a virtualenv's .venv/bin/python points at the interpreter. The link
// itself is inside; what it points at is not read.
func ConfineLink(dir, rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	parent, base := filepath.Split(clean)
	switch {
	case base == "" || base == "." || base == "..":
		return Confine(dir, rel)
	case parent == "":
		return filepath.Join(dir, base), nil // the checkout itself holds it
	}
	p, err := Confine(dir, filepath.ToSlash(filepath.Clean(parent)))
	if err != nil {
		return "", err
	}
	return filepath.Join(p, base), nil
}
