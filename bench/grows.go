package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// grows holds the parts whose workloads come in sizes, for the "grows
// with" table (issue 19): each workload's figures at 1×, 10× and 100× its
// size, side by side, so that a cost that grows faster than the work shows.
type grows struct {
	big      *bigResults
	svcs     *svcResults
	stack100 *bigStackResults
	clones   []*cloneResults
}

// reportGrows prints the "grows with" table: one row per workload, one
// column per size, each cell the size, onboard's median and its ratio to
// the baseline's. Parts that did not run leave their rows out.
func reportGrows(out io.Writer, g grows) {
	var rows [][]string
	if g.big != nil {
		row := []string{"no-op re-run (steps, needs chains; vs xargs)"}
		for i, n := range bigSizes {
			on, fl := median(g.big.noop[i][0]), median(g.big.noop[i][1])
			row = append(row, fmt.Sprintf("%d steps: %s (%.2f×)", n, ms(on), float64(on)/float64(fl)))
		}
		rows = append(rows, row)
	}
	if g.svcs != nil {
		row := []string{"services cold start (vs bash)"}
		oneOn, oneSh := median(g.svcs.oneOn), median(g.svcs.oneSh)
		row = append(row, fmt.Sprintf("1: %s (%.2f×)", ms(oneOn), float64(oneOn)/float64(oneSh)))
		on, sh := median(g.svcs.stackOn), median(g.svcs.stackSh)
		row = append(row, fmt.Sprintf("%d: %s (%.2f×)", g.svcs.stack, ms(on), float64(on)/float64(sh)))
		cold, memory := growsBigStack(g.stack100)
		if cold != "" {
			row = append(row, cold)
		}
		rows = append(rows, row)
		mem := []string{"supervisor + guard memory", "—",
			fmt.Sprintf("%d services: %s", g.svcs.rss, mib(medianInt(g.svcs.rssSup)+medianInt(g.svcs.rssGuard)))}
		if memory != "" {
			mem = append(mem, memory)
		}
		rows = append(rows, mem)
	}
	if len(g.clones) > 0 {
		wall := []string{"clone, go-git wall time (vs git clone)"}
		mem := []string{"clone, go-git peak memory (git clone's)"}
		for _, c := range g.clones {
			pack := mib(int(c.repo.packSize >> 10))
			a, gg := median(c.walls(0)), median(c.walls(2))
			wall = append(wall, fmt.Sprintf("pack %s: %s (%.2f×)", pack, ms(gg), float64(gg)/float64(a)))
			mem = append(mem, fmt.Sprintf("pack %s: %s (%s)", pack, mib(medianInt(c.rss(2))), mib(medianInt(c.rss(0)))))
		}
		rows = append(rows, wall, mem)
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "grows with: each workload at about 1×, 10× and 100× its size (medians; ratio to the baseline)")
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "workload\t1×\t10×\t100×")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}
