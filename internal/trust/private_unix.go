//go:build unix

package trust

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// private refuses a trust store file or directory that someone other than
// this user (or root) owns, or that its group or others can write. A
// missing one is fine: it trusts nothing.
func private(path string, dir bool) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fix, rm := "chmod 600 "+path, "rm "+path
	if dir {
		fix, rm = "chmod 700 "+path, "rm -r "+path
	}
	const consequence = "can make onboard run commands without asking"
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		if uid := int(st.Uid); uid != os.Geteuid() && uid != 0 {
			return &UnsafeError{Reason: fmt.Sprintf("%s belongs to uid %d, not to you (uid %d): whoever owns it %s. Remove it (%s), then trust your checklists again with `onboard trust`.",
				path, uid, os.Geteuid(), consequence, rm)}
		}
	}
	perm := info.Mode().Perm()
	var who string
	switch {
	case perm&0o002 != 0:
		who = "others"
	case perm&0o020 != 0:
		who = "its group"
	default:
		return nil
	}
	return &UnsafeError{Reason: fmt.Sprintf("%s is writable by %s (mode %04o): anyone who can write it %s. Make it yours alone: %s",
		path, who, perm, consequence, fix)}
}
