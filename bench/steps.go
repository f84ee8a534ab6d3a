package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// stepResults is what (a) and (b) measured.
type stepResults struct {
	jobs        int
	changed     []string          // probe commands `onboard plan` gave differently
	noop, sleep [][]time.Duration // per command, in the order they alternated
	phases      []phases          // the extra `onboard --json` runs
}

// benchSteps measures (a) and (b).
func benchSteps(o options, f *fixture) (*stepResults, error) {
	res := &stepResults{jobs: f.jobs}
	ob := func(dir string, args ...string) command {
		return command{label: "onboard " + strings.Join(args, " "), dir: dir, argv: append([]string{f.onboard, "-y"}, args...)}
	}
	// plan takes no -y (it runs nothing, so there is nothing to trust).
	plan, err := f.run(command{label: "onboard plan", dir: f.noop, argv: []string{f.onboard, "plan"}})
	if err != nil {
		return nil, err
	}
	if res.changed, err = f.readPlan(string(plan.stdout)); err != nil {
		return nil, err
	}
	if err := f.writeScripts(); err != nil {
		return nil, err
	}

	// Converge once, then make sure the re-run is the no-op it should be:
	// 40 items, every one "ok" at its check.
	progress("converging the 40-item checklist once")
	if _, err := f.run(ob(f.noop)); err != nil {
		return nil, err
	}
	jsonRun := func() (phases, string, error) {
		r, err := f.run(ob(f.noop, "--json"))
		if err != nil {
			return phases{}, "", err
		}
		p, err := parsePhases(r)
		return p, string(r.stdout), err
	}
	p, events, err := jsonRun()
	if err != nil {
		return nil, err
	}
	if p.nItems != numTools+numSteps || p.ok != p.nItems {
		return nil, fmt.Errorf("the re-run after converging is not a no-op: %d items, %d ok; events:\n%s", p.nItems, p.ok, events)
	}
	onboardNoop := ob(f.noop)
	onboardNoop.label = "onboard (no-op)"
	bashNoop := command{label: "bash+xargs (40)", dir: f.noop, argv: []string{"bash", f.noopSh}}
	bashLoop := command{label: "bash loop (40)", dir: f.noop, argv: []string{"bash", f.loopSh}}
	bashProbes := command{label: "bash+xargs (20 probes)", dir: f.noop, argv: []string{"bash", f.probesSh}}
	if err := f.verifyScripts(); err != nil { // also warms the baselines up
		return nil, err
	}

	progress(fmt.Sprintf("(a) no-op re-run: %d × (onboard, bash+xargs, bash loop, bash+xargs probes only)", o.reps))
	if res.noop, err = f.alternate(o.reps, o.verbose, onboardNoop, bashNoop, bashLoop, bashProbes); err != nil {
		return nil, err
	}

	if o.phaseReps > 0 {
		progress(fmt.Sprintf("breakdown: %d × onboard --json", o.phaseReps))
		for range o.phaseReps {
			p, _, err := jsonRun()
			if err != nil {
				return nil, err
			}
			res.phases = append(res.phases, p)
		}
	}

	onboardSleep := ob(f.sleep, "-j", "8")
	onboardSleep.label = "onboard -j 8 (8 × sleep 1)"
	bashSleep := command{label: "bash (8 × sleep 1 &)", dir: f.sleep, argv: []string{"bash", f.sleepSh}}
	if _, err := f.run(onboardSleep); err != nil { // warm up: creates .onboard/
		return nil, err
	}
	progress(fmt.Sprintf("(b) 8 × sleep 1: %d × (onboard -j 8, bash)", o.sleepReps))
	if res.sleep, err = f.alternate(o.sleepReps, o.verbose, onboardSleep, bashSleep); err != nil {
		return nil, err
	}
	for _, d := range res.sleep[0] {
		if d < time.Second {
			return nil, fmt.Errorf("onboard -j 8 finished 8 × sleep 1 in %s: the steps did not run", ms(d))
		}
	}
	return res, nil
}

// describeSteps is the part of the header that says what (a) and (b) run.
func describeSteps(out io.Writer, f *fixture, r *stepResults) {
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	jobs := r.jobs
	realTools, fakeTools := f.toolSummary()
	p2("(a) no-op re-run of a converged checklist of 40 independent items (`onboard` = `onboard up`)")
	tools := fmt.Sprintf("    20 tool probes: %d real (%s)", len(realTools), strings.Join(realTools, " "))
	if len(fakeTools) > 0 {
		names := fakeTools[0]
		if len(fakeTools) > 1 {
			names += "…" + fakeTools[len(fakeTools)-1]
		}
		tools += fmt.Sprintf(" + %d %s (%s): `#!/bin/sh` scripts printing a version, written by the bench into a temp bin/",
			len(fakeTools), plural(len(fakeTools), "fake", "fakes"), names)
	}
	p2("%s", tools)
	if len(f.missing) > 0 {
		p2("    not on this machine, so replaced by fakes: %s", strings.Join(f.missing, " "))
	}
	if len(r.changed) > 0 {
		p2("    probe commands as `onboard plan` gives them: %s", strings.Join(r.changed, "; "))
	}
	p2("    20 run steps: 10 × `check: test -f marks/…`, 10 × `creates: marks/…`, all met")
	p2("    baseline: a bash script with the same 20 probe commands and 20 checks (`test -f`, `test -e`),")
	p2("    one per line, run by `xargs -P %d -d '\\n' -n 1 sh -c`. -P %d because onboard's -j defaults to the", jobs, jobs)
	p2("    number of CPUs (runtime.NumCPU() = %d here): both sides run at most %d items at once. Both run the", jobs, jobs)
	p2("    checks in a shell, without a process of their own (onboard: its in-process shell, and a stat for")
	p2("    `creates:`; xargs: sh's builtin test, in the sh it starts per line).")
	p2("    also shown: a bash loop with no sh or xargs in between (`$line &`, %d at a time with wait -n),", jobs)
	p2("    and xargs running the 20 probes alone (what onboard's no-op costs without its checks).")
	p2("(b) 8 independent steps `run: sleep 1` with no check, so `onboard -j 8` applies all 8 on every run")
	p2("    (a failing check would fail the item at its verify); baseline: bash `for i in 1..8; do sleep 1 & done; wait`")
}

// reportSteps adds the rows of (a) and (b) to the table.
func reportSteps(tw io.Writer, r *stepResults, verdict func(bool) string) {
	noopOn, noopSh, noopLoop := median(r.noop[0]), median(r.noop[1]), median(r.noop[2])
	ratio := float64(noopOn) / float64(noopSh)
	sleepOn, sleepSh := median(r.sleep[0]), median(r.sleep[1])
	fmt.Fprintf(tw, "no-op re-run (40 items)\t%s\tbash+xargs %s\t%.2f×\t≤ %.2f×\t%s\n",
		ms(noopOn), ms(noopSh), ratio, targetNoopRatio, verdict(ratio <= targetNoopRatio))
	fmt.Fprintf(tw, "  the same, against a bash loop\t\tbash loop %s\t%.2f×\t—\tinfo\n", ms(noopLoop), float64(noopOn)/float64(noopLoop))
	fmt.Fprintf(tw, "8 × sleep 1, -j 8\t%s\tbash %s\t%.2f×\t≤ %s\t%s\n",
		ms(sleepOn), ms(sleepSh), float64(sleepOn)/float64(sleepSh), ms(targetSleep), verdict(sleepOn <= targetSleep))
}

// reportStepDetails is the (a, b) part of the detail block: spreads,
// differences, and where onboard's no-op time goes.
func reportStepDetails(out io.Writer, o options, r *stepResults) {
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	noopOn, noopSh, noopLoop, noopProbes := median(r.noop[0]), median(r.noop[1]), median(r.noop[2]), median(r.noop[3])
	sleepOn, sleepSh := median(r.sleep[0]), median(r.sleep[1])
	p2("")
	p2("medians and min–max of alternating runs (A B C D A B C D …), %d each for (a), %d each for (b):", o.reps, o.sleepReps)
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	rows := []struct {
		label string
		ds    []time.Duration
	}{
		{"onboard, no-op re-run", r.noop[0]},
		{"bash+xargs, 20 probes + 20 checks", r.noop[1]},
		{"bash loop, 20 probes + 20 checks", r.noop[2]},
		{"bash+xargs, the 20 probes only", r.noop[3]},
		{"onboard -j 8, 8 × sleep 1", r.sleep[0]},
		{"bash, 8 × sleep 1 &", r.sleep[1]},
	}
	for _, row := range rows {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", row.label, ms(median(row.ds)), spread(row.ds))
	}
	tw.Flush()
	p2("  onboard − bash+xargs: %+.1f ms; onboard − bash loop: %+.1f ms; onboard − probes alone: %+.1f ms",
		msf(noopOn-noopSh), msf(noopOn-noopLoop), msf(noopOn-noopProbes))
	p2("  onboard − bash for 8 × sleep 1: %+.1f ms", msf(sleepOn-sleepSh))

	if len(r.phases) > 0 {
		m := medianPhases(r.phases)
		p2("")
		p2("where onboard's no-op re-run spends its time (medians of %d more `onboard --json` runs, by event time):", len(r.phases))
		tw = tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
		fmt.Fprintf(tw, "  start-up: exec → run.start (Go runtime, config load, lock, state load)\t%s\n", ms(m.startup))
		fmt.Fprintf(tw, "  items: run.start → last item.done (%d at a time)\t%s\n", r.jobs, ms(m.items))
		fmt.Fprintf(tw, "  state save: last item.done → run.done\t%s\n", ms(m.save))
		fmt.Fprintf(tw, "  exit: run.done → process gone (summary, unlock)\t%s\n", ms(m.exit))
		fmt.Fprintf(tw, "  total (with --json)\t%s\n", ms(m.total))
		fmt.Fprintf(tw, "  Σ of item durations: 20 tools / 20 steps\t%s / %s\n", ms(m.toolSum), ms(m.stepSum))
		tw.Flush()
	}
}
