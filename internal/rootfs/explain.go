package rootfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Explain words an error of a file operation for a person: what failed
// ("cannot write"), the path as the checklist wrote it, and the reason
// without the system call's name ("cannot write .env: permission
// denied"). The reason stays wrapped, so errors.Is still sees it.
func Explain(what, name string, err error) error {
	err = cause(err)
	// os.Root's error for a path that escapes it is not exported; its
	// text is the one way to tell it from a file system error.
	if err.Error() == "path escapes from parent" {
		return fmt.Errorf("%s %s: it leads outside the repository through a symlink, and onboard reads and writes only inside it", what, name)
	}
	return fmt.Errorf("%s %s: %w", what, name, err)
}

// cause is the reason inside a path or link error: the system call and
// the path it names (often a temporary file) say nothing to a person.
// os.Root nests them (mkdirat around statat), so it digs to the bottom.
func cause(err error) error {
	for {
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		default:
			return err
		}
	}
}
