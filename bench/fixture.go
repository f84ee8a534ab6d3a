package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// realTool is a tool a checklist would name, with the command onboard's
// built-in probe table (or its generic `NAME --version`) runs for it. The
// argv here is only a first guess: the bench reads the real one back from
// `onboard plan`, so the bash baseline always runs what onboard runs.
type realTool struct {
	name string
	argv []string
}

// lightTools are tools on every machine of this kind (the go-docker image's
// list: Go, gcc, make, git, perl, valgrind, node, docker client, cargo) whose
// version command answers in a few milliseconds, so that the measurement is
// of onboard's own overhead rather than of a JVM starting.
var lightTools = []realTool{
	{"go", []string{"go", "version"}},
	{"gcc", []string{"gcc", "--version"}},
	{"g++", []string{"g++", "--version"}},
	{"make", []string{"make", "--version"}},
	{"git", []string{"git", "--version"}},
	{"perl", []string{"perl", "--version"}},
	{"valgrind", []string{"valgrind", "--version"}},
	{"node", []string{"node", "--version"}},
	{"docker", []string{"docker", "--version"}},
	{"cargo", []string{"cargo", "--version"}},
}

// ciTools are the tools the image ships (every line of "Read off such a
// machine" in the kind's description) but tclsh, which has no version flag.
// Some are slow to answer (pip, mvn, npm, javac: 100-300 ms each), so with
// -tools ci the probes themselves dominate both sides.
var ciTools = []realTool{
	{"go", []string{"go", "version"}},
	{"gcc", []string{"gcc", "--version"}},
	{"docker", []string{"docker", "--version"}},
	{"python3", []string{"python3", "--version"}},
	{"pip", []string{"pip", "--version"}},
	{"g++", []string{"g++", "--version"}},
	{"make", []string{"make", "--version"}},
	{"git", []string{"git", "--version"}},
	{"cargo", []string{"cargo", "--version"}},
	{"rustc", []string{"rustc", "--version"}},
	{"node", []string{"node", "--version"}},
	{"npm", []string{"npm", "--version"}},
	{"java", []string{"java", "-version"}},
	{"javac", []string{"javac", "--version"}},
	{"mvn", []string{"mvn", "--version"}},
	{"perl", []string{"perl", "--version"}},
	{"psql", []string{"psql", "--version"}},
	{"gdb", []string{"gdb", "--version"}},
	{"valgrind", []string{"valgrind", "--version"}},
}

const (
	numTools = 20
	numSteps = 20 // half `check: test -f`, half `creates:`
	numSleep = 8
)

// probe is one tool item of the no-op checklist.
type probe struct {
	name string
	argv []string // what onboard runs (read back from `onboard plan`)
	fake bool
}

// fixture is everything the bench runs, under one temporary directory.
type fixture struct {
	root     string // the temporary directory
	bin      string // fake tools, first on PATH
	noop     string // the 40-item checklist (a git checkout)
	sleep    string // the 8 × sleep 1 checklist
	onboard  string // the binary under test
	env      []string
	probes   []probe
	missing  []string // real tools not on this machine, replaced by fakes
	noopSh   string   // bash+xargs baseline: 20 probes and 20 checks
	loopSh   string   // the same in a bash loop, no xargs or sh
	probesSh string   // bash+xargs: the 20 probes only
	sleepSh  string   // bash: 8 × sleep 1 in the background, wait
	jobs     int      // xargs -P: onboard's default -j
}

// newFixture writes the fake tools and both checklists. The baseline
// scripts are written later, by writeScripts, from what `onboard plan` says
// onboard runs.
func newFixture(root, onboard, toolset string, jobs int) (*fixture, error) {
	f := &fixture{
		root:    root,
		bin:     filepath.Join(root, "bin"),
		noop:    filepath.Join(root, "noop"),
		sleep:   filepath.Join(root, "sleep"),
		onboard: onboard,
		jobs:    jobs,
	}
	for _, d := range []string{f.bin, f.noop, f.sleep, filepath.Join(root, "xdg")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	// The same environment for onboard and bash: fake tools first on PATH,
	// no colour, onboard's per-user config (trust) kept in the temp dir.
	f.env = append(os.Environ(),
		"PATH="+f.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NO_COLOR=1",
		"XDG_CONFIG_HOME="+filepath.Join(root, "xdg"),
	)

	candidates := lightTools
	if toolset == "ci" {
		candidates = ciTools
	}
	for _, t := range candidates {
		if _, err := exec.LookPath(t.name); err != nil {
			f.missing = append(f.missing, t.name)
			continue
		}
		f.probes = append(f.probes, probe{name: t.name, argv: t.argv})
	}
	for i := 1; len(f.probes) < numTools; i++ {
		name := fmt.Sprintf("fake-tool-%02d", i)
		script := fmt.Sprintf("#!/bin/sh\necho \"%s version 1.%d.0\"\n", name, i)
		if err := os.WriteFile(filepath.Join(f.bin, name), []byte(script), 0o755); err != nil {
			return nil, err
		}
		f.probes = append(f.probes, probe{name: name, argv: []string{name, "--version"}, fake: true})
	}

	var y strings.Builder
	y.WriteString("# 40 independent items: 20 tool probes and 20 steps whose checks pass once converged.\nversion: 1\nproject: bench-noop\ntools:\n")
	for _, p := range f.probes {
		fmt.Fprintf(&y, "  %s: \">= 0.1\"\n", p.name)
	}
	y.WriteString("steps:\n")
	for i := 1; i <= numSteps/2; i++ {
		fmt.Fprintf(&y, "  - id: check-%02d\n    run: mkdir -p marks && touch marks/check-%02d\n    check: test -f marks/check-%02d\n", i, i, i)
	}
	for i := 1; i <= numSteps/2; i++ {
		fmt.Fprintf(&y, "  - id: creates-%02d\n    run: mkdir -p marks && touch marks/creates-%02d\n    creates: marks/creates-%02d\n", i, i, i)
	}
	if err := os.WriteFile(filepath.Join(f.noop, "onboard.yaml"), []byte(y.String()), 0o644); err != nil {
		return nil, err
	}
	// A checkout is a git repository: onboard keeps .onboard/ out of it.
	if git, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command(git, "init", "-q", f.noop)
		cmd.Env = f.env
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("git init: %v: %s", err, out)
		}
	}

	y.Reset()
	y.WriteString("# 8 independent steps without a check: `onboard` applies each on every run.\nversion: 1\nproject: bench-sleep\nsteps:\n")
	for i := 1; i <= numSleep; i++ {
		fmt.Fprintf(&y, "  - id: sleep-%d\n    run: sleep 1\n", i)
	}
	if err := os.WriteFile(filepath.Join(f.sleep, "onboard.yaml"), []byte(y.String()), 0o644); err != nil {
		return nil, err
	}
	return f, nil
}

// planTool and planCheck read `onboard plan`: each item's id on a line of
// its own, then (indented, whole in a pipe) what it would do.
var (
	planTool  = regexp.MustCompile(`^tool:(\S+)(\s|$)`)
	planCheck = regexp.MustCompile(`^check: (.+?) runs(?: and reports|$)`)
)

// readPlan replaces each probe's argv with the command `onboard plan` says
// it runs, so that the baseline cannot drift from onboard's probe table.
// It returns the tools whose command differed from the bench's guess.
func (f *fixture) readPlan(out string) (changed []string, err error) {
	planned := map[string][]string{}
	tool := ""
	for _, line := range strings.Split(out, "\n") {
		if m := planTool.FindStringSubmatch(line); m != nil {
			tool = m[1]
			continue
		}
		if m := planCheck.FindStringSubmatch(strings.TrimSpace(line)); m != nil && tool != "" {
			planned[tool] = strings.Fields(m[1])
		}
		tool = ""
	}
	for i, p := range f.probes {
		argv, ok := planned[p.name]
		if !ok {
			return nil, fmt.Errorf("`onboard plan` does not list tool:%s; its output was:\n%s", p.name, out)
		}
		if strings.Join(argv, " ") != strings.Join(p.argv, " ") {
			changed = append(changed, fmt.Sprintf("%s: %s", p.name, strings.Join(argv, " ")))
			f.probes[i].argv = argv
		}
	}
	return changed, nil
}

// writeScripts writes the bash baselines. Each line of a baseline is one
// probe or check, written as shell text, exactly as in onboard.yaml.
func (f *fixture) writeScripts() error {
	var probes, checks strings.Builder
	for _, p := range f.probes {
		probes.WriteString(strings.Join(p.argv, " ") + "\n")
	}
	for i := 1; i <= numSteps/2; i++ {
		fmt.Fprintf(&checks, "test -f marks/check-%02d\n", i)
	}
	for i := 1; i <= numSteps/2; i++ {
		fmt.Fprintf(&checks, "test -e marks/creates-%02d\n", i)
	}
	// xargs runs `sh -c LINE` for each line, f.jobs at a time: the usual
	// idiom, and the same split as onboard's (a check string runs in a
	// shell; test is that shell's builtin). xargs exits non-zero if any
	// line did.
	xargs := func(comment, lines string) string {
		return fmt.Sprintf(`#!/bin/bash
# %s
# One line per probe or check, run as "sh -c LINE", %d at a time: onboard's
# default -j is the number of CPUs, so both sides have the same parallelism.
cd %q || exit 2
xargs -P %d -d '\n' -n 1 sh -c >"${BENCH_OUT:-/dev/null}" 2>&1 <<'EOF'
%sEOF
`, comment, f.jobs, f.noop, f.jobs, lines)
	}
	// The loop has no helper processes at all: bash forks itself per line
	// and runs the line there (test as bash's builtin), %d at a time.
	loop := fmt.Sprintf(`#!/bin/bash
# The no-op baseline without xargs: bash starts each line in the
# background, %d at a time (wait -n), with no sh or xargs in between.
cd %q || exit 2
fail=0 n=0
while read -r line; do
	$line &
	n=$((n + 1))
	if [ "$n" -ge %d ]; then
		wait -n || fail=1
		n=$((n - 1))
	fi
done >"${BENCH_OUT:-/dev/null}" 2>&1 <<'EOF'
%sEOF
while [ "$n" -gt 0 ]; do
	wait -n || fail=1
	n=$((n - 1))
done
exit "$fail"
`, f.jobs, f.noop, f.jobs, probes.String()+checks.String())
	f.noopSh = filepath.Join(f.root, "noop.sh")
	f.loopSh = filepath.Join(f.root, "loop.sh")
	f.probesSh = filepath.Join(f.root, "probes.sh")
	f.sleepSh = filepath.Join(f.root, "sleep.sh")
	files := map[string]string{
		f.noopSh:   xargs("The no-op baseline: the same 20 version probes and the same 20 checks as onboard.yaml.", probes.String()+checks.String()),
		f.loopSh:   loop,
		f.probesSh: xargs("The 20 version probes only: the processes onboard itself starts in a no-op re-run.", probes.String()),
		f.sleepSh:  "#!/bin/bash\n# 8 × sleep 1 in parallel.\nfor i in 1 2 3 4 5 6 7 8; do sleep 1 & done\nwait\n",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// verifyScripts runs each no-op baseline once with its output kept: every
// probe must really run (each fake tool prints its version) and the script
// must exit 0. Then, with one mark file hidden, it must fail: proof that
// the checks run too.
func (f *fixture) verifyScripts() error {
	out := filepath.Join(f.root, "baseline.out")
	runSh := func(sh string) (string, error) {
		cmd := exec.Command("bash", sh)
		cmd.Env = append(f.env, "BENCH_OUT="+out)
		b, err := cmd.CombinedOutput()
		text, _ := os.ReadFile(out)
		return string(b) + string(text), err
	}
	for _, sh := range []string{f.noopSh, f.loopSh, f.probesSh} {
		text, err := runSh(sh)
		if err != nil {
			return fmt.Errorf("bash %s: %v\n%s", sh, err, text)
		}
		for _, p := range f.probes {
			if p.fake && !strings.Contains(text, p.name+" version ") {
				return fmt.Errorf("bash %s did not run %s; its output was:\n%s", sh, p.name, text)
			}
		}
	}
	mark := filepath.Join(f.noop, "marks", "check-01")
	if err := os.Rename(mark, mark+".hidden"); err != nil {
		return err
	}
	var failed []string
	for _, sh := range []string{f.noopSh, f.loopSh} {
		if _, err := runSh(sh); err == nil {
			failed = append(failed, sh)
		}
	}
	if err := os.Rename(mark+".hidden", mark); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s exit 0 with marks/check-01 missing: their checks do not run", strings.Join(failed, " and "))
	}
	return nil
}

// toolSummary says which tools are real and which are fakes.
func (f *fixture) toolSummary() (real, fake []string) {
	for _, p := range f.probes {
		if p.fake {
			fake = append(fake, p.name)
		} else {
			real = append(real, p.name)
		}
	}
	return real, fake
}
