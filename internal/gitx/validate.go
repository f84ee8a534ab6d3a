package gitx

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// tokenUser is the user name sent with a token over HTTPS; GitHub, Gitea and
// GitLab accept any name with a token as the password.
const tokenUser = "x-access-token"

var (
	// transport::address selects a git remote helper (ext::, fd::, …).
	remoteHelperRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*::`)
	schemeRE       = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// validateURL rejects URLs that git or ssh could read as options, remote
// helpers or schemes other than the ones onboard supports.
func validateURL(raw string) error {
	shown := redactURL(raw)
	switch {
	case raw == "":
		return invalid("empty repository URL")
	case hasControl(raw):
		return invalid("repository URL %q contains control characters", shown)
	case strings.HasPrefix(raw, "-"):
		return invalid("repository URL %q starts with '-'", shown)
	case strings.Contains(raw, "--upload-pack") || strings.Contains(raw, "--receive-pack") ||
		strings.Contains(raw, "--config") || strings.Contains(raw, "-oProxyCommand"):
		return invalid("repository URL %q contains a git or ssh option", shown)
	case remoteHelperRE.MatchString(raw):
		return invalid("repository URL %q uses a git remote helper (transport::address), which onboard does not run", shown)
	}
	if m := schemeRE.FindStringSubmatch(raw); m != nil {
		switch strings.ToLower(m[1]) {
		case "https", "http", "ssh", "git", "file", "git+ssh", "ssh+git":
		default:
			return invalid("repository URL %q: scheme %q is not supported (use https, ssh, git or file)", shown, m[1])
		}
		u, err := url.Parse(raw)
		if err != nil {
			return invalid("repository URL %q: %v", shown, err)
		}
		if strings.HasPrefix(u.Hostname(), "-") || strings.HasPrefix(u.User.Username(), "-") {
			return invalid("repository URL %q: host or user starts with '-'", shown)
		}
		if strings.ToLower(m[1]) != "file" && u.Host == "" {
			return invalid("repository URL %q has no host", shown)
		}
		return nil
	}
	// scp-like [user@]host:path; git treats it as such when a ':' comes before any '/'.
	if i := strings.Index(raw, ":"); i > 0 && !strings.Contains(raw[:i], "/") {
		host := raw[:i]
		if at := strings.LastIndex(host, "@"); at >= 0 {
			if strings.HasPrefix(host, "-") {
				return invalid("repository URL %q: user starts with '-'", shown)
			}
			host = host[at+1:]
		}
		if host == "" || strings.HasPrefix(host, "-") {
			return invalid("repository URL %q: bad host", shown)
		}
	}
	return nil
}

// validateBranch applies git check-ref-format's rules to refs/heads/<branch>
// (a tag name follows the same rules) and rejects option-like names.
func validateBranch(b string) error {
	if b == "" {
		return nil
	}
	bad := func(why string) error { return invalid("branch or tag %q: %s", b, why) }
	switch {
	case hasControl(b):
		return bad("contains control characters")
	case strings.HasPrefix(b, "-"):
		return bad("starts with '-'")
	case b == "@" || b == "HEAD":
		return bad("is not a branch or tag name")
	case strings.Contains(b, ".."):
		return bad("contains '..'")
	case strings.Contains(b, "@{"):
		return bad("contains '@{'")
	case strings.ContainsAny(b, " ~^:?*[\\"):
		return bad(`contains one of space ~ ^ : ? * [ \`)
	case strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") || strings.Contains(b, "//"):
		return bad("has an empty path component")
	case strings.HasSuffix(b, "."):
		return bad("ends with '.'")
	case strings.HasPrefix(b, "refs/"):
		return bad("give the short name (main, v1.2.0), not a full ref")
	}
	for _, c := range strings.Split(b, "/") {
		if strings.HasPrefix(c, ".") {
			return bad("a path component starts with '.'")
		}
		if strings.HasSuffix(c, ".lock") {
			return bad("a path component ends with '.lock'")
		}
	}
	return nil
}

func validateToken(t string) error {
	if hasControl(t) {
		return invalid("the git token contains control characters")
	}
	return nil
}

// redactURL hides a password in the URL's user info.
func redactURL(raw string) string {
	if schemeRE.MatchString(raw) {
		if u, err := url.Parse(raw); err == nil {
			return u.Redacted()
		}
	}
	return raw
}

// masker replaces secrets in text that may reach the user.
type masker struct {
	secrets []string
}

func newMasker(token, rawURL string) *masker {
	m := &masker{}
	if token != "" {
		m.secrets = append(m.secrets, token,
			base64.StdEncoding.EncodeToString([]byte(tokenUser+":"+token)))
	}
	if schemeRE.MatchString(rawURL) {
		if u, err := url.Parse(rawURL); err == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && p != "" {
				m.secrets = append(m.secrets, p, url.QueryEscape(p))
			}
		}
	}
	return m
}

// add masks one more secret (a password from a credential helper).
func (m *masker) add(secret string) {
	if secret != "" {
		m.secrets = append(m.secrets, secret, url.QueryEscape(secret))
	}
}

func (m *masker) mask(s string) string {
	for _, sec := range m.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}

// maskedError keeps the chain of err (errors.Is/As) but shows a masked message.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

func (m *masker) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &maskedError{msg: m.mask(err.Error()), err: err}
}

// failure builds Clone's error for a classified failure: a short message with
// a hint (masked), and a chain that keeps kind and the cause for errors.Is.
func (m *masker) failure(rawURL string, kind, cause error, hasToken bool, detail string) error {
	var hint string
	switch kind {
	case ErrAuth:
		if _, _, _, isSSH := parseSSHURL(rawURL); isSSH {
			hint = "the SSH server refused your keys; add your public key (~/.ssh/id_ed25519.pub, or the agent's: `ssh-add -L`) to your account on the server"
		} else if hasToken {
			hint = "the server refused the token; check ONBOARD_GIT_TOKEN (or GIT_TOKEN, GITHUB_TOKEN) and that it may read this repository"
		} else {
			hint = "the repository needs credentials; set ONBOARD_GIT_TOKEN, or use an SSH URL"
		}
	case ErrNotFound:
		hint = "check the URL (a private repository may also answer \"not found\" to the wrong credentials)"
	}
	msg := "clone " + redactURL(rawURL) + ": " + kind.Error()
	if detail != "" {
		msg += ": " + detail
	}
	if hint != "" {
		msg += "; " + hint
	}
	return &maskedError{msg: m.mask(msg), err: fmt.Errorf("%w: %w", kind, cause)}
}
