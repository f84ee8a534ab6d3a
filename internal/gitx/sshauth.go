package gitx

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// sshAuth is go-git's SSH AuthMethod for one clone: the keys from the agent
// and the key files, and onboard's host-key check.
type sshAuth struct {
	target  sshTarget
	signers []ssh.Signer
	checker *hostKeyChecker
	closers []io.Closer
}

// newSSHAuth collects the keys for target: the agent's (SSH_AUTH_SOCK)
// first, then IdentityFile entries from ~/.ssh/config, or else
// ~/.ssh/id_ed25519, id_ecdsa and id_rsa. A key file with a passphrase is
// only unlocked, through p, if the server accepts its public key.
func newSSHAuth(target sshTarget, checker *hostKeyChecker, p Prompter) (*sshAuth, error) {
	a := &sshAuth{target: target, checker: checker}
	have := map[string]bool{}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.DialTimeout("unix", sock, 5*time.Second); err == nil {
			a.closers = append(a.closers, conn)
			if signers, err := agent.NewClient(conn).Signers(); err == nil {
				for _, s := range signers {
					have[string(s.PublicKey().Marshal())] = true
					a.signers = append(a.signers, s)
				}
			}
		}
	}
	files := target.Identity
	if len(files) == 0 {
		if home, err := os.UserHomeDir(); err == nil {
			for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
				files = append(files, filepath.Join(home, ".ssh", n))
			}
		}
	}
	for _, f := range files {
		s, err := keyFileSigner(f, p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			a.Close()
			return nil, err
		}
		if s == nil || have[string(s.PublicKey().Marshal())] {
			continue
		}
		have[string(s.PublicKey().Marshal())] = true
		a.signers = append(a.signers, s)
	}
	if len(a.signers) == 0 {
		a.Close()
		return nil, fmt.Errorf("%w: no SSH key for %s: no ssh-agent key (SSH_AUTH_SOCK) and no ~/.ssh/id_ed25519, id_ecdsa or id_rsa; "+
			"create one with `ssh-keygen -t ed25519`, add its .pub to your account on the server, and run onboard again", ErrAuth, target)
	}
	return a, nil
}

// keyFileSigner reads a private key file. An encrypted key becomes a signer
// that asks for the passphrase the first time it signs, that is only once
// the server has accepted its public key; without a terminal that signing
// fails with the fix. A key whose public half cannot be known is skipped.
func keyFileSigner(file string, p Prompter) (ssh.Signer, error) {
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	s, err := ssh.ParsePrivateKey(pemBytes)
	if err == nil {
		return s, nil
	}
	var missing *ssh.PassphraseMissingError
	if !errors.As(err, &missing) {
		return nil, fmt.Errorf("reading SSH key %s: %w", tildePath(file), err)
	}
	pub := missing.PublicKey
	if pub == nil {
		// Older PEM keys do not carry their public key: use the .pub beside it.
		if b, err := os.ReadFile(file + ".pub"); err == nil {
			pub, _, _, _, _ = ssh.ParseAuthorizedKey(b)
		}
	}
	if pub == nil {
		return nil, nil
	}
	return &lockedSigner{pub: pub, file: file, pem: pemBytes, prompt: p}, nil
}

// lockedSigner is a key file behind a passphrase, unlocked on first use.
type lockedSigner struct {
	pub    ssh.PublicKey
	file   string
	pem    []byte
	prompt Prompter

	once   sync.Once
	signer ssh.Signer
	err    error
}

func (s *lockedSigner) PublicKey() ssh.PublicKey { return s.pub }

func (s *lockedSigner) unlock() (ssh.Signer, error) {
	s.once.Do(func() {
		if s.prompt == nil {
			s.err = fmt.Errorf("%w: the server accepts SSH key %s, but it has a passphrase and there is no terminal to ask for it; "+
				"add it to your agent (`ssh-add %s`) and run onboard again", ErrAuth, tildePath(s.file), tildePath(s.file))
			return
		}
		pass, err := s.prompt.Secret(fmt.Sprintf("Passphrase for %s: ", tildePath(s.file)))
		if err != nil {
			s.err = err
			return
		}
		s.signer, s.err = ssh.ParsePrivateKeyWithPassphrase(s.pem, []byte(pass))
		if s.err != nil {
			s.err = fmt.Errorf("%w: unlocking %s: %v", ErrAuth, tildePath(s.file), s.err)
		}
	})
	return s.signer, s.err
}

func (s *lockedSigner) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	k, err := s.unlock()
	if err != nil {
		return nil, err
	}
	return k.Sign(rand, data)
}

// SignWithAlgorithm lets RSA keys sign with rsa-sha2-256/512: servers
// refuse SHA-1 ssh-rsa signatures by default.
func (s *lockedSigner) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	k, err := s.unlock()
	if err != nil {
		return nil, err
	}
	if as, ok := k.(ssh.AlgorithmSigner); ok {
		return as.SignWithAlgorithm(rand, data, algorithm)
	}
	return k.Sign(rand, data)
}

// Algorithms are the signature algorithms of the key's type.
func (s *lockedSigner) Algorithms() []string {
	if s.pub.Type() == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{s.pub.Type()}
}

// Name is go-git's name of the method.
func (a *sshAuth) Name() string { return "ssh-public-keys" }

// String describes the method without secrets.
func (a *sshAuth) String() string {
	return fmt.Sprintf("user: %s, name: %s, keys: %d", a.target.User, a.Name(), len(a.signers))
}

// ClientConfig is the configuration go-git dials with. It sets the host-key
// callback, so go-git leaves HostKeyAlgorithms to us.
func (a *sshAuth) ClientConfig() (*ssh.ClientConfig, error) {
	return &ssh.ClientConfig{
		User:              a.target.User,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(a.signers...)},
		HostKeyCallback:   a.checker.callback,
		HostKeyAlgorithms: a.checker.algorithms(a.target.Addr()),
		Timeout:           30 * time.Second,
	}, nil
}

// Close closes the agent connection.
func (a *sshAuth) Close() {
	for _, c := range a.closers {
		_ = c.Close()
	}
	a.closers = nil
}

// errHostKeyOK ends checkHostKey's handshake once the key is trusted: the
// check needs no login.
var errHostKeyOK = errors.New("host key trusted")

// checkHostKey connects to target only to check its host key (asking on a
// terminal, appending when accepted), before the system git's ssh runs with
// StrictHostKeyChecking=yes: both transports check keys the same way.
func checkHostKey(target sshTarget, checker *hostKeyChecker) error {
	conn, err := net.DialTimeout("tcp", target.Addr(), 30*time.Second)
	if err != nil {
		return fmt.Errorf("connecting to SSH server %s: %w", target, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Minute)) // a person may be reading the prompt
	cfg := &ssh.ClientConfig{
		User: target.User,
		HostKeyCallback: func(h string, r net.Addr, k ssh.PublicKey) error {
			if err := checker.callback(h, r, k); err != nil {
				return err
			}
			return errHostKeyOK
		},
		HostKeyAlgorithms: checker.algorithms(target.Addr()),
	}
	_, _, _, err = ssh.NewClientConn(conn, target.Addr(), cfg)
	if errors.Is(err, errHostKeyOK) {
		return nil
	}
	if f := checker.failure(); f != nil {
		return f
	}
	if err == nil {
		return nil
	}
	return fmt.Errorf("checking the SSH host key of %s: %w", target, err)
}
