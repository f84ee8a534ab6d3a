package main

// Part (e): cloning a medium repository over smart HTTP, with plain
// `git clone` as the baseline and onboard's clone (internal/gitx) in its
// auto mode (the system git when there is one) and in its go-git mode.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/onboard-dev/onboard/internal/gitx"
)

// cloneChildArg is the hidden first argument with which the bench runs
// itself as the child that performs one onboard clone:
//
//	bench __clone auto|go URL DIR
//
// A child of its own, rather than a call in the bench process, so that the
// bench can read its wall time and peak memory the same way as for
// `git clone`.
const cloneChildArg = "__clone"

// cloneProfileEnv names, in a clone child's environment, the directory
// where it writes a CPU profile of its clone (-clone-cpuprofile).
const cloneProfileEnv = "ONBOARD_BENCH_CLONE_CPUPROFILE"

// Shape of the generated repository. The first commit adds cloneFirstFiles
// files; each of the next cloneCommits-1 commits adds cloneAddPerCommit
// files and edits 1 to 3 existing ones, so the tip has
// cloneFirstFiles + (cloneCommits-1)·cloneAddPerCommit files.
const (
	cloneCommits      = 5001
	cloneFirstFiles   = 500
	cloneAddPerCommit = 2
	cloneFiles        = cloneFirstFiles + (cloneCommits-1)*cloneAddPerCommit // 10,500
	cloneBranch       = "main"
	cloneRepoName     = "medium.git"
	// With -clone-blobs, the first commit also adds blobs/NNNN.bin files
	// of cloneBlobSize random bytes each; the repository stores them
	// without deltas (core.bigFileThreshold), as git does big files.
	cloneBlobSize = 2 << 20
)

// cloneRepo is the generated bare repository.
type cloneRepo struct {
	dir      string        // the bare repository, GIT_PROJECT_ROOT/medium.git
	head     string        // commit id of refs/heads/main
	commits  int           // `git rev-list --count`
	files    int           // files in the tip's tree
	blobs    int           // of them, incompressible blobs of cloneBlobSize
	packSize int64         // bytes of the repository's packs after repack
	build    time.Duration // fast-import
	repack   time.Duration // git repack -adf
}

// cloneRun is one finished clone: its wall time and the peak resident
// memory that wait4 reports for it.
type cloneRun struct {
	wall    time.Duration
	maxRSS  int // KiB, ru_maxrss: the largest single process
	treeRSS int // KiB, the highest sampled sum over the process tree (0: not sampled)
}

// cloneCmd is one side of (e): how to start a clone of url into dir.
type cloneCmd struct {
	label string
	argv  func(url, dir string) []string
}

// cloneResults is what (e) measured.
type cloneResults struct {
	reps  int
	repo  *cloneRepo
	gitV  string
	cmds  []cloneCmd
	runs  [][]cloneRun // per command, in the order they alternated
	tree  []int        // per command: treeRSS of its untimed, checked clone
	setup time.Duration
}

// runCloneChild is main for the hidden __clone argument: one gitx.Clone,
// exit status 0 when it succeeded, 1 when it did not.
func runCloneChild(args []string) int {
	if len(args) != 3 || (args[0] != "auto" && args[0] != "go") {
		fmt.Fprintln(os.Stderr, "usage: bench", cloneChildArg, "auto|go URL DIR")
		return 1
	}
	if dir := os.Getenv(cloneProfileEnv); dir != "" {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("clone-%s-%d.pprof", args[0], os.Getpid())))
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpu profile:", err)
			return 1
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	err := gitx.Clone(context.Background(), gitx.Options{URL: args[1], Dir: args[2], Transport: args[0]})
	if err != nil {
		fmt.Fprintln(os.Stderr, "clone:", err)
		return 1
	}
	return 0
}
