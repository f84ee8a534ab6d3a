//go:build unix

package rootfs

import (
	"os"
	"path/filepath"
	"testing"
)

// A venv's bin/python links to the interpreter outside the checkout: the
// link is inside, so `creates:` may name it; a directory on the way that
// leads outside is still refused.
func TestConfineLink(t *testing.T) {
	outside := t.TempDir()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "python3"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, ".venv", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		".venv/bin/python": filepath.Join(outside, "python3"),
		"shared":           outside,
		"out":              outside,
	} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range []string{".venv/bin/python", "shared", ".venv/pyvenv.cfg", "not/yet"} {
		p, err := ConfineLink(root, rel)
		if err != nil || p != filepath.Join(root, filepath.FromSlash(rel)) {
			t.Errorf("ConfineLink(%q) = %q, %v; want it allowed", rel, p, err)
		}
	}
	if _, err := ConfineLink(root, "out/python"); err == nil {
		t.Error("out/python: a path through a directory link outside was allowed")
	}
	// Confine, which follows the last link too, still refuses the venv's.
	if _, err := Confine(root, ".venv/bin/python"); err == nil {
		t.Error("Confine(.venv/bin/python) was allowed")
	}
}
