package steps

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// maxScript bounds what is read of one file a service's command names:
// scripts are small, and a built program is not worth reading.
const maxScript = 1 << 20

// maxScriptDepth is how deep scripts are followed: the service's command
// names a script (depth 1), that one names another (2), and so on. Real
// chains are two or three long (start.sh → env.sh → secrets.sh); the cap
// only ends a pathological one.
const maxScriptDepth = 8

// maxScripts bounds how many files one scan reads in all, so that a
// script naming many files costs at most this many reads.
const maxScripts = 64

// scriptsNamed reads the repository files that words of c name, relative
// to dir (inside root): the scripts a service runs, and, transitively up
// to maxScriptDepth, the files those name (relative to dir, where they
// run, or to their own directory, as `"$(dirname "$0")/env.sh"` does),
// each once however many scripts name it, so that a cycle ends. An
// answer read three scripts deep is used by the service as much as one
// its command names.
func scriptsNamed(root, dir string, c config.Command) []string {
	words := c.Argv
	if c.Argv == nil {
		words = shellWords(c.Shell)
	}
	w := scriptWalk{root: root, dir: dir, seen: map[string]bool{}}
	w.follow([]string{dir}, words, 1)
	return w.texts
}

// shellWords splits a command or a script into the words that may name a
// file: a word ends at blanks, quotes, operators and parentheses.
func shellWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(" \t\n;&|<>()'\"`=", r)
	})
}

// scriptWalk is one scan of the scripts a command runs.
type scriptWalk struct {
	root, dir string
	seen      map[string]bool // files read (or refused), by path
	texts     []string
}

// follow reads the files words name, relative to the first of dirs where
// one exists, then what those name in turn.
func (w *scriptWalk) follow(dirs, words []string, depth int) {
	for _, word := range words {
		if word == "" {
			continue
		}
		for _, d := range dirs {
			rel := filepath.Join(d, word)
			if !filepath.IsLocal(rel) {
				continue
			}
			text, ok := w.read(rel)
			if !ok {
				continue
			}
			if len(w.texts) >= maxScripts {
				return
			}
			w.texts = append(w.texts, text)
			// A program (a NUL byte: not text) is searched, as it may
			// name a variable itself, but its words are not followed.
			if depth < maxScriptDepth && !strings.ContainsRune(text, 0) {
				w.follow(uniq(w.dir, filepath.Dir(rel)), shellWords(text), depth+1)
			}
			break
		}
	}
}

// read is the content of the repository file rel; ok is false when it is
// not a small regular file, or was read already.
func (w *scriptWalk) read(rel string) (string, bool) {
	p, err := rootfs.Confine(w.root, rel)
	if err != nil || w.seen[p] {
		return "", false
	}
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxScript {
		return "", false
	}
	w.seen[p] = true
	data, err := os.ReadFile(p)
	if err != nil {
		return "", false
	}
	return string(data), true
}

// uniq is a and b, b left out when it is a.
func uniq(a, b string) []string {
	if filepath.Clean(a) == filepath.Clean(b) {
		return []string{a}
	}
	return []string{a, b}
}
