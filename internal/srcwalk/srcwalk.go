// Package srcwalk reads the module's own Go source, for tests that hold
// the architecture to its rules (only internal/rootfs writes files, only
// internal/run starts processes).
package srcwalk

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Files parses every non-test .go file of the module that holds dir (found
// upward by go.mod), outside the hidden directories and outside skip (a
// slash-separated path from the module root, a directory ending in "/"),
// and calls fn with its path from the module root. Positions are in fset.
func Files(dir string, fset *token.FileSet, skip []string, fn func(rel string, f *ast.File)) error {
	root, err := moduleRoot(dir)
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || skipped(rel+"/", skip) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || skipped(rel, skip) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		fn(rel, f)
		return nil
	})
}

func skipped(rel string, skip []string) bool {
	for _, s := range skip {
		if rel == s {
			return true
		}
	}
	return false
}

// moduleRoot is the directory above dir (or dir) that holds go.mod.
func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fs.ErrNotExist
		}
	}
}
