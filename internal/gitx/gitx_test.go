package gitx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// fixture is the test repository, served as <root>/acme/api.git:
// main: c1 (tag v1.0, annotated) → c2 → c3; branch feature from c2 adds feature.txt.
var fixture struct {
	root    string // GIT_PROJECT_ROOT
	tagHash string // commit the tag v1.0 points to
	mainRev string
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "gitx tests need git (git http-backend) in CI:", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "SKIP gitx tests: git is not installed:", err)
		return 0
	}
	tmp, err := os.MkdirTemp("", "gitx-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	// Isolate git from the user's and the system's configuration.
	home := filepath.Join(tmp, "home")
	_ = os.Mkdir(home, 0o755)
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(home, ".gitconfig"),
		"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
		"GIT_TERMINAL_PROMPT": "0",
	} {
		os.Setenv(k, v)
	}
	if err := makeFixture(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "fixture:", err)
		return 1
	}
	return m.Run()
}

func gitCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func makeFixture(tmp string) error {
	work := filepath.Join(tmp, "work")
	fixture.root = filepath.Join(tmp, "srv")
	steps := [][]string{
		{"init", "-q", "-b", "main", work},
	}
	for _, s := range steps {
		if _, err := gitCmd(tmp, s...); err != nil {
			return err
		}
	}
	commit := func(file, content, msg string) error {
		if err := os.WriteFile(filepath.Join(work, file), []byte(content), 0o644); err != nil {
			return err
		}
		if _, err := gitCmd(work, "add", file); err != nil {
			return err
		}
		_, err := gitCmd(work, "commit", "-q", "-m", msg)
		return err
	}
	if err := commit("README", "v1\n", "c1"); err != nil {
		return err
	}
	if _, err := gitCmd(work, "tag", "-a", "-m", "release", "v1.0"); err != nil {
		return err
	}
	if err := commit("README", "v2\n", "c2"); err != nil {
		return err
	}
	if _, err := gitCmd(work, "checkout", "-q", "-b", "feature"); err != nil {
		return err
	}
	if err := commit("feature.txt", "feature\n", "f1"); err != nil {
		return err
	}
	if _, err := gitCmd(work, "checkout", "-q", "main"); err != nil {
		return err
	}
	if err := commit("README", "v3\n", "c3"); err != nil {
		return err
	}
	var err error
	if fixture.tagHash, err = gitCmd(work, "rev-parse", "v1.0^{commit}"); err != nil {
		return err
	}
	if fixture.mainRev, err = gitCmd(work, "rev-parse", "main"); err != nil {
		return err
	}
	bare := filepath.Join(fixture.root, "acme", "api.git")
	if err := os.MkdirAll(filepath.Dir(bare), 0o755); err != nil {
		return err
	}
	_, err = gitCmd(tmp, "clone", "-q", "--bare", work, bare)
	return err
}

var transports = []string{TransportGo, TransportSystem}

// assertClean checks that no temp sibling of target is left in its parent.
func assertNoTemps(t *testing.T, target string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(target), tempPrefix(target)+"*"))
	if len(matches) > 0 {
		t.Errorf("temp dirs left: %v", matches)
	}
}

func assertAbsent(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after a failed clone (err=%v)", path, err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func headOf(t *testing.T, dir string) *plumbing.Reference {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestCloneSuccess(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	url := srv.URL + "/acme/api.git"
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name   string
				opts   Options
				readme string
				check  func(t *testing.T, dir string)
			}{
				{name: "full", readme: "v3\n", check: func(t *testing.T, dir string) {
					if h := headOf(t, dir); h.Name() != "refs/heads/main" || h.Hash().String() != fixture.mainRev {
						t.Errorf("HEAD = %v", h)
					}
					r, _ := git.PlainOpen(dir)
					if _, err := r.Tag("v1.0"); err != nil {
						t.Errorf("tag v1.0 not fetched: %v", err)
					}
					if _, err := os.Stat(filepath.Join(dir, ".git", "shallow")); err == nil {
						t.Error("full clone is shallow")
					}
				}},
				{name: "branch", opts: Options{Branch: "feature"}, readme: "v2\n", check: func(t *testing.T, dir string) {
					if h := headOf(t, dir); h.Name() != "refs/heads/feature" {
						t.Errorf("HEAD = %v, want refs/heads/feature", h.Name())
					}
					if got := readFile(t, filepath.Join(dir, "feature.txt")); got != "feature\n" {
						t.Errorf("feature.txt = %q", got)
					}
				}},
				{name: "tag", opts: Options{Branch: "v1.0"}, readme: "v1\n", check: func(t *testing.T, dir string) {
					if h := headOf(t, dir); h.Hash().String() != fixture.tagHash {
						t.Errorf("HEAD = %v, want %s", h, fixture.tagHash)
					}
				}},
				{name: "depth1", opts: Options{Depth: 1}, readme: "v3\n", check: func(t *testing.T, dir string) {
					sh := strings.Fields(readFile(t, filepath.Join(dir, ".git", "shallow")))
					if len(sh) != 1 || sh[0] != fixture.mainRev {
						t.Errorf(".git/shallow = %v, want [%s]", sh, fixture.mainRev)
					}
				}},
				{name: "depth1-branch", opts: Options{Depth: 1, Branch: "feature"}, readme: "v2\n"},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					parent := t.TempDir()
					dir := filepath.Join(parent, "src", "api")
					var progress bytes.Buffer
					opts := tc.opts
					opts.URL, opts.Dir, opts.Transport, opts.Progress = url, dir, tr, &progress
					if err := Clone(context.Background(), opts); err != nil {
						t.Fatalf("Clone: %v", err)
					}
					if got := readFile(t, filepath.Join(dir, "README")); got != tc.readme {
						t.Errorf("README = %q, want %q", got, tc.readme)
					}
					origin, err := Origin(dir)
					if err != nil || origin != url {
						t.Errorf("Origin = %q, %v; want %q", origin, err, url)
					}
					if dirty, err := Dirty(dir); err != nil || dirty {
						t.Errorf("Dirty = %v, %v after a fresh clone", dirty, err)
					}
					if progress.Len() == 0 {
						t.Error("no progress output")
					}
					if tc.check != nil {
						tc.check(t, dir)
					}
					assertNoTemps(t, dir)
				})
			}
		})
	}
}

func TestCloneIntoEmptyDir(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir() // exists, empty
			if err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: dir, Transport: tr}); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, filepath.Join(dir, "README")); got != "v3\n" {
				t.Errorf("README = %q", got)
			}
		})
	}
}

func TestCloneFailures(t *testing.T) {
	const token = "tok-s3cret-9f2c"
	open := newGitServer(t, fixture.root, "")
	locked := newGitServer(t, fixture.root, token)
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name string
				opts Options
				want error
			}{
				{"missing repo", Options{URL: open.URL + "/acme/nope.git"}, ErrNotFound},
				{"missing branch", Options{URL: open.URL + "/acme/api.git", Branch: "nope"}, ErrRefNotFound},
				{"wrong token", Options{URL: locked.URL + "/acme/api.git", Token: "wrong-" + token}, ErrAuth},
				{"no token", Options{URL: locked.URL + "/acme/api.git"}, ErrAuth},
				{"missing repo with token", Options{URL: locked.URL + "/acme/nope.git", Token: token}, ErrNotFound},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					dir := filepath.Join(t.TempDir(), "api")
					opts := tc.opts
					opts.Dir, opts.Transport = dir, tr
					err := Clone(context.Background(), opts)
					if !errors.Is(err, tc.want) {
						t.Fatalf("err = %v, want %v", err, tc.want)
					}
					if strings.Contains(err.Error(), token) {
						t.Errorf("error shows the token: %v", err)
					}
					t.Logf("error: %v", err)
					assertAbsent(t, dir)
					assertNoTemps(t, dir)
				})
			}
		})
	}
}

func TestCloneToken(t *testing.T) {
	const token = "tok-s3cret-77aa"
	srv := newGitServer(t, fixture.root, token)
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "api")
			var progress bytes.Buffer
			err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: dir, Transport: tr, Token: token, Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(progress.String(), token) {
				t.Error("progress output shows the token")
			}
			// The token must not be stored anywhere in the checkout.
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if bytes.Contains(b, []byte(token)) {
					t.Errorf("token written into %s", p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCloneTargetChecks(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	url := srv.URL + "/acme/api.git"
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			t.Run("non-empty target", func(t *testing.T) {
				dir := t.TempDir()
				keep := filepath.Join(dir, "notes.txt")
				if err := os.WriteFile(keep, []byte("mine"), 0o600); err != nil {
					t.Fatal(err)
				}
				before := srv.requests.Load()
				err := Clone(context.Background(), Options{URL: url, Dir: dir, Transport: tr})
				if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "is not empty and is not a git checkout; choose another --dir or empty it") {
					t.Fatalf("err = %v", err)
				}
				if got := readFile(t, keep); got != "mine" {
					t.Errorf("notes.txt = %q", got)
				}
				entries, _ := os.ReadDir(dir)
				if len(entries) != 1 {
					t.Errorf("target now holds %d entries", len(entries))
				}
				if srv.requests.Load() != before {
					t.Error("the server was contacted")
				}
				assertNoTemps(t, dir)
			})
			t.Run("target is a file", func(t *testing.T) {
				f := filepath.Join(t.TempDir(), "api")
				if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := Clone(context.Background(), Options{URL: url, Dir: f, Transport: tr}); !errors.Is(err, ErrNotEmpty) {
					t.Fatalf("err = %v", err)
				}
			})
			t.Run("existing checkout", func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: url, Dir: dir, Transport: tr}); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "README"), []byte("local work\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				err := Clone(context.Background(), Options{URL: url, Dir: dir, Transport: tr})
				var ee *ExistsError
				if !errors.As(err, &ee) || ee.Dir != dir {
					t.Fatalf("err = %v, want *ExistsError for %s", err, dir)
				}
				if got := readFile(t, filepath.Join(dir, "README")); got != "local work\n" {
					t.Errorf("existing checkout was touched: README = %q", got)
				}
			})
		})
	}
}

func TestCloneRejectsInjection(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	good := srv.URL + "/acme/api.git"
	pwned := filepath.Join(t.TempDir(), "pwned")
	tests := []struct{ url, branch, token string }{
		{url: "--upload-pack=touch " + pwned},
		{url: "-u touch " + pwned},
		{url: "ssh://-oProxyCommand=touch%20" + pwned + "/x"},
		{url: "-oProxyCommand=touch " + pwned + ":x"},
		{url: "ext::sh -c touch% " + pwned},
		{url: "fd::17"},
		{url: good + " --upload-pack=touch " + pwned},
		{url: good + "\n"},
		{url: "ftp://example.com/x.git"},
		{url: "https:///nohost"},
		{url: ""},
		{url: good, branch: "--upload-pack=touch " + pwned},
		{url: good, branch: "-b"},
		{url: good, branch: "refs/heads/../../config"},
		{url: good, branch: "../../config"},
		{url: good, branch: "a..b"},
		{url: good, branch: "main.lock"},
		{url: good, branch: ".hidden"},
		{url: good, branch: "a b"},
		{url: good, branch: "x\x00y"},
		{url: good, branch: "new\nline"},
		{url: good, branch: "@{-1}"},
		{url: good, branch: "main/"},
		{url: good, branch: "a:b"},
		{url: good, token: "tok\r\nX-Evil: 1"},
	}
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			for _, tc := range tests {
				parent := t.TempDir()
				dir := filepath.Join(parent, "sub", "api")
				before := srv.requests.Load()
				err := Clone(context.Background(), Options{URL: tc.url, Branch: tc.branch, Token: tc.token, Dir: dir, Transport: tr})
				if !errors.Is(err, ErrInvalidInput) {
					t.Errorf("url %q branch %q: err = %v, want ErrInvalidInput", tc.url, tc.branch, err)
					continue
				}
				if strings.Contains(err.Error(), "X-Evil") {
					t.Errorf("error shows the token: %v", err)
				}
				if srv.requests.Load() != before {
					t.Errorf("url %q branch %q: the server was contacted", tc.url, tc.branch)
				}
				assertAbsent(t, filepath.Join(parent, "sub"))
			}
			assertAbsent(t, pwned)
		})
	}
	if err := Clone(context.Background(), Options{URL: good, Dir: t.TempDir(), Transport: "svn"}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("transport svn: err = %v", err)
	}
}

func TestCloneCancel(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			srv := newGitServer(t, fixture.root, "")
			url := srv.URL + "/acme/api.git"

			t.Run("before start", func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "api")
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := Clone(ctx, Options{URL: url, Dir: dir, Transport: tr}); !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
				assertAbsent(t, dir)
				assertNoTemps(t, dir)
			})

			t.Run("mid-clone", func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "api")
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				stalled := srv.stallNext()
				done := make(chan error, 1)
				go func() { done <- Clone(ctx, Options{URL: url, Dir: dir, Transport: tr}) }()
				select {
				case <-stalled:
				case err := <-done:
					t.Fatalf("clone ended before the pack was requested: %v", err)
				case <-time.After(10 * time.Second):
					t.Fatal("the clone never requested the pack")
				}
				temps, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), tempPrefix(dir)+"*"))
				if len(temps) != 1 {
					t.Errorf("mid-clone temp dirs = %v, want one", temps)
				}
				assertAbsent(t, dir)
				cancel() // Ctrl-C
				select {
				case err := <-done:
					if !errors.Is(err, context.Canceled) {
						t.Errorf("err = %v, want context.Canceled", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("Clone did not return after cancel")
				}
				assertAbsent(t, dir)
				assertNoTemps(t, dir)
				// The next run succeeds.
				if err := Clone(context.Background(), Options{URL: url, Dir: dir, Transport: tr}); err != nil {
					t.Fatalf("clone after cancel: %v", err)
				}
			})
		})
	}
}

func TestCloneRemovesStaleTemps(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	// A pid that surely is not running: a finished child's.
	cmd := exec.Command("git", "--version")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	deadPid := cmd.Process.Pid
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir := filepath.Join(parent, "api")
			mk := func(name string) string {
				p := filepath.Join(parent, name)
				if err := os.MkdirAll(filepath.Join(p, ".git", "objects"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(p, ".git", "objects", "junk"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			killed := mk(fmt.Sprintf(".api.onboard-clone-%d-123456", deadPid))
			legacy := mk(".api.onboard-clone-garbage")
			live := mk(fmt.Sprintf(".api.onboard-clone-%d-777", os.Getpid())) // a clone in progress
			other := mk(".apiv2.onboard-clone-1-1")                           // another target's
			if err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: dir, Transport: tr}); err != nil {
				t.Fatal(err)
			}
			assertAbsent(t, killed)
			assertAbsent(t, legacy)
			for _, p := range []string{live, other} {
				if _, err := os.Stat(p); err != nil {
					t.Errorf("%s removed: %v", p, err)
				}
			}
		})
	}
}

func TestDirty(t *testing.T) {
	srv := newGitServer(t, fixture.root, "")
	dir := filepath.Join(t.TempDir(), "api")
	if err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: dir, Transport: TransportGo}); err != nil {
		t.Fatal(err)
	}
	dirty := func() bool {
		t.Helper()
		d, err := Dirty(dir)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// onboard's state dir is excluded through .git/info/exclude.
	if err := os.MkdirAll(filepath.Join(dir, ".git", "info"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "info", "exclude"), []byte(".onboard/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".onboard"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".onboard", "state.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if dirty() {
		t.Error("excluded .onboard/ makes the tree dirty")
	}
	if err := os.WriteFile(filepath.Join(dir, "new.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !dirty() {
		t.Error("untracked file not reported")
	}
	os.Remove(filepath.Join(dir, "new.txt"))
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !dirty() {
		t.Error("modified file not reported")
	}
	if _, err := Dirty(t.TempDir()); err == nil {
		t.Error("Dirty of a non-checkout: no error")
	}
	if _, err := Origin(t.TempDir()); err == nil {
		t.Error("Origin of a non-checkout: no error")
	}
}

func TestSameRepo(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"git@host:acme/api.git", "https://host/acme/api", true},
		{"https://host/acme/api", "ssh://git@host/acme/api.git", true},
		{"git@host:acme/api.git", "ssh://git@host/acme/api.git", true},
		{"https://HOST.example.com/acme/api.git/", "https://host.example.com/acme/api", true},
		{"https://user:pw@host/acme/api.git", "https://host/acme/api", true},
		{"https://host:443/acme/api", "https://host/acme/api", true},
		{"ssh://git@host:22/acme/api.git", "git@host:acme/api", true},
		{"ssh://git@host:2222/acme/api.git", "https://host/acme/api", true},
		{"git+ssh://git@host/acme/api", "git@host:acme/api.git", true},
		{"http://127.0.0.1:8080/acme/api.git", "http://127.0.0.1:8080/acme/api", true},
		{"http://127.0.0.1:8080/acme/api.git", "http://127.0.0.1:9090/acme/api.git", false},
		{"https://host/acme/api", "https://host/acme/web", false},
		{"https://host/acme/api", "https://other/acme/api", false},
		{"https://host/acme/api", "https://host/ACME/api", false},
		{"https://host/acme/api", "https://host/acme/api/sub", false},
		{"git@host:acme/api.git", "git@other:acme/api.git", false},
		{"/srv/git/api.git", "file:///srv/git/api.git", true},
		{"/srv/git/api.git", "/srv/git/api2.git", false},
		{"", "", false},
		{"https://host/", "https://host", false},
	}
	for _, tc := range tests {
		if got := SameRepo(tc.a, tc.b); got != tc.want {
			t.Errorf("SameRepo(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := SameRepo(tc.b, tc.a); got != tc.want {
			t.Errorf("SameRepo(%q, %q) = %v, want %v (reversed)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestGitEnv(t *testing.T) {
	env := gitEnv([]string{"PATH=/bin", "GIT_DIR=/x/.git", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=c"},
		Options{URL: "https://host/acme/api.git", Token: "tkn"})
	joined := strings.Join(env, "\n")
	for _, want := range []string{"GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_KEY_1=http.https://host/.extraHeader", "GIT_CONFIG_COUNT=3", "GIT_TERMINAL_PROMPT=0"} {
		if !strings.Contains(joined, want) {
			t.Errorf("env lacks %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "GIT_DIR=") || strings.Contains(joined, "tkn") {
		t.Errorf("env:\n%s", joined)
	}
	// No token for ssh URLs.
	if env := strings.Join(gitEnv(nil, Options{URL: "git@host:acme/api.git", Token: "tkn"}), "\n"); strings.Contains(env, "extraHeader") {
		t.Errorf("token sent for ssh: %s", env)
	}
}

func TestPickTransport(t *testing.T) {
	for in, want := range map[string]string{"": TransportSystem, "auto": TransportSystem, "go": TransportGo, "system": TransportSystem} {
		if got, err := pickTransport(in); err != nil || got != want {
			t.Errorf("pickTransport(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	srv := newGitServer(t, fixture.root, "") // needs git; http-backend runs by absolute path
	t.Setenv("PATH", t.TempDir())            // no git: auto falls back to go-git
	if got, err := pickTransport("auto"); err != nil || got != TransportGo {
		t.Errorf("auto without git = %q, %v; want go", got, err)
	}
	// The go transport works without any git binary.
	dir := filepath.Join(t.TempDir(), "api")
	if err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: dir}); err != nil {
		t.Fatalf("auto clone without git: %v", err)
	}
	if got := readFile(t, filepath.Join(dir, "README")); got != "v3\n" {
		t.Errorf("README = %q", got)
	}
}

// A repository that needs credentials gets them from the user's git
// credential helpers on either transport (go-git through `git credential
// fill`), and they are never written into the checkout.
func TestCloneCredentialHelper(t *testing.T) {
	const token = "helper-tok-9f3e"
	srv := newGitServer(t, fixture.root, token)
	dir := t.TempDir()
	log := filepath.Join(dir, "helper.log")
	cfg := filepath.Join(dir, "gitconfig")
	helper := fmt.Sprintf(`!f() { echo "$1" >> %q; test "$1" = get && printf 'username=alice\npassword=%s\n'; true; }; f`, log, token)
	if _, err := gitCmd(dir, "config", "--file", cfg, "credential.helper", helper); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			_ = os.Remove(log)
			target := filepath.Join(t.TempDir(), "api")
			var progress bytes.Buffer
			if err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: target, Transport: tr, Progress: &progress}); err != nil {
				t.Fatalf("Clone: %v", err)
			}
			if got := readFile(t, filepath.Join(target, "README")); got != "v3\n" {
				t.Errorf("README = %q", got)
			}
			if got := strings.Fields(readFile(t, log)); len(got) < 2 || got[0] != "get" || got[len(got)-1] != "store" {
				t.Errorf("helper calls = %q, want get … store", got)
			}
			if strings.Contains(progress.String(), token) {
				t.Error("progress shows the token")
			}
			if strings.Contains(readFile(t, filepath.Join(target, ".git", "config")), token) {
				t.Error("token in .git/config")
			}
		})
	}
	// A wrong credential is rejected (the helper is told) and not echoed.
	t.Run("wrong", func(t *testing.T) {
		bad := fmt.Sprintf(`!f() { echo "$1" >> %q; test "$1" = get && printf 'username=alice\npassword=wrong-secret-1\n'; true; }; f`, log)
		if _, err := gitCmd(dir, "config", "--file", cfg, "--replace-all", "credential.helper", bad); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(log)
		target := filepath.Join(t.TempDir(), "api")
		err := Clone(context.Background(), Options{URL: srv.URL + "/acme/api.git", Dir: target, Transport: TransportGo})
		if !errors.Is(err, ErrAuth) || strings.Contains(err.Error(), "wrong-secret-1") {
			t.Fatalf("err = %v, want ErrAuth without the password", err)
		}
		if got := strings.Fields(readFile(t, log)); len(got) < 2 || got[len(got)-1] != "erase" {
			t.Errorf("helper calls = %q, want get … erase", got)
		}
		assertAbsent(t, target)
	})
}

// A server that redirects to another host (127.0.0.2) must not receive the
// token: on either transport, nothing with an Authorization header reaches it.
func TestCloneRedirectDropsToken(t *testing.T) {
	const token = "redir-tok-5c1d"
	other := newGitServerOn(t, "127.0.0.2:0", fixture.root)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(redirector.Close)
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			// Control: cloning from 127.0.0.2 itself does send the token,
			// so the recorder would see one that followed a redirect.
			other.reset()
			if err := Clone(context.Background(), Options{URL: other.URL + "/acme/api.git", Dir: filepath.Join(t.TempDir(), "direct"), Transport: tr, Token: token}); err != nil {
				t.Fatalf("direct clone: %v", err)
			}
			if len(other.authHeaders()) == 0 {
				t.Fatal("the recorder saw no Authorization header on a direct clone with a token")
			}
			other.reset()
			dir := filepath.Join(t.TempDir(), "api")
			err := Clone(context.Background(), Options{URL: redirector.URL + "/acme/api.git", Dir: dir, Transport: tr, Token: token})
			if got := other.authHeaders(); len(got) > 0 {
				t.Fatalf("127.0.0.2 received Authorization headers %q (clone err: %v)", got, err)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("error shows the token: %v", err)
			}
			t.Logf("%s: requests to 127.0.0.2: %d, clone error: %v", tr, other.requests.Load(), err)
		})
	}
}
