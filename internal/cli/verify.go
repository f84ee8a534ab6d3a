package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/inputs"
	"github.com/onboard-dev/onboard/internal/report"
	"github.com/onboard-dev/onboard/internal/trust"
	"github.com/onboard-dev/onboard/internal/ui"
	"github.com/onboard-dev/onboard/steps"
)

// verifyOptions are verify's own flags.
type verifyOptions struct {
	inPlace, keepServices bool
	junit, jsonReport     string
	pin                   string // --trust, in hex
}

func (a *app) verifyCommand() *cobra.Command {
	var vo verifyOptions
	c := &cobra.Command{
		Use:   "verify",
		Short: "CI: converge a fresh clone, converge again (must change nothing), check, stop",
		Long: `verify proves that the checklist onboards a clean machine. It clones the
checkout's HEAD (committed files only, submodules included) into a temporary
directory with a HOME and XDG directories of its own, converges it as
'onboard up --yes' does, converges again (which must apply nothing), checks
every item, checks that every service is healthy, then stops the services and
checks that their ports are free. --in-place verifies this checkout instead.

verify asks nothing: inputs take --set, ONBOARD_INPUT_<NAME> or their default,
and the checklist is trusted for this run as --yes trusts it, unless --trust
pins the digest it must have. Steps and inputs with a ci: policy do what it
says, and every such shortcut is listed.

Exit: 0 all good, 1 an item failed, 3 not idempotent or not met, 4 an input
has no answer, 2 a checklist error or nothing committed, 5 --trust differs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			digest, err := parsePin(vo.pin)
			if err != nil {
				return err
			}
			vo.pin = digest
			return a.verify(cmd.Context(), vo)
		},
	}
	c.Flags().BoolVar(&vo.inPlace, "in-place", false, "verify this checkout as it is, instead of a fresh clone of its HEAD")
	c.Flags().BoolVar(&vo.keepServices, "keep-services", false, "leave the services running at the end")
	c.Flags().StringVar(&vo.junit, "junit", "", "write a JUnit XML report to `FILE`")
	c.Flags().StringVar(&vo.jsonReport, "json-report", "", "write a JSON report to `FILE`")
	pinFlag(c, &vo.pin)
	a.jsonFlag(c, "each phase's events as JSON lines on stdout (docs/events.md)")
	// No --yes: verify trusts for its run and takes defaults as --yes
	// does, always (see verify below), so the flag would change nothing.
	a.runFlags(c, flagFile|flagSet|flagOnly|flagSkip|flagJobs|flagForce|flagVerbose)
	return c
}

// verify runs the phases and writes the reports, whatever happened.
func (a *app) verify(ctx context.Context, vo verifyOptions) (err error) {
	shown, _, err := a.findChecklist("")
	if err != nil {
		return err
	}
	v := &verdict{file: filepath.Base(shown)}
	ver, _ := buildVersion()
	rep := &report.Report{Onboard: ver, OS: runtime.GOOS, Arch: runtime.GOARCH, Checklist: shown,
		Fresh: !vo.inPlace, Started: time.Now(), Phases: []*report.Phase{}, Shortcuts: []report.Shortcut{}}
	defer func() {
		rep.Duration = time.Since(rep.Started)
		rep.Exit = ExitCode(err)
		rep.Problems = v.problems
		if err != nil && len(v.problems) == 0 {
			rep.Problems = []string{err.Error()}
		}
		rep.Verdict = "ok"
		if rep.Exit != ExitOK {
			rep.Verdict = "failed"
		}
		if werr := a.writeReports(vo, rep); werr != nil && err == nil {
			err = werr
		}
		if gerr := github(a.resultsOut(), shown, rep); gerr != nil && err == nil {
			err = gerr
		}
	}()

	cv := convergeOpts{trusted: true, noPrompt: true, ci: true,
		report: verifyReporter(v.file, "")}
	if !vo.inPlace {
		fc, cerr := cloneFresh(ctx, shown)
		if cerr != nil {
			return cerr
		}
		rep.LeftOut, v.leftOut = fc.leftOut, fc.leftOut
		a.sayLeftOut(fc.leftOut)
		cv.environ = fc.environ
		cv.report = verifyReporter(v.file, filepath.Dir(fc.checklist))
		a.opts.file = fc.checklist
		// Once a phase ran, a failed clone's logs are worth keeping.
		defer func() { a.cleanFresh(fc, vo.keepServices, err != nil && len(rep.Phases) > 0) }()
	}
	f, _, root, err := a.loadChecklist("")
	if err != nil {
		return err
	}
	rep.Project = f.Project.Value
	rep.Shortcuts = shortcuts(f, a.opts.skip)
	if err := steps.CheckTemplates(f, root); err != nil {
		return err
	}
	if rep.Trust, err = a.verifyTrust(f, shown, root, vo.pin); err != nil {
		return err
	}
	// Inputs take defaults as `up --yes` does: nobody is there to ask.
	a.opts.yes = true
	if !vo.inPlace { // in place, HOME is the caller's: nothing to tell apart
		home, _ := os.UserHomeDir()
		v.homePrograms = homePrograms(f, home)
	}

	// The services stop whatever happened; their health counts only when
	// every phase before passed.
	stop := func() {
		rep.Phases = append(rep.Phases, a.servicesPhase(ctx, root, vo.keepServices, v.ok(), v))
	}
	p1, err := a.runPhase(ctx, report.PhaseFirst, "as `onboard up --yes`", engine.Up, cv)
	rep.Phases = append(rep.Phases, p1)
	rep.Tools = toolsFound(p1)
	rep.HomeTools = homeTools(f, v.homePrograms, rep.Tools)
	v.judgeConverge(p1, false)
	var needs *inputs.NeedsInputError
	switch {
	case errors.As(err, &needs):
		// verify has no --yes and no terminal to ask on: say what it is.
		needs.Why = "it has no default, and verify asks no question"
		needs.Fix = "give it `ci: {set: VALUE}` in the checklist"
		return needs
	case err != nil && !isRunVerdict(err):
		stop()
		return a.verifyStopped(err)
	}
	if v.ok() {
		p2, err := a.runPhase(ctx, report.PhaseSecond, "must apply nothing", engine.Up, cv)
		rep.Phases = append(rep.Phases, p2)
		v.judgeConverge(p2, true)
		if err != nil && !isRunVerdict(err) {
			stop()
			return a.verifyStopped(err)
		}
	}
	if v.ok() {
		p3, err := a.runPhase(ctx, report.PhaseCheck, "every item met", engine.Check, cv)
		rep.Phases = append(rep.Phases, p3)
		v.judgeCheck(p3, " after two converges")
		if err != nil && !isRunVerdict(err) {
			stop()
			return a.verifyStopped(err)
		}
	}
	stop()
	return a.verifyResult(v, rep)
}

// verifyStopped says what an interrupted verify did: resuming (what
// `onboard` does after Ctrl-C) does not apply to a verify, which starts
// from a fresh clone every time.
func (a *app) verifyStopped(err error) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	fmt.Fprintln(a.streams.Err, "onboard verify: interrupted; its services were stopped. Run `onboard verify` again to start over.")
	return silent{err}
}

// isRunVerdict: the run ended and its items tell the story (failed items,
// items not met), which verify judges itself.
func isRunVerdict(err error) bool {
	var runErr *engine.RunError
	return errors.As(err, &runErr) || errors.Is(err, engine.ErrNotMet)
}

// verifyReporter draws each phase as `up` does, with verify's advice:
// resuming with `onboard` would not reach the clone, and manual items are
// judged by verify.
func verifyReporter(file, logDir string) ui.ReporterOptions {
	return ui.ReporterOptions{File: file, LogDir: logDir, NoWaiting: true, Again: "then run `onboard verify` again."}
}

// verifyResult prints the verdict and returns the error of its exit code.
func (a *app) verifyResult(v *verdict, rep *report.Report) error {
	out := a.resultsOut()
	var total time.Duration
	for _, p := range rep.Phases {
		total += p.Duration
	}
	if len(rep.Shortcuts) > 0 {
		fmt.Fprintf(out, "\nCI shortcuts (not tested as a person runs them):\n")
		for _, sc := range rep.Shortcuts {
			fmt.Fprintf(out, "  - %s (%s): %s\n", sc.ID, v.where(sc.Line), shortcutText(sc))
		}
	}
	if len(rep.HomeTools) > 0 {
		fmt.Fprintf(out, "\n%s:\n", report.HomeToolsTitle)
		for _, t := range rep.HomeTools {
			fmt.Fprintf(out, "  - tool:%s (%s): %s\n", t.Name, v.where(t.Line), t.Path)
		}
		fmt.Fprintln(out, "  A fresh verify hides HOME's files but not these programs: install them in the CI image, or say how to install them (`install:` on the tool).")
	}
	if v.ok() {
		fmt.Fprintf(out, "\nverify: ok · %d phases · %s\n", len(rep.Phases), total.Round(100*time.Millisecond))
		return nil
	}
	fmt.Fprintf(out, "\nverify failed:\n")
	for _, p := range v.problems {
		fmt.Fprintf(out, "  ✗ %s\n", p)
	}
	fmt.Fprintf(out, "This is a gap in the checklist, not something you did wrong: fix %s (or what it runs),\n", v.file)
	fmt.Fprintln(out, "commit, and run `onboard verify` again.")
	if v.failed {
		return silent{errors.New("verify: an item failed")}
	}
	return silent{fmt.Errorf("verify: %w", ErrNotMet)}
}

// verifyTrust decides trust once, on what verify will run. With --trust,
// the digest must be the pinned one. Without, verify trusts the checklist
// for this run as `up --yes` does: it neither reads nor writes a trust
// store (a fresh clone's HOME has none, and CI has none either).
func (a *app) verifyTrust(f *config.File, shown, root, pin string) (string, error) {
	digest, sum, err := trust.Digest(f, root)
	if err != nil {
		return "", err
	}
	if pin != "" {
		if digest != pin {
			return "", &PinMismatchError{Path: shown, Pinned: pin, Digest: digest, Summary: sum}
		}
		return "pinned: sha256:" + digest, nil
	}
	fmt.Fprintf(a.streams.Err, "verify trusts %s for this run, as `onboard up --yes` does (sha256:%s).\n"+
		"To run only a version you reviewed, pin it: onboard verify --trust sha256:%s\n", shown, digest, digest)
	return "for this run, as up --yes: sha256:" + digest, nil
}

// sayLeftOut names the uncommitted files a fresh clone does not have.
func (a *app) sayLeftOut(files []string) {
	if len(files) == 0 {
		return
	}
	const max = 20
	fmt.Fprintf(a.streams.Err, "verify works on a clone of HEAD: %d uncommitted %s of this checkout %s left out:\n",
		len(files), plural(len(files), "file", "files"), plural(len(files), "is", "are"))
	for i, f := range files {
		if i == max {
			fmt.Fprintf(a.streams.Err, "    … and %d more (git status shows them)\n", len(files)-max)
			break
		}
		fmt.Fprintf(a.streams.Err, "    %s\n", f)
	}
	fmt.Fprintln(a.streams.Err, "Commit what the checklist needs, or verify the working tree with --in-place.")
}

// cleanFresh removes the clone, unless its services still run or verify
// failed: then its logs are worth a look, and it says where they are.
func (a *app) cleanFresh(fc *freshCheckout, keepServices, failed bool) {
	switch {
	case keepServices:
		fmt.Fprintf(a.streams.Err, "The clone is kept at %s while its services run; remove it once `onboard services down` stopped them.\n", filepath.Dir(fc.checklist))
	case failed:
		fmt.Fprintf(a.streams.Err, "The clone is kept at %s for its logs (.onboard/logs) and its `onboard report`; remove it when done.\n", filepath.Dir(fc.checklist))
	default:
		_ = os.RemoveAll(fc.base)
	}
}

// toolsFound are the tools the first converge found, with what it said.
func toolsFound(p *report.Phase) []report.Tool {
	var out []report.Tool
	for _, it := range p.Items {
		id := engine.ID(it.ID)
		if id.Kind() == engine.KindTool && (it.Outcome == engine.OutcomeOK || it.Outcome == engine.OutcomeFixed) {
			out = append(out, report.Tool{Name: id.Name(), Found: it.Detail})
		}
	}
	return out
}

// writeReports writes the reports verify was asked for.
func (a *app) writeReports(vo verifyOptions, rep *report.Report) error {
	var errs []string
	if vo.junit != "" {
		if err := report.WriteJUnit(vo.junit, rep); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if vo.jsonReport != "" {
		if err := report.WriteJSON(vo.jsonReport, rep); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("writing the reports: %s", strings.Join(errs, "; "))
	}
	return nil
}
