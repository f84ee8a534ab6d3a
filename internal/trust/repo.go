package trust

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// repoFiles are the repository's files under the checklist's directory:
// in a git checkout, those git tracks (its index), so that what the
// checklist's own steps make (.env, bin/, build output) is never taken for
// the repository's; elsewhere, every file, but for .git, .onboard and
// node_modules directories.
type repoFiles struct {
	files  []string            // slash-separated, relative to the root, sorted
	set    map[string]bool     //
	byBase map[string][]string // base name → files
	links  map[string]bool     // files that are symbolic links
	exec   map[string]bool     // executable files: by git's mode, or on disk outside git
	git    bool                // read from git's index
	roots  []string            // the root as given and with symlinks resolved
}

// maxSubmoduleDepth bounds how deeply submodules of submodules are read.
const maxSubmoduleDepth = 8

// listRepo lists the repository files under root. checklist is the
// checklist's path relative to root: a git index that does not track it
// belongs to some other repository (a home directory kept in git, say),
// and the files are walked instead.
func listRepo(root, checklist string) (*repoFiles, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	r := &repoFiles{set: map[string]bool{}, byBase: map[string][]string{}, links: map[string]bool{}, exec: map[string]bool{}, roots: []string{abs}}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	if resolved != abs {
		r.roots = append(r.roots, resolved)
	}
	tracked, ok := trackedFiles(resolved, 0)
	if _, has := tracked[filepath.ToSlash(checklist)]; ok && has {
		r.git = true
		for name, mode := range tracked {
			r.add(name, mode == filemode.Symlink, mode == filemode.Executable)
		}
	} else {
		walked, err := walkFiles(resolved, "")
		if err != nil {
			return nil, err
		}
		// In a git checkout that does not track the checklist (one not
		// committed yet), what git ignores (a build's output, .venv) is
		// not the repository's either.
		ignored := func(string) bool { return false }
		if ok {
			ignored = ignoredBy(resolved)
		}
		for name, mode := range walked {
			if !ignored(name) {
				r.add(name, mode&fs.ModeSymlink != 0, mode&0o111 != 0)
			}
		}
	}
	sort.Strings(r.files)
	return r, nil
}

func (r *repoFiles) add(name string, link, exec bool) {
	if r.set[name] {
		return
	}
	if exec {
		r.exec[name] = true
	}
	r.set[name] = true
	r.files = append(r.files, name)
	base := path.Base(name)
	r.byBase[base] = append(r.byBase[base], name)
	if link {
		r.links[name] = true
	}
}

// trackedFiles is what git's index holds under root, with submodules'
// files (depth counts them), by mode; ok is false when root is in no git
// checkout, or its index cannot be read.
func trackedFiles(root string, depth int) (map[string]filemode.FileMode, bool) {
	top, gitdir := "", ""
	for dir := root; ; {
		if g, ok := gitDir(dir); ok {
			top, gitdir = dir, g
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, false
		}
		dir = parent
	}
	entries, ok := readIndex(gitdir)
	if !ok {
		return nil, false
	}
	prefix, err := filepath.Rel(top, root)
	if err != nil {
		return nil, false
	}
	prefix = filepath.ToSlash(prefix) + "/"
	if prefix == "./" {
		prefix = ""
	}
	out := map[string]filemode.FileMode{}
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name, prefix)
		if !ok || !filepath.IsLocal(name) {
			continue
		}
		if e.Mode != filemode.Submodule {
			out[name] = e.Mode
			continue
		}
		// A submodule's files are in its own index; one that is not a
		// checkout of its own is walked.
		sub := filepath.Join(root, filepath.FromSlash(name))
		var files map[string]filemode.FileMode
		if _, own := gitDir(sub); own && depth < maxSubmoduleDepth {
			files, ok = trackedFiles(sub, depth+1)
		} else {
			ok = false
		}
		if !ok {
			walked, err := walkFiles(root, name)
			if err != nil {
				continue
			}
			files = map[string]filemode.FileMode{}
			for f, m := range walked {
				mode := filemode.Regular
				switch {
				case m&fs.ModeSymlink != 0:
					mode = filemode.Symlink
				case m&0o111 != 0:
					mode = filemode.Executable
				}
				files[strings.TrimPrefix(f, name+"/")] = mode
			}
		}
		for f, m := range files {
			out[name+"/"+f] = m
		}
	}
	return out, true
}

// gitDir is the git directory of a checkout whose top is dir: dir/.git, or
// where a .git file (a worktree's, a submodule's) points.
func gitDir(dir string) (string, bool) {
	dotgit := filepath.Join(dir, ".git")
	info, err := os.Lstat(dotgit)
	switch {
	case err != nil:
		return "", false
	case info.IsDir():
		return dotgit, true
	case !info.Mode().IsRegular() || info.Size() > 4096:
		return "", false
	}
	data, err := os.ReadFile(dotgit)
	if err != nil {
		return "", false
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !ok {
		return "", false
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	return target, true
}

// readIndex decodes gitdir/index. A checkout with no index yet tracks
// nothing; an index go-git cannot read (a split or sparse index) is not
// used.
func readIndex(gitdir string) ([]*index.Entry, bool) {
	f, err := os.Open(filepath.Join(gitdir, "index"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true
	}
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var idx index.Index
	if err := index.NewDecoder(bufio.NewReader(f)).Decode(&idx); err != nil {
		return nil, false
	}
	return idx.Entries, true
}

// walkFiles lists the files under root/sub (sub slash-separated, "" for
// root), relative to root, with each one's type and permissions (of a
// symbolic link itself, not followed). It skips .git, .onboard and
// node_modules directories, and what it cannot read.
func walkFiles(root, sub string) (map[string]fs.FileMode, error) {
	out := map[string]fs.FileMode{}
	start := filepath.Join(root, filepath.FromSlash(sub))
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start {
				return err
			}
			return nil // unreadable: nothing onboard's steps could read either
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".onboard", "node_modules":
				if p != start {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		out[filepath.ToSlash(rel)] = info.Mode()
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) && sub != "" {
		return out, nil
	}
	return out, err
}

// named adds the repository files a name may mean. A relative name may be
// used from any directory, so it means every file whose path ends with it
// (`gen.sh` means gen.sh and tools/gen.sh; `../x/y` means every …/x/y). An
// absolute name in the root means that file; one elsewhere (or from ~)
// means every file whose path it ends with.
func (r *repoFiles) named(n string, add func(string)) {
	if n == "" || len(n) > maxPath {
		return
	}
	if filepath.IsAbs(n) || strings.HasPrefix(n, "/") || strings.HasPrefix(n, "~") {
		for _, root := range r.roots {
			if rel, err := filepath.Rel(root, n); err == nil && filepath.IsLocal(rel) {
				r.endingWith(filepath.ToSlash(rel), add)
				return
			}
		}
		// Elsewhere: perhaps the root by another path (a symlink).
		rn := relName(n)
		for rn != "" {
			if r.set[rn] {
				add(rn)
			}
			_, rest, ok := strings.Cut(rn, "/")
			if !ok {
				break
			}
			rn = rest
		}
		return
	}
	r.endingWith(relName(n), add)
}

// endingWith adds every file whose path ends with the path rn, whole
// components only.
func (r *repoFiles) endingWith(rn string, add func(string)) {
	if rn == "" {
		return
	}
	for _, f := range r.byBase[path.Base(rn)] {
		if f == rn || strings.HasSuffix(f, "/"+rn) {
			add(f)
		}
	}
}

// matching adds every file a glob pattern may match, from any directory:
// the pattern is matched against as many trailing components of each path
// as it has.
func (r *repoFiles) matching(pattern string, add func(string)) {
	p := relName(pattern)
	if p == "" {
		return
	}
	if _, err := path.Match(p, ""); err != nil {
		return // not a valid pattern: the shell takes it as it is
	}
	k := strings.Count(p, "/") + 1
	for _, f := range r.files {
		parts := strings.Split(f, "/")
		if len(parts) < k {
			continue
		}
		if ok, _ := path.Match(p, strings.Join(parts[len(parts)-k:], "/")); ok {
			add(f)
		}
	}
}

// under is the files under dir ("" for all), in order.
func (r *repoFiles) under(dir string) []string {
	if dir == "" {
		return r.files
	}
	prefix := dir + "/"
	lo := sort.SearchStrings(r.files, prefix)
	hi := lo
	for hi < len(r.files) && strings.HasPrefix(r.files[hi], prefix) {
		hi++
	}
	return r.files[lo:hi]
}

// linkUnder reports a symbolic link under dir: a cd through it may lead
// anywhere in the repository.
func (r *repoFiles) linkUnder(dir string) bool {
	for _, f := range r.under(dir) {
		if r.links[f] {
			return true
		}
	}
	return false
}

// scriptNames are files that are scripts, or that tell a tool what to run,
// by their name; scriptExts, by their extension.
var (
	scriptNames = map[string]bool{
		"Makefile": true, "makefile": true, "GNUmakefile": true,
		"Justfile": true, "justfile": true, ".justfile": true,
		"Taskfile.yml": true, "Taskfile.yaml": true, "taskfile.yml": true, "taskfile.yaml": true,
		"Taskfile.dist.yml": true, "Taskfile.dist.yaml": true,
		"Rakefile": true, "rakefile": true, "Gemfile": true, "Procfile": true,
		"package.json": true, "Dockerfile": true,
		"docker-compose.yml": true, "docker-compose.yaml": true, "compose.yml": true, "compose.yaml": true,
	}
	scriptExts = map[string]bool{
		".sh": true, ".bash": true, ".zsh": true, ".ksh": true, ".fish": true,
		".py": true, ".rb": true, ".pl": true, ".pm": true, ".php": true, ".lua": true, ".tcl": true,
		".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".mts": true, ".cts": true,
		".ps1": true, ".bat": true, ".cmd": true, ".mk": true, ".just": true,
	}
)

// scriptByName reports a file that is a script by its name alone.
func scriptByName(name string) bool {
	base := path.Base(name)
	return scriptNames[base] || scriptExts[strings.ToLower(path.Ext(base))]
}

// script reports a repository file that is a script: by its name, because
// it is executable, or, when its name has no extension, because it starts
// with #! (read through root, two bytes at most). A file with an extension
// that is not a script's (main.go, notes.txt) is not opened: that keeps a
// no-op run from opening every file of the repository.
func (r *repoFiles) script(dirs *dirRoots, name string) bool {
	if scriptByName(name) || r.exec[name] {
		return true
	}
	if base := strings.TrimPrefix(path.Base(name), "."); strings.Contains(base, ".") {
		return false
	}
	return shebang(dirs, name)
}

// dirRoots opens each directory of the repository once, confined to the
// root, so that looking into many files of one directory costs one open
// each rather than one per component of their paths.
type dirRoots struct {
	root *os.Root
	dirs map[string]*os.Root // nil: the directory cannot be opened
}

func newDirRoots(root *os.Root) *dirRoots {
	return &dirRoots{root: root, dirs: map[string]*os.Root{".": root}}
}

func (d *dirRoots) open(name string) (*os.File, error) {
	dir, base := path.Split(name)
	dir = path.Clean(dir)
	sub, ok := d.dirs[dir]
	if !ok {
		sub, _ = d.root.OpenRoot(filepath.FromSlash(dir))
		d.dirs[dir] = sub
	}
	if sub == nil {
		return d.root.Open(filepath.FromSlash(name)) // for its error
	}
	return sub.Open(base)
}

func (d *dirRoots) Close() {
	for dir, sub := range d.dirs {
		if sub != nil && dir != "." {
			sub.Close()
		}
	}
}

// shebang reports a file that starts with #!. One that cannot be read for
// another reason than being absent (it leads outside the root, say) counts:
// it is then hashed by name and error.
func shebang(dirs *dirRoots, name string) bool {
	f, err := dirs.open(name)
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	defer f.Close()
	var head [2]byte
	n, _ := io.ReadFull(f, head[:])
	return n == 2 && head == [2]byte{'#', '!'}
}
