package trust

import (
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// ignoredBy reports the files (slash-separated, relative to root) that git
// ignores, by the .gitignore files in root and below and root's
// .git/info/exclude. Ignore files above root are not read: a home
// directory kept in git that ignores "*" must not hide a project's
// scripts. Patterns are read once, when the files are listed: one that
// changes later does not change what was recorded at trust.
func ignoredBy(root string) func(name string) bool {
	ps, err := gitignore.ReadPatterns(osfs.New(root), nil)
	if err != nil || len(ps) == 0 {
		return func(string) bool { return false }
	}
	m := gitignore.NewMatcher(ps)
	return func(name string) bool { return m.Match(strings.Split(name, "/"), false) }
}
