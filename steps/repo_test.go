package steps

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/engine"
)

// The repo item against real checkouts (read with go-git, as onboard
// reads them) and a faked system git: origin, a different origin, a
// checkout that is not one, and submodules to check out.
func TestRepoItem(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: it makes the test checkouts")
	}
	const list = `version: 1
repo:
  url: https://example.com/acme/api.git
  submodules: true
`
	update := "git -c protocol.ext.allow=never submodule update --init --recursive"
	for _, tt := range []struct {
		name    string
		origin  string // "": not a git checkout
		sub     bool   // a submodule not checked out
		git     []expect
		outcome string
		detail  string
	}{
		{name: "not a checkout", outcome: engine.OutcomeOK, detail: "not a git checkout: origin not checked"},
		{name: "same origin", origin: "https://example.com/acme/api.git", outcome: engine.OutcomeOK, detail: "origin https://example.com/acme/api.git"},
		{name: "same origin, .git suffix aside", origin: "https://example.com/acme/api", outcome: engine.OutcomeOK, detail: "origin https://example.com/acme/api"},
		{name: "another origin is left as it is", origin: "https://example.com/fork/api.git", outcome: engine.OutcomeFailed,
			detail: "origin is https://example.com/fork/api.git, but the checklist's repo.url is https://example.com/acme/api.git (left as it is)"},
		{name: "submodule update fails", origin: "https://example.com/acme/api.git", sub: true,
			git:     []expect{{update, exit(128, "fatal: repository 'https://example.com/acme/lib.git/' not found\n")}},
			outcome: engine.OutcomeFailed, detail: "git submodule update: fatal: repository 'https://example.com/acme/lib.git/' not found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newCheckout(t, list)
			if tt.origin != "" {
				gitInit(t, c.root, tt.origin, tt.sub)
			}
			fake := newFake(t, tt.git)
			got := c.up(Deps{Runner: fake, Git: GitDeps{Transport: "system"}})["repo"]
			if got.Outcome != tt.outcome || !strings.Contains(got.Detail, tt.detail) {
				t.Errorf("up = %v; want %s: …%s…", got, tt.outcome, tt.detail)
			}
			for _, r := range fake.Ran() {
				if r.Dir != c.root {
					t.Errorf("git ran in %q, want the checkout %q", r.Dir, c.root)
				}
				if _, ok := envValue(r.Env, "GIT_DIR"); ok {
					t.Errorf("git ran with GIT_DIR from the environment")
				}
			}
		})
	}
}

// gitInit makes dir a git checkout with origin, one commit, and with sub a
// submodule lib (https://example.com/acme/lib.git) recorded but not
// checked out.
func gitInit(t *testing.T, dir, origin string, sub bool) {
	t.Helper()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=a@b", "-c", "user.name=a"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("remote", "add", "origin", origin)
	if err := os.WriteFile(filepath.Join(dir, "onboard.yaml"), []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "onboard.yaml")
	if sub {
		mods := "[submodule \"lib\"]\n\tpath = lib\n\turl = https://example.com/acme/lib.git\n"
		if err := os.WriteFile(filepath.Join(dir, ".gitmodules"), []byte(mods), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", ".gitmodules")
		git("update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,lib")
	}
	git("commit", "-q", "-m", "init")
	// The checkout's own files are committed: the tree is clean, and
	// onboard's state directory is excluded from git by onboard itself.
}
