package gitx

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/skeema/knownhosts"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// Prompter asks the person at the terminal. Options.Prompt is nil when there
// is no terminal: then nothing is asked and what needs an answer fails.
type Prompter interface {
	// Confirm asks a yes/no question; the default is no.
	Confirm(question string) (bool, error)
	// Secret reads a line without echoing it (a key's passphrase).
	Secret(prompt string) (string, error)
}

// ErrHostKey is wrapped by every host-key refusal.
var ErrHostKey = errors.New("SSH host key not trusted")

// HostKeyError is an SSH server whose host key is not in known_hosts
// (Known empty) or differs from the one there (Known set: always refused).
type HostKeyError struct {
	Host     string        // as known_hosts writes it: host, or [host]:port
	Offered  ssh.PublicKey // the key the server showed
	Known    []xknownhosts.KnownKey
	Declined bool // the person at the terminal said no
	Revoked  bool // the key is marked @revoked
}

// Unwrap makes errors.Is(err, ErrHostKey) hold.
func (e *HostKeyError) Unwrap() error { return ErrHostKey }

func (e *HostKeyError) Error() string {
	var b strings.Builder
	switch {
	case e.Revoked:
		fmt.Fprintf(&b, "REFUSED: the SSH host key of %s is marked @revoked in your known_hosts; nothing was cloned.\n", e.Host)
		fmt.Fprintf(&b, "  offered: %s\n", describeKey(e.Offered))
		b.WriteString("This is not your fault: ask the people who run the server for its current key.")
	case len(e.Known) > 0:
		fmt.Fprintf(&b, "REFUSED: the SSH host key of %s is not the one in your known_hosts; nothing was cloned.\n", e.Host)
		for _, k := range e.Known {
			fmt.Fprintf(&b, "  known:   %s (%s:%d)\n", describeKey(k.Key), tildePath(k.Filename), k.Line)
		}
		fmt.Fprintf(&b, "  offered: %s\n", describeKey(e.Offered))
		b.WriteString("This is not your fault. Either the server was re-keyed, or someone is intercepting the connection.\n")
		fmt.Fprintf(&b, "Ask the people who run the server which key is right. If the change is expected, remove the old key with `ssh-keygen -R %s` and run onboard again.", shellQuote(e.Host))
	case e.Declined:
		fmt.Fprintf(&b, "you did not trust the SSH host key of %s (%s); nothing was cloned", e.Host, describeKey(e.Offered))
	default:
		fmt.Fprintf(&b, "the SSH server %s is not in your known_hosts yet, and with no terminal onboard cannot ask whether to trust it; nothing was cloned.\n", e.Host)
		fmt.Fprintf(&b, "  offered: %s\n", describeKey(e.Offered))
		b.WriteString("Check that fingerprint with the people who run the server, then run onboard in a terminal and answer yes, or add the key yourself:\n")
		fmt.Fprintf(&b, "  %s >> ~/.ssh/known_hosts", keyscanCommand(e.Host))
	}
	return b.String()
}

// describeKey is "ED25519 SHA256:…", as ssh shows a fingerprint.
func describeKey(k ssh.PublicKey) string {
	if k == nil {
		return "(none)"
	}
	t := strings.ToUpper(strings.TrimPrefix(k.Type(), "ssh-"))
	if strings.HasPrefix(t, "ECDSA") {
		t = "ECDSA"
	}
	return t + " " + ssh.FingerprintSHA256(k)
}

func keyscanCommand(host string) string {
	if h, p, err := net.SplitHostPort(host); err == nil {
		return "ssh-keyscan -p " + p + " " + strings.Trim(h, "[]")
	}
	return "ssh-keyscan " + host
}

func tildePath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && strings.HasPrefix(p, home+string(filepath.Separator)) {
		return "~" + p[len(home):]
	}
	return p
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:/@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// knownHostsFiles lists the known_hosts files that exist, in the order ssh
// reads them: $SSH_KNOWN_HOSTS (a list, as go-git reads it), then
// ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
func knownHostsFiles() []string {
	var cands []string
	if v := os.Getenv("SSH_KNOWN_HOSTS"); v != "" {
		cands = append(cands, filepath.SplitList(v)...)
	}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, ".ssh", "known_hosts"))
	}
	cands = append(cands, "/etc/ssh/ssh_known_hosts")
	seen := map[string]bool{}
	var out []string
	for _, f := range cands {
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			out = append(out, f)
		}
	}
	return out
}

// knownHostsTarget is where an accepted key is appended: the first file of
// $SSH_KNOWN_HOSTS when set, else ~/.ssh/known_hosts.
func knownHostsTarget() (string, error) {
	if v := os.Getenv("SSH_KNOWN_HOSTS"); v != "" {
		if l := filepath.SplitList(v); len(l) > 0 && l[0] != "" {
			return l[0], nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".ssh", "known_hosts"), nil
}

// hostKeyChecker checks SSH host keys against known_hosts for one clone. An
// unknown key is asked about on a terminal and appended when accepted; a
// changed key is always refused.
type hostKeyChecker struct {
	prompt Prompter
	db     *knownhosts.HostKeyDB

	mu       sync.Mutex
	accepted map[string]bool // host + key accepted at the prompt in this clone
	err      error           // the last refusal, for the clone's error
}

func newHostKeyChecker(p Prompter) (*hostKeyChecker, error) {
	files := knownHostsFiles()
	db, err := knownhosts.NewDB(files...)
	if err != nil {
		return nil, fmt.Errorf("reading known_hosts (%s): %w", strings.Join(files, ", "), err)
	}
	return &hostKeyChecker{prompt: p, db: db, accepted: map[string]bool{}}, nil
}

// algorithms limits the key types the server may offer to those known for
// addr, as ssh does: a server with ed25519 and RSA keys, of which only RSA
// is known, must show its RSA key rather than look re-keyed.
func (c *hostKeyChecker) algorithms(addr string) []string {
	return c.db.HostKeyAlgorithms(addr)
}

// failure is the refusal recorded by the last callback, if any.
func (c *hostKeyChecker) failure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// callback is the ssh.HostKeyCallback.
func (c *hostKeyChecker) callback(hostname string, remote net.Addr, key ssh.PublicKey) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	host := knownhosts.Normalize(hostname)
	if c.accepted[host+" "+string(key.Marshal())] {
		return nil
	}
	err := c.db.HostKeyCallback()(hostname, remote, key)
	if err == nil {
		return nil
	}
	var revoked *xknownhosts.RevokedError
	var keyErr *xknownhosts.KeyError
	switch {
	case errors.As(err, &revoked):
		c.err = &HostKeyError{Host: host, Offered: key, Revoked: true}
	case errors.As(err, &keyErr) && len(keyErr.Want) > 0:
		c.err = &HostKeyError{Host: host, Offered: key, Known: keyErr.Want}
	case errors.As(err, &keyErr):
		c.err = c.askUnknown(host, key)
	default:
		c.err = fmt.Errorf("checking the SSH host key of %s: %w", host, err)
	}
	return c.err
}

// askUnknown asks about a host that known_hosts does not hold and appends
// its key when the person says yes.
func (c *hostKeyChecker) askUnknown(host string, key ssh.PublicKey) error {
	if c.prompt == nil {
		return &HostKeyError{Host: host, Offered: key}
	}
	target, err := knownHostsTarget()
	if err != nil {
		return err
	}
	q := fmt.Sprintf("The authenticity of SSH host %s can't be established.\n%s key fingerprint is %s.\nTrust it and add it to %s?",
		host, strings.Fields(describeKey(key))[0], ssh.FingerprintSHA256(key), tildePath(target))
	ok, err := c.prompt.Confirm(q)
	if err != nil {
		return err
	}
	if !ok {
		return &HostKeyError{Host: host, Offered: key, Declined: true}
	}
	if err := appendKnownHost(target, host, key); err != nil {
		return fmt.Errorf("adding the SSH host key of %s to %s: %w", host, target, err)
	}
	c.accepted[host+" "+string(key.Marshal())] = true
	return nil
}

// appendKnownHost appends one line to a known_hosts file, creating it 0600
// (and its directory 0700) as ssh does.
func appendKnownHost(file, host string, key ssh.PublicKey) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	line := knownhosts.Line([]string{host}, key) + "\n"
	// A file that does not end in a newline would glue our line to its last.
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
