package cli

import (
	"strconv"
	"strings"

	"github.com/onboard-dev/onboard/internal/inputs"
)

// Being in CI (verify, or CI=true) changes what `ci:` policies and
// `when: {ci: …}` decide, never trust; what CI answered is not this
// checkout's to remember.

// rememberable are the answers to keep for the next run: an answer CI's
// policy gave (`ci: {set: …}`) is CI's, not this checkout's, so what was
// remembered before stays (verify --in-place on a developer's checkout
// must not change the answers their next `onboard` takes). An answer an
// ONBOARD_INPUT_<NAME> variable gave is that run's: it does not replace one
// a person gave (`inputs --ask` warns that the variable wins while it is
// set, not that it erases the answer); with none remembered, it is kept.
func rememberable(answers map[string]inputs.Answer, remembered map[string]string) map[string]inputs.Answer {
	out := make(map[string]inputs.Answer, len(answers))
	for name, a := range answers {
		v, had := remembered[name]
		switch {
		case a.From == "ci" && !had:
			continue
		case a.From == "ci", a.From == "environment" && had:
			a.Value, a.From = v, "remembered"
		}
		out[name] = a
	}
	return out
}

// ciEnv reports whether environ says the run is in CI: CI=true, as
// GitHub Actions, GitLab CI and most others set it. It decides `ci:`
// policies and `when: {ci: …}`, never trust.
func ciEnv(environ []string) bool {
	v := ""
	for _, kv := range environ {
		if val, ok := strings.CutPrefix(kv, "CI="); ok {
			v = val
		}
	}
	b, err := strconv.ParseBool(v)
	return err == nil && b
}
