package cli

import (
	"context"
	"path/filepath"
	"runtime"
	"time"

	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/report"
)

// checkJUnit is `onboard check --junit FILE`: the check as it always runs,
// and a JUnit report of it with one testsuite, "check", one testcase per
// item. The exit code is check's.
func (a *app) checkJUnit(ctx context.Context, path string, cv convergeOpts) error {
	shown, _, err := a.findChecklist("")
	if err != nil {
		return err
	}
	ver, _ := buildVersion()
	rep := &report.Report{Onboard: ver, OS: runtime.GOOS, Arch: runtime.GOARCH, Checklist: shown,
		Started: time.Now(), Phases: []*report.Phase{}, Shortcuts: []report.Shortcut{}}
	rec := newRecorder(report.PhaseCheck)
	cv.observe = rec.observe
	start := time.Now()
	err = a.converge(ctx, engine.Check, cv)
	if err != nil && len(rec.phase.Items) == 0 {
		return err // nothing was checked (a checklist error, no trust): no report
	}
	p := rec.sorted()
	p.Duration = time.Since(start)
	v := &verdict{file: filepath.Base(shown)}
	v.judgeCheck(p, "")
	rep.Phases = append(rep.Phases, p)
	rep.Duration, rep.Exit, rep.Problems = time.Since(rep.Started), ExitCode(err), v.problems
	rep.Verdict = "ok"
	if rep.Exit != ExitOK {
		rep.Verdict = "failed"
	}
	if werr := report.WriteJUnit(path, rep); werr != nil && err == nil {
		return werr
	}
	return err
}
