package trust

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// Store is trust.json in the user's config directory: canonical checklist
// path → the Entry trusted for it.
type Store struct {
	Path string
	// From says where Path came from, for messages: "XDG_CONFIG_HOME=/x"
	// or "HOME=/home/me".
	From string
}

// DefaultStore is $XDG_CONFIG_HOME/onboard/trust.json, or the OS's user
// config directory ($HOME/.config on Linux) when XDG_CONFIG_HOME is unset,
// empty or relative: the XDG Base Directory spec says a relative path is
// invalid and must be ignored, and a relative path would make the store
// whatever directory onboard runs in. Use StoreFor to also refuse a store
// inside the checkout being trusted.
func DefaultStore() (Store, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return Store{Path: filepath.Join(dir, "onboard", "trust.json"), From: "XDG_CONFIG_HOME=" + dir}, nil
	}
	var dir, from string
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		d, err := os.UserConfigDir()
		if err != nil {
			return Store{}, err
		}
		dir, from = d, "the user config directory "+d
	default:
		home := os.Getenv("HOME")
		if home == "" {
			return Store{}, errors.New("neither an absolute XDG_CONFIG_HOME nor HOME is set: onboard keeps trust in $XDG_CONFIG_HOME/onboard or $HOME/.config/onboard")
		}
		dir, from = filepath.Join(home, ".config"), "HOME="+home
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Store{}, err
	}
	return Store{Path: filepath.Join(abs, "onboard", "trust.json"), From: from}, nil
}

// StoreFor is the store that decides whether the checklist in root is
// trusted: DefaultStore, refused when it lies inside root. A repository
// that commits a trust.json for itself, and has a newcomer run onboard
// with XDG_CONFIG_HOME or HOME pointing into it, must not trust itself.
func StoreFor(root string) (Store, error) {
	s, err := DefaultStore()
	if err != nil {
		return s, err
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return s, err
	}
	// Compare both as written and with symlinks resolved, so that neither
	// a link to the checkout nor a link out of it hides where the store is.
	if within(absRoot, s.Path) || within(resolve(absRoot), resolve(s.Path)) {
		return s, &UnsafeError{Reason: fmt.Sprintf("onboard keeps trust in %s (from %s), which is inside the checkout %s: "+
			"a repository cannot trust itself. Set XDG_CONFIG_HOME, or HOME, to an absolute path outside the checkout.", s.Path, s.From, absRoot)}
	}
	return s, nil
}

// UnsafeError is a trust store onboard will not read or write: inside the
// checkout it would trust, or writable by someone other than its owner.
type UnsafeError struct{ Reason string }

func (e *UnsafeError) Error() string { return e.Reason }

// within reports whether path is dir or lies under it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve resolves the symlinks of the longest part of path that exists.
func resolve(path string) string {
	rest := ""
	for p := path; ; {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return path
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// Canonical is the key a checklist is trusted under: its absolute path with
// symlinks resolved. A byte-identical checklist elsewhere is not trusted.
func Canonical(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

func (s Store) load() (map[string]json.RawMessage, error) {
	// Whoever can write the store decides what runs without asking: as
	// ssh does with a private key, refuse one that others can write.
	if err := private(filepath.Dir(s.Path), true); err != nil {
		return nil, err
	}
	if err := private(s.Path, false); err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		// A damaged file trusts nothing; it is rewritten on the next yes.
		return map[string]json.RawMessage{}, nil
	}
	return m, nil
}

// Lookup is what was trusted for the checklist at canonical path; ok is
// false when nothing was.
func (s Store) Lookup(path string) (e Entry, ok bool, err error) {
	m, err := s.load()
	if err != nil {
		return e, false, err
	}
	raw, ok := m[path]
	if !ok {
		return e, false, nil
	}
	// An entry written before per-file hashes were kept is the digest
	// alone: it still trusts that exact digest, but names no file.
	var digest string
	if json.Unmarshal(raw, &digest) == nil {
		return Entry{Digest: digest}, true, nil
	}
	if json.Unmarshal(raw, &e) != nil {
		return Entry{}, false, nil // damaged: trusts nothing
	}
	return e, true, nil
}

// Record trusts e for path: the file is 0600 in a 0700 directory.
func (s Store) Record(path string, e Entry) error {
	m, err := s.load()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	m[path] = raw
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	return rootfs.WriteFile(s.Path, append(data, '\n'), 0o600)
}
