package trust

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const buildChecklist = `version: 1
steps:
  - id: build
    run: sh build.sh
    creates: bin/app
  - id: use
    run: ./bin/app && ./tool
  - id: file
    template: {src: in.tmpl, dest: out}
`

// Outside git, what a step creates: is never covered; a covered file that
// appeared after trust (a build's output without creates:) is no change,
// unless the checklist names it as a file; a changed or removed one is.
func TestEntryCheckOutsideGit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after func(root string)
		want  []string // "" in the list: none
	}{
		{"nothing", func(string) {}, nil},
		{"build output created: is not covered", func(root string) { writeFile(t, root, "bin/app", "#!/bin/sh\n", 0o755) }, nil},
		{"new script since trust", func(root string) { writeFile(t, root, "tool", "#!/bin/sh\n", 0o755) }, nil},
		{"named template appears", func(root string) { writeFile(t, root, "in.tmpl", "x", 0o644) }, []string{"added: in.tmpl"}},
		{"script changed", func(root string) { writeFile(t, root, "build.sh", "echo evil\n", 0o644) }, []string{"changed: build.sh"}},
		{"script removed", func(root string) { os.Remove(filepath.Join(root, "build.sh")) }, []string{"removed: build.sh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "onboard.yaml", buildChecklist, 0o644)
			writeFile(t, root, "build.sh", "echo build\n", 0o644)
			f := checklist(t, root, buildChecklist)
			d, s := digest(t, f, root)
			if s.Git {
				t.Fatal("a temporary directory read as a git checkout")
			}
			e := EntryFor(d, s)
			tc.after(root)
			d2, s2 := digest(t, f, root)
			ok, changes := e.Check(d2, s2)
			var got []string
			for _, c := range changes {
				got = append(got, c.String())
			}
			if ok != (len(tc.want) == 0) || !slices.Equal(got, tc.want) {
				t.Errorf("Check = %v, %q; want %q", ok, got, tc.want)
			}
		})
	}
}

// In git, a newly tracked file a word names is a change, and a tracked
// file stays covered even when a step says it creates it.
func TestEntryCheckInGit(t *testing.T) {
	text := buildChecklist + "  - id: more\n    run: sh extra.sh\n"
	root := gitRepo(t, map[string]string{"onboard.yaml": text, "build.sh": "echo build\n", "bin/app": "tracked\n"})
	f := checklist(t, root, text)
	d, s := digest(t, f, root)
	if !s.Git || !slices.Contains(s.Files, "bin/app") {
		t.Fatalf("git %v, files %q: want bin/app covered, tracked", s.Git, s.Files)
	}
	e := EntryFor(d, s)
	gitCmd(t, root, "init", "-q")
	writeFile(t, root, "extra.sh", "echo new\n", 0o644)
	gitCmd(t, root, "add", "extra.sh")
	writeFile(t, root, "bin/app", "changed\n", 0o644)
	d2, s2 := digest(t, f, root)
	ok, changes := e.Check(d2, s2)
	if ok || len(changes) != 2 || changes[0].String() != "changed: bin/app" || changes[1].String() != "added: extra.sh" {
		t.Errorf("Check = %v, %v; want bin/app changed, extra.sh added", ok, changes)
	}
}

// An entry from before files were recorded trusts its digest, and names
// nothing when it differs; the checklist's diff is cut short.
func TestEntryOldAndDiff(t *testing.T) {
	if ok, ch := (Entry{Digest: "d"}).Check("d", Summary{}); !ok || ch != nil {
		t.Errorf("old entry, same digest: %v %v", ok, ch)
	}
	if ok, ch := (Entry{Digest: "d"}).Check("e", Summary{}); ok || ch != nil {
		t.Errorf("old entry, other digest: %v %v", ok, ch)
	}
	var long []byte
	for range 200 {
		long = append(long, "line\n"...)
	}
	d := Entry{Checklist: "a\n"}.ChecklistDiff(Summary{Checklist: long, ChecklistName: "onboard.yaml"})
	if n := strings.Count(d, "\n"); n != maxDiffLines+1 || !strings.Contains(d, "more lines") {
		t.Errorf("diff of %d lines: not cut short at %d\n%s", n, maxDiffLines, d)
	}
}
