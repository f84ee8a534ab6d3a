package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// cloneSubmodules checks out dst's submodules, as verify's fresh clone of
// top needs them. A submodule the maintainer's checkout has is cloned from
// there (no network, and the commit HEAD records is there); any other from
// its URL, a relative one read against top's origin, as git reads it in a
// clone of the origin (a local clone's origin would be top itself).
func cloneSubmodules(ctx context.Context, top, dst string) error {
	if _, err := os.Stat(filepath.Join(dst, ".gitmodules")); err != nil {
		return nil
	}
	if origin, err := gitOut(ctx, top, "config", "--get", "remote.origin.url"); err == nil && strings.TrimSpace(origin) != "" {
		if _, err := gitOut(ctx, dst, "remote", "set-url", "origin", strings.TrimSpace(origin)); err != nil {
			return err
		}
	}
	if _, err := gitOut(ctx, dst, "submodule", "init"); err != nil {
		return err
	}
	paths, err := gitOut(ctx, dst, "config", "--file", ".gitmodules", "--get-regexp", `^submodule\..*\.path$`)
	if err != nil {
		return nil // no submodule has a path: nothing to check out
	}
	for _, line := range strings.Split(strings.TrimSpace(paths), "\n") {
		key, path, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(key, "submodule."), ".path")
		local := filepath.Join(top, filepath.FromSlash(path))
		if _, err := os.Stat(filepath.Join(local, ".git")); err == nil {
			if _, err := gitOut(ctx, dst, "config", "submodule."+name+".url", local); err != nil {
				return err
			}
		}
	}
	// protocol.file.allow: the local checkouts above are file URLs.
	_, err = gitOut(ctx, dst, "-c", "protocol.file.allow=always", "submodule", "update", "--recursive")
	return err
}
