//go:build linux

package main

// The Linux side of part (e): generating the repository, serving it, and
// timing the clones (peak memory comes from wait4's rusage, in KiB on
// Linux, and from /proc).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// genCloneRepo writes the repository into root/medium.git: a stream for
// `git fast-import` (fed through its stdin, argv only), then `git repack
// -adf` so that the server sends a pack with the deltas a real repository
// would have instead of fast-import's loose packing.
func genCloneRepo(root string, blobs int64) (*cloneRepo, error) {
	r := &cloneRepo{dir: filepath.Join(root, cloneRepoName), blobs: int(blobs / cloneBlobSize)}
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
		cmd.Env = cloneGitEnv(root)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return strings.TrimSpace(string(out)), nil
	}
	initCmd := exec.Command("git", "init", "--quiet", "--bare", r.dir)
	initCmd.Env = cloneGitEnv(root)
	if out, err := initCmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("git init --bare: %v\n%s", err, out)
	}
	if _, err := git("symbolic-ref", "HEAD", "refs/heads/"+cloneBranch); err != nil {
		return nil, err
	}
	if r.blobs > 0 {
		// Random blobs have no deltas to find: git stores files over
		// the threshold deflated, without trying (and so does a
		// server's pack-objects).
		if _, err := git("config", "core.bigFileThreshold", "1m"); err != nil {
			return nil, err
		}
	}

	start := time.Now()
	cmd := exec.Command("git", "-C", r.dir, "fast-import", "--quiet", "--done")
	cmd.Env = cloneGitEnv(root)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git fast-import: %v", err)
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	werr := writeCloneStream(w, r.blobs)
	if werr == nil {
		werr = w.Flush()
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil || werr != nil {
		return nil, fmt.Errorf("git fast-import: %v %v\n%s", err, werr, stderr.Bytes())
	}
	r.build = time.Since(start)

	start = time.Now()
	if _, err := git("repack", "-adfq"); err != nil {
		return nil, err
	}
	r.repack = time.Since(start)

	if r.head, err = git("rev-parse", "refs/heads/"+cloneBranch); err != nil {
		return nil, err
	}
	count, err := git("rev-list", "--count", "refs/heads/"+cloneBranch)
	if err != nil {
		return nil, err
	}
	r.commits, _ = strconv.Atoi(count)
	files, err := git("ls-tree", "-r", "--name-only", "refs/heads/"+cloneBranch)
	if err != nil {
		return nil, err
	}
	r.files = strings.Count(files, "\n") + 1
	packs, _ := filepath.Glob(filepath.Join(r.dir, "objects", "pack", "*.pack"))
	for _, p := range packs {
		if fi, err := os.Stat(p); err == nil {
			r.packSize += fi.Size()
		}
	}
	if r.commits < 5000 || r.files < 10000 {
		return nil, fmt.Errorf("generated repository has %d commits and %d files; want at least 5,000 and 10,000", r.commits, r.files)
	}
	return r, nil
}

// cloneWords make up the files' text: a few hundred bytes of lines of
// words, different for every file, so that the pack holds real content and
// real deltas rather than one blob repeated.
var cloneWords = strings.Fields(`alpha beta gamma delta epsilon zeta theta kappa lambda sigma
	config service checkout onboard repository commit branch remote origin fetch merge rebase
	install build test deploy docker postgres redis cache queue worker handler router request
	response client server timeout retry backoff context cancel deadline logger metrics trace
	func return error nil struct interface package import const var type map slice channel`)

// writeCloneStream writes the fast-import stream of the repository: a
// deterministic history (fixed seed), so that every run clones the same
// thing.
func writeCloneStream(w *bufio.Writer, blobs int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	random := rand.NewChaCha8([32]byte{1, 2, 3})
	blob := make([]byte, cloneBlobSize)
	line := func() string {
		n := 4 + rng.IntN(9)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = cloneWords[rng.IntN(len(cloneWords))]
		}
		return strings.Join(ws, " ")
	}
	var paths []string
	contents := map[string][]string{} // path → its lines, for edits
	newPath := func(i int) string {
		// 3 levels: 16 top directories, 12 below each, then the files; a
		// few files sit higher up, as in a real tree.
		top := fmt.Sprintf("pkg%02d", i%16)
		if i%97 == 0 {
			return fmt.Sprintf("%s/file%05d.txt", top, i)
		}
		return fmt.Sprintf("%s/sub%02d/leaf%d/file%05d.txt", top, (i/16)%12, (i/192)%4, i)
	}
	data := func(s string) {
		fmt.Fprintf(w, "data %d\n%s\n", len(s), s)
	}
	modify := func(p string) {
		fmt.Fprintf(w, "M 100644 inline %s\n", p)
		data(strings.Join(contents[p], "\n") + "\n")
	}
	when := int64(1_600_000_000)
	for c := 0; c < cloneCommits; c++ {
		when += 60 + int64(rng.IntN(3600))
		fmt.Fprintf(w, "commit refs/heads/%s\n", cloneBranch)
		fmt.Fprintf(w, "author Bench Author <author@example.com> %d +0000\n", when)
		fmt.Fprintf(w, "committer Bench Committer <committer@example.com> %d +0000\n", when)
		data(fmt.Sprintf("change %d: %s", c, line()))
		add := cloneAddPerCommit
		if c == 0 {
			add = cloneFirstFiles
		}
		for range add {
			p := newPath(len(paths))
			lines := make([]string, 6+rng.IntN(8))
			for i := range lines {
				lines[i] = line()
			}
			contents[p] = lines
			paths = append(paths, p)
			modify(p)
		}
		if c == 0 {
			for i := range blobs {
				_, _ = random.Read(blob)
				fmt.Fprintf(w, "M 100644 inline blobs/%04d.bin\ndata %d\n", i, len(blob))
				w.Write(blob)
				w.WriteString("\n")
			}
		}
		if c > 0 {
			for range 1 + rng.IntN(3) {
				p := paths[rng.IntN(len(paths))]
				lines := contents[p]
				lines[rng.IntN(len(lines))] = line()
				if rng.IntN(4) == 0 {
					lines = append(lines, line())
				}
				contents[p] = lines
				modify(p)
			}
		}
		w.WriteString("\n")
	}
	_, err := w.WriteString("done\n")
	return err
}

// cloneGitEnv is the environment of every git the bench runs for (e): no
// system or user configuration (HOME is the bench's temp dir), so that
// settings on the machine cannot make one side differ from the other, and
// never a prompt.
func cloneGitEnv(root string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "XDG_CONFIG_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+root, "XDG_CONFIG_HOME="+filepath.Join(root, "xdg"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
}

// cloneServer serves GIT_PROJECT_ROOT over smart HTTP: `git http-backend`
// behind net/http/cgi on a free 127.0.0.1 port, as the project's tests do
// (internal/gitx/server_test.go, cmd/onboard/gitserver_test.go).
type cloneServer struct {
	url string // base URL; the repository is url + "/medium.git"
	srv *http.Server
}

// startCloneServer starts serving the bare repositories under projectRoot;
// home is git http-backend's HOME, so that no user configuration applies.
func startCloneServer(projectRoot, home string) (*cloneServer, error) {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return nil, fmt.Errorf("git --exec-path: %v", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		return nil, fmt.Errorf("git-http-backend: %v", err)
	}
	h := &cgi.Handler{
		Path: backend,
		Env: []string{
			"GIT_PROJECT_ROOT=" + projectRoot,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
			"HOME=" + home,
		},
		Stderr: io.Discard,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &cloneServer{url: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *cloneServer) close() { _ = s.srv.Close() }

// runClone starts one clone of c into dir and waits for it. The clock
// covers fork/exec to exit. The peak memory is ru_maxrss from wait4
// (ProcessState.SysUsage): on Linux the largest peak RSS of the child and
// of every descendant it waited for (index-pack, git-remote-http under
// `git clone`), a maximum over processes, not their sum.
//
// With sample set, it also polls /proc every few milliseconds for the sum
// of VmRSS over the child and all its descendants at that moment (treeRSS),
// which counts processes that run at the same time (git-remote-http,
// fetch-pack and index-pack do) together. The polling costs CPU, so the
// bench only samples in its untimed runs.
func runClone(c cloneCmd, url, dir string, env []string, sample bool) (cloneRun, error) {
	argv := c.argv(url, dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return cloneRun{}, fmt.Errorf("%s: %s: %v", c.label, strings.Join(argv, " "), err)
	}
	var tree chan int
	stop := make(chan struct{})
	if sample {
		tree = make(chan int, 1)
		go func() { tree <- sampleTreeRSS(cmd.Process.Pid, stop) }()
	}
	err := cmd.Wait()
	wall := time.Since(start)
	close(stop)
	if err != nil {
		return cloneRun{}, fmt.Errorf("%s: %s failed: %v\n%s", c.label, strings.Join(argv, " "), err, out.Bytes())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return cloneRun{}, errors.New("no rusage for a child on this system")
	}
	r := cloneRun{wall: wall, maxRSS: int(ru.Maxrss)}
	if tree != nil {
		r.treeRSS = <-tree
	}
	return r, nil
}

// sampleTreeRSS polls, every 2 ms until stop is closed, the resident
// memory of pid and of all its descendants, and returns the highest sum
// seen, in KiB. A sample can miss a short peak; wait4's ru_maxrss cannot,
// but it only gives the largest single process.
func sampleTreeRSS(pid int, stop <-chan struct{}) int {
	page := os.Getpagesize() / 1024
	peak := 0
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
		sum := 0
		for _, p := range processTree(pid) {
			// statm: size resident shared … in pages.
			b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/statm")
			if err != nil {
				continue // gone in the meantime
			}
			if f := strings.Fields(string(b)); len(f) > 1 {
				n, _ := strconv.Atoi(f[1])
				sum += n * page
			}
		}
		peak = max(peak, sum)
	}
}

// processTree is pid and every process below it, from the parent pids in
// /proc/*/stat.
func processTree(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return []int{pid}
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		children[ppid] = append(children[ppid], p)
	}
	tree := []int{pid}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree
}

// verifyClone checks a finished clone: its HEAD is the server's tip, git
// finds the worktree clean against the index, and the worktree holds every
// file of the tip.
func verifyClone(label, dir string, r *cloneRepo, env []string) error {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("%s: git %s in the clone: %v\n%s", label, strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out)), nil
	}
	head, err := git("rev-parse", "HEAD")
	if err != nil {
		return err
	}
	if head != r.head {
		return fmt.Errorf("%s: the clone's HEAD is %s, the server's %s is %s", label, head, cloneBranch, r.head)
	}
	branch, err := git("symbolic-ref", "--short", "HEAD")
	if err != nil {
		return err
	}
	if branch != cloneBranch {
		return fmt.Errorf("%s: the clone is on %q, want %q", label, branch, cloneBranch)
	}
	if status, err := git("status", "--porcelain"); err != nil {
		return err
	} else if status != "" {
		return fmt.Errorf("%s: the clone's worktree differs from its index:\n%.2000s", label, status)
	}
	n := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n != r.files {
		return fmt.Errorf("%s: the clone's worktree has %d files, the tip has %d", label, n, r.files)
	}
	return nil
}

// benchClone measures (e): it generates the repository, serves it, checks
// each side's clone once, then alternates A B C A B C … o.cloneReps times.
func benchClone(o options, root string) (*cloneResults, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	gitV, err := exec.Command("git", "version").Output()
	if err != nil {
		return nil, fmt.Errorf("git version: %v (part (e) needs git)", err)
	}
	dir := filepath.Join(root, "clone")
	if err := os.MkdirAll(filepath.Join(dir, "xdg"), 0o755); err != nil {
		return nil, err
	}
	env := cloneGitEnv(dir)
	if o.cloneProfile != "" {
		abs, err := filepath.Abs(o.cloneProfile)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, err
		}
		env = append(env, cloneProfileEnv+"="+abs)
	}

	blobs := int(o.cloneBlobs[0] / cloneBlobSize)
	progress(fmt.Sprintf("(e) generating a repository of %d commits and %d files (git fast-import, git repack -adf)", cloneCommits, cloneFiles+blobs))
	start := time.Now()
	repo, err := genCloneRepo(dir, o.cloneBlobs[0])
	if err != nil {
		return nil, err
	}
	res := &cloneResults{reps: o.cloneReps, repo: repo, gitV: strings.TrimSpace(string(gitV)), setup: time.Since(start)}
	progress(fmt.Sprintf("(e) generated in %s (fast-import %s, repack %s): %d commits, %d files, pack %s",
		ms(res.setup), ms(repo.build), ms(repo.repack), repo.commits, repo.files, mib(int(repo.packSize>>10))))

	srv, err := startCloneServer(dir, dir)
	if err != nil {
		return nil, err
	}
	defer srv.close()
	url := srv.url + "/" + cloneRepoName

	res.cmds = []cloneCmd{
		{"git clone", func(url, dir string) []string { return []string{"git", "clone", "--quiet", url, dir} }},
		{"onboard, auto", func(url, dir string) []string { return []string{self, cloneChildArg, "auto", url, dir} }},
		{"onboard, go-git", func(url, dir string) []string { return []string{self, cloneChildArg, "go", url, dir} }},
	}
	res.runs = make([][]cloneRun, len(res.cmds))
	n := 0
	target := func() string {
		n++
		return filepath.Join(dir, "work", fmt.Sprintf("c%03d", n))
	}

	// One untimed round: each side's clone is checked, its process tree's
	// memory sampled, and the server's side (repository files,
	// git-http-backend) is warm in the page cache for all of them alike.
	progress("(e) one untimed, checked clone per side, its process tree's memory sampled from /proc")
	for _, c := range res.cmds {
		t := target()
		r, err := runClone(c, url, t, env, true)
		if err != nil {
			return nil, err
		}
		res.tree = append(res.tree, r.treeRSS)
		if err := verifyClone(c.label, t, repo, env); err != nil {
			return nil, err
		}
		if err := os.RemoveAll(t); err != nil {
			return nil, err
		}
	}

	progress(fmt.Sprintf("(e) clone over smart HTTP: %d × (git clone, onboard auto, onboard go-git)", o.cloneReps))
	for i := range o.cloneReps {
		for j, c := range res.cmds {
			t := target()
			r, err := runClone(c, url, t, env, false)
			if err != nil {
				return nil, err
			}
			res.runs[j] = append(res.runs[j], r)
			if o.verbose {
				fmt.Fprintf(os.Stderr, "  %2d %-28s %s  %s\n", i+1, c.label, ms(r.wall), mib(r.maxRSS))
			}
			// Removing 10,500 files is not part of a clone: untimed.
			if err := os.RemoveAll(t); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}
