package rootfs

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// maxLinks is how many symlinks one path may pass through, as Linux's
// MAXSYMLINKS; beyond it the path is taken as a loop.
const maxLinks = 40

// resolve follows the symlinks in name the way the kernel does, inside the
// checkout, and returns the slash-separated path relative to it that name
// leads to: the .git guard must see where a path lands, not how it is
// spelled. ok is false when name leads outside or the links cannot be
// followed (too many, unreadable, absolute); os.Root then refuses or
// reports the path itself. A missing component ends the links: what
// follows it is taken as written.
func (r *Root) resolve(name string) (resolved string, ok bool) {
	var done []string // resolved components, none of them a symlink
	todo := strings.Split(filepath.ToSlash(name), "/")
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", false
			}
			done = done[:len(done)-1]
			continue
		}
		next := strings.Join(append(done, c), "/")
		info, err := r.fs.Lstat(filepath.FromSlash(next))
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", false
		}
		target, err := r.fs.Readlink(filepath.FromSlash(next))
		if err != nil || filepath.IsAbs(target) || strings.HasPrefix(target, "/") {
			return "", false // os.Root refuses absolute links
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	return strings.Join(done, "/"), true
}
