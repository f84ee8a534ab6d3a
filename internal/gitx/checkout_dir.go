package gitx

import (
	"sync/atomic"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// dirHandle is a directory of the worktree, opened, so that a file is
// created in it with one openat rather than from the top, one openat per
// level (os.Root checks each): on 10,500 files 4 levels deep that was
// 0.13 s of CPU. It is closed once the walk has left it and its last
// file is written, so that the open directories are at most the queue's
// files plus the walk's depth, whatever the tree.
type dirHandle struct {
	root *rootfs.Root
	refs atomic.Int32
	top  bool // the worktree's own, closed by checkoutHead
}

// hold takes a reference for one more user.
func (d *dirHandle) hold() { d.refs.Add(1) }

// release drops a reference, closing the directory after the last.
func (d *dirHandle) release() {
	if d.refs.Add(-1) == 0 && !d.top {
		d.root.Close()
	}
}
