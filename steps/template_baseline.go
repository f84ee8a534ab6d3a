package steps

import (
	"encoding/json"

	"github.com/onboard-dev/onboard/internal/dotenv"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// The three-way merge of `merge: dotenv` needs, per key, the value onboard
// last wrote (template_keys.go). State written by an older onboard has no
// such per-key record, only the sha256 of the whole file it last wrote
// ("written", or "writing" for a write a killed run was about to make).
// A hash cannot be read back, but it can confirm a guess, and there are
// two good guesses at what onboard wrote:
//
//   - the template rendered with the answers remembered before this run
//     (what the last run rendered): when it hashes to the record, it is
//     exactly what onboard wrote, and every key of it is onboard's;
//   - the file as it is: when it hashes to the record, the user has not
//     touched it since, but onboard may have merged into a file of the
//     user's, so only the keys whose value is the last run's render are
//     onboard's; the others were the user's before onboard merged.
//
// When neither is confirmed, or nothing is recorded at all, onboard cannot
// tell its values from the user's: the keys that differ are kept as the
// user's, and the step says so, once, with how to take onboard's.

// baseline is the hash of the value onboard last wrote for each key of
// dest, and whether onboard knows what it wrote there at all.
func (it *templateStep) baseline(root *rootfs.Root, env *engine.Env, cur []byte) (map[string]string, bool) {
	if rec := env.Prior["keys"]; rec != "" {
		m := map[string]string{}
		_ = json.Unmarshal([]byte(rec), &m)
		return m, true
	}
	written, writing := env.Prior["written"], env.Prior["writing"]
	if written == "" && writing == "" {
		return map[string]string{}, false
	}
	wrote := func(b []byte) bool { s := sum(b); return s == written || s == writing }
	// A render that fails (an input new since the last run) is no guess.
	last, _, _, err := it.renderWith(root, env, it.deps.Remembered)
	if err != nil {
		return map[string]string{}, false
	}
	lastValues := dotenv.Values(last)
	out := map[string]string{}
	switch {
	case wrote(last):
		for k, v := range lastValues {
			out[k] = sum([]byte(v))
		}
	case cur != nil && wrote(cur):
		for k, v := range dotenv.Values(cur) {
			if w, ok := lastValues[k]; ok && w == v {
				out[k] = sum([]byte(v))
			}
		}
	default:
		return out, false
	}
	return out, true
}
