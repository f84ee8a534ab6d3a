//go:build unix

package supervise

import (
	"strings"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// plainArgv turns a shell string that is a single plain command into argv:
// ok is false when running it needs a shell (expansions, globs, tildes,
// escapes, redirections, pipes, lists, assignments, builtins).
func plainArgv(s string) (argv []string, ok bool) {
	f, err := syntax.NewParser().Parse(strings.NewReader(s), "")
	if err != nil || len(f.Stmts) != 1 {
		return nil, false
	}
	st := f.Stmts[0]
	if st.Negated || st.Background || st.Coprocess || st.Disown || len(st.Redirs) > 0 {
		return nil, false
	}
	call, isCall := st.Cmd.(*syntax.CallExpr)
	if !isCall || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil, false
	}
	for _, w := range call.Args {
		var b strings.Builder
		for i, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				if strings.ContainsAny(p.Value, `\*?[{`) || (i == 0 && strings.HasPrefix(p.Value, "~")) {
					return nil, false
				}
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				if p.Dollar {
					return nil, false
				}
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				if p.Dollar {
					return nil, false
				}
				for _, q := range p.Parts {
					l, isLit := q.(*syntax.Lit)
					if !isLit || strings.Contains(l.Value, "\\") {
						return nil, false
					}
					b.WriteString(l.Value)
				}
			default:
				return nil, false
			}
		}
		argv = append(argv, b.String())
	}
	if argv[0] == "exec" && len(argv) > 1 {
		argv = argv[1:]
	}
	if interp.IsBuiltin(argv[0]) {
		return nil, false
	}
	return argv, true
}
