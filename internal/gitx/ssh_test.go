package gitx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/testsshd"
)

// fakePrompter answers for the person at the terminal and records what it
// was asked.
type fakePrompter struct {
	yes      bool
	secret   string
	asked    []string
	secretsQ []string
}

func (p *fakePrompter) Confirm(q string) (bool, error) {
	p.asked = append(p.asked, q)
	return p.yes, nil
}

func (p *fakePrompter) Secret(q string) (string, error) {
	p.secretsQ = append(p.secretsQ, q)
	return p.secret, nil
}

// sshFixture is one real sshd with ed25519 and RSA host keys and a user key
// it accepts.
type sshFixture struct {
	srv     *testsshd.Server
	userKey string // private key file, authorized on srv
	url     string // ssh:// URL of the fixture repository
}

func startSSH(t *testing.T) *sshFixture {
	t.Helper()
	srv, err := testsshd.Start(filepath.Join(t.TempDir(), "sshd"), "ed25519", "rsa")
	if err != nil {
		t.Fatalf("sshd: %v", err) // in CI a missing sshd is a failure, not a skip
	}
	t.Cleanup(srv.Stop)
	key := filepath.Join(t.TempDir(), "user_ed25519")
	if err := testsshd.GenKey(key, "ed25519", ""); err != nil {
		t.Fatal(err)
	}
	if err := srv.Authorize(key + ".pub"); err != nil {
		t.Fatal(err)
	}
	return &sshFixture{srv: srv, userKey: key,
		url: fmt.Sprintf("ssh://%s@127.0.0.1:%d%s", srv.User, srv.Port, filepath.Join(fixture.root, "acme", "api.git"))}
}

// sshHome gives the test a fresh $HOME with an empty ~/.ssh, no agent and
// no SSH_KNOWN_HOSTS.
func sshHome(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	t.Setenv("SSH_KNOWN_HOSTS", "")
	t.Setenv("GIT_SSH_COMMAND", "")
	if err := os.Mkdir(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	return home
}

func (f *sshFixture) agent(t *testing.T) {
	a, err := testsshd.StartAgent(filepath.Join(t.TempDir(), "agent.sock"), f.userKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	t.Setenv("SSH_AUTH_SOCK", a.Sock)
}

func writeKnownHosts(t *testing.T, home string, lines ...string) string {
	p := filepath.Join(home, ".ssh", "known_hosts")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCloneSSH(t *testing.T) {
	f := startSSH(t)
	readme := func(t *testing.T, dir string) {
		t.Helper()
		if got := readFile(t, filepath.Join(dir, "README")); got != "v3\n" {
			t.Errorf("README = %q", got)
		}
	}
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			t.Run("agent key, known ed25519", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				writeKnownHosts(t, home, f.srv.KnownHostsLine("ed25519"))
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr}); err != nil {
					t.Fatalf("Clone: %v\nsshd: %s", err, f.srv.Logs())
				}
				readme(t, dir)
				if o, _ := Origin(dir); o != f.url {
					t.Errorf("origin = %q, want %q", o, f.url)
				}
			})
			// The server offers ed25519 and RSA; known_hosts holds only the
			// RSA key. That is not a changed key: the RSA key must be used.
			t.Run("only the RSA key known", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				writeKnownHosts(t, home, f.srv.KnownHostsLine("rsa"))
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr}); err != nil {
					t.Fatalf("Clone: %v", err)
				}
				readme(t, dir)
			})
			t.Run("hashed known_hosts via SSH_KNOWN_HOSTS", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				kh := filepath.Join(home, "elsewhere_known_hosts")
				if err := os.WriteFile(kh, []byte(f.srv.KnownHostsLine("ed25519")+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				if out, err := exec.Command("ssh-keygen", "-H", "-f", kh).CombinedOutput(); err != nil {
					t.Fatalf("ssh-keygen -H: %v %s", err, out)
				}
				if b, _ := os.ReadFile(kh); !strings.HasPrefix(string(b), "|1|") {
					t.Fatalf("known_hosts not hashed: %s", b)
				}
				t.Setenv("SSH_KNOWN_HOSTS", kh)
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr}); err != nil {
					t.Fatalf("Clone: %v", err)
				}
				readme(t, dir)
			})
			t.Run("unknown host without a terminal", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				dir := filepath.Join(t.TempDir(), "api")
				err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr})
				var hk *HostKeyError
				if !errors.As(err, &hk) || !errors.Is(err, ErrHostKey) || len(hk.Known) != 0 {
					t.Fatalf("err = %v, want an unknown-host HostKeyError", err)
				}
				msg := err.Error()
				for _, want := range []string{"is not in your known_hosts", "no terminal", "SHA256:", fmt.Sprintf("ssh-keyscan -p %d 127.0.0.1", f.srv.Port)} {
					if !strings.Contains(msg, want) {
						t.Errorf("message lacks %q:\n%s", want, msg)
					}
				}
				if !strings.Contains(msg, f.srv.Fingerprint("ed25519")) && !strings.Contains(msg, f.srv.Fingerprint("rsa")) {
					t.Errorf("message shows no fingerprint of the server:\n%s", msg)
				}
				assertAbsent(t, dir)
				assertNoTemps(t, dir)
				assertAbsent(t, filepath.Join(home, ".ssh", "known_hosts"))
			})
			t.Run("unknown host accepted at the prompt", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				p := &fakePrompter{yes: true}
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr, Prompt: p}); err != nil {
					t.Fatalf("Clone: %v", err)
				}
				readme(t, dir)
				if len(p.asked) != 1 || !strings.Contains(p.asked[0], "SHA256:") || !strings.Contains(p.asked[0], fmt.Sprintf("[127.0.0.1]:%d", f.srv.Port)) {
					t.Errorf("asked %q, want one question with the host and fingerprint", p.asked)
				}
				kh := filepath.Join(home, ".ssh", "known_hosts")
				fi, err := os.Stat(kh)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Fatalf("known_hosts: %v, %v; want mode 0600", fi, err)
				}
				if b := readFile(t, kh); !strings.HasPrefix(b, fmt.Sprintf("[127.0.0.1]:%d ssh-", f.srv.Port)) {
					t.Errorf("known_hosts = %q", b)
				}
				// The next clone knows the host: no question.
				p2 := &fakePrompter{}
				if err := Clone(context.Background(), Options{URL: f.url, Dir: filepath.Join(t.TempDir(), "again"), Transport: tr, Prompt: p2}); err != nil {
					t.Fatalf("second Clone: %v", err)
				}
				if len(p2.asked) != 0 {
					t.Errorf("asked again: %q", p2.asked)
				}
			})
			t.Run("unknown host declined", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				dir := filepath.Join(t.TempDir(), "api")
				err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr, Prompt: &fakePrompter{yes: false}})
				if !errors.Is(err, ErrHostKey) || !strings.Contains(err.Error(), "you did not trust") {
					t.Fatalf("err = %v", err)
				}
				assertAbsent(t, dir)
				assertAbsent(t, filepath.Join(home, ".ssh", "known_hosts"))
			})
			t.Run("changed host key is refused", func(t *testing.T) {
				home := sshHome(t)
				f.agent(t)
				other := filepath.Join(t.TempDir(), "other")
				if err := testsshd.GenKey(other, "ed25519", ""); err != nil {
					t.Fatal(err)
				}
				otherPub, err := testsshd.ReadPublicKey(other + ".pub")
				if err != nil {
					t.Fatal(err)
				}
				line := fmt.Sprintf("[127.0.0.1]:%d %s", f.srv.Port, strings.TrimSpace(readFile(t, other+".pub")))
				kh := writeKnownHosts(t, home, line)
				before := readFile(t, kh)
				p := &fakePrompter{yes: true}
				dir := filepath.Join(t.TempDir(), "api")
				err = Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr, Prompt: p})
				var hk *HostKeyError
				if !errors.As(err, &hk) || len(hk.Known) == 0 {
					t.Fatalf("err = %v, want a changed-key HostKeyError", err)
				}
				msg := err.Error()
				for _, want := range []string{"REFUSED", describeKey(otherPub), f.srv.Fingerprint("ed25519"), "ssh-keygen -R", "~/.ssh/known_hosts:1"} {
					if !strings.Contains(msg, want) {
						t.Errorf("message lacks %q:\n%s", want, msg)
					}
				}
				if len(p.asked) != 0 {
					t.Errorf("a changed key must never be asked about: %q", p.asked)
				}
				assertAbsent(t, dir)
				assertNoTemps(t, dir)
				if readFile(t, kh) != before {
					t.Error("known_hosts was changed")
				}
			})
			t.Run("ssh config alias with IdentityFile", func(t *testing.T) {
				home := sshHome(t)
				writeKnownHosts(t, home, f.srv.KnownHostsLine("ed25519"))
				key := filepath.Join(home, ".ssh", "work_key")
				for _, ext := range []string{"", ".pub"} {
					if err := os.WriteFile(key+ext, []byte(readFile(t, f.userKey+ext)), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				cfg := fmt.Sprintf("Host gitwork\n  HostName 127.0.0.1\n  Port %d\n  User %s\n  IdentityFile ~/.ssh/work_key\n", f.srv.Port, f.srv.User)
				if err := os.WriteFile(filepath.Join(home, ".ssh", "config"), []byte(cfg), 0o600); err != nil {
					t.Fatal(err)
				}
				url := "gitwork:" + filepath.Join(fixture.root, "acme", "api.git")
				dir := filepath.Join(t.TempDir(), "api")
				if err := Clone(context.Background(), Options{URL: url, Dir: dir, Transport: tr}); err != nil {
					t.Fatalf("Clone: %v", err)
				}
				readme(t, dir)
				if o, _ := Origin(dir); o != url {
					t.Errorf("origin = %q, want the alias URL %q", o, url)
				}
			})
			t.Run("key the server does not accept", func(t *testing.T) {
				home := sshHome(t)
				writeKnownHosts(t, home, f.srv.KnownHostsLine("ed25519"))
				if err := testsshd.GenKey(filepath.Join(home, ".ssh", "id_ed25519"), "ed25519", ""); err != nil {
					t.Fatal(err)
				}
				dir := filepath.Join(t.TempDir(), "api")
				err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: tr})
				if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "add your public key") {
					t.Fatalf("err = %v, want ErrAuth with the fix", err)
				}
				assertAbsent(t, dir)
			})
		})
	}
	// A key with a passphrase is unlocked through the prompter (go
	// transport: the system ssh asks on the terminal itself).
	t.Run("go/passphrase key", func(t *testing.T) {
		home := sshHome(t)
		writeKnownHosts(t, home, f.srv.KnownHostsLine("ed25519"))
		key := filepath.Join(home, ".ssh", "id_ed25519")
		if err := testsshd.GenKey(key, "ed25519", "correct horse"); err != nil {
			t.Fatal(err)
		}
		if err := f.srv.Authorize(key + ".pub"); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "api")
		err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: TransportGo})
		if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "ssh-add") {
			t.Fatalf("without a terminal: err = %v, want the ssh-add fix", err)
		}
		assertAbsent(t, dir)
		p := &fakePrompter{secret: "correct horse"}
		if err := Clone(context.Background(), Options{URL: f.url, Dir: dir, Transport: TransportGo, Prompt: p}); err != nil {
			t.Fatalf("Clone: %v", err)
		}
		if len(p.secretsQ) != 1 || !strings.Contains(p.secretsQ[0], "~/.ssh/id_ed25519") {
			t.Errorf("passphrase questions = %q", p.secretsQ)
		}
		readme(t, dir)
	})
}

// appendKnownHost never glues its line to a last line without a newline,
// and creates the file 0600 in a 0700 directory.
func TestAppendKnownHost(t *testing.T) {
	key := filepath.Join(t.TempDir(), "k")
	if err := testsshd.GenKey(key, "ed25519", ""); err != nil {
		t.Fatal(err)
	}
	pub, err := testsshd.ReadPublicKey(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "new", "known_hosts")
	if err := appendKnownHost(file, "[127.0.0.1]:2222", pub); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(file); fi == nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("known_hosts mode = %v, want 0600", fi)
	}
	if fi, _ := os.Stat(filepath.Dir(file)); fi == nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode = %v, want 0700", fi)
	}
	if err := os.WriteFile(file, []byte("other ssh-ed25519 AAAA"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := appendKnownHost(file, "[127.0.0.1]:2222", pub); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(readFile(t, file)), "\n")
	if len(lines) != 2 || lines[0] != "other ssh-ed25519 AAAA" || !strings.HasPrefix(lines[1], "[127.0.0.1]:2222 ssh-ed25519 ") {
		t.Errorf("known_hosts = %q", lines)
	}
}
