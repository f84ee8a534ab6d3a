package lastrun

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		item Item
		want Category
	}{
		{"port in the output", Item{ID: "service:api", Output: []string{"starting", "listen tcp :8080: bind: address already in use"}}, CausePort},
		{"docker port", Item{ID: "service:db", Detail: "Bind for 0.0.0.0:5432 failed: port is already allocated"}, CausePort},
		{"a script's own words", Item{ID: "step:migrate", Output: []string{"connecting with ****", "port 5432 already in use"}}, CausePort},
		{"ssh auth before permission", Item{ID: "repo", Output: []string{"git@host: Permission denied (publickey)."}}, CauseNetwork},
		{"dns", Item{ID: "step:deps", Output: []string{"dial tcp: lookup proxy.golang.org: no such host"}}, CauseNetwork},
		{"http auth", Item{ID: "step:deps", Output: []string{"fatal: Authentication failed for 'https://x/'"}}, CauseNetwork},
		{"permission", Item{ID: "step:env", Detail: "cannot write .env: permission denied"}, CausePermission},
		{"read-only fs", Item{ID: "step:env", Output: []string{"touch: cannot touch 'x': Read-only file system"}}, CausePermission},
		{"did not fix wins over its output", Item{ID: "step:hooks", Detail: "the fix did not fix: it ran without error, but the check still says \"permission denied\""}, CauseNoFix},
		{"program missing", Item{ID: "step:gen", Output: []string{"protoc: command not found"}}, CauseTool},
		{"exec lookup", Item{ID: "step:gen", Detail: `exec: "protoc": executable file not found in $PATH`}, CauseTool},
		{"tool wrong version", Item{ID: "tool:go", Detail: "1.21.0 is installed (/usr/bin/go), but the checklist needs >= 1.22"}, CauseTool},
		{"tool item, no clue", Item{ID: "tool:node", Detail: "not found on PATH"}, CauseTool},
		{"nothing recognisable", Item{ID: "step:build", Detail: "make: exit status 2", Output: []string{"make: *** [all] Error 2"}}, CauseChecklist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(&tt.item)
			if got.Category != tt.want {
				t.Errorf("Classify(%+v) = %q (%s), want %q", tt.item, got.Category, got.Evidence, tt.want)
			}
			if got.Evidence == "" {
				t.Errorf("Classify(%+v): no evidence", tt.item)
			}
		})
	}
}

// The evidence is the line that decided, the output's last one first.
func TestClassifyEvidence(t *testing.T) {
	it := &Item{ID: "service:api", Detail: "exit status 1", Output: []string{"a: address already in use (first)", "b: address already in use (last)"}}
	if got := Classify(it).Evidence; got != "b: address already in use (last)" {
		t.Errorf("evidence = %q", got)
	}
}

func TestClassifyProblems(t *testing.T) {
	if got := ClassifyProblems([]string{"disk: 1 GiB free, needs 2 GiB", "port 5433 (service:postgres) is already in use by postgres (pid 12)"}); got.Category != CausePort {
		t.Errorf("got %q, want %q", got.Category, CausePort)
	}
	if got := ClassifyProblems([]string{"env: FOO is not set"}); got.Category != CauseChecklist || got.Evidence != "env: FOO is not set" {
		t.Errorf("got %+v", got)
	}
}
