package gitx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// cloneGo clones with go-git into dir, which exists and is empty.
func cloneGo(ctx context.Context, opts Options, dir string, m *masker, ssh *sshClone) error {
	err := cloneGoOnce(ctx, opts, dir, m, ssh, "")
	if closeRace(err) && ctx.Err() == nil {
		if err := emptyDir(dir); err != nil {
			return err
		}
		err = cloneGoOnce(ctx, opts, dir, m, ssh, "")
	}
	if ssh != nil || opts.Token != "" || !errors.Is(err, ErrAuth) {
		return err
	}
	// Like git: a repository that wants credentials gets them from the
	// user's credential helpers, and the helpers learn whether they worked.
	cred, ok := credentialFill(ctx, opts.URL, opts.Interactive)
	if !ok {
		return err
	}
	m.add(cred.password)
	if err := emptyDir(dir); err != nil {
		return err
	}
	opts.Token = cred.password
	err = cloneGoOnce(ctx, opts, dir, m, ssh, cred.username)
	if err == nil || errors.Is(err, ErrAuth) {
		cred.report(ctx, err == nil)
	}
	return err
}

// closeRace reports go-git's "closing input: EOF": over SSH, the server
// may close the channel before go-git closes its side after sending
// "done", and go-git (v5) fails the whole fetch on that EOF
// (go-git/go-git#1685, fixed in v6). It is a race, not a refusal: the
// clone is tried once more. Seen once in CI under load, on a local sshd.
func closeRace(err error) bool {
	return err != nil && strings.Contains(err.Error(), "closing input: EOF")
}

// emptyDir removes what a failed attempt left in dir, inside it: a link
// the attempt checked out is removed, not followed.
func emptyDir(dir string) error {
	root, err := rootfs.Open(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	entries, err := root.ReadDir(".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := root.RemoveAll(e.Name()); err != nil {
			return err
		}
	}
	return nil
}

// cloneGoOnce is one go-git clone attempt; user goes with opts.Token
// (default x-access-token).
func cloneGoOnce(ctx context.Context, opts Options, dir string, m *masker, ssh *sshClone, user string) error {
	defer lowGC()()

	auth, done, err := goAuth(opts, ssh, user)
	if err != nil {
		return err
	}
	defer done()
	co := &git.CloneOptions{
		URL:        opts.URL,
		Auth:       auth,
		RemoteName: "origin",
		Depth:      opts.Depth,
	}
	if opts.Progress != nil {
		co.Progress = &maskWriter{w: opts.Progress, m: m}
	}
	if opts.Depth > 0 {
		// Like git: a shallow clone is single-branch and fetches only tags
		// that point into the fetched history (go-git's default, AllTags,
		// pulls in every tagged commit).
		co.SingleBranch = true
		co.Tags = git.TagFollowing
	}
	if opts.Branch != "" {
		ref, err := resolveRef(ctx, opts, auth, m)
		if err != nil {
			return ssh.explain(err)
		}
		co.ReferenceName = ref
		if ref.IsTag() {
			co.Tags = git.TagFollowing
		}
	}
	err = plainClone(ctx, dir, co, newPackLimits(opts.MaxPackSize), restoreAbsoluteSymlinks)
	if err != nil {
		return ssh.explain(goError(m, opts, err))
	}
	return nil
}

// checkoutCache and checkoutStreamOver bound the memory of go-git's
// checkout: it keeps the objects it reads in an LRU cache (96 MiB by
// default), and reads each whole unless it is larger than
// LargeObjectThreshold, which it streams from the pack instead, uncached.
// With 50 blobs of 2 MiB, the defaults took a clone from 52 to 177 MiB of
// peak RSS; with these, it stays at 52 MiB, and a clone of 10,500 small
// files is no slower.
const (
	checkoutCache      = 32 * cache.MiByte
	checkoutStreamOver = 1 << 20
)

// plainClone is git.PlainCloneContext into the empty directory dir. It
// differs from go-git's in four ways: packStorage's pack writer (faster,
// and in bounded memory, within limits); cloneFS; the pack kept open
// rather than reopened for every object read; and the checkout:
// checkoutHead's where ownCheckout, else go-git's in bounded memory,
// followed by after on the new repository.
func plainClone(ctx context.Context, dir string, co *git.CloneOptions, limits packLimits, after func(*git.Repository, string) error) error {
	wt := cloneFS(dir)
	dot, err := wt.Chroot(git.GitDirName)
	if err != nil {
		return err
	}
	fso := filesystem.Options{KeepDescriptors: true, LargeObjectThreshold: checkoutStreamOver}
	st := packStorage{filesystem.NewStorageWithOptions(dot, cache.NewObjectLRU(checkoutCache), fso), ctx, limits}
	defer st.Close()
	if !ownCheckout || co.NoCheckout {
		r, err := git.CloneContext(ctx, st, wt, co)
		if err != nil {
			return err
		}
		return after(r, dir)
	}
	own := *co
	own.NoCheckout = true
	r, err := git.CloneContext(ctx, st, wt, &own)
	if err != nil {
		return err
	}
	return checkoutHead(ctx, r, packOpener{fs: dot, packs: st.ObjectPacks}, dir)
}

// restoreAbsoluteSymlinks checks absolute symlinks out as committed, as git
// does: go-git's chroot filesystem rewrites an absolute target under the
// clone directory, a temporary one that is gone once renamed into place.
// (go-billy's bound filesystem keeps targets, but it resolves every path
// through the links and made a 10,500-file clone 2.3× slower.)
func restoreAbsoluteSymlinks(r *git.Repository, dir string) error {
	idx, err := r.Storer.Index()
	if err != nil {
		return err
	}
	// Through rootfs: a link in a hostile tree must not lead this
	// rewrite outside the checkout.
	root, err := rootfs.Open(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, e := range idx.Entries {
		if e.Mode != filemode.Symlink {
			continue
		}
		blob, err := r.BlobObject(e.Hash)
		if err != nil {
			return err
		}
		rd, err := blob.Reader()
		if err != nil {
			return err
		}
		target, err := io.ReadAll(io.LimitReader(rd, 4096))
		rd.Close()
		if err != nil {
			return err
		}
		if !filepath.IsAbs(string(target)) {
			continue
		}
		if err := root.Remove(e.Name); err != nil {
			return fmt.Errorf("checking out symlink %s: %w", e.Name, err)
		}
		if err := root.Symlink(string(target), e.Name); err != nil {
			return fmt.Errorf("checking out symlink %s: %w", e.Name, err)
		}
	}
	return nil
}

// resolveRef finds whether opts.Branch names a branch or a tag on the remote.
func resolveRef(ctx context.Context, opts Options, auth transport.AuthMethod, m *masker) (plumbing.ReferenceName, error) {
	rem := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{opts.URL}})
	refs, err := rem.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil {
		return "", goError(m, opts, err)
	}
	branch, tag := plumbing.NewBranchReferenceName(opts.Branch), plumbing.NewTagReferenceName(opts.Branch)
	found := map[plumbing.ReferenceName]bool{}
	for _, r := range refs {
		found[r.Name()] = true
	}
	switch {
	case found[branch]:
		return branch, nil
	case found[tag]:
		return tag, nil
	}
	return "", m.failure(opts.URL, ErrRefNotFound, plumbing.ErrReferenceNotFound, opts.Token != "",
		fmt.Sprintf("%q is neither a branch nor a tag of the repository", opts.Branch))
}

// goAuth is the AuthMethod for go-git: the token over HTTP(S), the keys and
// host-key check over SSH. done releases what it holds (the agent socket).
func goAuth(opts Options, ssh *sshClone, user string) (transport.AuthMethod, func(), error) {
	if ssh != nil {
		a, err := newSSHAuth(ssh.target, ssh.checker, opts.Prompt)
		if err != nil {
			return nil, nil, err
		}
		return a, a.Close, nil
	}
	if opts.Token == "" {
		return nil, func() {}, nil
	}
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, func() {}, nil
	}
	if user == "" {
		user = tokenUser
	}
	return &githttp.BasicAuth{Username: user, Password: opts.Token}, func() {}, nil
}

func goError(m *masker, opts Options, err error) error {
	rawURL := opts.URL
	var kind error
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		kind = ErrAuth
	case errors.Is(err, transport.ErrRepositoryNotFound):
		kind = ErrNotFound
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		kind = ErrRefNotFound
	}
	if kind != nil {
		return m.failure(rawURL, kind, err, opts.Token != "", "")
	}
	return m.wrap(fmt.Errorf("clone %s: %w", redactURL(rawURL), err))
}

var gc struct {
	sync.Mutex
	active int
	saved  int
}

// lowGC sets GOGC=25 while go-git clones (it cut go-git's peak memory from
// 236 to 158 MiB at the same speed) and returns the function that restores it.
// Concurrent clones share the setting; the last one restores it.
func lowGC() func() {
	gc.Lock()
	if gc.active == 0 {
		gc.saved = debug.SetGCPercent(25)
	}
	gc.active++
	gc.Unlock()
	return func() {
		gc.Lock()
		gc.active--
		if gc.active == 0 {
			debug.SetGCPercent(gc.saved)
		}
		gc.Unlock()
	}
}
