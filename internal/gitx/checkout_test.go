package gitx

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitIn runs git with GIT_DIR=gitDir and stdin, and returns its output.
func gitIn(t *testing.T, gitDir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Env = append(os.Environ(), "GIT_DIR="+gitDir)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// bareWithTree makes the bare repository root/acme/name.git whose main
// is one commit of the tree that build returns; build makes objects with
// its git (GIT_DIR set), which `git commit` could not make: trees written
// by hand with mktree.
func bareWithTree(t *testing.T, root, name string, build func(git func(stdin string, args ...string) string) string) {
	t.Helper()
	bare := filepath.Join(root, "acme", name+".git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	run := func(stdin string, args ...string) string { return gitIn(t, bare, stdin, args...) }
	tree := build(run)
	commit := run("", "commit-tree", "-m", "c", tree)
	run("", "update-ref", "refs/heads/main", commit)
}

// rawTree writes the tree of lines ("MODE TYPE ID\tNAME", as mktree
// reads them) as they are: mktree would refuse some (an entry whose type
// is not its object's) or sort them.
func rawTree(git func(string, ...string) string, lines string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(lines, "\n"), "\n") {
		meta, name, _ := strings.Cut(line, "\t")
		f := strings.Fields(meta)
		id, err := hex.DecodeString(f[2])
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(&b, "%s %s\x00%s", strings.TrimPrefix(f[0], "0"), name, id)
	}
	return git(b.String(), "hash-object", "-t", "tree", "--literally", "-w", "--stdin")
}

// The go-git clone's own checkout (checkoutHead) leaves what git's does:
// the same index, a clean status, executable bits, symlinks with their
// targets as committed (absolute ones too), a submodule's empty directory,
// and files in directories many levels deep, over several workers.
func TestCheckoutLikeGit(t *testing.T) {
	root := t.TempDir()
	bareWithTree(t, root, "many", func(git func(string, ...string) string) string {
		blob := func(s string) string { return git(s, "hash-object", "-w", "--stdin") }
		var leaf strings.Builder
		for i := range 300 {
			fmt.Fprintf(&leaf, "100644 blob %s\tf%03d.txt\n", blob(fmt.Sprintf("file %d\n", i)), i)
		}
		deep := git(leaf.String(), "mktree")
		mid := git(fmt.Sprintf("040000 tree %s\tc\n", deep), "mktree")
		// Two alike files, which the server's pack stores one as a delta
		// of the other, and one past checkoutStreamOver, streamed.
		var alike strings.Builder
		for i := range 400 {
			fmt.Fprintf(&alike, "line %d of a file that has many alike lines\n", i)
		}
		big := make([]byte, checkoutStreamOver+4096)
		for i := range big {
			big[i] = byte(i * 7919 >> 3)
		}
		top := fmt.Sprintf("100644 blob %s\talike1\n", blob(alike.String())) +
			fmt.Sprintf("100644 blob %s\talike2\n", blob(strings.Replace(alike.String(), "line 200 ", "a changed line 200 ", 1))) +
			fmt.Sprintf("100644 blob %s\tbig\n", blob(string(big))) +
			fmt.Sprintf("100755 blob %s\trun.sh\n", blob("#!/bin/sh\necho hi\n")) +
			fmt.Sprintf("120000 blob %s\trel\n", blob("a/b/c/f001.txt")) +
			fmt.Sprintf("120000 blob %s\tabs\n", blob("/nonexistent/target")) +
			fmt.Sprintf("160000 commit %s\tsub\n", strings.Repeat("ab", 20)) +
			fmt.Sprintf("040000 tree %s\ta\n", git(fmt.Sprintf("040000 tree %s\tb\n", mid), "mktree"))
		return git(top, "mktree")
	})
	srv := newGitServer(t, root, "")
	url := srv.URL + "/acme/many.git"
	dirs := map[string]string{}
	for _, tr := range transports {
		dirs[tr] = filepath.Join(t.TempDir(), "c")
		if err := Clone(context.Background(), Options{URL: url, Dir: dirs[tr], Transport: tr}); err != nil {
			t.Fatalf("%s: %v", tr, err)
		}
	}
	goDir, sysDir := dirs[TransportGo], dirs[TransportSystem]
	if st, err := gitCmd(goDir, "status", "--porcelain"); err != nil || st != "" {
		t.Errorf("git status after the go-git clone: %q, %v", st, err)
	}
	want, _ := gitCmd(sysDir, "ls-files", "-s")
	if got, err := gitCmd(goDir, "ls-files", "-s"); err != nil || got != want {
		t.Errorf("index of the go-git clone:\n%s\nwant (git's):\n%s", got, want)
	}
	if n := strings.Count(want, "\n") + 1; n != 307 {
		t.Errorf("git's index has %d entries, want 307", n)
	}
	if fi, err := os.Stat(filepath.Join(goDir, "run.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("run.sh: %v, %v; want executable", fi, err)
	}
	for name, target := range map[string]string{"rel": "a/b/c/f001.txt", "abs": "/nonexistent/target"} {
		if got, err := os.Readlink(filepath.Join(goDir, name)); err != nil || got != target {
			t.Errorf("%s -> %q, %v; want %q", name, got, err, target)
		}
	}
	if fi, err := os.Stat(filepath.Join(goDir, "sub")); err != nil || !fi.IsDir() {
		t.Errorf("submodule directory sub: %v, %v", fi, err)
	}
	// git status trusts the index's stat of each file: the contents are
	// compared here.
	files, _ := gitCmd(sysDir, "ls-files", "-s")
	for _, line := range strings.Split(files, "\n") {
		name := line[strings.IndexByte(line, '\t')+1:]
		if !strings.HasPrefix(line, "100") {
			continue
		}
		if got, want := readFile(t, filepath.Join(goDir, name)), readFile(t, filepath.Join(sysDir, name)); got != want {
			t.Errorf("%s: %d bytes, git's %d, different", name, len(got), len(want))
		}
	}
	if got, _ := gitCmd(sysDir, "verify-pack", "-v", clonePack(t, sysDir)); !strings.Contains(got, "chain length = 1") {
		t.Errorf("no delta in the pack, the test does not read one:\n%s", got)
	}
}

// clonePack is the one pack index of the clone in dir.
func clonePack(t *testing.T, dir string) string {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v", packs)
	}
	return packs[0]
}

// A tree that git would not check out, or not this way, fails the go-git
// clone's checkout: nothing is written through a symlink the tree makes,
// nothing lands in .git or outside the clone, and the clone is removed.
func TestCheckoutRefusesHostileTrees(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	hook := "#!/bin/sh\ntouch pwned\n"
	trees := map[string]string{
		// A symlink and a directory of the same name: the files under
		// the directory must not go where the link points.
		"link-dir-out": "120000 blob {" + outside + "}\ts\n040000 tree {tree x}\ts\n",
		"link-dir-git": "120000 blob {.git}\ts\n040000 tree {tree hooks}\ts\n",
		"gitmodules":   "120000 blob {/etc/passwd}\t.gitmodules\n",
		// A link and a submodule of the same name: the submodule's
		// directory comes first, so the link cannot lead it into .git.
		"link-submodule": "120000 blob {.git/hooks}\tm\n160000 commit " + strings.Repeat("ab", 20) + "\tm\n",
		"hfs-dotgit":     "040000 tree {tree hooks}\t.g\u200cit\n",
		"ntfs-dotgit":    "040000 tree {tree hooks}\tgit~1\n",
		"twice":          "100644 blob {one}\ta\n100644 blob {two}\ta\n",
		"blob-is-tree":   "100644 blob {tree x}\ta\n",
		"slash-in-name":  "100644 blob {one}\tx/y\n",
	}
	for name, tree := range trees {
		bareWithTree(t, root, name, func(git func(string, ...string) string) string {
			blob := func(s string) string { return git(s, "hash-object", "-w", "--stdin") }
			x := git("100644 blob "+blob("x\n")+"\tx\n", "mktree")
			hooks := git("040000 tree "+git("100755 blob "+blob(hook)+"\tpost-checkout\n", "mktree")+"\thooks\n", "mktree")
			for {
				i := strings.Index(tree, "{")
				if i < 0 {
					break
				}
				j := strings.Index(tree, "}")
				var id string
				switch what := tree[i+1 : j]; what {
				case "tree x":
					id = x
				case "tree hooks":
					id = hooks
				default:
					id = blob(what)
				}
				tree = tree[:i] + id + tree[j+1:]
			}
			return rawTree(git, tree)
		})
	}
	// Why each is refused: a link whose name is taken fails (links come
	// last, so nothing went through it), the rest as git words it.
	wants := map[string]string{
		"link-dir-out":   "checking out symlink s: ",
		"link-dir-git":   "checking out symlink s: ",
		"gitmodules":     `invalid path ".gitmodules"`,
		"link-submodule": "checking out symlink m: ",
		"hfs-dotgit":     `invalid path ".g\u200cit"`,
		"ntfs-dotgit":    `invalid path "git~1"`,
		"twice":          `"a" appears twice`,
		"blob-is-tree":   "checking out a: object not found",
		"slash-in-name":  `invalid path "x/y"`,
	}
	srv := newGitServer(t, root, "")
	for name := range trees {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "c")
			err := Clone(context.Background(), Options{URL: srv.URL + "/acme/" + name + ".git", Dir: dir, Transport: TransportGo})
			if err == nil {
				t.Fatal("the clone succeeded")
			}
			if !strings.Contains(err.Error(), wants[name]) {
				t.Errorf("error %q, want it to say %q", err, wants[name])
			}
			assertAbsent(t, dir)
			if ents, _ := os.ReadDir(outside); len(ents) > 0 {
				t.Errorf("written outside the clone: %v", ents)
			}
		})
	}
}
