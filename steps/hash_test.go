package steps

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

// Moving items, or adding one above them, changes no definition hash;
// changing what an item says does. The legacy hash is what onboard
// recorded before: the whole config value, positions in it.
func TestHashLeavesPositionsOut(t *testing.T) {
	build := func(yaml string) map[engine.ID]*engine.Node {
		t.Helper()
		f, err := config.Parse("onboard.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		out := map[engine.ID]*engine.Node{}
		for _, n := range Build(f, Deps{}) {
			out[n.ID] = n
		}
		return out
	}
	before := build(`version: 1
tools:
  go: {version: ">=1.22"}
inputs:
  email: {prompt: "Email?"}
steps:
  - id: vpn
    manual: "Ask for the VPN profile"
  - id: lint
    run: [make, lint]
services:
  web:
    run: [./web, "-listen", ":8080"]
`)
	moved := build(`version: 1
# a comment, and everything in another order
services:
  web:
    run: [./web, "-listen", ":8080"]
steps:
  - id: fresh
    run: "true"

  - id: lint
    run: [make, lint]
  - id: vpn
    manual: "Ask for the VPN profile"
inputs:
  email: {prompt: "Email?"}
tools:
  go: {version: ">=1.22"}
`)
	for _, id := range []engine.ID{"tool:go", "input:email", "step:vpn", "step:lint", "service:web"} {
		b, m := before[id], moved[id]
		if b.Hash != m.Hash {
			t.Errorf("%s: moved, its hash changed from %s to %s", id, b.Hash, m.Hash)
		}
		if b.LegacyHash == m.LegacyHash {
			t.Errorf("%s: moved, the legacy hash (positions in it) should change, stayed %s", id, b.LegacyHash)
		}
	}
	changed := build(`version: 1
steps:
  - id: lint
    run: [make, lint, -v]
`)
	if changed["step:lint"].Hash == before["step:lint"].Hash {
		t.Error("step:lint: its command changed and its hash did not")
	}
	// The legacy hash is the old one: sha256 of the value's JSON.
	f, err := config.Parse("onboard.yaml", []byte("version: 1\nsteps:\n  - id: lint\n    run: [make, lint]\n"))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(f.Steps[0])
	sum := sha256.Sum256(js)
	if got, want := Build(f, Deps{})[0].LegacyHash, hex.EncodeToString(sum[:8]); got != want {
		t.Errorf("LegacyHash = %s, want %s (the hash onboard recorded before)", got, want)
	}
}

func TestWithoutPositions(t *testing.T) {
	for in, want := range map[string]string{
		`{"A":1}`:                          `{"A":1}`,
		`{"Pos":{"Line":3,"Col":5},"A":1}`: `{"A":1}`,
		`{"A":1,"Pos":{"Line":3,"Col":5}}`: `{"A":1}`,
		`{"A":{"Value":"x","Pos":{"Line":1,"Col":2}},"B":[{"Pos":{"Line":4,"Col":1}}]}`: `{"A":{"Value":"x"},"B":[{}]}`,
		// A value that talks about positions is a value: its quotes are escaped.
		`{"A":"\"Pos\":{\"Line\":1}"}`: `{"A":"\"Pos\":{\"Line\":1}"}`,
	} {
		if got := string(withoutPositions([]byte(in))); got != want {
			t.Errorf("withoutPositions(%s) = %s, want %s", in, got, want)
		}
	}
}

// A service an older onboard started runs under the legacy hash of its
// definition: the same definition and answers are no reason to restart it.
func TestServiceSameAsLegacy(t *testing.T) {
	s := &serviceItem{hash: "new", legacy: "old"}
	for _, tc := range []struct {
		running, want string
		same          bool
	}{
		{"old", "new", true},
		{"old-answers1", "new-answers1", true},
		{"old-answers1", "new-answers2", false}, // an answer it uses changed
		{"older", "new", false},                 // the definition changed
	} {
		if got := s.sameAsLegacy(tc.running, tc.want); got != tc.same {
			t.Errorf("sameAsLegacy(%q, %q) = %v, want %v", tc.running, tc.want, got, tc.same)
		}
	}
	if (&serviceItem{hash: "new"}).sameAsLegacy("", "new") {
		t.Error("no legacy hash matched an empty one")
	}
}
