//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// (g) A big stack: 100 HTTP test servers in 4 tiers of 25, each server of
// a tier depending (healthy) on one of the tier before, from nothing
// running to all ready, beside the bash floor; then, with the 100 up and
// healthy, the supervisor's and its guard's memory, and the CPU they use
// while the stack idles.

const (
	bigStackSize  = 100
	bigStackTiers = 4
	// targetBigStackKiB is the supervisor plus its guard with 100 up.
	targetBigStackKiB = 40 * 1024
	// targetIdleCPU is the share of one CPU the idle supervisor and guard
	// may use with 100 healthy services.
	targetIdleCPU = 0.01
	idleWindow    = 12 * time.Second
)

// bigStack is the (g) checkout.
type bigStack struct {
	svcs    []svc
	dir, sh string
}

// newBigStack writes the 100-service checklist and its bash floor.
func newBigStack(s *stackFixture) (*bigStack, error) {
	ports, err := freePorts(bigStackSize)
	if err != nil {
		return nil, err
	}
	b := &bigStack{dir: filepath.Join(s.f.root, "stack100"), sh: filepath.Join(s.f.root, "stack100.sh")}
	per := bigStackSize / bigStackTiers
	for i := range bigStackSize {
		tier, col := i/per, i%per
		sv := svc{name: fmt.Sprintf("t%ds%02d", tier, col), port: ports[i],
			argv: []string{s.testsvc, "-listen", fmt.Sprintf("127.0.0.1:%d", ports[i]), "-delay", webDelays[i%len(webDelays)].String()}}
		if tier > 0 {
			sv.deps = []string{fmt.Sprintf("t%ds%02d", tier-1, col)}
		}
		b.svcs = append(b.svcs, sv)
	}
	comment := "The stack of (g): 100 HTTP test servers in 4 tiers, each depending on one of the tier before."
	if err := os.MkdirAll(filepath.Join(b.dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(b.dir, "onboard.yaml"), []byte(checklist(comment, "stack100", b.svcs)), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(b.sh, []byte(startScript(comment, b.dir, b.svcs)), 0o755); err != nil {
		return nil, err
	}
	if _, err := s.f.run(command{label: "onboard trust", dir: b.dir, argv: []string{s.f.onboard, "trust"}}); err != nil {
		return nil, err
	}
	return b, nil
}

// bigStackResults is what (g) measured.
type bigStackResults struct {
	reps             int
	on, sh           []time.Duration
	supKiB, guardKiB int
	idleCPU          float64 // share of one CPU, supervisor and guard together
}

// benchBigStack measures (g).
func benchBigStack(o options, s *stackFixture) (*bigStackResults, error) {
	b, err := newBigStack(s)
	if err != nil {
		return nil, err
	}
	res := &bigStackResults{reps: o.svcReps}
	up := cycle{
		c:      command{label: "onboard up (100)", dir: b.dir, argv: []string{s.f.onboard, "-y", "up"}},
		before: func() error { return coldStart(b.svcs) },
		after:  func(result) error { return s.onboardDown(b.dir, b.svcs) },
	}
	bash := cycle{
		c:      command{label: "bash (100)", dir: b.dir, argv: []string{"bash", b.sh}, sys: &syscall.SysProcAttr{Setsid: true}},
		before: func() error { return coldStart(b.svcs) },
		after: func(r result) error {
			if n := len(answering(ports(b.svcs))); n != len(b.svcs) {
				return fmt.Errorf("%s exited with %d of %d ports answering", b.sh, n, len(b.svcs))
			}
			return s.bashDown(r.pid, b.svcs)
		},
	}
	progress(fmt.Sprintf("(g) cold start of %d services in %d tiers: %d × (onboard up, bash), each followed by an untimed stop", bigStackSize, bigStackTiers, o.svcReps))
	t, err := s.f.alternateCycles(o.svcReps, o.verbose, up, bash)
	if err != nil {
		return nil, err
	}
	res.on, res.sh = t[0], t[1]

	progress(fmt.Sprintf("(g) %d services up: memory 1 s after, then CPU over %s of idling", bigStackSize, idleWindow))
	if _, err := s.f.run(up.c); err != nil {
		return nil, err
	}
	defer s.onboardDown(b.dir, b.svcs) //nolint:errcheck // best effort: the bench ends here
	time.Sleep(time.Second)
	st, err := s.status(b.dir, b.svcs)
	if err != nil {
		return nil, err
	}
	ps, ok := readStat(st.SupervisorPid)
	if !ok {
		return nil, fmt.Errorf("supervisor %d: no /proc/%d/stat", st.SupervisorPid, st.SupervisorPid)
	}
	if res.supKiB, err = vmKiB(st.SupervisorPid, "VmRSS"); err != nil {
		return nil, err
	}
	if res.guardKiB, err = vmKiB(ps.ppid, "VmRSS"); err != nil {
		return nil, err
	}
	before := cpuTicks(st.SupervisorPid) + cpuTicks(ps.ppid)
	time.Sleep(idleWindow)
	used := cpuTicks(st.SupervisorPid) + cpuTicks(ps.ppid) - before
	// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ).
	res.idleCPU = float64(used) / 100 / idleWindow.Seconds()
	return res, nil
}

// cpuTicks is utime + stime of pid, in clock ticks.
func cpuTicks(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	k, _ := strconv.Atoi(f[12])
	return u + k
}

func describeBigStack(out io.Writer) {
	fmt.Fprintf(out, "(g) cold start of %d HTTP test servers (bench/testsvc, listening after 0–200 ms) in %d tiers of %d, each depending\n", bigStackSize, bigStackTiers, bigStackSize/bigStackTiers)
	fmt.Fprintf(out, "    (healthy) on one of the tier before; tcp readiness; baseline: the bash script of (c) for this stack. Then, with\n")
	fmt.Fprintf(out, "    all %d up: VmRSS of the supervisor and its guard 1 s after, and their CPU time over %s of idling.\n", bigStackSize, idleWindow)
}

// reportBigStack adds the rows of (g) to the table.
func reportBigStack(tw io.Writer, r *bigStackResults, verdict func(bool) string) {
	on, sh := median(r.on), median(r.sh)
	ratio := float64(on) / float64(sh)
	fmt.Fprintf(tw, "cold start, %d services, %d tiers\t%s\tbash %s\t%.2f×\t≤ %.2f×\t%s\n", bigStackSize, bigStackTiers, ms(on), ms(sh), ratio, targetStackRatio, verdict(ratio <= targetStackRatio))
	both := r.supKiB + r.guardKiB
	fmt.Fprintf(tw, "  supervisor + guard RSS, %d up\t%s\t(guard %s)\t—\t≤ %s\t%s\n", bigStackSize, mib(both), mib(r.guardKiB), mib(targetBigStackKiB), verdict(both <= targetBigStackKiB))
	fmt.Fprintf(tw, "  their CPU, %d healthy, idle\t%.2f%%\t\t—\t< %.0f%%\t%s\n", bigStackSize, r.idleCPU*100, targetIdleCPU*100, verdict(r.idleCPU < targetIdleCPU))
}

// reportBigStackDetails prints (g)'s spreads.
func reportBigStackDetails(out io.Writer, r *bigStackResults) {
	fmt.Fprintf(out, "\n(g) medians and min–max of %d alternating cold starts: onboard up %s (%s), bash %s (%s)\n",
		r.reps, ms(median(r.on)), spread(r.on), ms(median(r.sh)), spread(r.sh))
}

// growsBigStack is (g)'s cells of the "grows with" table: the cold start
// and the memory of the 100 services; "" when (g) did not run.
func growsBigStack(b *bigStackResults) (cold, memory string) {
	if b == nil {
		return "", ""
	}
	on, sh := median(b.on), median(b.sh)
	return fmt.Sprintf("%d: %s (%.2f×)", bigStackSize, ms(on), float64(on)/float64(sh)),
		fmt.Sprintf("%d services: %s", bigStackSize, mib(b.supKiB+b.guardKiB))
}
