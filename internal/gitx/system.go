package gitx

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// cloneSystem runs `git clone` (argv, never a shell) into dir, which exists and is empty.
func cloneSystem(ctx context.Context, opts Options, dir string, m *masker, ssh *sshClone) error {
	if ssh != nil {
		// The same host-key check (and prompt) as the go transport, before
		// ssh runs with StrictHostKeyChecking=yes.
		if err := checkHostKey(ssh.target, ssh.checker); err != nil {
			return err
		}
	}
	args := []string{
		// Remote helpers that run arbitrary commands stay off even if the
		// user's config allowed them.
		"-c", "protocol.ext.allow=never",
		"clone",
	}
	if opts.Progress != nil {
		args = append(args, "--progress")
	} else {
		args = append(args, "--quiet")
	}
	if opts.Branch != "" {
		args = append(args, "--branch="+opts.Branch)
	}
	if opts.Depth > 0 {
		args = append(args, "--depth="+strconv.Itoa(opts.Depth))
	}
	args = append(args, "--", opts.URL, dir)

	env := gitEnv(os.Environ(), opts)
	if ssh != nil {
		if c := systemSSHCommand(ssh.target, opts.Interactive); c != "" {
			env = append(env, "GIT_SSH_COMMAND="+c)
		}
	}
	if tail, err := runGit(ctx, opts.Runner, "", args, env, opts.Progress, m); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ssh.explain(classify(m, opts, err, tail))
	}
	return nil
}

// runGit runs git with args (argv, never a shell) in dir, with its output
// masked into progress when given. It returns the last 16 KiB of that
// output, for the error. git and its helpers (git-remote-https,
// index-pack) are a process group of their own (internal/run), killed at
// once on cancellation and when onboard dies (Pdeathsig), so a killed
// clone leaves no git writing into a temporary directory the next run
// removes.
// runner starts it: nil is run.System, a run.Fake in unit tests.
func runGit(ctx context.Context, runner run.Runner, dir string, args, env []string, progress io.Writer, m *masker) (string, error) {
	tail := &tailBuffer{max: 16 << 10}
	var out io.Writer = tail
	if progress != nil {
		out = io.MultiWriter(tail, &maskWriter{w: progress, m: m})
	}
	err := run.Or(runner).Run(ctx, run.Command{
		Argv: append([]string{"git"}, args...), Dir: dir, Env: env, Output: out,
		StopSignal: os.Kill, WaitDelay: 5 * time.Second,
	})
	return tail.String(), err
}

// gitEnv is the environment of the git child: no inherited repository
// variables, no terminal prompts unless interactive, and the token as an
// http.extraHeader passed through GIT_CONFIG_* (never argv, never a file).
func gitEnv(environ []string, opts Options) []string {
	drop := map[string]bool{
		"GIT_DIR": true, "GIT_WORK_TREE": true, "GIT_INDEX_FILE": true,
		"GIT_OBJECT_DIRECTORY": true, "GIT_ALTERNATE_OBJECT_DIRECTORIES": true,
		"GIT_COMMON_DIR": true, "GIT_NAMESPACE": true, "GIT_CEILING_DIRECTORIES": true,
	}
	count := 0
	env := make([]string, 0, len(environ)+8)
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if drop[k] {
			continue
		}
		if k == "GIT_CONFIG_COUNT" {
			count, _ = strconv.Atoi(v)
			continue
		}
		env = append(env, kv)
	}
	if !opts.Interactive {
		env = append(env, "GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never")
	}
	add := func(k, v string) {
		env = append(env,
			"GIT_CONFIG_KEY_"+strconv.Itoa(count)+"="+k,
			"GIT_CONFIG_VALUE_"+strconv.Itoa(count)+"="+v)
		count++
	}
	if opts.Token != "" {
		if u, err := url.Parse(opts.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
			// Scoped to the repository's host; redirects are not followed so
			// the header cannot reach another host.
			scope := u.Scheme + "://" + u.Host + "/"
			add("http."+scope+".extraHeader", "Authorization: Basic "+
				base64.StdEncoding.EncodeToString([]byte(tokenUser+":"+opts.Token)))
			add("http.followRedirects", "false")
		}
	}
	if count > 0 {
		env = append(env, "GIT_CONFIG_COUNT="+strconv.Itoa(count))
	}
	return env
}

// classify turns git's failure into an error wrapping one of the sentinels.
func classify(m *masker, opts Options, runErr error, stderr string) error {
	rawURL := opts.URL
	low := strings.ToLower(stderr)
	var kind error
	switch {
	case strings.Contains(low, "authentication failed"),
		strings.Contains(low, "could not read username"),
		strings.Contains(low, "could not read password"),
		strings.Contains(low, "the requested url returned error: 401"),
		strings.Contains(low, "the requested url returned error: 403"),
		strings.Contains(low, "permission denied (publickey"):
		kind = ErrAuth
	case strings.Contains(low, "remote branch") && strings.Contains(low, "not found"):
		kind = ErrRefNotFound
	case strings.Contains(low, "not found"),
		strings.Contains(low, "does not appear to be a git repository"),
		strings.Contains(low, "does not exist"),
		strings.Contains(low, "the requested url returned error: 404"):
		kind = ErrNotFound
	}
	detail := lastLines(stderr, 4)
	if detail == "" {
		detail = runErr.Error()
	}
	if kind != nil {
		return m.failure(rawURL, kind, runErr, opts.Token != "", detail)
	}
	return m.wrap(fmt.Errorf("git clone %s: %s", redactURL(rawURL), detail))
}

func lastLines(s string, n int) string {
	s = strings.ReplaceAll(s, "\r", "\n")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.Clone(t.buf))
}

// maskWriter masks secrets in progress output. Progress lines are short and
// git does not print the token, so per-write masking is enough here.
type maskWriter struct {
	w io.Writer
	m *masker
}

func (w *maskWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.m.mask(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
