package gitx

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

func open(dir string) (*git.Repository, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("open git checkout %s: %w", dir, err)
	}
	return r, nil
}

// openPacked opens the checkout in dir with packStorage, so that what it
// fetches (its submodules) streams to disk within limits. A checkout whose
// .git is not a directory (a linked worktree, a submodule's own checkout)
// is opened as go-git does.
func openPacked(ctx context.Context, dir string, limits packLimits) (*git.Repository, error) {
	if st, err := os.Stat(filepath.Join(dir, git.GitDirName)); err != nil || !st.IsDir() {
		return open(dir)
	}
	wt := osfs.New(dir)
	dot, err := wt.Chroot(git.GitDirName)
	if err != nil {
		return nil, err
	}
	s := packStorage{filesystem.NewStorage(dot, cache.NewObjectLRU(checkoutCache)), ctx, limits}
	r, err := git.Open(s, wt)
	if err != nil {
		return nil, fmt.Errorf("open git checkout %s: %w", dir, err)
	}
	return r, nil
}

// Origin returns remote.origin.url of the checkout in dir.
func Origin(dir string) (string, error) {
	r, err := open(dir)
	if err != nil {
		return "", err
	}
	rem, err := r.Remote("origin")
	if errors.Is(err, git.ErrRemoteNotFound) {
		return "", fmt.Errorf("%s has no remote named origin", dir)
	}
	if err != nil {
		return "", err
	}
	urls := rem.Config().URLs
	if len(urls) == 0 {
		return "", fmt.Errorf("%s: remote origin has no URL", dir)
	}
	return urls[0], nil
}

// Dirty reports whether the worktree of dir has changes: modified, staged or
// untracked files not ignored by .gitignore or .git/info/exclude.
func Dirty(dir string) (bool, error) {
	r, err := open(dir)
	if err != nil {
		return false, err
	}
	w, err := r.Worktree()
	if err != nil {
		return false, err
	}
	// go-git reads .git/info/exclude through the worktree filesystem, which
	// (since the 5.19 hardening) refuses paths inside .git: add it here, and
	// the user's core.excludesFile, as git status would.
	w.Excludes = append(w.Excludes, infoExcludes(dir)...)
	if global, err := gitignore.LoadGlobalPatterns(osfs.New("/")); err == nil {
		w.Excludes = append(w.Excludes, global...)
	}
	st, err := w.Status()
	if err != nil {
		return false, err
	}
	return !st.IsClean(), nil
}

func infoExcludes(dir string) []gitignore.Pattern {
	b, err := os.ReadFile(filepath.Join(dir, ".git", "info", "exclude"))
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, nil))
	}
	return ps
}

// SameRepo reports whether two remote URLs name the same repository:
// https, http, ssh, git and scp-like (git@host:path) forms compare equal when
// host (case-insensitive) and path match, ignoring user names, a trailing
// ".git" or "/", and default ports. Local paths and file:// URLs compare by
// cleaned path.
func SameRepo(a, b string) bool {
	ka, oka := repoKey(a)
	kb, okb := repoKey(b)
	if !oka || !okb {
		return false
	}
	if ka.host != kb.host || ka.path != kb.path {
		return false
	}
	// Different non-default ports on the same scheme are different servers;
	// across schemes (ssh on :2222, https on :443) the port says nothing.
	return ka.scheme != kb.scheme || ka.port == kb.port
}

type key struct{ scheme, host, port, path string }

var defaultPorts = map[string]string{"ssh": "22", "https": "443", "http": "80", "git": "9418"}

func repoKey(raw string) (key, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return key{}, false
	}
	var k key
	switch {
	case schemeRE.MatchString(raw):
		u, err := url.Parse(raw)
		if err != nil {
			return key{}, false
		}
		k.scheme = strings.ToLower(u.Scheme)
		switch k.scheme {
		case "git+ssh", "ssh+git":
			k.scheme = "ssh"
		}
		if k.scheme == "file" {
			return key{scheme: "file", path: filepath.Clean(filepath.FromSlash(u.Path))}, true
		}
		k.host = strings.ToLower(u.Hostname())
		k.port = u.Port()
		if k.port == defaultPorts[k.scheme] {
			k.port = ""
		}
		k.path = u.Path
	case isSCP(raw):
		hostPart, p, _ := strings.Cut(raw, ":")
		if at := strings.LastIndex(hostPart, "@"); at >= 0 {
			hostPart = hostPart[at+1:]
		}
		k.scheme = "ssh"
		k.host = strings.ToLower(strings.Trim(hostPart, "[]"))
		k.path = p
	default:
		abs, err := filepath.Abs(raw)
		if err != nil {
			return key{}, false
		}
		return key{scheme: "file", path: filepath.Clean(abs)}, true
	}
	p := strings.TrimRight(k.path, "/")
	p = strings.TrimSuffix(p, ".git")
	p = strings.Trim(p, "/")
	p = strings.TrimPrefix(p, "~/")
	if k.host == "" || p == "" {
		return key{}, false
	}
	k.path = p
	return k, true
}

// isSCP reports git's scp-like syntax: a ':' before any '/', and not a
// Windows drive letter.
func isSCP(s string) bool {
	i := strings.Index(s, ":")
	if i <= 0 || strings.Contains(s[:i], "/") {
		return false
	}
	return !(i == 1 && filepath.VolumeName(s) != "")
}
