// Command bench measures onboard against the shell scripts it replaces,
// side by side in one run:
//
//	(a) a no-op re-run of a converged 40-item checklist (20 tool probes,
//	    20 steps whose checks pass) against bash running the same 20
//	    probes and 20 checks with xargs -P <number of CPUs>;
//	(b) 8 independent `sleep 1` steps with `onboard -j 8` against bash's
//	    `for i in 1..8; do sleep 1 & done; wait`;
//	(c) a cold start of 9 services (postgres, 2 redis, 5 HTTP test servers
//	    with staggered start-up, an app depending on db and redis) to all
//	    ready with `onboard up`, against bash starting them with & and
//	    polling their ports;
//	(d) the resident memory of the detached supervisor (and of its guard)
//	    with 8 services up;
//	(h) `onboard verify` of a committed checklist (the 40 items of (a) and
//	    two HTTP test services) against bash chaining what it stands for:
//	    a fresh clone with its own HOME, `onboard -y` twice, `onboard
//	    check`, `onboard services down`;
//	(e) only with -only clone: a clone of a generated repository (5,001
//	    commits, 10,500 files) over smart HTTP, onboard's clone in auto and
//	    go-git mode against `git clone`, wall time and peak memory;
//	    -clone-blobs SIZE adds incompressible files, for a larger pack.
//
// Runs alternate (A B A B …) so that load from elsewhere hits both sides
// alike; the table shows medians and ratios against the targets. It is a
// program, not a test: `go test` never times anything.
//
//	go run ./bench [-n 15] [-sleep-n 7] [-svc-n 7] [-clone-n 5] [-clone-blobs SIZE] [-verify-n 7] [-only steps|services|big|verify|clone] [-tools light|ci] [-strict] [-v]
//
// Exit status: 0, also when a target is missed (the table says MISSED),
// unless -strict is given; 1 for a miss under -strict; 2 when the bench
// itself could not run, redis-server or PostgreSQL missing included.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/onboard-dev/onboard/internal/gitx"
)

// Targets from the issue.
const (
	targetNoopRatio = 1.30
	targetSleep     = 1150 * time.Millisecond
)

type options struct {
	reps, sleepReps, phaseReps int
	bigReps                    int
	verifyReps                 int
	svcReps, rssReps           int
	cloneReps                  int
	cloneBlobs                 int64  // bytes of incompressible blobs added to (e)'s repository
	only                       string // "", "steps" (a, b), "services" (c, d, g), "big" (f), "verify" (h) or "clone" (e)
	toolset                    string
	onboard, tmp               string
	cloneProfile               string // directory for the clone children's CPU profiles
	strict, verbose, keep      bool
}

func main() {
	// The bench re-runs itself as the child that does one onboard clone
	// for (e); that argument comes before any flag.
	if len(os.Args) > 1 && os.Args[1] == cloneChildArg {
		os.Exit(runCloneChild(os.Args[2:]))
	}
	var o options
	flag.IntVar(&o.reps, "n", 15, "alternating repetitions of each no-op command (at least 7)")
	flag.IntVar(&o.sleepReps, "sleep-n", 7, "alternating repetitions of each 8 × sleep 1 command (at least 7)")
	flag.IntVar(&o.phaseReps, "phases", 7, "extra \"onboard --json\" no-op runs for the breakdown by phase (0: none)")
	flag.IntVar(&o.svcReps, "svc-n", 7, "alternating repetitions of each service cold start (at least 7)")
	flag.IntVar(&o.rssReps, "rss-n", 3, "runs of the 8-service stack whose supervisor memory is read (at least 1)")
	flag.IntVar(&o.cloneReps, "clone-n", 5, "alternating repetitions of each clone (at least 3)")
	flag.IntVar(&o.bigReps, "big-n", 7, "alternating repetitions of each command of the big checklist (at least 3)")
	flag.IntVar(&o.verifyReps, "verify-n", 7, "alternating repetitions of onboard verify and its bash baseline (at least 3)")
	flag.StringVar(&o.only, "only", "", "run only `PART`: steps (a, b), services (c, d, g), clone (e), big (f) or verify (h)")
	cloneBlobs := flag.String("clone-blobs", "0", "add `SIZE` of incompressible 2 MiB blobs (100MiB, 1GiB) to (e)'s repository, to show memory against pack size")
	flag.StringVar(&o.toolset, "tools", "light", "real tools to probe: light (fast version commands, the rest fakes) or ci (everything the CI image ships)")
	flag.StringVar(&o.onboard, "onboard", "", "use this onboard binary instead of building ./cmd/onboard")
	flag.StringVar(&o.cloneProfile, "clone-cpuprofile", "", "write a CPU profile of every onboard clone in (e) into `DIR`, for go tool pprof")
	flag.StringVar(&o.tmp, "tmp", "", "make the temporary directory in `DIR` (default: $TMPDIR or /tmp); a tmpfs such as /dev/shm takes disk syncs out of the picture")
	flag.BoolVar(&o.strict, "strict", false, "exit 1 when a target is missed")
	flag.BoolVar(&o.verbose, "v", false, "print every run's time on stderr")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (checklists, scripts, .onboard/ logs)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./bench [flags]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	blobs, err := gitx.ParseSize(*cloneBlobs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: -clone-blobs:", err)
		os.Exit(2)
	}
	o.cloneBlobs = blobs
	if flag.NArg() > 0 || o.reps < 7 || o.sleepReps < 7 || o.svcReps < 7 || o.rssReps < 1 || o.phaseReps < 0 || o.cloneReps < 3 || o.bigReps < 3 || o.verifyReps < 3 ||
		(o.toolset != "light" && o.toolset != "ci") || (o.only != "" && o.only != "steps" && o.only != "services" && o.only != "clone" && o.only != "big" && o.only != "verify") {
		fmt.Fprintln(os.Stderr, "bench: -n, -sleep-n and -svc-n must be at least 7, -rss-n at least 1, -clone-n, -big-n and -verify-n at least 3, -tools light or ci, -only steps, services, clone, big or verify, and no arguments")
		flag.Usage()
		os.Exit(2)
	}
	missed, err := bench(o, os.Stdout)
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	case missed && o.strict:
		os.Exit(1)
	}
}

func bench(o options, out io.Writer) (missed bool, err error) {
	root, err := os.MkdirTemp(o.tmp, "onboard-bench-")
	if err != nil {
		return false, err
	}
	if o.keep {
		defer fmt.Fprintln(os.Stderr, "bench: kept", root)
	} else {
		defer os.RemoveAll(root)
	}
	loadStart := loadavg()
	doSteps := o.only == "" || o.only == "steps"
	doServices := o.only == "" || o.only == "services"
	doBig := o.only == "" || o.only == "big"
	doVerify := o.only == "" || o.only == "verify"
	// (e) runs only when asked for: on a disk where creating a file costs
	// about a millisecond (this VM's ext4), its 18 clones of 10,500 files
	// take minutes and would more than double the default run.
	doClone := o.only == "clone"

	// onboard runs min(-j, ready items) at once, -j defaulting to
	// runtime.NumCPU(); this process sees the same CPUs.
	jobs := runtime.NumCPU()
	// (e) needs neither the onboard binary nor the checklists: its onboard
	// side is this program, calling internal/gitx in a child of its own.
	var f *fixture
	if doSteps || doServices || doBig || doVerify {
		bin := o.onboard
		if bin == "" {
			bin = filepath.Join(root, "onboard")
			progress("building onboard (go build -o " + bin + " ./cmd/onboard)")
			if err := goBuild(bin, "./cmd/onboard"); err != nil {
				return false, err
			}
		} else if bin, err = filepath.Abs(bin); err != nil {
			return false, err
		}
		if f, err = newFixture(root, bin, o.toolset, jobs); err != nil {
			return false, err
		}
	}
	// The services part is set up first: a missing redis-server or
	// PostgreSQL should stop the bench before it spends time on (a, b).
	var stack *stackFixture
	if doServices {
		if stack, err = newStackFixture(f, o.keep); stack != nil {
			defer stack.close()
		}
		if err != nil {
			return false, err
		}
	}
	var steps *stepResults
	if doSteps {
		if steps, err = benchSteps(o, f); err != nil {
			return false, err
		}
	}
	var svcs *svcResults
	var stack100 *bigStackResults
	if stack != nil {
		if svcs, err = benchServices(o, stack); err != nil {
			return false, err
		}
		if stack100, err = benchBigStack(o, stack); err != nil {
			return false, err
		}
	}
	var big *bigResults
	if doBig {
		if big, err = benchBig(o, f); err != nil {
			return false, err
		}
	}
	var vr *verifyResults
	if doVerify {
		if vr, err = benchVerify(o, f); err != nil {
			return false, err
		}
	}
	var clone *cloneResults
	if doClone {
		if clone, err = benchClone(o, root); err != nil {
			return false, err
		}
	}

	// The report.
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p2("onboard bench · %d CPUs · %s %s/%s · load average %s at start, %s at end",
		jobs, runtime.Version(), runtime.GOOS, runtime.GOARCH, loadStart, loadavg())
	if f != nil {
		p2("checklists in %s (%s)", root, fsType(root))
	} else {
		p2("clones in %s (%s)", root, fsType(root))
	}
	p2("")
	if steps != nil {
		describeSteps(out, f, steps)
	}
	if svcs != nil {
		describeServices(out, svcs)
		describeBigStack(out)
	}
	if big != nil {
		describeBig(out, big, jobs)
	}
	if vr != nil {
		describeVerify(out, vr)
	}
	if clone != nil {
		describeClone(out, clone)
	}
	p2("")
	verdict := func(ok bool) string {
		if ok {
			return "OK"
		}
		missed = true
		return "MISSED"
	}
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tonboard\tbaseline\tratio\ttarget\tresult")
	if steps != nil {
		reportSteps(tw, steps, verdict)
	}
	if svcs != nil {
		reportServices(tw, svcs, verdict)
		reportBigStack(tw, stack100, verdict)
	}
	if big != nil {
		reportBig(tw, big, verdict)
	}
	if vr != nil {
		reportVerify(tw, vr, verdict)
	}
	if clone != nil {
		reportClone(tw, clone, verdict)
	}
	tw.Flush()
	if steps != nil {
		reportStepDetails(out, o, steps)
	}
	if svcs != nil {
		reportServiceDetails(out, svcs)
		reportBigStackDetails(out, stack100)
	}
	if big != nil {
		reportBigDetails(out, big)
	}
	if vr != nil {
		reportVerifyDetails(out, vr)
	}
	if clone != nil {
		reportCloneDetails(out, clone)
	}
	if missed {
		p2("")
		p2("MISSED: at least one target was not met (exit status 0; -strict makes it 1).")
	}
	return missed, nil
}

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
	r, err := f.run(ob(f.noop, "--json"))
	if err != nil {
		return nil, err
	}
	p, err := parsePhases(r)
	if err != nil {
		return nil, err
	}
	if p.nItems != numTools+numSteps || p.ok != p.nItems {
		return nil, fmt.Errorf("the re-run after converging is not a no-op: %d items, %d ok; events:\n%s", p.nItems, p.ok, r.stdout)
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
			r, err := f.run(ob(f.noop, "--json"))
			if err != nil {
				return nil, err
			}
			p, err := parsePhases(r)
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

// goBuild compiles pkg (a path relative to the module root, such as
// ./cmd/onboard) of the module that holds the working directory into bin.
func goBuild(bin, pkg string) error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return errors.New("run the bench inside the onboard module (go run ./bench), or pass -onboard BINARY")
	}
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = filepath.Dir(gomod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func progress(s string) { fmt.Fprintln(os.Stderr, "bench:", s) }
