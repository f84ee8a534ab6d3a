package cli

import (
	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/report"
)

// shortcuts are what verify does not test as a person runs it: steps
// `ci: {skip: …}` leaves out, inputs `ci: {set: …}` answers, steps that
// `when: {ci: …}` keeps out of CI or runs only there, and items --skip
// leaves out. Every report lists them, so nobody takes a skipped step for
// a tested one.
func shortcuts(f *config.File, skip []string) []report.Shortcut {
	out := []report.Shortcut{}
	for _, in := range f.Inputs {
		if in.CI != nil && in.CI.Set != nil {
			sc := report.Shortcut{ID: engine.InputID(in.Name).String(), Line: in.CI.Pos.Line, Policy: "ci: set", Reason: in.CI.Reason.Value}
			if in.Secret {
				sc.Policy = "ci: set (a fixed secret)"
			}
			out = append(out, sc)
		}
	}
	for _, s := range f.Steps {
		id := engine.StepID(s.ID.Value).String()
		if s.CI != nil && s.CI.Skip != nil {
			out = append(out, report.Shortcut{ID: id, Line: s.CI.Pos.Line, Policy: "ci: skip", Reason: s.CI.Skip.Value})
		}
		if s.When != nil && s.When.CI != nil {
			policy, why := "when: {ci: false}", "never runs in CI"
			if *s.When.CI {
				policy, why = "when: {ci: true}", "runs only in CI"
			}
			out = append(out, report.Shortcut{ID: id, Line: s.When.Pos.Line, Policy: policy, Reason: why})
		}
	}
	for _, id := range canonical(skip) {
		out = append(out, report.Shortcut{ID: id.String(), Policy: "--skip", Reason: "left out on the command line"})
	}
	return out
}

// shortcutText is a shortcut as one line: its policy and its reason.
func shortcutText(sc report.Shortcut) string {
	if sc.Reason == "" {
		return sc.Policy
	}
	return sc.Policy + ": " + sc.Reason
}
