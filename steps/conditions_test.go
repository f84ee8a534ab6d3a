package steps

import (
	"testing"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
)

func TestConditions(t *testing.T) {
	yes, no := true, false
	skip := config.String{Value: "needs a browser"}
	for _, tc := range []struct {
		name    string
		step    config.Step
		ci      bool
		environ []string
		runs    bool
		detail  string
	}{
		{name: "no conditions", runs: true},
		{name: "ci skip in CI", step: config.Step{CI: &config.CIPolicy{Skip: &skip}}, ci: true, detail: "ci: skip: needs a browser"},
		{name: "ci skip outside CI", step: config.Step{CI: &config.CIPolicy{Skip: &skip}}, runs: true},
		{name: "only in CI, in CI", step: config.Step{When: &config.When{CI: &yes}}, ci: true, runs: true},
		{name: "only in CI, outside", step: config.Step{When: &config.When{CI: &yes}}, detail: "only in CI (when: {ci: true})"},
		{name: "never in CI, in CI", step: config.Step{When: &config.When{CI: &no}}, ci: true, detail: "not in CI (when: {ci: false})"},
		{name: "env set", step: config.Step{When: &config.When{Env: []config.String{{Value: "TOKEN"}}}}, environ: []string{"TOKEN=x"}, runs: true},
		{name: "env unset", step: config.Step{When: &config.When{Env: []config.String{{Value: "TOKEN"}}}}, detail: "$TOKEN is not set (when: {env: TOKEN})"},
		{name: "env empty, last wins", step: config.Step{When: &config.When{Env: []config.String{{Value: "TOKEN"}}}}, environ: []string{"TOKEN=x", "TOKEN="}, detail: "$TOKEN is not set (when: {env: TOKEN})"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, ok := conditions(&tc.step, tc.ci, tc.environ)
			if ok != tc.runs {
				t.Fatalf("runs = %v, want %v (%+v)", ok, tc.runs, res)
			}
			if !ok && (res.Status != engine.Skipped || res.Detail != tc.detail) {
				t.Errorf("got %v %q, want skipped %q", res.Status, res.Detail, tc.detail)
			}
		})
	}
}
