//go:build unix

package rootfs

import (
	"path/filepath"
	"testing"
)

func TestConfine(t *testing.T) {
	outside := t.TempDir()
	dir, _ := checkout(t, map[string]string{"real/out/app": "", "outside-file-name": ""})
	symlink(t, "real", filepath.Join(dir, "in"))
	symlink(t, filepath.Join(dir, "real"), filepath.Join(dir, "abs-in")) // absolute, yet inside
	symlink(t, outside, filepath.Join(dir, "out"))
	symlink(t, "../../../../../../../.."+outside, filepath.Join(dir, "up"))
	symlink(t, ".", filepath.Join(dir, "self"))
	for rel, ok := range map[string]bool{
		".":               true,
		"real/out/app":    true,
		"in/out/app":      true,
		"abs-in/out":      true,
		"self":            true,
		"not/there/yet":   true,
		"out":             false,
		"up":              false,
		"out/x":           true, // does not exist: taken as written
		"self/real/../..": true, // cleaned as text first: the checkout itself
	} {
		got, err := Confine(dir, rel)
		switch {
		case ok && (err != nil || got != filepath.Join(dir, rel)):
			t.Errorf("Confine(%q) = %q, %v; want %q", rel, got, err, filepath.Join(dir, rel))
		case !ok && err == nil:
			t.Errorf("Confine(%q) = %q, want an error", rel, got)
		}
	}
	if _, err := Confine(dir, "out"); err == nil || err.Error() != "out leads outside the repository (to "+mustEval(t, outside)+") through a symlink" {
		t.Errorf("message: %v", err)
	}
}

func mustEval(t *testing.T, p string) string {
	t.Helper()
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return real
}
