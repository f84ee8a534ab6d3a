package steps

import (
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

// The fix of a missing tool: the checklist's hint for the OS, its hint for
// every OS, onboard's own (macOS: Homebrew or Xcode) for a built-in tool,
// else a plain instruction.
func TestToolFix(t *testing.T) {
	own := map[string]config.String{"darwin": {Value: "brew install go@1.22"}, "linux": {Value: "apt-get install golang"}}
	every := map[string]config.String{"": {Value: "see CONTRIBUTING.md"}}
	tests := []struct {
		name, tool string
		install    map[string]config.String
		goos, want string
	}{
		{"the checklist's for this OS", "go", own, "darwin", "brew install go@1.22"},
		{"the checklist's for every OS", "go", every, "darwin", "see CONTRIBUTING.md"},
		{"onboard's on macOS", "go", nil, "darwin", "brew install go"},
		{"onboard's: Xcode's tools", "gcc", nil, "darwin", "xcode-select --install (its gcc is Apple clang; GNU GCC: brew install gcc, run as gcc-NN)"},
		{"none on Linux", "go", nil, "linux", "install go >= 1.22 and make sure it is on PATH, then run onboard again"},
		{"none for a tool onboard does not know", "frobnicate", nil, "darwin", "install frobnicate >= 1.22 and make sure it is on PATH, then run onboard again"},
	}
	for _, tt := range tests {
		it := toolItem{t: &config.Tool{Name: tt.tool, Install: tt.install}}
		if got := it.fix(">= 1.22", tt.goos); got != tt.want {
			t.Errorf("%s: fix = %q, want %q", tt.name, got, tt.want)
		}
	}
}
