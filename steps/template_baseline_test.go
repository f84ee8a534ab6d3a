//go:build unix

package steps

import (
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
)

// A file onboard merged into (the user's .env, plus the keys it lacked),
// recorded by an older onboard as the hash of the whole file only: the
// keys whose value is the last run's render are onboard's, the others
// were the user's before the merge and stay theirs, silently.
func TestBaselineFromMergedFile(t *testing.T) {
	h := newHarness(t, map[string]string{
		".env.example": "USER={{ .Inputs.user }}\nHOST=localhost\n",
		".env":         "HOST=my-laptop\n",
	})
	tm := tmpl(".env.example", ".env")
	tm.Merge = config.String{Value: "dotenv"}
	h.deps = Deps{Inputs: map[string]string{"user": "ada"}}
	if out, detail := h.up(h.node(tm)); out != "fixed" || !strings.Contains(detail, "kept your HOST: onboard has no record") {
		t.Fatalf("first merge: %s %q", out, detail)
	}
	// What an older onboard kept: the whole file's hash, no keys.
	h.state = map[string]string{"written": h.state["written"]}

	h.deps = Deps{Inputs: map[string]string{"user": "bob"}, Remembered: map[string]string{"user": "ada"}}
	out, detail := h.up(h.node(tm))
	if out != "fixed" || detail != ".env has every key of .env.example; USER updated" {
		t.Errorf("after the upgrade: %s %q", out, detail)
	}
	if got := h.read(".env"); got != "HOST=my-laptop\nUSER=bob\n" {
		t.Errorf(".env = %q", got)
	}
}
