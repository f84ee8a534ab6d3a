package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// (f) A big checklist: 2,000 `run:` steps in needs chains 50 deep — half
// `check: test -f`, half `creates:` — converged, then re-run as a no-op
// beside the floor: a script that runs the same 2,000 checks through
// `xargs -P <CPUs>`. The same at 20 and 200 steps shows how the cost grows.
// validate and plan of the 2,000 steps, and the no-op's peak memory, have
// absolute targets.

const (
	targetBigValidate = 100 * time.Millisecond
	targetBigPlan     = 150 * time.Millisecond
	targetBigMiB      = 64
	bigChain          = 50 // steps per needs chain
)

// bigSizes are the checklist sizes: 1×, 10× and 100× the smallest.
var bigSizes = []int{20, 200, 2000}

// bigResults is what (f) measured.
type bigResults struct {
	reps           int
	noop           [][2][]time.Duration // per size: onboard, floor
	validate, plan []time.Duration      // of the largest
	peakMiB        float64              // the largest no-op's peak RSS (guard and worker alike)
}

// benchBig measures (f).
func benchBig(o options, f *fixture) (*bigResults, error) {
	res := &bigResults{reps: o.bigReps}
	var dir string
	for _, n := range bigSizes {
		dir = filepath.Join(f.root, fmt.Sprintf("big-%d", n))
		floor, err := writeBig(dir, n, f.jobs)
		if err != nil {
			return nil, err
		}
		ob := func(args ...string) command {
			return command{label: "onboard " + strings.Join(args, " "), dir: dir, argv: append([]string{f.onboard}, args...)}
		}
		progress(fmt.Sprintf("(f) converging the %d-step checklist once", n))
		if _, err := f.run(ob("trust")); err != nil {
			return nil, err
		}
		if _, err := f.run(ob()); err != nil {
			return nil, err
		}
		progress(fmt.Sprintf("(f) no-op re-run of %d steps: %d × (onboard, xargs)", n, o.bigReps))
		times, err := f.alternate(o.bigReps, o.verbose, ob(), command{label: "xargs floor", dir: dir, argv: []string{"bash", floor}})
		if err != nil {
			return nil, err
		}
		res.noop = append(res.noop, [2][]time.Duration{times[0], times[1]})
	}
	largest := func(args ...string) command {
		return command{label: "onboard " + strings.Join(args, " "), dir: dir, argv: append([]string{f.onboard}, args...)}
	}
	progress(fmt.Sprintf("(f) validate and plan of %d steps: %d × each", bigSizes[len(bigSizes)-1], o.bigReps))
	times, err := f.alternate(o.bigReps, o.verbose, largest("validate"), largest("plan"))
	if err != nil {
		return nil, err
	}
	res.validate, res.plan = times[0], times[1]
	if res.peakMiB, err = f.peakMiB(largest()); err != nil {
		return nil, err
	}
	return res, nil
}

// writeBig writes a checklist of n steps into dir, and the floor script
// that runs the same checks; it returns the script's path.
func writeBig(dir string, n, jobs int) (string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "marks"), 0o755); err != nil {
		return "", err
	}
	var yaml, checks strings.Builder
	yaml.WriteString("version: 1\nsteps:\n")
	for i := range n {
		fmt.Fprintf(&yaml, "  - id: s%d\n    run: touch marks/m%d\n", i, i)
		if i%2 == 0 {
			fmt.Fprintf(&yaml, "    check: test -f marks/m%d\n", i)
			fmt.Fprintf(&checks, "test -f marks/m%d\n", i)
		} else {
			fmt.Fprintf(&yaml, "    creates: marks/m%d\n", i)
			fmt.Fprintf(&checks, "test -e marks/m%d\n", i)
		}
		if i%bigChain != 0 {
			fmt.Fprintf(&yaml, "    needs: [s%d]\n", i-1)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "onboard.yaml"), []byte(yaml.String()), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "checks.txt"), []byte(checks.String()), 0o644); err != nil {
		return "", err
	}
	floor := filepath.Join(dir, "floor.sh")
	script := fmt.Sprintf("#!/bin/bash\nset -e\nxargs -P %d -d '\\n' -n 1 sh -c < checks.txt\n", jobs)
	return floor, os.WriteFile(floor, []byte(script), 0o755)
}

func describeBig(out io.Writer, r *bigResults, jobs int) {
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p2("(f) a big checklist: %d `run:` steps in needs chains %d deep, half `check: test -f marks/…`, half", bigSizes[len(bigSizes)-1], bigChain)
	p2("    `creates: marks/…`, all met; floor: the same checks, one per line, through `xargs -P %d -d '\\n' -n 1 sh -c`.", jobs)
	p2("    Also at %d and %d steps (the \"grows with\" figures); validate, plan and peak memory of the largest.", bigSizes[0], bigSizes[1])
}

// reportBig adds the rows of (f) to the table.
func reportBig(tw io.Writer, r *bigResults, verdict func(bool) string) {
	last := len(bigSizes) - 1
	on, fl := median(r.noop[last][0]), median(r.noop[last][1])
	ratio := float64(on) / float64(fl)
	fmt.Fprintf(tw, "no-op re-run (%d steps)\t%s\txargs %s\t%.2f×\t≤ %.2f×\t%s\n", bigSizes[last], ms(on), ms(fl), ratio, targetNoopRatio, verdict(ratio <= targetNoopRatio))
	v, p := median(r.validate), median(r.plan)
	fmt.Fprintf(tw, "  validate (%d steps)\t%s\t\t\t≤ %s\t%s\n", bigSizes[last], ms(v), ms(targetBigValidate), verdict(v <= targetBigValidate))
	fmt.Fprintf(tw, "  plan (%d steps)\t%s\t\t\t≤ %s\t%s\n", bigSizes[last], ms(p), ms(targetBigPlan), verdict(p <= targetBigPlan))
	fmt.Fprintf(tw, "  peak memory, no-op re-run\t%.0f MiB\t\t\t≤ %d MiB\t%s\n", r.peakMiB, targetBigMiB, verdict(r.peakMiB <= targetBigMiB))
}

// reportBigDetails prints how the no-op grows with the checklist.
func reportBigDetails(out io.Writer, r *bigResults) {
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p2("")
	p2("(f) grows with the checklist: medians of %d alternating runs each", r.reps)
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "  steps\tonboard no-op\txargs floor\tratio")
	for i, n := range bigSizes {
		on, fl := median(r.noop[i][0]), median(r.noop[i][1])
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%.2f×\n", n, ms(on), ms(fl), float64(on)/float64(fl))
	}
	tw.Flush()
}
