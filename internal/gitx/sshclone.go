package gitx

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/config"
)

// sshClone is what the connections of one clone over SSH share: where the
// URL leads after ~/.ssh/config, and the host-key check (so a key accepted
// at the prompt is asked about once).
type sshClone struct {
	target  sshTarget
	checker *hostKeyChecker
}

// newSSHClone returns nil for a URL that is not SSH.
func newSSHClone(opts Options) (*sshClone, error) {
	t, ok := resolveSSH(opts.URL)
	if !ok {
		return nil, nil
	}
	c, err := newHostKeyChecker(opts.Prompt)
	if err != nil {
		return nil, err
	}
	return &sshClone{target: t, checker: c}, nil
}

// explain turns a failed SSH clone's error into what the person needs: the
// host-key refusal when there was one, the key advice when the server
// refused every key. It is a no-op without SSH (nil receiver) or error.
func (s *sshClone) explain(err error) error {
	if s == nil || err == nil {
		return err
	}
	if f := s.checker.failure(); f != nil {
		return f
	}
	if errors.Is(err, ErrAuth) {
		return err
	}
	msg := err.Error()
	if strings.Contains(msg, "unable to authenticate") || strings.Contains(msg, "Permission denied (publickey") {
		return fmt.Errorf("%w: the SSH server %s refused your keys as %s: %s; add your public key (~/.ssh/id_ed25519.pub, or the agent's: `ssh-add -L`) to your account on the server, or use an HTTPS URL with ONBOARD_GIT_TOKEN",
			ErrAuth, s.target, s.target.User, lastLines(msg, 1))
	}
	return err
}

// systemSSHCommand is GIT_SSH_COMMAND for the system git: ssh must find the
// key the host-key check just accepted (StrictHostKeyChecking=yes, never its
// own prompt), read $SSH_KNOWN_HOSTS like the go transport, and not ask for
// passphrases without a terminal. A user's own GIT_SSH_COMMAND, GIT_SSH or
// core.sshCommand is left alone ("" returned).
func systemSSHCommand(target sshTarget, interactive bool) string {
	if os.Getenv("GIT_SSH_COMMAND") != "" || os.Getenv("GIT_SSH") != "" {
		return ""
	}
	if c, err := config.LoadConfig(config.GlobalScope); err == nil && c.Raw.Section("core").Option("sshCommand") != "" {
		return ""
	}
	args := []string{"ssh", "-o", "StrictHostKeyChecking=yes"}
	if !interactive {
		args = append(args, "-o", "BatchMode=yes")
	}
	var known []string
	if v := os.Getenv("SSH_KNOWN_HOSTS"); v != "" {
		known = filepath.SplitList(v)
	}
	// ssh reads ~/.ssh from the password database, not from $HOME, while
	// the go transport and the host-key check follow $HOME. When the two
	// differ (a sandboxed or test HOME), point ssh at $HOME's files so both
	// transports read the same config, keys and known_hosts.
	if home, err := os.UserHomeDir(); err == nil && home != passwdHome() {
		dot := filepath.Join(home, ".ssh")
		if fi, err := os.Stat(filepath.Join(dot, "config")); err == nil && fi.Mode().IsRegular() && sshQuotable(dot) {
			args = append(args, "-F", filepath.Join(dot, "config"))
		} else {
			args = append(args, "-F", "none")
		}
		// ssh expands ~ in IdentityFile to the passwd home too: give it
		// the files as resolved here, or else $HOME's default keys.
		ids := target.Identity
		if len(ids) == 0 {
			for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
				ids = append(ids, filepath.Join(dot, n))
			}
		}
		for _, id := range ids {
			if _, err := os.Stat(id); err == nil {
				args = append(args, "-i", id)
			}
		}
		known = append(known, filepath.Join(dot, "known_hosts"))
	} else if len(known) > 0 {
		known = append(known, filepath.Join(home, ".ssh", "known_hosts"))
	}
	var files []string
	for _, f := range known {
		// ssh's own quoting cannot hold a double quote; such a file is
		// left out rather than mangled.
		if f != "" && sshQuotable(f) {
			files = append(files, `"`+f+`"`)
		}
	}
	if len(files) > 0 {
		args = append(args, "-o", "UserKnownHostsFile="+strings.Join(files, " "))
	}
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

func sshQuotable(p string) bool { return !strings.ContainsAny(p, "\"\n") }

// passwdHome is the home directory ssh uses: the password database's.
func passwdHome() string {
	if u, err := user.Current(); err == nil {
		return u.HomeDir
	}
	return ""
}
