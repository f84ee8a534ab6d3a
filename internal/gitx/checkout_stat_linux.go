package gitx

import (
	"io/fs"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fillStat adds to e what git's index keeps of a file's stat beyond its
// time and size, as go-git does on Linux, so that git status finds the
// file unchanged without reading it again.
func fillStat(e *index.Entry, fi fs.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		e.CreatedAt = time.Unix(st.Ctim.Unix())
		e.Dev = uint32(st.Dev)
		e.Inode = uint32(st.Ino)
		e.GID = st.Gid
		e.UID = st.Uid
	}
}
