package gitx

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/onboard-dev/onboard/internal/run"
)

// MissingSubmodules lists the paths of the checkout's submodules that are
// not checked out yet. One checked out at another commit than recorded is
// the person's work and is not listed.
func MissingSubmodules(dir string) ([]string, error) {
	r, err := open(dir)
	if err != nil {
		return nil, err
	}
	w, err := r.Worktree()
	if err != nil {
		return nil, err
	}
	subs, err := w.Submodules()
	if err != nil {
		return nil, fmt.Errorf("reading .gitmodules: %w", err)
	}
	var missing []string
	for _, s := range subs {
		st, err := s.Status()
		if err != nil {
			return nil, fmt.Errorf("submodule %s: %w", s.Config().Path, err)
		}
		if st.Current.IsZero() {
			missing = append(missing, s.Config().Path)
		}
	}
	return missing, nil
}

// SubmoduleOptions describes an update of a checkout's submodules.
type SubmoduleOptions struct {
	Dir       string // the checkout
	Depth     int    // 0: full history
	Transport string // auto, go or system, as for Clone
	Token     string // HTTPS token, as for Clone
	Progress  io.Writer
	// Interactive allows the system git to prompt on the terminal.
	Interactive bool
	// Prompt asks about an unknown SSH host key or a key's passphrase, as
	// for Clone; nil: never ask.
	Prompt Prompter
	// MaxPackSize bounds each submodule's pack with go-git, as for Clone
	// (0: DefaultMaxPackSize).
	MaxPackSize int64
	// Runner starts the system git; nil is run.System (a run.Fake in
	// the repo item's unit tests).
	Runner run.Runner
}

// UpdateSubmodules checks out every submodule at the commit the checkout
// records (git submodule update --init --recursive). Each submodule URL
// is validated like a clone URL first: .gitmodules is the repository's
// text, and a URL that git could read as an option or a remote helper
// must never reach it.
func UpdateSubmodules(ctx context.Context, o SubmoduleOptions) error {
	// go-git fetches each submodule into the storage this repository
	// gives it: ours streams the pack to disk within the limits.
	r, err := openPacked(ctx, o.Dir, newPackLimits(o.MaxPackSize))
	if err != nil {
		return err
	}
	w, err := r.Worktree()
	if err != nil {
		return err
	}
	subs, err := w.Submodules()
	if err != nil {
		return fmt.Errorf("reading .gitmodules: %w", err)
	}
	origin, _ := Origin(o.Dir)
	for _, s := range subs {
		c := s.Config()
		if err := validateURL(c.URL); err != nil {
			return fmt.Errorf("submodule %s: %w", c.Path, err)
		}
		if strings.HasPrefix(c.Path, "-") || strings.HasPrefix(c.Name, "-") {
			return fmt.Errorf("submodule %q: %w: a name or path starts with '-'", c.Path, ErrInvalidInput)
		}
	}
	tr, err := pickTransport(o.Transport)
	if err != nil {
		return err
	}
	// A submodule over SSH gets the clone's host-key check: known_hosts,
	// the fingerprint asked about on a terminal, a refusal with the fix
	// without one. .gitmodules may name any server.
	sshBySub := map[string]*sshClone{}
	var sshFirst *sshClone
	for _, s := range subs {
		sc, err := newSSHClone(Options{URL: resolveSubmoduleURL(origin, s.Config().URL), Prompt: o.Prompt})
		if err != nil {
			return err
		}
		if sc != nil {
			sshBySub[s.Config().Name] = sc
			if sshFirst == nil {
				sshFirst = sc
			}
		}
	}
	m := newMasker(o.Token, origin)
	if tr == TransportSystem {
		for _, s := range subs {
			if sc := sshBySub[s.Config().Name]; sc != nil {
				if err := checkHostKey(sc.target, sc.checker); err != nil {
					return fmt.Errorf("submodule %s: %w", s.Config().Path, err)
				}
			}
		}
		args := []string{"-c", "protocol.ext.allow=never", "submodule", "update", "--init", "--recursive"}
		if o.Depth > 0 {
			args = append(args, "--depth="+strconv.Itoa(o.Depth))
		}
		if o.Progress == nil {
			args = append(args, "--quiet")
		}
		env := gitEnv(os.Environ(), Options{URL: origin, Token: o.Token, Interactive: o.Interactive})
		if sshFirst != nil {
			// Every SSH host was checked above: ssh may refuse any other.
			if c := systemSSHCommand(sshFirst.target, o.Interactive); c != "" {
				env = append(env, "GIT_SSH_COMMAND="+c)
			}
		}
		if tail, err := runGit(ctx, o.Runner, o.Dir, args, env, o.Progress, m); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return m.wrap(fmt.Errorf("git submodule update: %s", lastLines(tail, 4)))
		}
		return nil
	}
	for _, s := range subs {
		// The token goes only to the origin's host: .gitmodules could name
		// any server.
		var auth transport.AuthMethod
		sc := sshBySub[s.Config().Name]
		switch {
		case sc != nil:
			a, err := newSSHAuth(sc.target, sc.checker, o.Prompt)
			if err != nil {
				return fmt.Errorf("submodule %s: %w", s.Config().Path, err)
			}
			defer a.Close()
			auth = a
		case o.Token != "" && sameHost(origin, resolveSubmoduleURL(origin, s.Config().URL)):
			auth = &githttp.BasicAuth{Username: tokenUser, Password: o.Token}
		}
		err := s.UpdateContext(ctx, &git.SubmoduleUpdateOptions{
			Init: true, Depth: o.Depth, Auth: auth,
			RecurseSubmodules: git.DefaultSubmoduleRecursionDepth,
		})
		if err != nil {
			return fmt.Errorf("submodule %s: %w", s.Config().Path, sc.explain(
				m.wrap(fmt.Errorf("%s: %w", redactURL(resolveSubmoduleURL(origin, s.Config().URL)), err))))
		}
	}
	return nil
}

// resolveSubmoduleURL resolves a relative submodule URL (../lib.git)
// against the origin, for messages.
func resolveSubmoduleURL(origin, sub string) string {
	if !strings.HasPrefix(sub, "./") && !strings.HasPrefix(sub, "../") {
		return sub
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme == "" {
		return sub
	}
	u.Path = path.Join(u.Path, sub)
	return u.String()
}

// sameHost reports whether two HTTP(S) URLs have the same scheme and host.
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" &&
		strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}
