// Package trust decides whether a checklist may run. A checklist runs
// commands, so onboard runs one only after a person has seen what it will
// do and said yes, and again after any change to it or to a file it runs
// or renders. Trust lives outside the repository: nothing in a repository
// can trust itself.
package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
)

// Summary is what a checklist will do, for a person to judge.
type Summary struct {
	Commands []string // every command it may run, as written
	Services []string // services it will start
	Writes   []string // files it will write
	Files    []string // files the digest covers, relative to the root

	// Hashes is the hex sha256 of each of Files, "" for one that does
	// not exist; Checklist is the checklist's text, under ChecklistName.
	Hashes        map[string]string
	Checklist     []byte
	ChecklistName string
	// Git says the repository's files are those git tracks; otherwise
	// they are every file on disk (see Entry.Check).
	Git bool
	// named are the files the checklist names as files (templates, pins,
	// compose files): covered even when absent.
	named map[string]bool
}

// Digest is the sha256 of the checklist and of the repository files it may
// run or read, so that editing any of them asks for trust again. Besides
// the checklist, it covers:
//
//   - the files the checklist names as files: templates, `from` pins,
//     compose files (even when absent: one that appears later counts);
//   - every repository file a word of a command names (see scanCommand and
//     repoFiles.named), and every word of an env: value or of an input's
//     default or options, which reach commands as variables;
//   - every repository file that is a script (by name or extension,
//     executable, or starting with #!) under the directory each command
//     runs in, or under the root when a command may leave its directory.
//
// The repository's files are those git tracks in a git checkout, or every
// file otherwise (see listRepo). Nothing outside root is ever read.
func Digest(f *config.File, root string) (string, Summary, error) {
	s := Summary{}
	refs := map[string]bool{}
	// What steps say they create (relative to the root, as the engine
	// reads it) is their output, not the repository's.
	var creates []string
	// A use is the words of a command and where it runs, or of a value
	// that reaches commands (runs is false).
	type use struct {
		w    words
		dir  string
		runs bool
	}
	var uses []use
	addCmd := func(c config.Command, dir string) {
		if c.IsZero() {
			return
		}
		text := c.Shell
		if c.Argv != nil {
			text = c.String()
		}
		s.Commands = append(s.Commands, text)
		uses = append(uses, use{scanCommand(c), dir, true})
	}
	addValue := func(v string) { uses = append(uses, use{w: scanText(v)}) }
	for _, in := range f.Inputs {
		if in.Default != nil {
			addValue(in.Default.Value)
		}
		for _, o := range in.Options {
			addValue(o.Value)
		}
	}
	for _, t := range f.Tools {
		addCmd(t.Command, "")
		if from, ok := strings.CutPrefix(strings.TrimSpace(t.Version.Value), "from "); ok {
			refs[slashClean(strings.TrimSpace(from))] = true
		}
	}
	for _, st := range f.Steps {
		addCmd(st.Check, st.Dir.Value)
		addCmd(st.Run, st.Dir.Value)
		if st.Creates.Value != "" {
			creates = append(creates, slashClean(st.Creates.Value))
		}
		for _, v := range st.Env {
			addValue(v.Value)
		}
		if st.Template != nil {
			refs[slashClean(st.Template.Src.Value)] = true
			s.Writes = append(s.Writes, st.Template.Dest.Value)
		}
	}
	for _, svc := range f.Services {
		s.Services = append(s.Services, svc.Name)
		addCmd(svc.Run, svc.Dir.Value)
		for _, v := range svc.Env {
			addValue(v.Value)
		}
		if svc.Setup != nil {
			addCmd(svc.Setup.Check, svc.Dir.Value)
			addCmd(svc.Setup.Run, svc.Dir.Value)
			if svc.Setup.Creates.Value != "" {
				creates = append(creates, slashClean(svc.Setup.Creates.Value))
			}
		}
		if svc.Ready != nil {
			addCmd(svc.Ready.Exec, svc.Dir.Value)
		}
		if svc.Compose != nil {
			refs[slashClean(svc.Compose.File.Value)] = true
		}
	}

	checklist := config.FileName
	if f.Path != "" {
		checklist = filepath.Base(f.Path)
	}
	repo, err := listRepo(root, checklist)
	if err != nil {
		return "", s, err
	}
	// In git, a tracked file stays covered whatever a step says it
	// creates: a checklist cannot take a script it runs out of the digest.
	if !repo.git {
		repo = repo.without(creates)
	}
	s.Git, s.Checklist, s.ChecklistName, s.named = repo.git, f.Source, checklist, refs
	s.Hashes = map[string]string{}
	// Read through os.Root: a path that leads out of the repository is
	// hashed by name only, never read.
	r, err := os.OpenRoot(root)
	if err != nil {
		return "", s, err
	}
	defer r.Close()

	covered := map[string]bool{}
	for p := range refs {
		covered[p] = true
	}
	add := func(p string) { covered[p] = true }
	// Outside git, what the checklist's own steps made (touch done,
	// .env) cannot be told from the repository's files: only scripts
	// count there, all of them.
	dirs := map[string]bool{"": !repo.git}
	for _, u := range uses {
		if !repo.git {
			break
		}
		for _, n := range u.w.names {
			repo.named(n, add)
		}
		for _, t := range u.w.tails {
			repo.endingWith(relName(t), add)
		}
		for _, g := range u.w.globs {
			repo.matching(g, add)
		}
		if u.runs {
			dir := filepath.ToSlash(filepath.Clean(u.dir))
			if dir == "." || u.w.leaves || !filepath.IsLocal(dir) || repo.linkUnder(dir) {
				dir = ""
			}
			dirs[dir] = true
		}
	}
	// The scripts under where commands run: the root's cover the rest.
	var scriptDirs []string
	for d, ok := range dirs {
		switch {
		case !ok:
		case d == "":
			scriptDirs = []string{""}
		case len(scriptDirs) == 0 || scriptDirs[0] != "":
			scriptDirs = append(scriptDirs, d)
		}
	}
	dirRoots := newDirRoots(r)
	defer dirRoots.Close()
	for _, d := range scriptDirs {
		for _, p := range repo.under(d) {
			if !covered[p] && repo.script(dirRoots, p) {
				covered[p] = true
			}
		}
	}

	h := sha256.New()
	fmt.Fprintf(h, "onboard trust v2\n%s\n%d\n", config.FileName, len(f.Source))
	h.Write(f.Source)
	for p := range covered {
		s.Files = append(s.Files, p)
	}
	sort.Strings(s.Files)
	for _, p := range s.Files {
		data, err := r.ReadFile(filepath.FromSlash(p))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			data = nil // absent now; if it appears later, trust is asked again
			s.Hashes[p] = ""
		case err != nil:
			// Outside the repository, a directory, or unreadable.
			data = []byte("unreadable: " + err.Error())
			s.Hashes[p] = hashOf(data)
		default:
			s.Hashes[p] = hashOf(data)
		}
		fmt.Fprintf(h, "%s\n%d\n", p, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), s, nil
}

func slashClean(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// itemLines is how many lines items take when rendered.
func itemLines(items []string) int {
	n := 0
	for _, it := range items {
		n += strings.Count(strings.TrimRight(it, "\n"), "\n") + 1
	}
	return n
}

// Render writes the summary a person reads before saying yes, whole:
// what `onboard trust` and `onboard trust --print` show.
func (s Summary) Render() string { return s.RenderAtMost(0) }

// RenderAtMost is Render for a question or an error message, which must
// fit on a screen: with more than limit lines of items (0: no limit), each
// section shows its first items only, and says how many more there are and
// where to read them all. A 2,000-step checklist would otherwise scroll
// 3,000 lines past before the question.
func (s Summary) RenderAtMost(limit int) string {
	sections := []struct {
		title, what string
		items       []string
	}{
		{"commands it will run", "commands", s.Commands},
		{"services it will start", "services", s.Services},
		{"files it will write", "files", s.Writes},
	}
	// allow[i]: the lines section i may use, 0 for all. Over the limit,
	// the sections share it: a small one (a few services) keeps all its
	// lines, the rest goes to the bigger ones, at least 3 lines each.
	allow := make([]int, len(sections))
	if limit > 0 {
		need := make([]int, len(sections))
		total := 0
		for i, sec := range sections {
			need[i] = itemLines(sec.items)
			total += need[i]
		}
		if total > limit {
			order := []int{0, 1, 2}
			sort.Slice(order, func(a, b int) bool { return need[order[a]] < need[order[b]] })
			left := limit
			for k, i := range order {
				share := left / (len(order) - k)
				allow[i] = min(need[i], max(share, 3))
				left -= allow[i]
			}
		}
	}
	var b strings.Builder
	for j, sec := range sections {
		if len(sec.items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", sec.title)
		lines := 0
		for i, it := range sec.items {
			n := itemLines(sec.items[i : i+1])
			// The last line of an allowance goes to the "… and N more".
			if allow[j] > 0 && lines+n >= allow[j] && i < len(sec.items)-1 {
				fmt.Fprintf(&b, "    … and %d more %s (`onboard trust --print` lists them all)\n", len(sec.items)-i, sec.what)
				break
			}
			lines += n
			// A multi-line command (`run: |`) keeps its lines under it.
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(strings.TrimRight(it, "\n"), "\n", "\n    "))
		}
	}
	if b.Len() == 0 {
		b.WriteString("  (it runs no commands, starts no services and writes no files)\n")
	}
	return b.String()
}
