//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// (h) verify's own overhead: `onboard verify --junit` of a committed bench
// checklist (the 40 items of (a) and two HTTP test services) against a
// bash script that runs what verify stands for, the same commands a CI
// job chained by hand before verify existed: a fresh clone into a
// temporary directory with a HOME and XDG dirs of its own, `onboard -y`
// twice, `onboard check`, `onboard services down`, and the clone removed.
// Both sides start from nothing running and leave nothing running.

const (
	targetVerifyRatio = 1.15
	verifyServices    = 2
)

// verifyResults is what (h) measured.
type verifyResults struct {
	reps         int
	verify, bash []time.Duration
	underHome    []string // tools of (a) left out of the checklist
}

// verifyFixture is (h)'s committed checkout, its script and ports.
type verifyFixture struct {
	dir, script, junit, tmp string
	ports                   []int
	underHome               []string // tools of (a) left out: installed under $HOME
	env                     []string
}

// newVerifyFixture commits the 40-item checklist of (a) plus two test
// services into a git repository of its own, and writes the script.
func newVerifyFixture(f *fixture) (*verifyFixture, error) {
	v := &verifyFixture{dir: filepath.Join(f.root, "verify"), script: filepath.Join(f.root, "verify.sh"),
		junit: filepath.Join(f.root, "verify-junit.xml"), tmp: filepath.Join(f.root, "verify-tmp")}
	for _, d := range []string{v.dir, v.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	testsvc := filepath.Join(f.root, "testsvc")
	if _, err := os.Stat(testsvc); err != nil {
		progress("building the test service (go build -o " + testsvc + " ./bench/testsvc)")
		if err := goBuild(testsvc, "./bench/testsvc"); err != nil {
			return nil, err
		}
	}
	var err error
	if v.ports, err = freePorts(verifyServices); err != nil {
		return nil, err
	}
	steps, err := os.ReadFile(filepath.Join(f.noop, "onboard.yaml"))
	if err != nil {
		return nil, err
	}
	// The steps of (a) as they are; its tools but those installed under
	// $HOME (rustup's cargo), which a fresh HOME breaks on both sides: the
	// bench times verify, not a checklist that fails.
	_, stepsPart, ok := strings.Cut(string(steps), "\nsteps:\n")
	if !ok {
		return nil, fmt.Errorf("no steps: in %s", filepath.Join(f.noop, "onboard.yaml"))
	}
	var y strings.Builder
	y.WriteString("# (h): the 40 items of (a), but tools under $HOME, and two HTTP test services.\nversion: 1\nproject: bench-verify\ntools:\n")
	home, _ := os.UserHomeDir()
	for _, p := range f.probes {
		if !p.fake && home != "" {
			if path, err := exec.LookPath(p.argv[0]); err == nil && strings.HasPrefix(path, home+string(filepath.Separator)) {
				v.underHome = append(v.underHome, p.name)
				continue
			}
		}
		fmt.Fprintf(&y, "  %s: \">= 0.1\"\n", p.name)
	}
	y.WriteString("steps:\n" + stepsPart + "services:\n")
	for i, p := range v.ports {
		fmt.Fprintf(&y, "  web%d:\n    run: [%q, -listen, \"127.0.0.1:%d\", -delay, 0s]\n    ready: {tcp: \"127.0.0.1:%d\"}\n", i+1, testsvc, p, p)
	}
	if err := os.WriteFile(filepath.Join(v.dir, "onboard.yaml"), []byte(y.String()), 0o644); err != nil {
		return nil, err
	}
	// Both sides clone into the same file system (the bench's temp dir,
	// -tmp), and the bench can see that each removed its clone.
	v.env = append(append([]string{}, f.env...), "TMPDIR="+v.tmp,
		"GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.com", "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.com")
	for _, args := range [][]string{{"init", "-q"}, {"add", "onboard.yaml"}, {"commit", "-q", "-m", "bench checklist"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = v.dir, v.env
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ob := shQuote(f.onboard)
	script := fmt.Sprintf(`#!/bin/bash
# What onboard verify stands for, chained by hand: a fresh clone with a HOME
# and XDG dirs of its own, converge twice, check, stop the services.
set -euo pipefail
base=$(mktemp -d "$TMPDIR/onboard-verify-XXXXXX")
mkdir -p "$base"/home "$base"/config "$base"/cache "$base"/data "$base"/state
export HOME="$base/home" XDG_CONFIG_HOME="$base/config" XDG_CACHE_HOME="$base/cache" XDG_DATA_HOME="$base/data" XDG_STATE_HOME="$base/state"
git -c advice.detachedHead=false clone -q -- %s "$base/repo"
cd "$base/repo"
%s -y
%s -y
%s check -y
%s services down
cd /
rm -rf "$base"
`, shQuote(v.dir), ob, ob, ob, ob)
	return v, os.WriteFile(v.script, []byte(script), 0o755)
}

// benchVerify measures (h): one untimed round of each side, checked, then
// o.verifyReps alternating rounds, each checked to leave nothing behind.
func benchVerify(o options, f *fixture) (*verifyResults, error) {
	v, err := newVerifyFixture(f)
	if err != nil {
		return nil, err
	}
	fv := *f
	fv.env = v.env
	verify := command{label: "onboard verify", dir: v.dir, argv: []string{f.onboard, "verify", "--junit", v.junit}}
	bash := command{label: "bash (clone, up twice, check, down)", dir: v.dir, argv: []string{"bash", v.script}}
	progress("(h) verify: one checked round of each side (untimed)")
	for _, c := range []command{verify, bash} {
		r, err := fv.run(c)
		if err != nil {
			return nil, err
		}
		if c.label == verify.label && !bytes.Contains(r.stdout, []byte("verify: ok · 4 phases")) {
			return nil, fmt.Errorf("onboard verify did not pass all 4 phases:\n%s", r.stdout)
		}
		if err := v.leftNothing(); err != nil {
			return nil, fmt.Errorf("%s: %v", c.label, err)
		}
	}
	progress(fmt.Sprintf("(h) verify: %d × (onboard verify, bash)", o.verifyReps))
	res := &verifyResults{reps: o.verifyReps, underHome: v.underHome}
	for i := range o.verifyReps {
		for j, c := range []command{verify, bash} {
			r, err := fv.run(c)
			if err != nil {
				return nil, err
			}
			if err := v.leftNothing(); err != nil {
				return nil, fmt.Errorf("%s: %v", c.label, err)
			}
			if j == 0 {
				res.verify = append(res.verify, r.wall())
			} else {
				res.bash = append(res.bash, r.wall())
			}
			if o.verbose {
				fmt.Fprintf(os.Stderr, "  %2d %-36s %s\n", i+1, c.label, ms(r.wall()))
			}
		}
	}
	return res, nil
}

// leftNothing: every port is free and every clone removed once a side
// returned (verify waits for the ports itself; the script's `services
// down` returns once the supervisor stopped them).
func (v *verifyFixture) leftNothing() error {
	if err := waitUntil(5*time.Second, func() string {
		if busy := busyPorts(v.ports); len(busy) > 0 {
			return fmt.Sprintf("ports %v still taken", busy)
		}
		return ""
	}); err != nil {
		return err
	}
	left, err := os.ReadDir(v.tmp)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		return fmt.Errorf("left %s in %s", left[0].Name(), v.tmp)
	}
	return nil
}

func describeVerify(out io.Writer, r *verifyResults) {
	p2 := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	p2("(h) `onboard verify --junit` of a committed checklist: the 40 items of (a) and %d HTTP test services", verifyServices)
	p2("    (tcp readiness); baseline: bash running the same work by hand: a fresh `git clone` into a temp dir")
	p2("    with its own HOME and XDG dirs, `onboard -y` twice, `onboard check -y`, `onboard services down`,")
	p2("    `rm -rf`. The ratio is verify's own overhead (reports, judging, its port checks) over those commands.")
	if len(r.underHome) > 0 {
		p2("    Tools left out: %s (installed under $HOME, which a fresh HOME breaks on both sides).", strings.Join(r.underHome, ", "))
	}
}

// reportVerify adds (h)'s row to the table.
func reportVerify(tw io.Writer, r *verifyResults, verdict func(bool) string) {
	on, sh := median(r.verify), median(r.bash)
	ratio := float64(on) / float64(sh)
	fmt.Fprintf(tw, "verify (fresh clone, 2 converges, check, stop)\t%s\tbash %s\t%.2f×\t≤ %.2f×\t%s\n",
		ms(on), ms(sh), ratio, targetVerifyRatio, verdict(ratio <= targetVerifyRatio))
}

// reportVerifyDetails prints (h)'s spreads.
func reportVerifyDetails(out io.Writer, r *verifyResults) {
	fmt.Fprintf(out, "\n(h) medians and min–max of %d alternating runs each:\n", r.reps)
	tw := tabwriter.NewWriter(out, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "  onboard verify --junit\t%s\t%s\n", ms(median(r.verify)), spread(r.verify))
	fmt.Fprintf(tw, "  bash: clone, onboard -y × 2, check, services down\t%s\t%s\n", ms(median(r.bash)), spread(r.bash))
	tw.Flush()
	fmt.Fprintf(out, "  verify − bash: %+.1f ms\n", msf(median(r.verify)-median(r.bash)))
}
