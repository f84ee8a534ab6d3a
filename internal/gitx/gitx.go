// Package gitx clones repositories and reads checkouts for onboard.
//
// A clone goes to a temporary sibling of the target and is renamed into place
// only when complete, so an interrupted run never leaves a partial checkout.
// Two transports share one behaviour: the system git binary (faster, honours
// the user's ssh config and credential helpers) and go-git (works on a machine
// without git). Everything after the clone reads the repository with go-git.
package gitx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// Transport names accepted in Options.Transport.
const (
	TransportAuto   = "auto"
	TransportGo     = "go"
	TransportSystem = "system"
)

// Options describes one clone.
type Options struct {
	URL       string    // repository URL: https://, http://, ssh://, git://, file://, scp-like or a local path
	Dir       string    // target directory; created, or an existing empty directory
	Branch    string    // branch or tag to check out; empty: the remote's HEAD
	Depth     int       // 0: full history
	Transport string    // "auto" (default when empty), "go" or "system"
	Progress  io.Writer // optional: git's progress output
	Token     string    // optional HTTPS token; never written to disk or shown in errors

	// MaxPackSize is the largest pack a go-git clone accepts, in bytes
	// (0: DefaultMaxPackSize; negative: no limit). It also lowers the
	// limit on one object (1 GiB) when it is smaller.
	MaxPackSize int64

	// Interactive allows the system git to prompt on the terminal (credentials,
	// passphrases). When false, prompts are disabled so a run without a
	// terminal fails instead of hanging.
	Interactive bool

	// Prompt asks about an unknown SSH host key and for key passphrases;
	// nil when there is no terminal (then those fail with the fix).
	Prompt Prompter

	// Runner starts the system git; nil is run.System.
	Runner run.Runner
}

// Sentinel errors; Clone's errors wrap one of them where it applies.
var (
	ErrInvalidInput = errors.New("invalid input")
	ErrNotEmpty     = errors.New("target is not empty and is not a git checkout")
	ErrAuth         = errors.New("authentication failed")
	ErrNotFound     = errors.New("repository not found")
	ErrRefNotFound  = errors.New("branch or tag not found")
	ErrTooLarge     = errors.New("the server's pack or one of its objects is larger than the limit")
)

// ExistsError reports that the target is already a git checkout. The caller
// decides what to do (check its origin); Clone never touches it.
type ExistsError struct {
	Dir string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s is already a git checkout", e.Dir)
}

// tempPrefix is the prefix of the temporary sibling directory of target.
func tempPrefix(target string) string {
	return "." + filepath.Base(target) + ".onboard-clone-"
}

// Clone clones opts.URL into opts.Dir. See the package documentation.
// On cancellation the returned error wraps ctx.Err().
func Clone(ctx context.Context, opts Options) (err error) {
	if err := ValidateInput(opts); err != nil {
		return err
	}
	transport, err := pickTransport(opts.Transport)
	if err != nil {
		return err
	}
	if opts.Dir == "" {
		return fmt.Errorf("%w: no target directory", ErrInvalidInput)
	}
	target, err := filepath.Abs(opts.Dir)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clone interrupted: %w", err)
	}
	emptyDir, err := checkTarget(target)
	if err != nil {
		return err
	}
	// The temporary directory, its removal and its rename into place go
	// through a rootfs.Root on the target's parent (made as needed), as
	// every write of onboard's does; the clone itself fills the
	// temporary directory (see README, "who owns what").
	parent, err := rootfs.OpenDir(filepath.Dir(target), 0o755)
	if err != nil {
		return err
	}
	defer parent.Close()
	removeStaleTemps(parent, target)

	tmpName, err := parent.MkdirTemp(".", tempPrefix(target)+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return fmt.Errorf("making a temporary directory beside %s: %w", target, err)
	}
	tmp := parent.Path(tmpName)
	defer func() {
		if err != nil {
			_ = parent.RemoveAll(tmpName)
		}
	}()
	// MkdirTemp creates 0700; a checkout is an ordinary directory.
	if err := parent.Chmod(tmpName, 0o755); err != nil {
		return err
	}

	m := newMasker(opts.Token, opts.URL)
	ssh, err := newSSHClone(opts)
	if err != nil {
		return err
	}
	switch transport {
	case TransportSystem:
		err = cloneSystem(ctx, opts, tmp, m, ssh)
	default:
		err = cloneGo(ctx, opts, tmp, m, ssh)
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("clone of %s interrupted: %w", m.mask(redactURL(opts.URL)), ctx.Err())
		}
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clone of %s interrupted: %w", m.mask(redactURL(opts.URL)), err)
	}
	if err := checkNoSecrets(tmp, m); err != nil {
		return err
	}
	base := filepath.Base(target)
	if emptyDir {
		// rename(2) replaces an empty directory on Unix, not on Windows.
		if err := parent.Remove(base); err != nil {
			return err
		}
	}
	if err := parent.Rename(tmpName, base); err != nil {
		return fmt.Errorf("moving the clone into %s: %w", target, err)
	}
	return nil
}

// ValidateInput checks what the person typed (URL, branch, depth, transport)
// before anything runs: option-like or malformed values are refused with an
// error wrapping ErrInvalidInput.
func ValidateInput(opts Options) error {
	if err := validateURL(opts.URL); err != nil {
		return err
	}
	if err := validateBranch(opts.Branch); err != nil {
		return err
	}
	if err := validateToken(opts.Token); err != nil {
		return err
	}
	if opts.Depth < 0 {
		return fmt.Errorf("%w: depth %d is negative", ErrInvalidInput, opts.Depth)
	}
	_, err := pickTransport(opts.Transport)
	return err
}

// TransportFor is the transport a clone with Options.Transport t uses:
// auto is system when git is on PATH, go otherwise.
func TransportFor(t string) string {
	tr, _ := pickTransport(t)
	return tr
}

// UsesLFS reports whether the checkout's .gitattributes routes files
// through Git LFS.
func UsesLFS(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ".gitattributes"))
	return err == nil && strings.Contains(string(b), "filter=lfs")
}

// LFSInstalled reports whether git has the LFS extension (git lfs version).
func LFSInstalled() bool {
	return run.Run(context.Background(), run.Command{Argv: []string{"git", "lfs", "version"}}) == nil
}

func pickTransport(t string) (string, error) {
	switch t {
	case "", TransportAuto:
		if _, err := exec.LookPath("git"); err == nil {
			return TransportSystem, nil
		}
		return TransportGo, nil
	case TransportGo, TransportSystem:
		return t, nil
	}
	return "", fmt.Errorf("%w: transport %q: want auto, go or system", ErrInvalidInput, t)
}

// IsCheckout reports whether dir is already a git checkout (it has a .git
// entry): Clone leaves such a directory alone and returns an ExistsError.
func IsCheckout(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil
}

// checkTarget reports whether target is an existing empty directory, and
// refuses one that is a file, a git checkout or a non-empty directory.
func checkTarget(target string) (emptyDir bool, err error) {
	fi, err := os.Lstat(target)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("%s exists and is not a directory; choose another --dir: %w", target, ErrNotEmpty)
	}
	if IsCheckout(target) {
		return false, &ExistsError{Dir: target}
	}
	f, err := os.Open(target)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) > 0 {
		return false, fmt.Errorf("%s is not empty and is not a git checkout; choose another --dir or empty it: %w", target, ErrNotEmpty)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return true, nil
}

// staleAfter is how old a temp clone of a live process must be before it is
// considered abandoned (the pid may have been reused).
const staleAfter = 24 * time.Hour

// removeStaleTemps removes temporary siblings of target left by earlier runs
// that were killed. A temp dir of a process that is still running is kept.
func removeStaleTemps(parent *rootfs.Root, target string) {
	prefix := tempPrefix(target)
	entries, err := parent.ReadDir(".")
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !e.IsDir() {
			continue
		}
		pidStr, _, _ := strings.Cut(strings.TrimPrefix(name, prefix), "-")
		pid, err := strconv.Atoi(pidStr)
		if err == nil && pid > 0 && processAlive(pid) {
			if fi, err := e.Info(); err != nil || time.Since(fi.ModTime()) < staleAfter {
				continue
			}
		}
		_ = parent.RemoveAll(name)
	}
}

// checkNoSecrets fails when a token or password ended up in the clone's
// git config.
func checkNoSecrets(dir string, m *masker) error {
	if len(m.secrets) == 0 {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		return err
	}
	if m.mask(string(b)) != string(b) {
		return errors.New("refusing the clone: a credential was written into .git/config")
	}
	return nil
}
