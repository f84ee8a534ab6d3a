//go:build unix

package rootfs

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLocal(t *testing.T) {
	for name, want := range map[string]string{
		".env":            "",
		"conf/app.ini":    "",
		"./a/../b":        "",
		"a/..":            "",
		"..":              ".. leaves the repository; onboard reads and writes only inside it",
		"../x":            "../x leaves the repository; onboard reads and writes only inside it",
		"a/../../x":       "a/../../x leaves the repository; onboard reads and writes only inside it",
		"/etc/passwd":     "/etc/passwd is an absolute path; onboard reads and writes only inside the repository",
		"":                " leaves the repository; onboard reads and writes only inside it",
		"conf/../../.env": "conf/../../.env leaves the repository; onboard reads and writes only inside it",
	} {
		err := Local(name)
		if (err == nil) != (want == "") || (err != nil && err.Error() != want) {
			t.Errorf("Local(%q) = %v, want %q", name, err, want)
		}
	}
}

// Guard refuses every spelling of a path into .git, and every symlink the
// checkout holds that leads there, for reads and writes alike; paths that
// only look like .git stay usable.
func TestGuard(t *testing.T) {
	const inside = ": it is inside .git, the repository's git directory, and onboard's templates never read or write there"
	const through = ": it leads into .git, the repository's git directory, through a symlink, and onboard's templates never read or write there"
	dir, r := checkout(t, map[string]string{".git/config": "", ".git/hooks/pre-push.sample": "", "conf/keep": ""})
	mkdir(t, filepath.Join(dir, "sub"))
	mkdir(t, filepath.Join(dir, "d"))
	for link, target := range map[string]string{
		"hooks": ".git/hooks",
		"g":     ".git",
		"cfg":   ".git/config",
		"hook":  ".git/hooks/pre-push", // dangling: pre-push does not exist yet
		"a":     "b",                   // a → b → sub/../c → .git/hooks
		"b":     "sub/../c",
		"c":     ".git/hooks",
		"d/h":   "../.git/hooks",
		"cf":    "conf",
		"back":  ".git/../conf",          // through .git and out again
		"lib":   "vendor/lib/.git/hooks", // a nested repository's
	} {
		symlink(t, target, filepath.Join(dir, link))
	}

	for name, want := range map[string]string{
		".git":                   inside,
		".git/config":            inside,
		".git/hooks/post-merge":  inside,
		"./.git/hooks/x":         inside,
		".GIT/hooks/post-merge":  inside,
		".Git/config":            inside,
		"a/../.git/hooks/x":      inside,
		"conf/../.git/hooks/x":   inside,
		"vendor/lib/.git/config": inside,
		".git./hooks/x":          inside,
		".git /hooks/x":          inside,
		"GIT~1/hooks/x":          inside,
		"hooks/post-checkout":    through,
		"g/config":               through,
		"cfg":                    through,
		"hook":                   through,
		"a/post-checkout":        through,
		"d/h/x":                  through,
		"lib/post-commit":        through,
		".gitignore":             "",
		".github/workflows/ci":   "",
		"git/config":             "",
		".gitx/config":           "",
		"a.git/config":           "",
		".githooks/pre-commit":   "",
		"docs/.git-blame-ignore": "",
		"cf/app.ini":             "",
		"back/other.ini":         "",
	} {
		for _, what := range []string{"cannot read", "cannot write"} {
			err := r.Guard(name, what)
			if want == "" {
				if err != nil {
					t.Errorf("Guard(%q): %v", name, err)
				}
				continue
			}
			if err == nil || err.Error() != what+" "+name+want {
				t.Errorf("Guard(%q, %q) = %v, want %q", name, what, err, what+" "+name+want)
			}
		}
	}
	// Guard also refuses what Local refuses, before looking at the disk.
	if err := r.Guard("../x", "cannot write"); err == nil || !strings.Contains(err.Error(), "leaves the repository") {
		t.Errorf("../x: %v", err)
	}
}

func TestGitName(t *testing.T) {
	for p, want := range map[string]bool{
		".git": true, ".git/hooks/x": true, "a/.git/b": true, ".GIT": true, ".gIt/config": true,
		".git.": true, ".git . .": true, "git~1/x": true, "GIT~1": true,
		".gitignore": false, ".github": false, "git": false, "a.git": false, "git~2": false, "": false, ".": false,
	} {
		if got := gitName(p); got != want {
			t.Errorf("gitName(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	mkdir(t, filepath.Join(dir, "real/sub"))
	symlink(t, "real", filepath.Join(dir, "l"))
	symlink(t, "../real/sub", filepath.Join(dir, "real/up"))
	symlink(t, "loop", filepath.Join(dir, "loop"))
	symlink(t, "..", filepath.Join(dir, "out"))
	symlink(t, "/etc", filepath.Join(dir, "abs"))
	root, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, tt := range []struct {
		p, want string
		ok      bool
	}{
		{"l/x", "real/x", true},
		{"l/up/y", "real/sub/y", true},
		{"l/../z", "z", true}, // l is real: its .. is the root
		{"missing/../a", "a", true},
		{"loop/x", "", false},
		{"out/x", "", false},
		{"abs/passwd", "", false},
		{"..", "", false},
	} {
		got, ok := root.resolve(tt.p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("resolve(%q) = %q, %v; want %q, %v", tt.p, got, ok, tt.want, tt.ok)
		}
	}
}
