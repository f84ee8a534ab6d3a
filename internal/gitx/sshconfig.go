package gitx

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/kevinburke/ssh_config"
)

func init() {
	// go-git resolves an endpoint's HostName and Port through this hook,
	// by default from ssh_config.DefaultUserSettings, which reads the files
	// once per process under the password database's home. onboard reads
	// $HOME/.ssh/config itself on every clone, as ssh and the host-key check
	// here do, so all three agree on where a Host alias leads.
	gitssh.DefaultSSHConfig = sshConfigReader{}
}

// sshConfigReader is go-git's view of ~/.ssh/config.
type sshConfigReader struct{}

// Get returns key for alias from the user's ssh config, or "".
func (sshConfigReader) Get(alias, key string) string {
	c := loadSSHConfig()
	if c == nil {
		return ""
	}
	return configGet(c, alias, key)
}

// sshTarget is where an SSH URL leads once ~/.ssh/config has been applied.
type sshTarget struct {
	Alias     string   // the host as written in the URL
	HostName  string   // the host to connect to
	Port      string   // "22" unless the URL or the config says otherwise
	User      string   // the login name
	Identity  []string // IdentityFile entries, expanded; empty: the default keys
	FromAlias bool     // HostName, Port, User or IdentityFile came from the config
}

// Addr is host:port for dialling and for known_hosts.
func (t sshTarget) Addr() string { return net.JoinHostPort(t.HostName, t.Port) }

// parseSSHURL returns user, host and port of an ssh:// or scp-like URL
// (port "" when the URL gives none), and ok=false for any other URL.
func parseSSHURL(raw string) (userName, host, port string, ok bool) {
	if m := schemeRE.FindStringSubmatch(raw); m != nil {
		switch strings.ToLower(m[1]) {
		case "ssh", "git+ssh", "ssh+git":
		default:
			return "", "", "", false
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			return "", "", "", false
		}
		return u.User.Username(), u.Hostname(), u.Port(), true
	}
	if !isSCP(raw) {
		return "", "", "", false
	}
	hostPart, _, _ := strings.Cut(raw, ":")
	if at := strings.LastIndex(hostPart, "@"); at >= 0 {
		userName, hostPart = hostPart[:at], hostPart[at+1:]
	}
	return userName, strings.Trim(hostPart, "[]"), "", hostPart != ""
}

// resolveSSH applies ~/.ssh/config's Host blocks (HostName, Port, User,
// IdentityFile) to an SSH URL. The URL's own user and port win, as in ssh.
func resolveSSH(raw string) (sshTarget, bool) {
	urlUser, host, port, ok := parseSSHURL(raw)
	if !ok {
		return sshTarget{}, false
	}
	t := sshTarget{Alias: host, HostName: host, Port: port, User: urlUser}
	if c := loadSSHConfig(); c != nil {
		if v := configGet(c, host, "HostName"); v != "" {
			t.HostName = strings.ReplaceAll(v, "%h", host)
			t.FromAlias = true
		}
		if v := configGet(c, host, "Port"); v != "" && t.Port == "" {
			t.Port = v
			t.FromAlias = true
		}
		if v := configGet(c, host, "User"); v != "" && t.User == "" {
			t.User = v
			t.FromAlias = true
		}
		for _, f := range configGetAll(c, host, "IdentityFile") {
			t.Identity = append(t.Identity, expandHome(f))
			t.FromAlias = true
		}
	}
	if t.Port == "" {
		t.Port = "22"
	}
	if t.User == "" {
		if u, err := user.Current(); err == nil {
			t.User = u.Username
		}
	}
	return t, true
}

// loadSSHConfig parses $HOME/.ssh/config, or returns nil when there is none
// or it cannot be read (ssh would complain; the clone then says why).
func loadSSHConfig() *ssh_config.Config {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(home, ".ssh", "config"))
	if err != nil {
		return nil
	}
	c, err := ssh_config.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return c
}

// configGet and configGetAll guard against the parser's panic on Match
// blocks, which it does not support: such a config simply gives no value.
func configGet(c *ssh_config.Config, alias, key string) (v string) {
	defer func() {
		if recover() != nil {
			v = ""
		}
	}()
	v, _ = c.Get(alias, key)
	return v
}

func configGetAll(c *ssh_config.Config, alias, key string) (vs []string) {
	defer func() {
		if recover() != nil {
			vs = nil
		}
	}()
	vs, _ = c.GetAll(alias, key)
	return vs
}

// expandHome expands ~/ and %d (the home directory) as ssh does.
func expandHome(p string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		p = filepath.Join(home, p[1:])
	}
	return strings.ReplaceAll(p, "%d", home)
}

// sshDesc names a target in messages: the alias and where it leads.
func (t sshTarget) String() string {
	addr := t.Addr()
	if t.Alias != t.HostName || t.FromAlias {
		return fmt.Sprintf("%s (%s from ~/.ssh/config)", t.Alias, addr)
	}
	return addr
}
