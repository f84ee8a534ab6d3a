package tools

import (
	"slices"
	"strings"
	"testing"
)

// Every built-in tool has a macOS install hint that is a command to run,
// and no hint names a tool the table does not have.
func TestInstallHints(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		h, ok := InstallHint(name, "darwin")
		if !ok {
			t.Errorf("built-in tool %q has no macOS install hint", name)
			continue
		}
		if !strings.HasPrefix(h, "brew install ") && !strings.HasPrefix(h, "xcode-select --install") && !strings.HasPrefix(h, "gem install ") {
			t.Errorf("%s: hint %q is not a brew, xcode-select or gem command", name, h)
		}
	}
	for name := range brewHints {
		if !slices.Contains(Names(), name) {
			t.Errorf("install hint for %q, which is no built-in tool", name)
		}
	}
	if h, ok := InstallHint("go", "darwin"); !ok || h != "brew install go" {
		t.Errorf(`InstallHint("go", "darwin") = %q, %v`, h, ok)
	}
	for _, goos := range []string{"linux", "windows", "freebsd"} {
		if h, ok := InstallHint("go", goos); ok {
			t.Errorf("InstallHint(go, %s) = %q: no hints outside macOS", goos, h)
		}
	}
	if _, ok := InstallHint("no-such-tool", "darwin"); ok {
		t.Error("a hint for a tool that is not built in")
	}
}
