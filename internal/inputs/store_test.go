package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A remembered-answers file planted as a symlink to a file outside the
// state directory is not read: its content would become answers, handed
// to the checklist's commands.
func TestLoadRememberedRefusesLinkOutside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".onboard")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "secrets.env")
	if err := os.WriteFile(outside, []byte("ONBOARD_INPUT_TOKEN=\"theirs\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, SecretsFile)); err != nil {
		t.Fatal(err)
	}
	got, err := LoadRemembered(dir)
	if err == nil || !strings.Contains(err.Error(), "leads outside") {
		t.Errorf("LoadRemembered through a link outside = %v, %v; want it refused", got, err)
	}

	// No state directory at all: nothing remembered, no error.
	got, err = LoadRemembered(filepath.Join(t.TempDir(), ".onboard"))
	if err != nil || len(got) != 0 {
		t.Errorf("LoadRemembered of a missing directory = %v, %v", got, err)
	}
}
