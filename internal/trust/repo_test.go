package trust

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// gitCmd runs the real git in dir, as a person would have.
func gitCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
		"-c", "protocol.file.allow=always", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func listed(t *testing.T, root, checklist string) *repoFiles {
	t.Helper()
	r, err := listRepo(root, checklist)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// In a git checkout the files are git's index: what is tracked (staged or
// committed), not what is merely on disk, nor what .onboard holds.
func TestListRepoReadsTheIndex(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "onboard.yaml", "x", 0o644)
	writeFile(t, root, "committed.sh", "x", 0o644)
	writeFile(t, root, "staged/file.txt", "x", 0o644)
	writeFile(t, root, "untracked.sh", "x", 0o755)
	writeFile(t, root, ".onboard/state.json", "{}", 0o644)
	gitCmd(t, root, "init", "-q")
	gitCmd(t, root, "add", "onboard.yaml", "committed.sh")
	gitCmd(t, root, "commit", "-q", "-m", "c")
	gitCmd(t, root, "add", "staged/file.txt")
	r := listed(t, root, "onboard.yaml")
	if want := []string{"committed.sh", "onboard.yaml", "staged/file.txt"}; !r.git || !slices.Equal(r.files, want) {
		t.Errorf("files %q (git %v), want %q from the index", r.files, r.git, want)
	}
	// A deleted tracked file is still the repository's: absent, it is
	// hashed as absent.
	if err := os.Remove(filepath.Join(root, "committed.sh")); err != nil {
		t.Fatal(err)
	}
	if r := listed(t, root, "onboard.yaml"); !slices.Contains(r.files, "committed.sh") {
		t.Errorf("a deleted tracked file left the list: %q", r.files)
	}
}

// A checklist in a subdirectory of the checkout sees the files under it,
// relative to it; a worktree's .git file and a submodule's are followed.
func TestListRepoSubdirWorktreeSubmodule(t *testing.T) {
	top := t.TempDir()
	main := filepath.Join(top, "main")
	writeFile(t, main, "app/onboard.yaml", "x", 0o644)
	writeFile(t, main, "app/tools/gen.sh", "x", 0o644)
	writeFile(t, main, "other/x.sh", "x", 0o644)
	gitCmd(t, main, "init", "-q")
	gitCmd(t, main, "add", "-A")
	gitCmd(t, main, "commit", "-q", "-m", "c")

	r := listed(t, filepath.Join(main, "app"), "onboard.yaml")
	if want := []string{"onboard.yaml", "tools/gen.sh"}; !slices.Equal(r.files, want) {
		t.Errorf("subdirectory: %q, want %q", r.files, want)
	}

	// A linked worktree: .git is a file that points into main's .git.
	wt := filepath.Join(top, "wt")
	gitCmd(t, main, "worktree", "add", "-q", "-b", "other", wt)
	writeFile(t, wt, "app/new.sh", "x", 0o644)
	gitCmd(t, wt, "add", "app/new.sh")
	r = listed(t, filepath.Join(wt, "app"), "onboard.yaml")
	if want := []string{"new.sh", "onboard.yaml", "tools/gen.sh"}; !r.git || !slices.Equal(r.files, want) {
		t.Errorf("worktree: %q (git %v), want %q", r.files, r.git, want)
	}

	// A submodule's files are in its own index.
	sub := filepath.Join(top, "sub")
	writeFile(t, sub, "lib/setup.sh", "x", 0o644)
	gitCmd(t, sub, "init", "-q")
	gitCmd(t, sub, "add", "-A")
	gitCmd(t, sub, "commit", "-q", "-m", "c")
	gitCmd(t, main, "submodule", "add", "-q", sub, "app/vendor/sub")
	r = listed(t, filepath.Join(main, "app"), "onboard.yaml")
	if !slices.Contains(r.files, "vendor/sub/lib/setup.sh") {
		t.Errorf("submodule's files missing: %q", r.files)
	}
}

// A checklist git does not track belongs to no git checkout onboard can
// rely on (a home directory kept in git, a new checklist not added yet):
// the files are walked. So is a checkout whose index go-git cannot read.
func TestListRepoWalksWhenTheIndexIsNotTheChecklists(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "onboard.yaml", "x", 0o644)
	writeFile(t, root, "a.sh", "x", 0o644)
	gitCmd(t, root, "init", "-q")
	gitCmd(t, root, "add", "a.sh")
	if r := listed(t, root, "onboard.yaml"); r.git || !slices.Equal(r.files, []string{"a.sh", "onboard.yaml"}) {
		t.Errorf("untracked checklist: %q (git %v), want a walk", r.files, r.git)
	}
	gitCmd(t, root, "add", "onboard.yaml")
	if r := listed(t, root, "onboard.yaml"); !r.git {
		t.Error("tracked checklist: not read from the index")
	}
	writeFile(t, root, ".git/index", "DIRC garbage", 0o644)
	if r := listed(t, root, "onboard.yaml"); r.git || len(r.files) != 2 {
		t.Errorf("unreadable index: %q (git %v), want a walk", r.files, r.git)
	}
}

// The walk skips .git, .onboard and node_modules, at any depth, and knows
// symbolic links.
func TestWalkFiles(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"a.sh", "d/b.txt", ".git/config", ".onboard/x", "node_modules/m/i.js", "d/node_modules/n.js", "d/.git/HEAD"} {
		writeFile(t, root, p, "x", 0o644)
	}
	if err := os.Symlink("a.sh", filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := walkFiles(root, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"a.sh": false, "d/b.txt": false, "link": true}
	if len(got) != len(want) {
		t.Errorf("walk: %v, want %v", got, want)
	}
	for p, link := range want {
		if m, ok := got[p]; !ok || (m&os.ModeSymlink != 0) != link {
			t.Errorf("walk: %s is %v/%v, want listed, link %v", p, ok, m, link)
		}
	}
}

// A name means every file whose path ends with it; an absolute name in
// the root, that file; a glob, what it matches from any directory.
func TestRepoFilesNamed(t *testing.T) {
	root := t.TempDir()
	r := &repoFiles{set: map[string]bool{}, byBase: map[string][]string{}, links: map[string]bool{}, exec: map[string]bool{}, roots: []string{root}}
	for _, f := range []string{"gen.sh", "tools/gen.sh", "tools/x/gen.sh", "agen.sh", "tools/data.txt", "b/c.txt"} {
		r.add(f, false, false)
	}
	slices.Sort(r.files)
	names := func(fn func(add func(string))) []string {
		var out []string
		fn(func(p string) { out = append(out, p) })
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"gen.sh", []string{"gen.sh", "tools/gen.sh", "tools/x/gen.sh"}},
		{"./tools/gen.sh", []string{"tools/gen.sh"}},
		{"../../x/gen.sh", []string{"tools/x/gen.sh"}},
		{filepath.Join(root, "tools", "gen.sh"), []string{"tools/gen.sh"}},
		{"/elsewhere/repo/b/c.txt", []string{"b/c.txt"}},
		{"~/repo/tools/data.txt", []string{"tools/data.txt"}},
		{"..", nil},
		{".", nil},
		{"tools", nil},
	} {
		if got := names(func(add func(string)) { r.named(tc.name, add) }); !slices.Equal(got, tc.want) {
			t.Errorf("named(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := names(func(add func(string)) { r.matching("x/*.sh", add) }); !slices.Equal(got, []string{"tools/x/gen.sh"}) {
		t.Errorf("matching x/*.sh = %q", got)
	}
	if got := names(func(add func(string)) { r.matching("*.txt", add) }); !slices.Equal(got, []string{"b/c.txt", "tools/data.txt"}) {
		t.Errorf("matching *.txt = %q", got)
	}
}

// A script: by name or extension, executable (git's mode in git, the
// file's outside), or, without an extension, starting with #!.
func TestScript(t *testing.T) {
	files := map[string]string{
		"onboard.yaml": "x", "shebang": "#!/usr/bin/env python3\n", "plain": "text", "one": "#",
		"notes.txt": "#!/bin/sh\n", ".envrc": "#!/bin/sh\n", "a/Makefile": "all:\n", "x.SH": "x",
		"Taskfile.yml": "x", "package.json": "{}", "x.go": "package x", "exec.bin": "\x7fELF",
	}
	root := gitRepo(t, files)
	// git's mode says executable; the file on disk does not matter.
	gitCmd(t, root, "update-index", "--chmod=+x", "exec.bin")
	writeFile(t, root, "plain", "text", 0o755)
	check := func(r *repoFiles, want map[string]bool) {
		t.Helper()
		or, err := os.OpenRoot(root)
		if err != nil {
			t.Fatal(err)
		}
		defer or.Close()
		dirs := newDirRoots(or)
		defer dirs.Close()
		for name, w := range want {
			if got := r.script(dirs, name); got != w {
				t.Errorf("git %v: script(%s) = %v, want %v", r.git, name, got, w)
			}
		}
	}
	want := map[string]bool{"shebang": true, "plain": false, "one": false, "notes.txt": false, ".envrc": true,
		"a/Makefile": true, "x.SH": true, "Taskfile.yml": true, "package.json": true, "x.go": false,
		"exec.bin": true, "absent": false}
	check(listed(t, root, "onboard.yaml"), want)
	// Outside git the file's own mode decides.
	if err := os.RemoveAll(filepath.Join(root, ".git")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "exec.bin"), 0o644); err != nil {
		t.Fatal(err)
	}
	want["plain"], want["exec.bin"] = true, false
	check(listed(t, root, "onboard.yaml"), want)
}

// In a git checkout that does not track the checklist (not committed
// yet), files git ignores are not the repository's: a build's output
// there never asks for trust again.
func TestListRepoWalkSkipsIgnored(t *testing.T) {
	root := t.TempDir()
	gitCmd(t, root, "init", "-q")
	writeFile(t, root, "onboard.yaml", "x", 0o644)
	writeFile(t, root, ".gitignore", "/app\nbuild/\n", 0o644)
	writeFile(t, root, "app", "#!/bin/sh\n", 0o755)
	writeFile(t, root, "build/out.sh", "x", 0o755)
	writeFile(t, root, "tools/gen.sh", "x", 0o755)
	r := listed(t, root, "onboard.yaml")
	if r.git || r.set["app"] || r.set["build/out.sh"] || !r.set["tools/gen.sh"] {
		t.Errorf("files %q: want tools/gen.sh and not app or build/out.sh (walked)", r.files)
	}
}
