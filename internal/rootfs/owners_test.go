package rootfs

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/onboard-dev/onboard/internal/srcwalk"
)

// The rule of issue 17: no package but internal/rootfs writes files in the
// repository. A write anywhere else would skip the symlink confinement and
// the atomic replace that rootfs gives every write, and the next feature
// would copy it. This test reads every non-test Go file of the module
// outside internal/rootfs and fails on a call that writes through package
// os directly, unless the allow-list below says why that write is not in
// a repository.

// writeCalls are the functions of package os that change the file system.
// os.OpenFile counts only with a flag that writes (writeFlags); os.OpenRoot
// and os.OpenInRoot count because an os.Root outside rootfs is a second
// way of confining, which this package exists to be the one of.
var writeCalls = map[string]bool{
	"WriteFile": true, "Create": true, "CreateTemp": true, "MkdirTemp": true,
	"OpenFile": true, "Mkdir": true, "MkdirAll": true, "Rename": true,
	"Remove": true, "RemoveAll": true, "Symlink": true, "Link": true,
	"Chmod": true, "Chown": true, "Lchown": true, "Chtimes": true,
	"Truncate": true, "OpenRoot": true, "OpenInRoot": true,
}

// writeFlags are the os.OpenFile flags that make a call a write.
var writeFlags = []string{"O_WRONLY", "O_RDWR", "O_CREATE", "O_APPEND", "O_TRUNC"}

// allowed is every direct write outside internal/rootfs, by file (slash-
// separated, from the module root) and call, with why it is not a write
// in a repository. A directory entry ends in "/" and covers every call in
// it. An entry that no longer matches anything fails the test too, so the
// list shrinks with the code.
var allowed = map[string]string{
	// Programs and helpers that are not onboard.
	"bench/":                       "the benchmarks build their fixtures in their own temporary directories",
	"internal/testsshd/":           "test helper: an sshd with its keys and config in a test's temporary directory",
	"internal/testsvc/":            "test helper: the service binary the scripts run, writing pid files where a test says",
	"internal/supervise/testdata/": "test helper: the test server's grandchild pid file in a test's temporary directory",

	// onboard's own files outside any repository.
	"internal/trust/store.go os.MkdirAll":            "the trust store's directory in the user's config directory (~/.config/onboard)",
	"internal/trust/store.go os.Chmod":               "the trust store's directory in ~/.config/onboard, made owner-only",
	"internal/trust/trust.go os.OpenRoot":            "reads only: the files a checklist's hash covers, confined, never written",
	"internal/pins/pins.go os.OpenRoot":              "reads only: the version pin files (.nvmrc, go.mod …), confined, never written",
	"internal/gitx/hostkey.go os.MkdirAll":           "the user's ~/.ssh for known_hosts, when a host key is accepted",
	"internal/gitx/hostkey.go os.OpenFile":           "appends an accepted host key to the user's ~/.ssh/known_hosts",
	"internal/supervise/socklink_unix.go os.Mkdir":   "the user's private directory in the temporary directory for control socket links (macOS, long paths)",
	"internal/supervise/socklink_unix.go os.Remove":  "a stale control socket link in that private temporary directory",
	"internal/supervise/socklink_unix.go os.Symlink": "the control socket link in that private temporary directory, to the services directory",
	"internal/engine/workspace.go os.MkdirTemp":      "a read-only run's (check's) private directory for its items' logs, outside the checkout",
	"internal/engine/workspace.go os.OpenFile":       "an item's log in that private temporary directory",
	"internal/engine/workspace.go os.RemoveAll":      "removes that private temporary directory",

	// Files at paths the person names.
	"internal/report/report.go os.WriteFile":    "verify's JSON report at the path the person gave (--json-report): theirs to choose, in a repository or not",
	"internal/report/junit.go os.WriteFile":     "the JUnit report at the path the person gave to --junit (check, verify)",
	"internal/cli/verify_github.go os.OpenFile": "appends to $GITHUB_STEP_SUMMARY, a file of the CI runner",
	"internal/cli/verify_clone.go os.MkdirTemp": "verify's fresh clone, HOME and caches in a temporary directory of its own",
	"internal/cli/verify_clone.go os.MkdirAll":  "directories inside verify's own temporary directory",
	"internal/cli/verify_clone.go os.RemoveAll": "removes verify's own temporary directory",
	"internal/cli/verify.go os.RemoveAll":       "removes verify's own temporary directory after the run",
}

func TestOnlyRootfsWritesFiles(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	used := map[string]bool{}
	var found []string
	fset := token.NewFileSet()
	err = srcwalk.Files(root, fset, []string{"internal/rootfs/"}, func(rel string, f *ast.File) {
		for _, call := range osWrites(f) {
			key := rel + " os." + call.name
			if why := allowedFor(rel, key, used); why != "" {
				continue
			}
			found = append(found, fset.Position(call.pos).String()+": os."+call.name)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s writes files directly: write through internal/rootfs, or, for a file outside any repository, add it to the allow-list in owners_test.go with why", strings.TrimPrefix(f, root+string(filepath.Separator)))
	}
	var stale []string
	for k := range allowed {
		if !used[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("allow-list entry %q matches no write any more: remove it", k)
	}
}

// allowedFor is the allow-list's reason for key (in file rel), marking
// the entry used; "" when the write is not allowed.
func allowedFor(rel, key string, used map[string]bool) string {
	if why, ok := allowed[key]; ok {
		used[key] = true
		return why
	}
	for k, why := range allowed {
		if strings.HasSuffix(k, "/") && strings.HasPrefix(rel, k) {
			used[k] = true
			return why
		}
	}
	return ""
}

// osCall is one call of a writing function of package os.
type osCall struct {
	name string
	pos  token.Pos
}

// osWrites finds the calls of f to writeCalls, through whatever name f
// imports package os as.
func osWrites(f *ast.File) []osCall {
	var local string
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "os" {
			local = "os"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" || local == "_" {
		return nil
	}
	var calls []osCall
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); !ok || id.Name != local || !writeCalls[sel.Sel.Name] {
			return true
		}
		if sel.Sel.Name == "OpenFile" && len(call.Args) >= 2 && !writes(call.Args[1]) {
			return true
		}
		calls = append(calls, osCall{name: sel.Sel.Name, pos: call.Pos()})
		return true
	})
	return calls
}

// writes reports whether an os.OpenFile flag expression names a flag that
// writes. A flag that is not spelled out (a variable) counts as writing.
func writes(flag ast.Expr) bool {
	spelled, w := false, false
	ast.Inspect(flag, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "O_") {
			spelled = true
			for _, f := range writeFlags {
				if sel.Sel.Name == f {
					w = true
				}
			}
		}
		return true
	})
	return w || !spelled
}
