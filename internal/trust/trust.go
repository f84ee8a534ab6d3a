// Package trust decides whether a checklist may run. A checklist runs
// commands, so onboard runs one only after a person has seen what it will
// do and said yes, and again after any change to it or to a file it runs
// or renders. Trust lives outside the repository: nothing in a repository
// can trust itself.
package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// Summary is what a checklist will do, for a person to judge.
type Summary struct {
	Commands []string // every command it may run, as written
	Services []string // services it will start
	Writes   []string // files it will write
	Files    []string // files the digest covers, relative to the root
}

// Digest is the sha256 of the checklist and of the repository files it may
// run or read, so that editing any of them asks for trust again. Besides
// the checklist, it covers:
//
//   - the files the checklist names as files: templates, `from` pins,
//     compose files (even when absent: one that appears later counts);
//   - every repository file a word of a command names (see scanCommand and
//     repoFiles.named), and every word of an env: value or of an input's
//     default or options, which reach commands as variables;
//   - every repository file that is a script (by name or extension,
//     executable, or starting with #!) under the directory each command
//     runs in, or under the root when a command may leave its directory.
//
// The repository's files are those git tracks in a git checkout, or every
// file otherwise (see listRepo). Nothing outside root is ever read.
func Digest(f *config.File, root string) (string, Summary, error) {
	s := Summary{}
	refs := map[string]bool{}
	// A use is the words of a command and where it runs, or of a value
	// that reaches commands (runs is false).
	type use struct {
		w    words
		dir  string
		runs bool
	}
	var uses []use
	addCmd := func(c config.Command, dir string) {
		if c.IsZero() {
			return
		}
		text := c.Shell
		if c.Argv != nil {
			text = c.String()
		}
		s.Commands = append(s.Commands, text)
		uses = append(uses, use{scanCommand(c), dir, true})
	}
	addValue := func(v string) { uses = append(uses, use{w: scanText(v)}) }
	for _, in := range f.Inputs {
		if in.Default != nil {
			addValue(in.Default.Value)
		}
		for _, o := range in.Options {
			addValue(o.Value)
		}
	}
	for _, t := range f.Tools {
		addCmd(t.Command, "")
		if from, ok := strings.CutPrefix(strings.TrimSpace(t.Version.Value), "from "); ok {
			refs[filepath.ToSlash(filepath.Clean(strings.TrimSpace(from)))] = true
		}
	}
	for _, st := range f.Steps {
		addCmd(st.Check, st.Dir.Value)
		addCmd(st.Run, st.Dir.Value)
		for _, v := range st.Env {
			addValue(v.Value)
		}
		if st.Template != nil {
			refs[filepath.ToSlash(filepath.Clean(st.Template.Src.Value))] = true
			s.Writes = append(s.Writes, st.Template.Dest.Value)
		}
	}
	for _, svc := range f.Services {
		s.Services = append(s.Services, svc.Name)
		addCmd(svc.Run, svc.Dir.Value)
		for _, v := range svc.Env {
			addValue(v.Value)
		}
		if svc.Setup != nil {
			addCmd(svc.Setup.Check, svc.Dir.Value)
			addCmd(svc.Setup.Run, svc.Dir.Value)
		}
		if svc.Ready != nil {
			addCmd(svc.Ready.Exec, svc.Dir.Value)
		}
		if svc.Compose != nil {
			refs[filepath.ToSlash(filepath.Clean(svc.Compose.File.Value))] = true
		}
	}

	checklist := config.FileName
	if f.Path != "" {
		checklist = filepath.Base(f.Path)
	}
	repo, err := listRepo(root, checklist)
	if err != nil {
		return "", s, err
	}
	// Read through os.Root: a path that leads out of the repository is
	// hashed by name only, never read.
	r, err := os.OpenRoot(root)
	if err != nil {
		return "", s, err
	}
	defer r.Close()

	covered := map[string]bool{}
	for p := range refs {
		covered[p] = true
	}
	add := func(p string) { covered[p] = true }
	// Outside git, what the checklist's own steps made (touch done,
	// .env) cannot be told from the repository's files: only scripts
	// count there, all of them.
	dirs := map[string]bool{"": !repo.git}
	for _, u := range uses {
		if !repo.git {
			break
		}
		for _, n := range u.w.names {
			repo.named(n, add)
		}
		for _, t := range u.w.tails {
			repo.endingWith(relName(t), add)
		}
		for _, g := range u.w.globs {
			repo.matching(g, add)
		}
		if u.runs {
			dir := filepath.ToSlash(filepath.Clean(u.dir))
			if dir == "." || u.w.leaves || !filepath.IsLocal(dir) || repo.linkUnder(dir) {
				dir = ""
			}
			dirs[dir] = true
		}
	}
	// The scripts under where commands run: the root's cover the rest.
	var scriptDirs []string
	for d, ok := range dirs {
		switch {
		case !ok:
		case d == "":
			scriptDirs = []string{""}
		case len(scriptDirs) == 0 || scriptDirs[0] != "":
			scriptDirs = append(scriptDirs, d)
		}
	}
	dirRoots := newDirRoots(r)
	defer dirRoots.Close()
	for _, d := range scriptDirs {
		for _, p := range repo.under(d) {
			if !covered[p] && repo.script(dirRoots, p) {
				covered[p] = true
			}
		}
	}

	h := sha256.New()
	fmt.Fprintf(h, "onboard trust v2\n%s\n%d\n", config.FileName, len(f.Source))
	h.Write(f.Source)
	for p := range covered {
		s.Files = append(s.Files, p)
	}
	sort.Strings(s.Files)
	for _, p := range s.Files {
		data, err := r.ReadFile(filepath.FromSlash(p))
		if errors.Is(err, fs.ErrNotExist) {
			data = nil // absent now; if it appears later, trust is asked again
		} else if err != nil {
			// Outside the repository, a directory, or unreadable.
			data = []byte("unreadable: " + err.Error())
		}
		fmt.Fprintf(h, "%s\n%d\n", p, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), s, nil
}

// Store is trust.json in the user's config directory: canonical checklist
// path → digest.
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

func (s Store) load() (map[string]string, error) {
	// Whoever can write the store decides what runs without asking: as
	// ssh does with a private key, refuse one that others can write.
	if err := private(filepath.Dir(s.Path), true); err != nil {
		return nil, err
	}
	if err := private(s.Path, false); err != nil {
		return nil, err
	}
	m := map[string]string{}
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		// A damaged file trusts nothing; it is rewritten on the next yes.
		return map[string]string{}, nil
	}
	return m, nil
}

// Trusted reports whether the checklist at canonical path has this digest
// on record.
func (s Store) Trusted(path, digest string) (bool, error) {
	m, err := s.load()
	if err != nil {
		return false, err
	}
	return m[path] == digest, nil
}

// Record trusts digest for path: the file is 0600 in a 0700 directory.
func (s Store) Record(path, digest string) error {
	m, err := s.load()
	if err != nil {
		return err
	}
	m[path] = digest
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

// Render writes the summary a person reads before saying yes.
func (s Summary) Render() string {
	var b strings.Builder
	section := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "  %s:\n", title)
		for _, it := range items {
			// A multi-line command (`run: |`) keeps its lines under it.
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(strings.TrimRight(it, "\n"), "\n", "\n    "))
		}
	}
	section("commands it will run", s.Commands)
	section("services it will start", s.Services)
	section("files it will write", s.Writes)
	if b.Len() == 0 {
		b.WriteString("  (it runs no commands, starts no services and writes no files)\n")
	}
	return b.String()
}
