// Package testsshd starts a real OpenSSH server and ssh-agent on 127.0.0.1
// for tests: Debian's openssh-server, test host keys (ed25519 and RSA) and
// an authorized_keys file the test appends user keys to. Git over SSH then
// runs git-upload-pack through the login shell, as on any server.
package testsshd

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Server is a running sshd.
type Server struct {
	Dir      string                   // keys, config, authorized_keys
	Port     int                      // on 127.0.0.1
	User     string                   // the login name (the current user)
	HostKeys map[string]ssh.PublicKey // "ed25519", "rsa" → host public key

	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan struct{}
}

// Addr is 127.0.0.1:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// AuthorizedKeys is the file sshd reads the user's keys from at each login.
func (s *Server) AuthorizedKeys() string { return filepath.Join(s.Dir, "authorized_keys") }

// KnownHostsLine is a known_hosts line for the host key of type typ
// ("ed25519" or "rsa"), in the [127.0.0.1]:port form ssh writes.
func (s *Server) KnownHostsLine(typ string) string {
	k := s.HostKeys[typ]
	return fmt.Sprintf("[127.0.0.1]:%d %s %s", s.Port, k.Type(), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))[len(k.Type())+1:]))
}

// Fingerprint is the SHA256 fingerprint of the host key of type typ.
func (s *Server) Fingerprint(typ string) string { return ssh.FingerprintSHA256(s.HostKeys[typ]) }

// Logs is what sshd printed so far (-e: to stderr).
func (s *Server) Logs() string { return s.logs.String() }

// SSHD finds the server binary; it is not on a normal user's PATH.
func SSHD() (string, error) {
	if p, err := exec.LookPath("sshd"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/sshd"); err == nil {
		return "/usr/sbin/sshd", nil
	}
	return "", errors.New("sshd not found: install openssh-server (apt-get install openssh-server)")
}

// Start generates host keys of the given types ("ed25519", "rsa") in dir
// and starts sshd on a free 127.0.0.1 port. Stop it with Stop.
func Start(dir string, hostKeyTypes ...string) (*Server, error) {
	sshd, err := SSHD()
	if err != nil {
		return nil, err
	}
	if len(hostKeyTypes) == 0 {
		hostKeyTypes = []string{"ed25519", "rsa"}
	}
	u, err := user.Current()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		// sshd refuses to start as root without its privilege separation
		// directory, which a container may lack.
		_ = os.MkdirAll("/run/sshd", 0o755)
	}
	s := &Server{Dir: dir, User: u.Username, HostKeys: map[string]ssh.PublicKey{}, logs: &bytes.Buffer{}, done: make(chan struct{})}
	var cfg strings.Builder
	for _, typ := range hostKeyTypes {
		key := filepath.Join(dir, "ssh_host_"+typ+"_key")
		if err := GenKey(key, typ, ""); err != nil {
			return nil, err
		}
		pub, err := ReadPublicKey(key + ".pub")
		if err != nil {
			return nil, err
		}
		s.HostKeys[typ] = pub
		fmt.Fprintf(&cfg, "HostKey %s\n", key)
	}
	if err := os.WriteFile(s.AuthorizedKeys(), nil, 0o600); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.Port = port
		conf := filepath.Join(dir, "sshd_config")
		body := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
%sAuthorizedKeysFile %s
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PidFile none
LogLevel VERBOSE
`, port, cfg.String(), s.AuthorizedKeys())
		if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
			return nil, err
		}
		s.cmd = exec.Command(sshd, "-D", "-e", "-f", conf)
		s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
		if err := s.cmd.Start(); err != nil {
			return nil, err
		}
		go func() { _ = s.cmd.Wait(); close(s.done) }()
		if err := s.waitReady(10 * time.Second); err == nil {
			return s, nil
		} else if attempt == 2 {
			s.Stop()
			return nil, fmt.Errorf("sshd did not start: %v\n%s", err, s.Logs())
		}
		s.Stop()
		s.logs.Reset()
		s.done = make(chan struct{})
	}
}

// waitReady waits until sshd sends its banner.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("sshd exited")
		default:
		}
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err == nil {
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			b := make([]byte, 4)
			n, _ := c.Read(b)
			c.Close()
			if n == 4 && string(b) == "SSH-" {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.New("timed out")
}

// Stop kills sshd and waits for it.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Authorize appends the public key file pub to the server's authorized_keys.
func (s *Server) Authorize(pub string) error {
	b, err := os.ReadFile(pub)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.AuthorizedKeys(), os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(bytes.TrimSpace(b), '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// GenKey writes a new key pair of type typ ("ed25519", "rsa", "ecdsa") to
// path and path.pub with ssh-keygen, encrypted when passphrase is not empty.
func GenKey(path, typ, passphrase string) error {
	args := []string{"-q", "-t", typ, "-N", passphrase, "-C", "onboard-test", "-f", path}
	if typ == "rsa" {
		args = append(args, "-b", "2048") // fast enough for a test
	}
	_ = os.Remove(path)
	_ = os.Remove(path + ".pub")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("ssh-keygen %s: %v: %s", typ, err, out)
	}
	return nil
}

// ReadPublicKey parses an authorized_keys-format public key file.
func ReadPublicKey(path string) (ssh.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey(b)
	return k, err
}

// Agent is a running ssh-agent.
type Agent struct {
	Sock string // SSH_AUTH_SOCK
	cmd  *exec.Cmd
	done chan struct{}
}

// StartAgent starts `ssh-agent -D -a sock` and adds the key files to it with
// ssh-add (unencrypted keys only: ssh-add would ask for a passphrase).
func StartAgent(sock string, keys ...string) (*Agent, error) {
	_ = os.Remove(sock)
	cmd := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ssh-agent: %w (install openssh-client)", err)
	}
	a := &Agent{Sock: sock, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			a.Stop()
			return nil, errors.New("ssh-agent did not open its socket")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, k := range keys {
		add := exec.Command("ssh-add", k)
		add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if out, err := add.CombinedOutput(); err != nil {
			a.Stop()
			return nil, fmt.Errorf("ssh-add %s: %v: %s", k, err, out)
		}
	}
	return a, nil
}

// Stop kills the agent.
func (a *Agent) Stop() {
	_ = a.cmd.Process.Kill()
	<-a.done
	_ = os.Remove(a.Sock)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
