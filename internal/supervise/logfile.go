package supervise

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"sync"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// DefaultLogMaxSize is the size at which a service's log file is rotated
// when the configuration does not say otherwise.
const DefaultLogMaxSize = 10 << 20

// DefaultLogKeep is how many rotated log files are kept by default.
const DefaultLogKeep = 3

// RotatingFile is a service's log file, .onboard/services/logs/<name>.log,
// rotated at maxSize bytes keeping keep old files (<name>.log.1 newest …
// <name>.log.<keep> oldest); see OpenRotating. It is an io.WriteCloser safe for concurrent use,
// so that a service's stdout and stderr copiers can share one.
//
// Every open, rename and removal goes through the services directory's
// rootfs.Root: a symlink planted at .onboard/services/logs (or at a log)
// that leads outside the checkout is refused, never written through.
type RotatingFile struct {
	dir     *rootfs.Root // .onboard/services
	name    string       // slash-separated, in dir: logs/<name>.log
	path    string       // its full path, for messages
	maxSize int64
	keep    int

	mu     sync.Mutex
	file   *os.File // nil after a failed reopen (retried by Write) or Close
	size   int64    // bytes in file
	closed bool
}

// OpenRotating opens the log file name (slash-separated) in dir for
// appending, creating it (0600) and its directory (0700) as needed: logs
// can hold secrets a service prints. dir stays the caller's: the file
// uses it until Close, and does not close it. An existing file's size counts towards maxSize, so that restarts
// do not let it grow without bound. maxSize <= 0 means DefaultLogMaxSize;
// keep < 0 means DefaultLogKeep, and keep == 0 keeps no old file (rotation
// starts the log afresh).
func OpenRotating(dir *rootfs.Root, name string, maxSize int64, keep int) (*RotatingFile, error) {
	if maxSize <= 0 {
		maxSize = DefaultLogMaxSize
	}
	if keep < 0 {
		keep = DefaultLogKeep
	}
	f := &RotatingFile{dir: dir, name: name, path: dir.Path(name), maxSize: maxSize, keep: keep}
	if err := f.open(); err != nil {
		return nil, err
	}
	return f, nil
}

// open opens (or reopens) the current file and learns its size.
func (f *RotatingFile) open() error {
	if d := path.Dir(f.name); d != "." {
		if err := f.dir.MkdirAll(d, 0o700); err != nil {
			return inDir(f.dir, err)
		}
	}
	file, err := f.dir.OpenFile(f.name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		// Explain says so when a symlink leads it outside the checkout.
		return rootfs.Explain("cannot open", f.path, err)
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return err
	}
	f.file, f.size = file, fi.Size()
	return nil
}

// Write appends p to the log, rotating first when p would take the file
// past maxSize. Rotation happens at a line boundary when possible: the
// lines of p that still fit go to the current file and the rest to the
// next one, so that a line is not torn across two files. A line longer
// than maxSize (no line boundary fits even a fresh file) goes whole into a
// fresh file. Bytes are never dropped: n counts those that reached a
// file, and an error while rotating stops the write there.
func (f *RotatingFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, os.ErrClosed
	}
	if f.file == nil {
		// An earlier rotation could not reopen the file: try again
		// rather than lose the log for good.
		if err := f.open(); err != nil {
			return 0, err
		}
	}
	written := 0
	for len(p) > 0 {
		room := f.maxSize - f.size
		if int64(len(p)) <= room {
			n, err := f.write(p)
			return written + n, err
		}
		// The lines that still fit go to the current file.
		if room > 0 {
			if i := bytes.LastIndexByte(p[:room], '\n'); i >= 0 {
				n, err := f.write(p[:i+1])
				written += n
				if err != nil {
					return written, err
				}
				p = p[i+1:]
			}
		}
		if f.size > 0 {
			if err := f.rotate(); err != nil {
				return written, err
			}
			continue
		}
		// A fresh file and still no line boundary within maxSize: the
		// first line is longer than maxSize. It goes whole into this
		// file rather than being torn, and the next write rotates.
		end := len(p)
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			end = i + 1
		}
		n, err := f.write(p[:end])
		written += n
		if err != nil {
			return written, err
		}
		p = p[end:]
	}
	return written, nil
}

// write writes p to the current file, counting what was written.
func (f *RotatingFile) write(p []byte) (int, error) {
	n, err := f.file.Write(p)
	f.size += int64(n)
	return n, err
}

// rotate shifts the old files up by one, dropping the oldest, moves the
// current file to .1 and opens a fresh one. When a rename fails, the
// current file is reopened as it is, so that logging goes on (and the next
// write tries to rotate again).
func (f *RotatingFile) rotate() error {
	err := f.file.Close()
	f.file = nil
	if err == nil {
		err = f.shift()
	}
	if oerr := f.open(); err == nil {
		err = oerr
	}
	if err != nil {
		return fmt.Errorf("rotating %s: %w", f.path, err)
	}
	return nil
}

// shift renames path.(k) to path.(k+1) for k = keep-1 … 1, after removing
// path.keep, and path to path.1; with keep == 0 it removes path. (A
// removal of a file that is not there is no error: gaps are normal.)
func (f *RotatingFile) shift() error {
	if f.keep == 0 {
		return f.dir.Remove(f.name)
	}
	if err := f.dir.Remove(f.old(f.keep)); err != nil {
		return err
	}
	for k := f.keep - 1; k >= 1; k-- {
		// Gaps (fewer old files than keep so far) are normal.
		if err := f.dir.Rename(f.old(k), f.old(k+1)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return inDir(f.dir, err)
		}
	}
	return inDir(f.dir, f.dir.Rename(f.name, f.old(1)))
}

// old is the name of the k-th old file, 1 the newest.
func (f *RotatingFile) old(k int) string {
	return fmt.Sprintf("%s.%d", f.name, k)
}

// Close closes the file; later writes fail with os.ErrClosed.
func (f *RotatingFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return os.ErrClosed
	}
	f.closed = true
	if f.file == nil {
		return nil
	}
	err := f.file.Close()
	f.file = nil
	return err
}
