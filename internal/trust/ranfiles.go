package trust

import (
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/onboard-dev/onboard/internal/config"
)

// words is what the text of a command says about the repository files it
// may use. No list of wrappers or interpreters decides it: every word
// counts, wherever it is and whatever program it is given to, so `env sh
// x.sh`, `cat x.sh | sh`, `sh < x.sh`, `for f in x.sh; do sh $f; done` and
// `echo x.sh | xargs sh` all name x.sh.
type words struct {
	// names are the literal words (quotes removed, braces expanded), the
	// pieces of each between characters that cannot be in a path, and
	// the same of every shell string a word holds (`sh -c "…"`, `eval
	// "…"`, a heredoc), parsed again, recursively.
	names []string
	// tails are the literal ends of words built from expansions:
	// "$ROOT/tools/x.sh" has the tail "/tools/x.sh".
	tails []string
	// globs are literal words with *, ? or [: patterns.
	globs []string
	// leaves is set when the command may run outside its directory: a
	// word built from an expansion, a path with "..", an absolute or ~
	// path, a text that is not valid shell, or a cd, pushd or popd
	// without a plain relative directory.
	leaves bool
}

const (
	// maxDepth bounds how deeply shell strings inside words are parsed
	// again; maxText bounds the text parsed for one command, so that no
	// checklist makes the digest slow.
	maxDepth = 8
	maxText  = 1 << 20
	// maxBraces bounds the words one brace expansion makes.
	maxBraces = 256
	// maxPath is longer than any path a system opens.
	maxPath = 4096
)

// scanCommand collects the words of a command, an argv list or a shell
// string.
func scanCommand(c config.Command) words {
	s := &scanner{budget: maxText}
	if c.Argv != nil {
		for _, a := range c.Argv {
			s.literal(a, 0)
		}
	} else {
		s.shell(c.Shell, 0)
	}
	return s.w
}

// scanText collects the words of a string that reaches a command some
// other way than as its text: an env: value, an input's default.
func scanText(text string) words {
	s := &scanner{budget: maxText}
	s.literal(text, 0)
	return s.w
}

type scanner struct {
	w      words
	budget int
	seen   map[string]bool // names and globs already added
	parser *syntax.Parser  // reused: a Parse leaves nothing behind in it
}

// shell parses text as a shell program and scans every word in it. Text
// that is not valid shell is scanned by its pieces.
func (s *scanner) shell(text string, depth int) {
	if depth > maxDepth || len(text) > s.budget {
		s.w.leaves = true
		s.pieces(text)
		return
	}
	s.budget -= len(text)
	if s.parser == nil {
		s.parser = syntax.NewParser()
	}
	f, err := s.parser.Parse(strings.NewReader(text), "")
	if err != nil {
		// Not shell: perhaps Python, JavaScript or awk given to a
		// program, which may do anything with the names in it.
		s.w.leaves = true
		s.pieces(text)
		return
	}
	outputs := map[*syntax.Word]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Redirect:
			// What a command writes to is not something it runs.
			switch n.Op {
			case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.DplOut,
				syntax.RdrAll, syntax.RdrAllClob, syntax.AppAll, syntax.AppAllClob:
				outputs[n.Word] = true
			}
		case *syntax.CallExpr:
			s.call(n)
		case *syntax.Word:
			if !outputs[n] {
				s.word(n, depth)
			}
		}
		return true // expansions inside a word hold words too
	})
}

// call notes a cd, pushd or popd that goes where the words do not say.
func (s *scanner) call(c *syntax.CallExpr) {
	if len(c.Args) == 0 {
		return
	}
	switch c.Args[0].Lit() {
	case "cd", "pushd", "popd":
	default:
		return
	}
	if len(c.Args) < 2 {
		s.w.leaves = true // to $HOME, or back to where it was
		return
	}
	for _, a := range c.Args[1:] {
		text, literal, _ := wordText(a.Parts, false)
		if !literal || text == "-" || strings.HasPrefix(text, "+") || leavesDir(text) {
			s.w.leaves = true
		}
	}
}

// word scans one word of a parsed shell program.
func (s *scanner) word(w *syntax.Word, depth int) {
	text, literal, tail := wordText(w.Parts, false)
	if !literal {
		s.w.leaves = true
		if tail != "" {
			s.w.tails = append(s.w.tails, tail)
		}
	}
	for _, t := range expandBraces(text) {
		s.literal(t, depth)
	}
}

// literal scans a string that is, or may be, a word: itself, its pieces,
// and, when it may be a shell program, the words of that program.
func (s *scanner) literal(text string, depth int) {
	if text == "" {
		return
	}
	s.name(text)
	s.pieces(text)
	// Parse it again when it may hold more than one word or an
	// expansion; not for the placeholders of its own expansions.
	if strings.ContainsAny(strings.ReplaceAll(text, placeholder, ""), " \t\n;&|<>()`$\"'\\") {
		s.shell(text, depth+1)
	}
}

// pieces adds the parts of text between characters that cannot be in a
// path: `--file=x.sh`, `a:b`, `open('x.py')` name x.sh, b and x.py.
func (s *scanner) pieces(text string) {
	for _, p := range strings.FieldsFunc(text, notInPath) {
		if p != text {
			s.name(p)
		}
	}
}

func (s *scanner) name(n string) {
	if s.seen[n] {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[n] = true
	if strings.ContainsAny(n, "*?[") {
		s.w.globs = append(s.w.globs, n)
	}
	if leavesDir(n) {
		s.w.leaves = true
	}
	s.w.names = append(s.w.names, n)
}

// notInPath reports the characters that end a piece of a word: space and
// what shells and most languages use around names.
func notInPath(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\'', '"', '`', ';', '&', '|', '(', ')', '<', '>',
		'$', '\\', '=', ':', ',', '{', '}', '[', ']', '!', '*', '?':
		return true
	}
	return false
}

// leavesDir reports a path that may lead out of the directory it is used
// in: absolute, from ~, or through "..".
func leavesDir(p string) bool {
	p = filepath.ToSlash(p)
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || filepath.IsAbs(p) {
		return true
	}
	for _, e := range strings.Split(p, "/") {
		if e == ".." {
			return true
		}
	}
	return false
}

// placeholder stands for an expansion in the text of a word, so that the
// text, parsed again as shell, still has an expansion there.
const placeholder = "$_"

// wordText is the text of a word with quotes removed and each expansion
// ($VAR, $(cmd), $((n)), <(cmd), an extended glob) replaced by a
// placeholder; literal says there was none, and tail is the literal text
// after the last one.
func wordText(parts []syntax.WordPart, quoted bool) (text string, literal bool, tail string) {
	var b strings.Builder
	literal = true
	last := 0 // where the text after the last expansion starts
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, quoted))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			t, lit, _ := wordText(p.Parts, true)
			b.WriteString(t)
			if !lit {
				literal = false
				last = b.Len() - len(t) + strings.LastIndex(t, placeholder) + len(placeholder)
			}
		default:
			literal = false
			b.WriteString(placeholder)
			last = b.Len()
		}
	}
	text = b.String()
	if !literal {
		tail = text[last:]
	}
	return text, literal, tail
}

// unescape removes the backslashes a shell removes: before any character
// outside quotes, before $ ` " \ and a newline inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		switch {
		case next == '\n':
			i++ // a line continuation
		case !quoted || strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// expandBraces is the words a brace expansion makes of text
// (`tools/{a,b}.sh` → tools/a.sh, tools/b.sh), text itself among them, at
// most maxBraces of them. Sequences ({1..3}) are left as they are, and so
// is text longer than a path can be.
func expandBraces(text string) []string {
	out := []string{text}
	if len(text) > maxPath {
		return out
	}
	for i := 0; i < len(out) && len(out) < maxBraces; i++ {
		pre, alts, post, ok := splitBrace(out[i])
		if !ok {
			continue
		}
		for _, a := range alts {
			if len(out) == maxBraces {
				break
			}
			out = append(out, pre+a+post)
		}
	}
	return out
}

// splitBrace finds the first {a,b,…} group to close that has a comma of
// its own, in one pass.
func splitBrace(s string) (pre string, alts []string, post string, ok bool) {
	type group struct {
		open   int
		commas []int
	}
	var stack []group
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			stack = append(stack, group{open: i})
		case ',':
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				top.commas = append(top.commas, i)
			}
		case '}':
			if len(stack) == 0 {
				continue
			}
			g := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(g.commas) == 0 {
				continue
			}
			start := g.open + 1
			for _, c := range g.commas {
				alts = append(alts, s[start:c])
				start = c + 1
			}
			return s[:g.open], append(alts, s[start:i]), s[i+1:], true
		}
	}
	return "", nil, "", false
}

// relName is a name as a clean slash-separated path relative to some
// directory, without the leading "/", "~…/", "./" and "../" that say
// which: "" when nothing is left.
func relName(n string) string {
	n = filepath.ToSlash(n)
	if strings.HasPrefix(n, "~") {
		i := strings.IndexByte(n, '/')
		if i < 0 {
			return ""
		}
		n = n[i+1:]
	}
	n = path.Clean("/" + n)[1:]
	return n
}
