//go:build unix

package supervise

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// linkSockPath names the socket at path through a symbolic link to its
// directory: tmp/onboard-UID/HASH → dir, so the name is
// tmp/onboard-UID/HASH/sock however deep the checkout is (bind(2) and
// connect(2) follow links in the directory part). The link is kept, and
// found again from the directory's hash, by the supervisor and by every
// client.
//
// tmp/onboard-UID must be a real directory of ours that nobody else may
// write: another user who could point the link at a socket of theirs
// would receive the services' specs, secrets included.
func linkSockPath(tmp, path string) (string, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	priv := filepath.Join(tmp, "onboard-"+strconv.Itoa(os.Getuid()))
	if err := os.Mkdir(priv, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	fi, err := os.Lstat(priv)
	if err != nil {
		return "", err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm() != 0o700 {
		return "", fmt.Errorf("%s must be a directory of yours with mode 0700 (it holds the links to onboard's control sockets): remove it and run onboard again", priv)
	}
	sum := sha256.Sum256([]byte(dir))
	link := filepath.Join(priv, hex.EncodeToString(sum[:8]))
	if target, err := os.Readlink(link); err != nil || target != dir {
		_ = os.Remove(link)
		// Another onboard may make the same link at the same time.
		if err := os.Symlink(dir, link); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		if target, err := os.Readlink(link); err != nil || target != dir {
			return "", fmt.Errorf("%s does not lead to %s", link, dir)
		}
	}
	name := filepath.Join(link, base)
	if len(name) > maxSockPath {
		return "", fmt.Errorf("the control socket of %s cannot have a name short enough (%s is %d bytes, over %d): set TMPDIR to a shorter directory", dir, name, len(name), maxSockPath)
	}
	return name, nil
}
