package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/lastrun"
	"github.com/onboard-dev/onboard/internal/mask"
)

// Every up (and each converge of a verify) records itself in
// .onboard/last-run.json, which `onboard report` reads. check does not:
// it writes nothing in the checkout (it runs where nobody can write, and
// must not replace the record of the up whose failure a person is about
// to report), so the record stays the last up's or verify's.

// runRecord starts the record of a converge; nil for a check.
func (a *app) runRecord(f *config.File, shown string, mode engine.Mode) *lastrun.Recorder {
	if mode != engine.Up {
		return nil
	}
	// What the person ran, as they would type it again: "up" for onboard
	// itself (and onboard <git-url>), "retry", "services up", "verify" …
	command := strings.TrimPrefix(a.invoked, "onboard ")
	if command == "" || command == "onboard" {
		command = "up"
	}
	ver, _ := buildVersion()
	env := lastrun.Environment{Onboard: ver, OS: runtime.GOOS, Arch: runtime.GOARCH, Shell: userShell()}
	var hints []lastrun.Hint
	for _, t := range f.Tools {
		env.Tools = append(env.Tools, lastrun.Tool{Name: t.Name, Wanted: t.Version.Value})
		hints = append(hints, lastrun.Hint{ID: engine.ToolID(t.Name).String(), Constraint: t.Version.Value, Expect: t.Expect.Value})
	}
	for _, s := range f.Steps {
		hints = append(hints, lastrun.Hint{ID: engine.StepID(s.ID.Value).String(), Check: commandText(s.Check),
			Creates: s.Creates.Value, Runs: s.Kind == config.KindRun, Expect: s.Expect.Value})
	}
	for _, s := range f.Services {
		hints = append(hints, lastrun.Hint{ID: engine.ServiceID(s.Name).String(), Expect: s.Expect.Value})
	}
	return lastrun.NewRecorder(command, f.Project.Value, filepath.Base(shown), env, hints)
}

// recordEvents makes emit also record each event in rec.
func recordEvents(rec *lastrun.Recorder, emit func(engine.Event)) func(engine.Event) {
	if rec == nil {
		return emit
	}
	return func(e engine.Event) {
		rec.Observe(e)
		emit(e)
	}
}

// saveRun ends the record with the run's error (or a preflight's) and
// writes it, masked with the run's secrets. A record that cannot be
// written is said, and does not fail the run it records.
func (a *app) saveRun(ws *engine.Workspace, rec *lastrun.Recorder, secrets []string, err error) {
	if rec == nil {
		return
	}
	var pf *PreflightError
	if errors.As(err, &pf) {
		rec.Observe(engine.Event{Type: engine.EventPreflightFailed, Problems: pf.Problems})
	}
	result := "failed"
	switch ExitCode(err) {
	case ExitOK:
		result = "ok"
	case ExitInterrupted:
		result = "interrupted"
	}
	data, merr := lastrun.Marshal(rec.Finish(result), mask.New(secrets).String)
	if merr == nil {
		merr = ws.WriteRecord(lastrun.FileName, data)
	}
	if merr != nil {
		fmt.Fprintf(a.streams.Err, "onboard: the record of this run for `onboard report` was not written: %v\n", merr)
	}
}

// commandText is a check as the checklist writes it.
func commandText(c config.Command) string {
	if c.Shell != "" {
		return c.Shell
	}
	return strings.Join(c.Argv, " ")
}

// userShell is the person's shell, for the report's environment (the
// checklist's commands run in onboard's own shell, but what a person
// pastes runs in theirs).
func userShell() string {
	if s := os.Getenv("SHELL"); s != "" {
		return filepath.Base(s)
	}
	if runtime.GOOS == "windows" {
		if s := os.Getenv("ComSpec"); s != "" {
			return filepath.Base(s)
		}
	}
	return ""
}
