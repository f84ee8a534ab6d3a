//go:build unix

package trust

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/onboard-dev/onboard/internal/config"
)

// FuzzRanFiles feeds the trust rule's shell parser any command and dir:
// it must never panic, never take seconds, cover only files inside the
// root, and never open one outside it. The file outside, reached by a
// tracked symlink, by `..` or by its absolute path, is a named pipe with
// no writer: opening it to read would block, and the fuzzer report the
// input that hangs. (TestDigestReadsNothingOutsideTheRoot edits a regular
// file outside and checks that the digest stays the same.) Run it with
//
//	go test ./internal/trust -run '^$' -fuzz '^FuzzRanFiles$' -fuzztime 200000x
func FuzzRanFiles(f *testing.F) {
	for _, seed := range []string{
		"env sh gen.sh", "exec ./gen.sh", "nice sh gen.sh", "timeout 5 sh gen.sh",
		"command sh gen.sh", "env -i sh gen.sh", `sh -c "sh gen.sh"`, `bash -c "cd x && ./y.sh"`,
		`bash -lc "sh gen.sh"`, `eval "sh gen.sh"`, "sh < gen.sh", "cat gen.sh | sh", "bash < gen.sh",
		"for f in gen.sh; do sh $f; done", "echo gen.sh | xargs sh",
		"sh <<'EOF'\nsh x/y.sh\nEOF", `sh "$ROOT/../outside.sh"`, "sh ../outside.sh; sh /etc/passwd",
		"sh link.sh", "cd .. && sh outside.sh", "sh x/{y,z}.sh", "sh x/*", "sh ~/outside.sh",
		`python3 -c "import os; os.system('sh gen.sh')"`, "a=$(b `c \"$(d)\"`)", "${x:-${y:-$(z)}}",
		"((x = 1 + $(sh gen.sh)))", "[[ -f gen.sh && $(cat data) == y ]]", "case $x in gen.sh) sh $x;; esac",
		"{a,{b,{c,{d,e}}}}", "'unterminated", "sh -c '", "\x00", "cd; cd -; pushd +1; popd",
	} {
		f.Add(seed, "")
		f.Add(seed, "x")
	}
	f.Add("sh y.sh", "../x")
	f.Add("sh y.sh", "/abs")

	top := f.TempDir()
	outside := filepath.Join(top, "outside.sh")
	root := filepath.Join(top, "repo")
	r, err := git.PlainInit(root, false)
	if err != nil {
		f.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		f.Fatal(err)
	}
	for name, text := range map[string]string{"onboard.yaml": "x", "gen.sh": "g", "data": "d", "x/y.sh": "y", "x/z": "z"} {
		writeFile(f, root, name, text, 0o644)
		if _, err := wt.Add(name); err != nil {
			f.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(outside, 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link.sh")); err != nil {
		f.Fatal(err)
	}
	if _, err := wt.Add("link.sh"); err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, shell, dir string) {
		file := &config.File{
			Path:   filepath.Join(root, "onboard.yaml"),
			Source: []byte("x"),
			Steps:  []*config.Step{{Run: config.Command{Shell: shell}, Dir: config.String{Value: dir}}},
			Services: []*config.Service{{Name: "s", Run: config.Command{Argv: []string{"sh", "-c", shell}},
				Env: map[string]config.String{"X": {Value: shell}}}},
		}
		start := time.Now()
		_, sum, err := Digest(file, root)
		if err != nil {
			t.Fatal(err)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			// A loaded machine can deschedule a worker: blame the input
			// only if it is slow twice.
			start = time.Now()
			if _, _, err := Digest(file, root); err == nil && time.Since(start) > 2*time.Second {
				t.Fatalf("Digest took %v, then %v, on %d bytes", elapsed, time.Since(start), len(shell))
			}
		}
		for _, p := range sum.Files {
			if !filepath.IsLocal(p) {
				t.Fatalf("%q covers %q, outside the root", shell, p)
			}
		}
	})
}
