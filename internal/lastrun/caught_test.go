package lastrun

import (
	"strings"
	"testing"
	"time"
)

func rules(es []Earlier) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID+" "+e.Rule)
	}
	return out
}

func TestWouldHaveCaught(t *testing.T) {
	tests := []struct {
		name  string
		items []*Item
		hints []Hint
		want  []string
	}{
		{"step without a check",
			[]*Item{{ID: "step:migrate", Outcome: "failed", Detail: "exit status 1"}},
			[]Hint{{ID: "step:migrate", Runs: true}},
			[]string{"step:migrate step-without-check"}},
		{"a step with creates: has a check",
			[]*Item{{ID: "step:build", Outcome: "failed"}},
			[]Hint{{ID: "step:build", Runs: true, Creates: "out/app"}},
			nil},
		{"a template step checks itself",
			[]*Item{{ID: "step:env", Outcome: "failed"}},
			[]Hint{{ID: "step:env"}},
			nil},
		{"check always passes, even when the item is ok",
			[]*Item{{ID: "step:hooks", Outcome: "ok"}, {ID: "step:lint", Outcome: "ok"}, {ID: "step:fmt", Outcome: "ok"}},
			[]Hint{{ID: "step:hooks", Runs: true, Check: "true"}, {ID: "step:lint", Runs: true, Check: "golangci-lint run || true"}, {ID: "step:fmt", Runs: true, Check: "test -z \"$(gofmt -l .)\""}},
			[]string{"step:hooks check-always-passes", "step:lint check-always-passes"}},
		{"tool without a constraint, wrong version",
			[]*Item{{ID: "tool:node", Outcome: "failed", Detail: "probe failed: exit status 1"}},
			[]Hint{{ID: "tool:node"}},
			[]string{"tool:node tool-constraint"}},
		{"tool with a constraint",
			[]*Item{{ID: "tool:go", Outcome: "failed", Detail: "1.21 is installed (/usr/bin/go), but the checklist needs >= 1.22"}},
			[]Hint{{ID: "tool:go", Constraint: ">= 1.22"}},
			nil},
		{"program not in tools",
			[]*Item{{ID: "step:gen", Outcome: "failed", Output: []string{"sh: protoc: command not found"}}},
			[]Hint{{ID: "step:gen", Runs: true, Check: "test -f gen.pb.go"}},
			[]string{"step:gen tool-missing"}},
		{"program already in tools",
			[]*Item{{ID: "step:gen", Outcome: "failed", Output: []string{"protoc: command not found"}}},
			[]Hint{{ID: "step:gen", Runs: true, Check: "test -f gen.pb.go"}, {ID: "tool:protoc", Constraint: "~> 25.1"}},
			nil},
		{"timed out without expect",
			[]*Item{{ID: "step:deps", Outcome: "failed", Detail: "timed out after 10m0s", Duration: 10 * time.Minute}},
			[]Hint{{ID: "step:deps", Runs: true, Check: "go mod verify"}},
			[]string{"step:deps missing-expect"}},
		{"overdue on a learned budget",
			[]*Item{{ID: "service:db", Outcome: "ok", Overdue: true, Expect: 5 * time.Second, Duration: 9 * time.Second}},
			[]Hint{{ID: "service:db"}},
			[]string{"service:db missing-expect"}},
		{"expect already there",
			[]*Item{{ID: "step:deps", Outcome: "failed", Detail: "timed out", Duration: time.Minute}},
			[]Hint{{ID: "step:deps", Runs: true, Check: "go mod verify", Expect: 20 * time.Second}},
			nil},
		{"quick failure needs no expect",
			[]*Item{{ID: "step:deps", Outcome: "failed", Detail: "exit status 1", Duration: time.Second}},
			[]Hint{{ID: "step:deps", Runs: true, Check: "go mod verify"}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules(WouldHaveCaught(&Run{Items: tt.items, Hints: tt.hints}))
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAlwaysPasses(t *testing.T) {
	for check, want := range map[string]bool{
		"true": true, ":": true, "exit 0": true, "echo ok": true, "make lint || true": true,
		"test -f .env": false, "go mod verify": false, "true-ish-tool --check": false,
	} {
		if got := alwaysPasses(check); got != want {
			t.Errorf("alwaysPasses(%q) = %v, want %v", check, got, want)
		}
	}
}
