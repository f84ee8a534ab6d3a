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
