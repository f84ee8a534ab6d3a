// Package initgen reads a repository's conventions (go.mod, package.json and
// its lockfile, .env.example, docker-compose.yml, Procfile, …) and turns them
// into a first checklist for `onboard init`. Each convention family has its
// own file; every item found names the file it came from, so the maintainer
// reading the result knows why it is there.
//
// Detection only reads: it never runs a tool (a fresh clone may lack them)
// and never writes. The cli package writes what Render returns.
package initgen

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Checklist is what the conventions say, in the order onboard.yaml shows it.
type Checklist struct {
	Project  string
	Inputs   []Input
	Tools    []Tool
	Steps    []Step
	Services []Service
	// Files are the files the checklist needs besides onboard.yaml (the
	// template of .env that fills empty keys from inputs), by path.
	Files map[string]string
	// Notes are things found but not turned into items, with the reason,
	// shown as comments at the top.
	Notes []string
}

// Input is a question for the newcomer.
type Input struct {
	Name     string
	Prompt   string
	Secret   bool
	Generate int
	From     string
}

// Tool is a required program; Version is a constraint or `from FILE`.
type Tool struct {
	Name    string
	Version string
	From    string
}

// Step is a run or template step.
type Step struct {
	ID      string
	Run     string
	Check   string
	Creates string
	Needs   []string
	// Template, when set, makes this a template step.
	Template *Template
	From     string
	Comment  string // why the step looks the way it does, if not obvious
}

// Template is a template step's source and destination.
type Template struct {
	Src, Dest, Mode, Merge string
}

// Service is a native (Run) or Docker Compose (ComposeFile) service.
type Service struct {
	Name           string
	Run            string
	ComposeFile    string
	ComposeService string
	// RestartOn are the service's restart_on triggers ("file:.env").
	RestartOn []string
	From      string
	Comment   string
}

// detector reads one convention family into the checklist.
type detector func(r *repo, c *Checklist) error

// detectors run in this order, which is the order items appear in: tools
// and dependencies first, then the environment, then what runs.
var detectors = []detector{
	detectGo,
	detectNode,
	detectPython,
	detectRuby,
	detectRust,
	detectJava,
	detectToolVersions,
	detectTerraform,
	detectMake,
	detectPreCommit,
	detectDotenv,
	detectCompose,
	detectProcfile,
}

// Detect reads the repository at root and returns its checklist.
func Detect(root string) (*Checklist, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	c := &Checklist{Project: projectName(filepath.Base(abs)), Files: map[string]string{}}
	r := &repo{root: abs}
	for _, d := range detectors {
		if err := d(r, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// repo reads files at the repository root.
type repo struct{ root string }

// maxRead bounds what detection reads of one file: conventions are small
// text files, and a repository is not trusted to keep them so.
const maxRead = 1 << 20

// read returns a file's text, or ok=false when it is missing or not a
// regular file; other errors (permission) are returned.
func (r *repo) read(name string) (text string, ok bool, err error) {
	p := filepath.Join(r.root, filepath.FromSlash(name))
	info, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if !info.Mode().IsRegular() || info.Size() > maxRead {
		return "", false, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

// exists reports whether a regular file or directory name exists.
func (r *repo) exists(name string) bool {
	_, err := os.Lstat(filepath.Join(r.root, filepath.FromSlash(name)))
	return err == nil
}

// first returns the first of names that exists, or "".
func (r *repo) first(names ...string) string {
	for _, n := range names {
		if r.exists(n) {
			return n
		}
	}
	return ""
}

// addTool adds a tool unless one of that name is already there: the first
// convention that pins it (go.mod before .tool-versions) wins.
func (c *Checklist) addTool(t Tool) {
	for _, have := range c.Tools {
		if have.Name == t.Name {
			return
		}
	}
	c.Tools = append(c.Tools, t)
}

func (c *Checklist) hasTool(name string) bool {
	for _, t := range c.Tools {
		if t.Name == name {
			return true
		}
	}
	return false
}

// hasService reports whether a service name is taken.
func (c *Checklist) hasService(name string) bool {
	for _, s := range c.Services {
		if s.Name == name {
			return true
		}
	}
	return false
}

// Compiled on first use, not in init: every onboard process, its guard too, runs every package's init (issue 19).
var notID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_.-]+`) })

// projectName makes a directory name a project name and an id-safe word.
func projectName(base string) string {
	s := strings.Trim(notID().ReplaceAllString(base, "-"), "-._")
	if s == "" {
		return "project"
	}
	return s
}

// itemName makes a name from a file (a Procfile process, a compose
// service) fit onboard's id pattern, or "" when nothing is left of it.
func itemName(s string) string {
	return strings.TrimLeft(notID().ReplaceAllString(s, "-"), "-._")
}
