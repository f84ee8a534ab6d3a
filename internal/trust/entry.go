package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/onboard-dev/onboard/internal/diff"
)

// Entry is what a person trusted: the digest, the hash of each file it
// covered, and the checklist's text, so that when trust is asked again
// onboard can say which files changed and show how the checklist did.
type Entry struct {
	Digest string `json:"digest"`
	// Files maps each covered file (the checklist under its own name) to
	// the hex sha256 of its content, "" when it did not exist.
	Files map[string]string `json:"files,omitempty"`
	// Checklist is the checklist's text as it was trusted.
	Checklist string `json:"checklist,omitempty"`
	// Git says the files were git's tracked files; otherwise they were
	// those on disk when trust was given (see Check).
	Git bool `json:"git,omitempty"`
}

// EntryFor is the entry that trusts this digest and summary.
func EntryFor(digest string, s Summary) Entry {
	files := make(map[string]string, len(s.Hashes)+1)
	for p, h := range s.Hashes {
		files[p] = h
	}
	files[s.ChecklistName] = hashOf(s.Checklist)
	return Entry{Digest: digest, Files: files, Checklist: string(s.Checklist), Git: s.Git}
}

// Change is one covered file that is not as it was trusted.
type Change struct {
	Path string
	What string // "changed", "added" or "removed"
}

func (c Change) String() string { return c.What + ": " + c.Path }

// Check reports whether this entry trusts what the checklist covers now,
// and otherwise which files changed since (none known for an entry made
// before files were recorded).
//
// Outside git, onboard cannot tell the repository's files from what the
// checklist's steps make, so the files are those that existed when trust
// was given: a covered file that appeared since (a build's output) is not
// a change, unless the checklist names it as a file (a template, a pin, a
// compose file), which counts even when it was absent. A file that was
// covered and is gone, or differs, is a change either way.
func (e Entry) Check(digest string, s Summary) (ok bool, changes []Change) {
	if e.Digest == digest {
		return true, nil
	}
	if e.Files == nil {
		return false, nil
	}
	if e.Files[s.ChecklistName] != hashOf(s.Checklist) {
		changes = append(changes, Change{s.ChecklistName, "changed"})
	}
	for p, cur := range s.Hashes {
		old, had := e.Files[p]
		switch {
		case had && old != cur && cur == "":
			changes = append(changes, Change{p, "removed"})
		case had && old != cur && old == "":
			changes = append(changes, Change{p, "added"})
		case had && old != cur:
			changes = append(changes, Change{p, "changed"})
		case !had && cur != "" && (s.Git || s.named[p]):
			changes = append(changes, Change{p, "added"})
		}
	}
	// A file that was covered and is no longer: gone from the
	// repository, or no longer reached by the checklist (which then
	// changed itself).
	for p, old := range e.Files {
		if _, now := s.Hashes[p]; now || p == s.ChecklistName || old == "" {
			continue
		}
		changes = append(changes, Change{p, "removed"})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return len(changes) == 0, changes
}

// maxDiffLines bounds the checklist's diff shown when trust is asked
// again: enough for an edit or two, not a page of a rewrite.
const maxDiffLines = 40

// ChecklistDiff is how the checklist changed since e was trusted, as
// `diff -u`, cut after maxDiffLines lines; "" when it did not, or when e
// does not hold its text.
func (e Entry) ChecklistDiff(s Summary) string {
	if e.Checklist == "" || e.Checklist == string(s.Checklist) {
		return ""
	}
	d := diff.Unified(s.ChecklistName+" (trusted)", s.ChecklistName+" (now)", []byte(e.Checklist), s.Checklist)
	lines := strings.SplitAfter(d, "\n")
	if len(lines) > maxDiffLines {
		d = strings.Join(lines[:maxDiffLines], "") + fmt.Sprintf("… (%d more lines)\n", len(lines)-maxDiffLines)
	}
	return d
}

func hashOf(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}
