package gitx

import (
	"bufio"
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// credential is a user name and password (a token) from git's credential
// helpers.
type credential struct {
	url      *url.URL
	username string
	password string
}

// credentialFill asks `git credential fill` for the credentials of an
// HTTP(S) URL, as git itself would before a fetch: the user's helpers
// (osxkeychain, libsecret, gh, manager, store) answer; without a terminal
// git does not prompt. ok is false when git is missing or has nothing.
func credentialFill(ctx context.Context, rawURL string, interactive bool) (c credential, ok bool) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return credential{}, false
	}
	if _, err := exec.LookPath("git"); err != nil {
		return credential{}, false
	}
	out, err := runCredential(ctx, "fill", credentialInput(u, credential{}), interactive)
	if err != nil {
		return credential{}, false
	}
	c.url = u
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "username":
			c.username = v
		case "password":
			c.password = v
		}
	}
	if c.password == "" || hasControl(c.password) || hasControl(c.username) {
		return credential{}, false
	}
	if c.username == "" {
		c.username = tokenUser
	}
	return c, true
}

// report tells the helpers whether the credential worked (`approve`, so a
// store keeps it) or not (`reject`, so a stale one is forgotten).
func (c credential) report(ctx context.Context, worked bool) {
	verb := "reject"
	if worked {
		verb = "approve"
	}
	_, _ = runCredential(ctx, verb, credentialInput(c.url, c), false)
}

// credentialInput is git's credential protocol: key=value lines. The path
// is included so helpers with credential.useHttpPath can tell repositories
// apart; the others ignore it.
func credentialInput(u *url.URL, c credential) string {
	var b strings.Builder
	b.WriteString("protocol=" + u.Scheme + "\n")
	b.WriteString("host=" + u.Host + "\n")
	if p := strings.TrimPrefix(u.Path, "/"); p != "" {
		b.WriteString("path=" + p + "\n")
	}
	if c.password != "" {
		b.WriteString("username=" + c.username + "\n")
		b.WriteString("password=" + c.password + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

func runCredential(ctx context.Context, verb, input string, interactive bool) ([]byte, error) {
	env := os.Environ()
	if !interactive {
		env = append(env, "GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never")
	}
	var out bytes.Buffer
	err := run.Run(ctx, run.Command{
		Argv: []string{"git", "credential", verb}, Env: env,
		Stdin:  strings.NewReader(input),
		Stdout: &out, Output: nil, // a helper's complaints are not the clone's error
		Timeout: 2 * time.Minute, StopSignal: os.Kill,
	})
	return out.Bytes(), err
}
