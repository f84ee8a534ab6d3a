//go:build unix

package run

import (
	"io"
	"os"
	"sync"
	"syscall"
)

// copyBufs are the buffers of every output pipe's copy. A buffer is taken
// only while bytes are read and written, not while a pipe waits for
// output: io.Copy held 32 KiB per pipe for its whole life, 3.2 MiB in a
// supervisor of 100 quiet services (issue 19).
var copyBufs = sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}

// copyPipe copies r, the read end of a child's output pipe, to w until
// EOF, a read error (r was closed) or a write error, as io.Copy does.
// It waits for output through the runtime's poller with no buffer held.
func copyPipe(w io.Writer, r *os.File) {
	rc, err := r.SyscallConn()
	if err != nil {
		_, _ = io.Copy(w, r)
		return
	}
	for {
		var (
			bp   *[]byte
			n    int
			rerr error
		)
		err := rc.Read(func(fd uintptr) bool {
			bp = copyBufs.Get().(*[]byte)
			for {
				n, rerr = syscall.Read(int(fd), *bp)
				if rerr != syscall.EINTR {
					break
				}
			}
			if rerr == syscall.EAGAIN {
				// Nothing to read yet: give the buffer back and wait.
				copyBufs.Put(bp)
				bp = nil
				return false
			}
			return true
		})
		if err == nil && rerr == nil && n > 0 {
			_, err = w.Write((*bp)[:n])
		}
		if bp != nil {
			copyBufs.Put(bp)
		}
		if err != nil || rerr != nil || n <= 0 {
			return
		}
	}
}
