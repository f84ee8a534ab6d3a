package rootfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// gitDir refuses a path inside the repository's git directory: a file
// there is not the checkout's but git's, and a hook or a setting written
// there (core.hooksPath, core.fsmonitor, an alias) runs commands the next
// time anyone uses git; reading is refused too, as .git/config may hold
// credentials. The path is refused whether it names .git (in any case,
// through "..", or in a nested repository) or reaches it through a symlink
// the repository commits. The wording names templates: they are, today,
// the one user of checklist paths that onboard itself reads and writes.
func (r *Root) gitDir(name, what string) error {
	if gitName(filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))) {
		return fmt.Errorf("%s %s: it is inside .git, the repository's git directory, and onboard's templates never read or write there", what, name)
	}
	resolved, ok := r.resolve(name)
	if !ok {
		return nil // leads outside, or unfollowable: os.Root refuses it when used
	}
	if gitName(resolved) || r.sameAsGitDir(resolved) {
		return fmt.Errorf("%s %s: it leads into .git, the repository's git directory, through a symlink, and onboard's templates never read or write there", what, name)
	}
	return nil
}

// gitName reports whether a slash-separated path has a component that names
// a git directory on some file system: ".git" in any case, with the
// trailing dots and spaces Windows ignores, or its 8.3 short name "git~1"
// (the spellings git itself refuses in a tree).
func gitName(p string) bool {
	for _, c := range strings.Split(p, "/") {
		c = strings.TrimRight(c, ". ")
		if strings.EqualFold(c, ".git") || strings.EqualFold(c, "git~1") {
			return true
		}
	}
	return false
}

// sameAsGitDir reports whether the path, or a directory on the way to it,
// is the repository's git directory itself, compared by file identity: on a
// case-insensitive file system ".GIT" or a Unicode variant is .git too.
func (r *Root) sameAsGitDir(resolved string) bool {
	git, err := r.fs.Stat(".git")
	if err != nil || !git.IsDir() {
		return false
	}
	parts := strings.Split(resolved, "/")
	for i := range parts {
		info, err := r.fs.Stat(filepath.FromSlash(strings.Join(parts[:i+1], "/")))
		if err != nil {
			return false
		}
		if os.SameFile(info, git) {
			return true
		}
	}
	return false
}
