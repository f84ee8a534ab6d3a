package steps

import (
	"context"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// A manual item asks a person once and remembers the answer; it runs
// nothing (the fake expects nothing, so any process fails the test).
func TestManualItem(t *testing.T) {
	const vpn = `{id: vpn, manual: "Ask #eng-access for the VPN profile"}`
	for _, tc := range []struct {
		name    string
		steps   []string // the step in each converge
		answers []string // per converge: "yes", "no", "error", "" for no terminal
		out     []string // per converge; <time> is when it was confirmed
	}{{
		name:    "no terminal: waits for a person",
		steps:   []string{vpn},
		answers: []string{""},
		out:     []string{"pending: manual: Ask #eng-access for the VPN profile"},
	}, {
		name:    "confirmed once, never asked again",
		steps:   []string{vpn, vpn},
		answers: []string{"yes", "error"},
		out:     []string{"fixed: confirmed <time>", "ok: confirmed <time>"},
	}, {
		name:    "not done yet",
		steps:   []string{vpn, vpn},
		answers: []string{"no", "yes"},
		out:     []string{"pending: manual: Ask #eng-access for the VPN profile", "fixed: confirmed <time>"},
	}, {
		name:    "asked again when its text changes",
		steps:   []string{vpn, `{id: vpn, manual: "Ask #eng-access for the new VPN profile"}`},
		answers: []string{"yes", ""},
		out:     []string{"fixed: confirmed <time>", "pending: manual: Ask #eng-access for the new VPN profile"},
	}, {
		name:    "not for this OS",
		steps:   []string{`{id: vpn, manual: "Install the VPN app", when: {os: [plan9]}}`},
		answers: []string{"error"},
		out:     []string{"skipped: not for " + runtime.GOOS + "/" + runtime.GOARCH},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCheckout(t, "version: 1\nsteps:\n  - "+tc.steps[0]+"\n")
			deps := Deps{Runner: newFake(t, nil)}
			stamp := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
			for i, step := range tc.steps {
				c.list = parseList(t, "version: 1\nsteps:\n  - "+step+"\n")
				c.confirm = nil
				if answer := tc.answers[i]; answer != "" {
					c.confirm = func(_ context.Context, q string) (bool, error) {
						if !strings.Contains(q, "Do this, then confirm:") {
							t.Errorf("question %q", q)
						}
						if answer == "error" {
							t.Errorf("converge %d asked %q", i+1, q)
							return false, errors.New("not asked")
						}
						return answer == "yes", nil
					}
				}
				got := c.up(deps)["step:vpn"]
				if s := stamp.ReplaceAllString(got.String(), "<time>"); s != tc.out[i] {
					t.Errorf("converge %d: got %s, want %s", i+1, got, tc.out[i])
				}
			}
		})
	}
}
