//go:build unix

package steps

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/onboard-dev/onboard/internal/engine"
)

// A template never reads or writes inside the repository's git directory:
// a hook or a setting written there runs commands the next time anyone uses
// git, and .git/config may hold credentials. Every spelling of the path is
// refused, with --force too, and nothing under .git changes.
func TestTemplateRefusesGitDir(t *testing.T) {
	const inside = `: it is inside \.git, the repository's git directory, and onboard's templates never read or write there$`
	const through = `: it leads into \.git, the repository's git directory, through a symlink, and onboard's templates never read or write there$`
	tests := []struct {
		name, src, dest string
		setup           func(t *testing.T, root string)
		want            string
	}{
		{name: "hook", dest: ".git/hooks/post-checkout", want: `^check failed: cannot write \.git/hooks/post-checkout` + inside},
		{name: "config", dest: ".git/config", want: `cannot write \.git/config` + inside},
		{name: "the git dir itself", dest: ".git", want: `cannot write \.git` + inside},
		{name: "dot slash", dest: "./.git/hooks/x", want: `cannot write \./\.git/hooks/x` + inside},
		{name: "upper case", dest: ".GIT/hooks/post-merge", want: `cannot write \.GIT/hooks/post-merge` + inside},
		{name: "mixed case", dest: ".Git/config", want: inside},
		{name: "dotdot", dest: "a/../.git/hooks/x", want: `cannot write a/\.\./\.git/hooks/x` + inside},
		{name: "existing dir dotdot", dest: "conf/../.git/hooks/x", want: inside,
			setup: func(t *testing.T, root string) { mkdir(t, filepath.Join(root, "conf")) }},
		{name: "nested repository", dest: "vendor/lib/.git/config", want: inside},
		{name: "windows trailing dot", dest: ".git./hooks/x", want: inside},
		{name: "windows trailing space", dest: ".git /hooks/x", want: inside},
		{name: "windows short name", dest: "GIT~1/hooks/x", want: inside},
		{name: "src", src: ".git/config", dest: "copy", want: `^check failed: cannot read \.git/config` + inside},
		{name: "symlink to hooks", dest: "hooks/post-checkout", want: `cannot write hooks/post-checkout` + through,
			setup: func(t *testing.T, root string) { symlink(t, ".git/hooks", filepath.Join(root, "hooks")) }},
		{name: "symlink to the git dir", dest: "g/config", want: `cannot write g/config` + through,
			setup: func(t *testing.T, root string) { symlink(t, ".git", filepath.Join(root, "g")) }},
		{name: "symlink to config", dest: "cfg", want: `cannot write cfg` + through,
			setup: func(t *testing.T, root string) { symlink(t, ".git/config", filepath.Join(root, "cfg")) }},
		{name: "dangling symlink into hooks", dest: "hook", want: `cannot write hook` + through,
			setup: func(t *testing.T, root string) { symlink(t, ".git/hooks/pre-push", filepath.Join(root, "hook")) }},
		{name: "chain of symlinks", dest: "a/post-checkout", want: `cannot write a/post-checkout` + through,
			setup: func(t *testing.T, root string) {
				symlink(t, "b", filepath.Join(root, "a"))
				symlink(t, "sub/../c", filepath.Join(root, "b"))
				mkdir(t, filepath.Join(root, "sub"))
				symlink(t, ".git/hooks", filepath.Join(root, "c"))
			}},
		{name: "symlink in a subdirectory up to hooks", dest: "d/h/x", want: through,
			setup: func(t *testing.T, root string) {
				mkdir(t, filepath.Join(root, "d"))
				symlink(t, "../.git/hooks", filepath.Join(root, "d/h"))
			}},
		{name: "src through a symlink", src: "cfg", dest: "copy", want: `cannot read cfg` + through,
			setup: func(t *testing.T, root string) { symlink(t, ".git/config", filepath.Join(root, "cfg")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{
				"evil.tmpl":               "#!/bin/sh\ntouch pwned\n",
				".git/config":             "[core]\n\tbare = false\n",
				".git/hooks/pre-push.old": "",
			})
			if tt.setup != nil {
				tt.setup(t, h.root)
			}
			before := snapshot(t, filepath.Join(h.root, ".git"))
			src := tt.src
			if src == "" {
				src = "evil.tmpl"
			}
			for _, force := range []bool{false, true} {
				h.deps.Force = force
				outcome, detail := h.up(h.node(tmpl(src, tt.dest)))
				if outcome != engine.OutcomeFailed || !regexp.MustCompile(tt.want).MatchString(detail) {
					t.Fatalf("force=%v: %s: %q, want failed matching %q", force, outcome, detail, tt.want)
				}
			}
			if after := snapshot(t, filepath.Join(h.root, ".git")); !equalMaps(before, after) {
				t.Errorf(".git changed:\nbefore %v\nafter  %v", before, after)
			}
			for _, p := range []string{"copy", ".GIT", ".Git", "vendor", ".git.", ".git ", "GIT~1", "a/.git"} {
				if _, err := os.Lstat(filepath.Join(h.root, p)); err == nil {
					t.Errorf("%s was written", p)
				}
			}
		})
	}
}

// Paths that merely look like .git are ordinary files and stay writable.
func TestTemplateGitLookalikes(t *testing.T) {
	for _, dest := range []string{".gitignore", ".github/workflows/ci.yml", "git/config", ".gitx/config", "a.git/config", "docs/.git-blame-ignore-revs", ".githooks/pre-commit"} {
		t.Run(dest, func(t *testing.T) {
			h := newHarness(t, map[string]string{"t": "x\n", ".git/config": ""})
			if outcome, detail := h.up(h.node(tmpl("t", dest))); outcome != engine.OutcomeFixed {
				t.Fatalf("%s: %s", outcome, detail)
			}
			if got := h.read(dest); got != "x\n" {
				t.Errorf("wrote %q", got)
			}
		})
	}
}

// A symlink that stays outside .git, or that passes through it and comes
// back out, is no reason to refuse.
func TestTemplateSymlinkBesideGitDir(t *testing.T) {
	h := newHarness(t, map[string]string{"t": "x\n", ".git/config": "", "conf/keep": ""})
	symlink(t, "conf", filepath.Join(h.root, "c"))
	symlink(t, ".git/../conf", filepath.Join(h.root, "back"))
	for _, dest := range []string{"c/app.ini", "back/other.ini"} {
		if outcome, detail := h.up(h.node(tmpl("t", dest))); outcome != engine.OutcomeFixed {
			t.Fatalf("%s: %s: %s", dest, outcome, detail)
		}
	}
	if h.read("conf/app.ini") != "x\n" || h.read("conf/other.ini") != "x\n" {
		t.Error("not written through the links")
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps every path under dir to its mode and content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		v := info.Mode().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(b)
		}
		m[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
