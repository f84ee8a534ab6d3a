package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Targets for the services part, from the issue.
const (
	targetStackRatio = 1.15
	targetRSSKiB     = 25 * 1024
)

// svcResults is what the services part measured.
type svcResults struct {
	reps, rssReps    int
	stack, rss       int // number of services in (c) and in (d)
	pgVersion        string
	asPostgres       bool
	jobs             int             // onboard's default -j
	stackOn, stackSh []time.Duration // (c): onboard up, bash
	stackJ           []time.Duration // (c) with onboard up -j <number of services>
	oneOn, oneSh     []time.Duration // a single service, for comparison
	phases           svcPhases       // medians, from supervisor.log
	rssSup, hwmSup   []int           // KiB, per run of (d)
	rssGuard         []int
}

// svcPhases splits one timed `onboard up` of the stack by the supervisor
// log's timestamps (to the millisecond).
type svcPhases struct {
	spawn time.Duration // exec of onboard up → "supervisor started" (onboard, daemon, guard, supervisor)
	pg    time.Duration // supervisor started → postgres ready
	redis time.Duration // supervisor started → both redis ready
	app   time.Duration // supervisor started → app ready
	last  time.Duration // supervisor started → last service ready
	exit  time.Duration // last service ready → onboard up gone
}

func medianSvcPhases(ps []svcPhases) svcPhases {
	pick := func(get func(svcPhases) time.Duration) time.Duration { return medianOf(ps, get) }
	return svcPhases{
		spawn: pick(func(p svcPhases) time.Duration { return p.spawn }),
		pg:    pick(func(p svcPhases) time.Duration { return p.pg }),
		redis: pick(func(p svcPhases) time.Duration { return p.redis }),
		app:   pick(func(p svcPhases) time.Duration { return p.app }),
		last:  pick(func(p svcPhases) time.Duration { return p.last }),
		exit:  pick(func(p svcPhases) time.Duration { return p.exit }),
	}
}

// medianInt is the median of xs (the lower middle one when even: these
// are a handful of memory readings, not times to average).
func medianInt(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// mib prints KiB as MiB.
func mib(kib int) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

// describeServices is the part of the header that says what (c) and (d)
// run.
func describeServices(out io.Writer, r *svcResults) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	as := ""
	if r.asPostgres {
		as = " (as root: through `runuser -u postgres --`, on both sides)"
	}
	p("(c) cold start of %d services to all ready, each run from nothing running: postgres %s%s, 2 × redis-server", r.stack, r.pgVersion, as)
	p("    (--save \"\" --appendonly no), 5 HTTP test servers (bench/testsvc) listening after 0/50/100/150/200 ms,")
	p("    and an app (testsvc) with depends_on {postgres, redis1, redis2: healthy}; readiness is a TCP connect on both sides.")
	p("    onboard: `onboard up` (detached supervisor; returns once all are ready), then `onboard services down`, untimed.")
	p("    baseline: bash starting each with `&` and polling ports with `until (exec 3<>/dev/tcp/…); do :; done`, the app")
	p("    once postgres and both redis answer; then SIGINT to the script's process group, untimed. Before every run the")
	p("    bench checks that all ports are free; after it, that every process is gone and postgres removed postmaster.pid.")
	p("    also shown: `onboard up -j %d` (onboard's -j, default the number of CPUs = %d here, also bounds how many", r.stack, r.jobs)
	p("    service items wait for readiness at once), and a single test server alone on each side.")
	p("(d) resident memory of the detached supervisor with %d services up (postgres, 2 redis, 5 test servers), 1 s after", r.rss)
	p("    `onboard up` returned: VmRSS from /proc/<supervisor_pid>/status, and of its guard (the supervisor's parent).")
}

// reportServices adds the rows of (c) and (d) to the table.
func reportServices(tw io.Writer, r *svcResults, verdict func(bool) string) {
	on, sh := median(r.stackOn), median(r.stackSh)
	ratio := float64(on) / float64(sh)
	fmt.Fprintf(tw, "cold start, %d services\t%s\tbash %s\t%.2f×\t≤ %.2f×\t%s\n",
		r.stack, ms(on), ms(sh), ratio, targetStackRatio, verdict(ratio <= targetStackRatio))
	j := median(r.stackJ)
	fmt.Fprintf(tw, "  the same, onboard up -j %d\t%s\tbash %s\t%.2f×\t—\tinfo\n", r.stack, ms(j), ms(sh), float64(j)/float64(sh))
	oneOn, oneSh := median(r.oneOn), median(r.oneSh)
	fmt.Fprintf(tw, "  one test server alone\t%s\tbash %s\t%.2f×\t—\tinfo\n", ms(oneOn), ms(oneSh), float64(oneOn)/float64(oneSh))
	sup := medianInt(r.rssSup)
	fmt.Fprintf(tw, "supervisor RSS, %d services\t%s\tguard %s\t—\t≤ %s\t%s\n",
		r.rss, mib(sup), mib(medianInt(r.rssGuard)), mib(targetRSSKiB), verdict(sup <= targetRSSKiB))
}

// reportServiceDetails is the services part of the detail block.
func reportServiceDetails(out io.Writer, r *svcResults) {
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p("")
	p("(c) medians and min–max of alternating runs (A stop B stop C stop A …), %d each:", r.reps)
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	for _, row := range []struct {
		label string
		ds    []time.Duration
	}{
		{fmt.Sprintf("onboard up, %d services", r.stack), r.stackOn},
		{fmt.Sprintf("bash, %d services", r.stack), r.stackSh},
		{fmt.Sprintf("onboard up -j %d, %d services", r.stack, r.stack), r.stackJ},
		{"onboard up, 1 test server", r.oneOn},
		{"bash, 1 test server", r.oneSh},
	} {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", row.label, ms(median(row.ds)), spread(row.ds))
	}
	tw.Flush()
	p("  onboard − bash: %+.1f ms with %d services, %+.1f ms with one", msf(median(r.stackOn)-median(r.stackSh)), r.stack, msf(median(r.oneOn)-median(r.oneSh)))
	p("")
	p("where `onboard up` of the stack spends its time (medians, from .onboard/services/supervisor.log, 1 ms resolution):")
	tw = tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	ph := r.phases
	fmt.Fprintf(tw, "  exec → supervisor started (onboard up, daemon, guard, supervisor)\t%s\n", ms(ph.spawn))
	fmt.Fprintf(tw, "  supervisor started → postgres ready\t%s\n", ms(ph.pg))
	fmt.Fprintf(tw, "  supervisor started → both redis ready\t%s\n", ms(ph.redis))
	fmt.Fprintf(tw, "  supervisor started → app ready (it starts after postgres and redis)\t%s\n", ms(ph.app))
	fmt.Fprintf(tw, "  supervisor started → last service ready\t%s\n", ms(ph.last))
	fmt.Fprintf(tw, "  last ready → onboard up gone (reply, output, exit)\t%s\n", ms(ph.exit))
	tw.Flush()
	p("")
	p("(d) over %d runs: supervisor VmRSS %s (min %s, max %s), peak VmHWM %s; guard VmRSS %s",
		len(r.rssSup), mib(medianInt(r.rssSup)), mib(slices.Min(r.rssSup)), mib(slices.Max(r.rssSup)),
		mib(medianInt(r.hwmSup)), mib(medianInt(r.rssGuard)))
}
