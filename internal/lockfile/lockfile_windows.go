package lockfile

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the locked byte lies: far past any content. Windows
// locks are mandatory for the byte range they cover, so locking the
// content would stop other processes from reading it, and a lock file's
// content (the holder's pid) is there to be read by the one that waits.
// LockFileEx may lock bytes past the end of the file.
const lockOffset = 1 << 62

// tryLock is LockFileEx on one byte at lockOffset, failing at once when
// another handle holds it. Windows drops the lock when the handle is
// closed or its process ends.
func tryLock(f *os.File) error {
	ol := windows.Overlapped{Offset: uint32(lockOffset & 0xffffffff), OffsetHigh: uint32(lockOffset >> 32)}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrLocked
	}
	return err
}
