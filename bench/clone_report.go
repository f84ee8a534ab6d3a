package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Targets for the clone part, from the issue: onboard's clone against
// `git clone` of the same repository from the same server.
const (
	targetCloneAuto  = 1.05 // wall time, auto mode (system git)
	targetCloneGo    = 1.3  // wall time, go-git (issue 19; 2.5 before)
	targetCloneGoMem = 8.0  // peak RSS, go-git
	// Issue 19: go-git's peak RSS stays under this whatever the pack's
	// size (-clone-blobs makes the pack larger).
	targetCloneGoMemMiB = 150
)

// walls is command i's wall times, one per timed run.
func (r *cloneResults) walls(i int) []time.Duration {
	ds := make([]time.Duration, len(r.runs[i]))
	for j, run := range r.runs[i] {
		ds[j] = run.wall
	}
	return ds
}

// rss is command i's peak memories (ru_maxrss, KiB), one per timed run.
func (r *cloneResults) rss(i int) []int {
	xs := make([]int, len(r.runs[i]))
	for j, run := range r.runs[i] {
		xs[j] = run.maxRSS
	}
	return xs
}

// describeClone is the part of the header that says what (e) runs.
func describeClone(out io.Writer, r *cloneResults) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	g := r.repo
	p("(e) clone of a generated repository over smart HTTP (%s): %d commits, %d files in 3 levels of directories,", r.gitV, g.commits, g.files)
	if g.blobs > 0 {
		p("    a few hundred bytes of text each, and %d of them incompressible blobs of %s (-clone-blobs, %s in all);",
			g.blobs, mib(cloneBlobSize>>10), mib(g.blobs*cloneBlobSize>>10))
		p("    pack %s after `git repack -adf`; made in %s (fast-import %s, repack %s), untimed.",
			mib(int(g.packSize>>10)), ms(r.setup), ms(g.build), ms(g.repack))
	} else {
		p("    a few hundred bytes of text each; pack %s after `git repack -adf`; made in %s (fast-import %s, repack %s), untimed.",
			mib(int(g.packSize>>10)), ms(r.setup), ms(g.build), ms(g.repack))
	}
	p("    served by `git http-backend` behind net/http/cgi on 127.0.0.1, in the bench process. Each clone goes into a fresh")
	p("    directory, removed afterwards (untimed). A: `git clone --quiet URL DIR`; B and C: the bench re-run as a child")
	p("    (`bench __clone auto|go URL DIR`) calling gitx.Clone with Transport auto (here: the system git) or go (go-git).")
	p("    Peak memory: ru_maxrss from wait4 of the child, i.e. the largest peak RSS among the child and the descendants")
	p("    it waited for (git-remote-http, index-pack under git clone) — the largest single process, not a sum; also shown,")
	p("    for information, the highest sum over the process tree at one moment, sampled from /proc in an untimed run.")
}

// reportClone adds the rows of (e) to the table.
func reportClone(tw io.Writer, r *cloneResults, verdict func(bool) string) {
	a, b, c := median(r.walls(0)), median(r.walls(1)), median(r.walls(2))
	ma, mb, mc := medianInt(r.rss(0)), medianInt(r.rss(1)), medianInt(r.rss(2))
	rb, rc := float64(b)/float64(a), float64(c)/float64(a)
	rm := float64(mc) / float64(ma)
	fmt.Fprintf(tw, "clone, auto (system git)\t%s\tgit clone %s\t%.2f×\t≤ %.2f×\t%s\n",
		ms(b), ms(a), rb, targetCloneAuto, verdict(rb <= targetCloneAuto))
	fmt.Fprintf(tw, "clone, go-git\t%s\tgit clone %s\t%.2f×\t≤ %.2f×\t%s\n",
		ms(c), ms(a), rc, targetCloneGo, verdict(rc <= targetCloneGo))
	fmt.Fprintf(tw, "clone, go-git, peak RSS\t%s\tgit clone %s\t%.2f×\t≤ %.2f×\t%s\n",
		mib(mc), mib(ma), rm, targetCloneGoMem, verdict(rm <= targetCloneGoMem))
	fmt.Fprintf(tw, "clone, go-git, peak RSS, pack %s\t%s\t—\t—\t≤ %d MiB\t%s\n",
		mib(int(r.repo.packSize>>10)), mib(mc), targetCloneGoMemMiB, verdict(mc <= targetCloneGoMemMiB<<10))
	fmt.Fprintf(tw, "  clone, auto, peak RSS\t%s\tgit clone %s\t%.2f×\t—\tinfo\n",
		mib(mb), mib(ma), float64(mb)/float64(ma))
	ta, tc := r.tree[0], r.tree[2]
	fmt.Fprintf(tw, "  go-git, RSS of the process tree\t%s\tgit clone %s\t%.2f×\t—\tinfo\n",
		mib(tc), mib(ta), float64(tc)/float64(ta))
}

// reportCloneDetails is the (e) part of the detail block.
func reportCloneDetails(out io.Writer, r *cloneResults) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p("")
	p("(e) medians and min–max of alternating clones (A B C A B C …), %d each:", r.reps)
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "  \twall\t\tpeak RSS\t")
	for i, c := range r.cmds {
		xs := r.rss(i)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s–%s\n", c.label, ms(median(r.walls(i))), spread(r.walls(i)),
			mib(medianInt(xs)), mib(slices.Min(xs)), mib(slices.Max(xs)))
	}
	tw.Flush()
	a := median(r.walls(0))
	p("  onboard auto − git clone: %+.1f ms; onboard go-git − git clone: %+.1f ms",
		msf(median(r.walls(1))-a), msf(median(r.walls(2))-a))
	p("  peak RSS is ru_maxrss (wait4): the largest single process among the child and the descendants it waited for.")
	p("  summed over the whole process tree instead (/proc sampled every 2 ms, in the untimed checked clone):")
	p("  git clone %s, onboard auto %s, onboard go-git %s", mib(r.tree[0]), mib(r.tree[1]), mib(r.tree[2]))
}
