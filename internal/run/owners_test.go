package run

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/srcwalk"
)

// The rule of issue 17: no package but internal/run starts processes. A
// process started anywhere else gets no process group, no Pdeathsig, no
// stop → grace → kill of its tree, no masking, and is not one the guard
// knows to spare or sweep. This test reads every non-test Go file of the
// module outside internal/run and fails on a process start.

// starts are the functions that start a process, by import path.
var starts = map[string]map[string]bool{
	"os/exec": {"Command": true, "CommandContext": true},
	"os":      {"StartProcess": true},
	"syscall": {"ForkExec": true, "Exec": true, "StartProcess": true},
}

// notOnboard are the directories whose programs are not onboard: the
// benchmarks, and helpers that tests run as servers or services.
var notOnboard = []string{"bench/", "internal/testsshd/", "internal/testsvc/", "internal/supervise/testdata/"}

func TestOnlyRunStartsProcesses(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = srcwalk.Files(root, fset, append([]string{"internal/run/"}, notOnboard...), func(_ string, f *ast.File) {
		for _, pos := range processStarts(f) {
			t.Errorf("%s starts a process directly: start it through internal/run (run.Command, a Runner)", strings.TrimPrefix(fset.Position(pos).String(), root+string(os.PathSeparator)))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// processStarts finds f's calls of starts, through whatever names f
// imports those packages as.
func processStarts(f *ast.File) []token.Pos {
	names := map[string]map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if fns, ok := starts[p]; ok {
			local := filepath.Base(p)
			if imp.Name != nil {
				local = imp.Name.Name
			}
			names[local] = fns
		}
	}
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && names[id.Name][sel.Sel.Name] {
			out = append(out, sel.Pos())
		}
		return true
	})
	return out
}
