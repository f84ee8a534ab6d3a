package trust

import (
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/onboard-dev/onboard/internal/config"
)

// interpreters run the script named by their first non-option argument.
// "." and "source" read one into the shell itself.
var interpreters = map[string]bool{"sh": true, "bash": true, "zsh": true, "python": true, "python3": true,
	"node": true, "ruby": true, "perl": true, "pwsh": true, "deno": true, "bun": true, ".": true, "source": true}

// ranFiles is every repository file a command runs, relative to the
// repository root: a program given by path (`./setup.sh`), the script an
// interpreter runs (`sh scripts/x.sh`, `python3 tools/gen.py`), or the
// Makefile `make` reads. Other words are left out: they may be files the
// command creates. dir is the item's `dir:`.
//
// A shell string is parsed, so every simple command in it counts, not
// only the first: `npm ci && ./scripts/seed.sh`, `true | sh x.sh`, a
// subshell, a function body. A literal `cd` moves where the later paths
// are looked for (`cd tools && ./gen.sh` runs tools/gen.sh); since a cd in
// a subshell or a branch may not apply later, a path after a cd counts
// both where the cd leads and where the item runs.
func ranFiles(c config.Command, dir string) []string {
	if c.Argv != nil {
		return refsIn(nil, dir, c.Argv)
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(c.Shell), "")
	if err != nil {
		// Not valid shell: it fails when run; hash what its words name.
		return refsIn(nil, dir, strings.Fields(c.Shell))
	}
	var refs []string
	cwd, known := dir, true
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		words := literalWords(call.Args)
		if len(words) > 0 && words[0] == "cd" {
			switch {
			case len(words) == 2 && len(call.Args) == 2 && !filepath.IsAbs(words[1]) && words[1] != "-":
				cwd = filepath.Join(cwd, words[1])
			default:
				known = false // cd to $VAR, ~, /abs, -: only the item's dir is sure
			}
			return true
		}
		refs = refsIn(refs, dir, words)
		if known && cwd != dir {
			refs = refsIn(refs, cwd, words)
		}
		return true
	})
	return refs
}

// literalWords is the leading words of a simple command that are plain
// text (quotes allowed), up to the first that expands something.
func literalWords(args []*syntax.Word) []string {
	var words []string
	for _, w := range args {
		var b strings.Builder
		for _, p := range w.Parts {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					lit, ok := q.(*syntax.Lit)
					if !ok {
						return words
					}
					b.WriteString(lit.Value)
				}
			default:
				return words
			}
		}
		words = append(words, b.String())
	}
	return words
}

// refsIn adds to refs the file the command words runs, looked for in cwd.
func refsIn(refs []string, cwd string, words []string) []string {
	if len(words) == 0 {
		return refs
	}
	prog := words[0]
	switch {
	case prog == "make":
		return append(refs, filepath.Join(cwd, "Makefile"))
	case strings.Contains(prog, "/") && !filepath.IsAbs(prog):
		return append(refs, filepath.Join(cwd, prog))
	case interpreters[filepath.Base(prog)]:
		for _, w := range words[1:] {
			if strings.HasPrefix(w, "-") {
				continue
			}
			if filepath.IsAbs(w) {
				return refs
			}
			return append(refs, filepath.Join(cwd, w))
		}
	}
	return refs
}
